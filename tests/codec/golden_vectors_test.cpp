// Every entry of tests/vectors/golden.json, written by an independent TARS
// implementation (node @tars/stream), decodes to its value and encodes back to
// the same bytes. The one allowed difference (tests/vectors/README.md): node
// writes optional fields at their default value and we leave them out; where
// the bytes differ, ours must be node's with only such fields removed (checked
// structurally, recursively) and both must decode to the same value.
#include "RequestF.h"
#include "interop.h"

#include "tup/Tars.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>

namespace {
using Output = tars::TarsOutputStream<tars::BufferWriterString>;
using Input = tars::TarsInputStream<tars::BufferReader>;
using Json = nlohmann::json;

std::string fromHex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

std::string toHex(const std::string& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::vector<char> bytesFromHex(const std::string& hex) {
    const std::string raw = fromHex(hex);
    return {raw.begin(), raw.end()};
}

const Json& vectors() {
    static const Json all = [] {
        std::ifstream in(TARS_VECTORS_DIR "/golden.json");
        if (!in) throw std::runtime_error("cannot open " TARS_VECTORS_DIR "/golden.json");
        return Json::parse(in)["vectors"];
    }();
    return all;
}

// --- a structural view of encoded bytes, to check the allowed difference -------

struct Field {
    std::uint8_t tag = 0;
    std::uint8_t type = 0;
    std::string raw;              // scalars: head and payload; containers: the count
    std::vector<Field> children;  // struct fields, list elements, map keys and values
};

void parseFields(Input& is, std::vector<Field>& out, bool untilStructEnd);

Field parseField(Input& is) {
    Field field;
    const char* start = is.current();
    const auto head = is.readHead();
    field.tag = head.tag;
    field.type = head.type;
    if (head.type == tars::TarsHeadeStructBegin) {
        parseFields(is, field.children, true);
    } else if (head.type == tars::TarsHeadeList || head.type == tars::TarsHeadeMap) {
        const char* countStart = is.current();
        tars::Int32 count = 0;
        is.read(count, 0, true);
        field.raw.assign(countStart, is.current());
        const int elements = head.type == tars::TarsHeadeMap ? count * 2 : count;
        for (int i = 0; i < elements; ++i) field.children.push_back(parseField(is));
    } else {
        is.skipField(head.type);
        field.raw.assign(start, is.current());
    }
    return field;
}

void parseFields(Input& is, std::vector<Field>& out, bool untilStructEnd) {
    for (;;) {
        typename Input::Head head;
        if (!is.peekHead(head)) {
            if (untilStructEnd) throw std::runtime_error("struct without end");
            return;
        }
        if (head.type == tars::TarsHeadeStructEnd) {
            is.readHead();
            return;
        }
        out.push_back(parseField(is));
    }
}

bool sameExceptDroppedFields(const Field& ours, const Field& node);

// `ours` must be `node` with some fields left out, the rest identical.
bool isSubsequence(const std::vector<Field>& ours, const std::vector<Field>& node) {
    std::size_t j = 0;
    for (const Field& field : ours) {
        while (j < node.size() && !(node[j].tag == field.tag && sameExceptDroppedFields(field, node[j]))) ++j;
        if (j == node.size()) return false;
        ++j;
    }
    return true;
}

bool sameExceptDroppedFields(const Field& ours, const Field& node) {
    if (ours.tag != node.tag || ours.type != node.type || ours.raw != node.raw) return false;
    if (ours.type == tars::TarsHeadeStructBegin) return isSubsequence(ours.children, node.children);
    if (ours.children.size() != node.children.size()) return false;
    for (std::size_t i = 0; i < ours.children.size(); ++i)
        if (!sameExceptDroppedFields(ours.children[i], node.children[i])) return false;
    return true;
}

std::vector<Field> topLevelFields(const std::string& bytes) {
    Input is;
    is.setBuffer(bytes.data(), bytes.size());
    std::vector<Field> fields;
    parseFields(is, fields, false);
    return fields;
}

// Exact bytes, or node's bytes with default-valued optional fields removed.
void expectSameOrDefaultsDropped(const std::string& ours, const std::string& node, const std::string& name) {
    if (ours == node) return;
    EXPECT_TRUE(isSubsequence(topLevelFields(ours), topLevelFields(node)))
        << name << ": our bytes are not node's with default fields removed\n ours " << toHex(ours) << "\n node "
        << toHex(node);
}

// --- expected values from the JSON --------------------------------------------

tars::Int64 jsonLong(const Json& v) { return v.is_string() ? std::stoll(v.get<std::string>()) : v.get<tars::Int64>(); }

Test::Inner innerFrom(const Json& v) {
    Test::Inner inner;
    inner.id = v.at("id").get<tars::Int32>();
    inner.name = v.at("name").get<std::string>();
    return inner;
}

Test::AllTypes allTypesFrom(const Json& v) {
    Test::AllTypes a;
    a.b = v.at("b").get<bool>();
    a.by = static_cast<tars::Char>(v.at("by").get<int>());
    a.sh = v.at("sh").get<tars::Short>();
    a.i = v.at("i").get<tars::Int32>();
    a.l = jsonLong(v.at("l"));
    a.f = v.at("f").get<float>();
    a.d = v.at("d").get<double>();
    a.s = v.at("s").get<std::string>();
    a.bin = bytesFromHex(v.at("bin").get<std::string>());
    a.vs = v.at("vs").get<std::vector<std::string>>();
    a.msi = v.at("msi").get<std::map<std::string, tars::Int32>>();
    a.inner = innerFrom(v.at("inner"));
    for (const auto& element : v.at("vinner")) a.vinner.push_back(innerFrom(element));
    a.color = static_cast<Test::Color>(v.at("color").get<int>());
    a.untouched = v.at("untouched").get<tars::Int32>();
    a.tag15 = v.at("tag15").get<std::string>();
    a.vi = v.at("vi").get<std::vector<tars::Int32>>();
    return a;
}

// Decodes the entry's bytes as a T at its tag, compares with `expected`,
// encodes `expected` back and compares the bytes.
template <typename T>
void checkValue(const Json& entry, const T& expected, bool mayDropDefaults = false) {
    const std::string node = fromHex(entry["hex"].get<std::string>());
    const auto tag = entry["tag"].get<std::uint8_t>();
    const std::string name = entry["name"].get<std::string>();

    Input is;
    is.setBuffer(node.data(), node.size());
    T decoded{};
    is.read(decoded, tag, true);
    EXPECT_EQ(decoded, expected) << name;
    EXPECT_EQ(is.remaining(), 0u) << name << ": bytes left over";

    Output os;
    os.write(expected, tag);
    const std::string ours = os.getByteBuffer();
    if (mayDropDefaults) {
        expectSameOrDefaultsDropped(ours, node, name);
        Input again;
        again.setBuffer(ours.data(), ours.size());
        T reread{};
        again.read(reread, tag, true);
        EXPECT_EQ(reread, expected) << name << ": our form does not decode to the same value";
    } else {
        EXPECT_EQ(toHex(ours), entry["hex"].get<std::string>()) << name;
    }
}

std::map<std::string, std::string> stringMap(const Json& v) { return v.get<std::map<std::string, std::string>>(); }

template <typename Packet>
Packet decodeFrame(const std::string& frame, const std::string& name) {
    EXPECT_GE(frame.size(), 4u) << name;
    const std::uint32_t length = (static_cast<std::uint8_t>(frame[0]) << 24) |
                                 (static_cast<std::uint8_t>(frame[1]) << 16) |
                                 (static_cast<std::uint8_t>(frame[2]) << 8) | static_cast<std::uint8_t>(frame[3]);
    EXPECT_EQ(length, frame.size()) << name << ": the length prefix counts itself";
    Input is;
    is.setBuffer(frame.data() + 4, frame.size() - 4);
    Packet packet;
    packet.readFrom(is);
    EXPECT_EQ(is.remaining(), 0u) << name;
    return packet;
}

template <typename Packet>
std::string encodeFrame(const Packet& packet) {
    Output os;
    const char lengthPrefix[4] = {};  // patched once the body is written
    os.writeBuf(lengthPrefix, 4);
    packet.writeTo(os);
    const std::uint32_t length = static_cast<std::uint32_t>(os.getLength());
    const char prefix[4] = {static_cast<char>(length >> 24), static_cast<char>(length >> 16),
                            static_cast<char>(length >> 8), static_cast<char>(length)};
    os.patch(0, prefix, 4);
    return os.getByteBuffer();
}

// The arguments of TUP packets: a map from name to an encoded value (v3), or
// from name to {type name -> encoded value} (v2). Both re-encode exactly.
void checkTupBody(const tars::RequestPacket& packet, const std::string& name) {
    const std::string body(packet.sBuffer.begin(), packet.sBuffer.end());
    Output os;
    Input is;
    is.setBuffer(body.data(), body.size());
    if (packet.iVersion == 3) {
        std::map<std::string, std::vector<char>> attributes;
        is.read(attributes, 0, true);
        os.write(attributes, 0);
    } else {
        std::map<std::string, std::map<std::string, std::vector<char>>> attributes;
        is.read(attributes, 0, true);
        os.write(attributes, 0);
    }
    EXPECT_EQ(toHex(os.getByteBuffer()), toHex(body)) << name << ": TUP attributes";
}

void checkPacket(const Json& entry) {
    const std::string name = entry["name"].get<std::string>();
    const std::string node = fromHex(entry["hex"].get<std::string>());
    const Json& f = entry["fields"];
    const std::string type = entry["type"].get<std::string>();

    if (type.find("ResponsePacket") != std::string::npos) {
        const auto packet = decodeFrame<tars::ResponsePacket>(node, name);
        EXPECT_EQ(packet.iVersion, f["iVersion"].get<int>()) << name;
        EXPECT_EQ(packet.cPacketType, f["cPacketType"].get<int>()) << name;
        EXPECT_EQ(packet.iRequestId, f["iRequestId"].get<int>()) << name;
        EXPECT_EQ(packet.iMessageType, f["iMessageType"].get<int>()) << name;
        EXPECT_EQ(packet.iRet, f["iRet"].get<int>()) << name;
        EXPECT_EQ(packet.sBuffer, bytesFromHex(f["sBuffer_hex"].get<std::string>())) << name;
        EXPECT_EQ(packet.status, stringMap(f["status"])) << name;
        EXPECT_EQ(packet.sResultDesc, f["sResultDesc"].get<std::string>()) << name;
        EXPECT_EQ(packet.context, stringMap(f["context"])) << name;

        const std::string ours = encodeFrame(packet);
        // Node writes the optional sResultDesc and context even when empty.
        expectSameOrDefaultsDropped(ours.substr(4), node.substr(4), name);
        EXPECT_EQ(decodeFrame<tars::ResponsePacket>(ours, name), packet) << name;
        return;
    }

    const auto packet = decodeFrame<tars::RequestPacket>(node, name);
    EXPECT_EQ(packet.iVersion, f["iVersion"].get<int>()) << name;
    EXPECT_EQ(packet.cPacketType, f["cPacketType"].get<int>()) << name;
    EXPECT_EQ(packet.iMessageType, f["iMessageType"].get<int>()) << name;
    EXPECT_EQ(packet.iRequestId, f["iRequestId"].get<int>()) << name;
    EXPECT_EQ(packet.sServantName, f["sServantName"].get<std::string>()) << name;
    EXPECT_EQ(packet.sFuncName, f["sFuncName"].get<std::string>()) << name;
    EXPECT_EQ(packet.sBuffer, bytesFromHex(f["sBuffer_hex"].get<std::string>())) << name;
    EXPECT_EQ(packet.iTimeout, f["iTimeout"].get<int>()) << name;
    EXPECT_EQ(packet.context, stringMap(f["context"])) << name;
    EXPECT_EQ(packet.status, stringMap(f["status"])) << name;
    // Every RequestPacket field is require: the bytes match exactly.
    EXPECT_EQ(toHex(encodeFrame(packet)), entry["hex"].get<std::string>()) << name;
    if (packet.iVersion == 2 || packet.iVersion == 3) checkTupBody(packet, name);
}

void checkEntry(const Json& entry) {
    const std::string type = entry["type"].get<std::string>();
    const Json& v = entry.contains("value") ? entry["value"] : Json();

    if (type.rfind("frame", 0) == 0) return checkPacket(entry);
    if (type == "bool") return checkValue(entry, v.get<bool>());
    if (type == "byte") return checkValue(entry, static_cast<tars::Char>(v.get<int>()));
    if (type == "short") return checkValue(entry, v.get<tars::Short>());
    if (type == "int") return checkValue(entry, v.get<tars::Int32>());
    if (type == "long") return checkValue(entry, jsonLong(v));
    if (type == "float") return checkValue(entry, v.get<float>());
    if (type == "double") return checkValue(entry, v.get<double>());
    if (type == "string") return checkValue(entry, fromHex(entry["value_utf8_hex"].get<std::string>()));
    if (type == "vector<byte>") return checkValue(entry, bytesFromHex(entry["value_hex"].get<std::string>()));
    if (type == "vector<int>") return checkValue(entry, v.get<std::vector<tars::Int32>>());
    if (type == "vector<string>") return checkValue(entry, v.get<std::vector<std::string>>());
    if (type == "vector<bool>") return checkValue(entry, v.get<std::vector<bool>>());
    if (type == "vector<long>") {
        std::vector<tars::Int64> longs;
        for (const auto& element : v) longs.push_back(jsonLong(element));
        return checkValue(entry, longs);
    }
    if (type == "vector<double>") return checkValue(entry, v.get<std::vector<double>>());
    if (type == "map<string,int>") return checkValue(entry, v.get<std::map<std::string, tars::Int32>>());
    if (type == "map<string,string>") return checkValue(entry, stringMap(v));
    if (type == "map<int,string>") {
        std::map<tars::Int32, std::string> m;
        for (const auto& [key, value] : v.items()) m[std::stoi(key)] = value.get<std::string>();
        return checkValue(entry, m);
    }
    if (type == "map<string,vector<byte>>") {
        std::map<std::string, std::vector<char>> m;
        for (const auto& [key, value] : v.items()) m[key] = bytesFromHex(value.get<std::string>());
        return checkValue(entry, m);
    }
    if (type == "Test.Inner") return checkValue(entry, innerFrom(v), true);
    if (type == "vector<Test.Inner>") {
        std::vector<Test::Inner> list;
        for (const auto& element : v) list.push_back(innerFrom(element));
        return checkValue(entry, list, true);
    }
    if (type == "Test.AllTypes") return checkValue(entry, allTypesFrom(v), true);
    FAIL() << "vector of unhandled type " << type << ": " << entry["name"];
}

class GoldenVector : public ::testing::TestWithParam<std::size_t> {};

TEST_P(GoldenVector, DecodesAndEncodesBack) { checkEntry(vectors().at(GetParam())); }

std::string vectorTestName(const ::testing::TestParamInfo<std::size_t>& info) {
    std::string name = std::to_string(info.param) + "_" + vectors().at(info.param)["name"].get<std::string>();
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
}

INSTANTIATE_TEST_SUITE_P(All, GoldenVector, ::testing::Range<std::size_t>(0, 99), vectorTestName);

TEST(GoldenVectors, FileHoldsNinetyNineEntries) { EXPECT_EQ(vectors().size(), 99u); }

TEST(GoldenVectors, DefaultValuedOptionalsOmittedIsExactlyOurForm) {
    // The one vector written in the C++ form must come out of our encoder unchanged.
    for (const auto& entry : vectors()) {
        if (entry["name"].get<std::string>().find("default-valued optionals omitted") == std::string::npos) continue;
        Output os;
        os.write(allTypesFrom(entry["value"]), 0);
        EXPECT_EQ(toHex(os.getByteBuffer()), entry["hex"].get<std::string>());
        return;
    }
    FAIL() << "vector not found";
}

}  // namespace
