#include "ServantTestSupport.h"

#include "servant/ConnectionState.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

namespace tars2cpp::test {

std::vector<char> bytesFromHex(const std::string& hex) {
    std::vector<char> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

std::string toHex(const std::vector<char>& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string text;
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        text += digits[byte >> 4];
        text += digits[byte & 15];
    }
    return text;
}

std::string goldenField(const std::string& name, const std::string& field) {
    static const nlohmann::json vectors = [] {
        std::ifstream in(TARS_VECTORS_DIR "/golden.json");
        if (!in) throw std::runtime_error("cannot open " TARS_VECTORS_DIR "/golden.json");
        return nlohmann::json::parse(in)["vectors"];
    }();
    for (const auto& entry : vectors)
        if (entry["name"] == name) return entry["fields"][field].get<std::string>();
    throw std::runtime_error("no golden vector named '" + name + "'");
}

tars::CurrentPtr makeCurrent(short version, const std::string& func, const std::vector<char>& args,
                             const std::map<std::string, std::string>& context) {
    auto connection = std::make_shared<tars::ConnectionState>();
    connection->ip = "127.0.0.1";
    auto current = std::make_shared<tars::Current>(connection, 0, 0);
    tars::RequestPacket& request = current->mutableRequest();
    request.iVersion = version;
    request.iRequestId = 1;
    request.sServantName = "Test.InteropServer.InteropObj";
    request.sFuncName = func;
    request.sBuffer = args;
    request.context = context;
    return current;
}

std::vector<char> dispatch(tars::Servant& servant, const tars::CurrentPtr& current) {
    std::vector<char> response;
    EXPECT_EQ(servant.onDispatch(current, response), tars::TARSSERVERSUCCESS) << current->getFuncName();
    return response;
}

Arguments::Arguments(short version) : _version(version) {
    if (version == tars::TUPVERSION || version == tars::TUP_VERSION_COMPLEX) _attr.setVersion(version);
}

std::vector<char> Arguments::bytes() const {
    if (_version == tars::TARSVERSION) return _os.getByteBuffer();
    if (_version == tars::JSONVERSION) {
        const std::string text = tars::JsonOutput::toString(_json);
        return {text.begin(), text.end()};
    }
    std::vector<char> bytes;
    _attr.encode(bytes);
    return bytes;
}

Result::Result(short version, std::vector<char> bytes) : _version(version), _bytes(std::move(bytes)) {
    if (version == tars::JSONVERSION) {
        _json = tars::JsonInput::parse(std::string(_bytes.begin(), _bytes.end()));
        EXPECT_TRUE(_json.is_object()) << std::string(_bytes.begin(), _bytes.end());
    } else if (version != tars::TARSVERSION) {
        _attr.setVersion(version);
        _attr.decode(_bytes);
    }
}

bool Result::has(const std::string& name, int tag) const {
    if (_version == tars::TARSVERSION) {
        tars::TarsInputStream<tars::BufferReader> is;
        is.setBuffer(_bytes);
        return is.skipToTag(static_cast<std::uint8_t>(tag));
    }
    if (_version == tars::JSONVERSION) return _json.contains(name.empty() ? "tars_ret" : name);
    return _attr.containsKey(name);
}

std::size_t Result::size() const {
    if (_version == tars::TARSVERSION) {
        tars::TarsInputStream<tars::BufferReader> is;
        is.setBuffer(_bytes);
        std::size_t count = 0;
        tars::TarsInputStream<tars::BufferReader>::Head head;
        while (is.peekHead(head)) {
            is.readHead();
            is.skipField(head.type);
            ++count;
        }
        return count;
    }
    if (_version == tars::JSONVERSION) return _json.size();
    return _attr.size() - (_attr.containsKey("tars_ret") ? 1 : 0);
}

std::string versionName(const ::testing::TestParamInfo<short>& info) {
    switch (info.param) {
        case tars::TARSVERSION: return "Tars";
        case tars::TUP_VERSION_COMPLEX: return "TupComplex";
        case tars::TUPVERSION: return "Tup";
        default: return "Json";
    }
}

}  // namespace tars2cpp::test
