// Helpers of the servant tests: a Current built as the server's handle builds
// one (without a network), and the arguments and results of a call in each
// request version (TARS binary, TUP 2 and 3, JSON), so one test body can drive
// a generated onDispatch() in every version.
#pragma once

#include "servant/Current.h"
#include "servant/Servant.h"
#include "tup/Tars.h"
#include "tup/TarsUniAttribute.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tars2cpp::test {

std::vector<char> bytesFromHex(const std::string& hex);
std::string toHex(const std::vector<char>& bytes);

// The `field` ("sBuffer_hex", ...) of the entry `name` of tests/vectors/golden.json.
std::string goldenField(const std::string& name, const std::string& field);

// A TARS request for `func` whose sBuffer is `args`, as ServantHandle prepares it.
tars::CurrentPtr makeCurrent(short version, const std::string& func, const std::vector<char>& args,
                             const std::map<std::string, std::string>& context = {});

// Test-name suffix for a request version: Tars, TupComplex, Tup or Json.
std::string versionName(const ::testing::TestParamInfo<short>& info);

// Runs servant.onDispatch(); fails the test unless it returns TARSSERVERSUCCESS.
std::vector<char> dispatch(tars::Servant& servant, const tars::CurrentPtr& current);

// The arguments of one call, encoded in one version: at their tag (TARS), by
// name (TUP), or as members of a JSON object.
class Arguments {
public:
    explicit Arguments(short version);

    template <typename T>
    Arguments& add(const std::string& name, int tag, const T& value) {
        _os.write(value, static_cast<std::uint8_t>(tag));
        _attr.put(name, value);
        _json[name] = tars::JsonOutput::writeJson(value);
        return *this;
    }

    std::vector<char> bytes() const;

private:
    short _version;
    tars::TarsOutputStream<tars::BufferWriterVector> _os;
    tars::TarsUniAttribute<> _attr;
    tars::JsonValue _json = tars::JsonValue::object();
};

// The result of one call in one version. get() reads the return value with
// name "" (tag 0; "tars_ret" in JSON, and TUP must carry it under both names)
// and out parameters by name and tag; has() says whether a value is there.
class Result {
public:
    Result(short version, std::vector<char> bytes);

    template <typename T>
    T get(const std::string& name, int tag) const {
        T value{};
        if (_version == tars::TARSVERSION) {
            tars::TarsInputStream<tars::BufferReader> is;
            is.setBuffer(_bytes);
            is.read(value, static_cast<std::uint8_t>(tag), true);
        } else if (_version == tars::JSONVERSION) {
            tars::JsonInput::readField(value, _json, name.empty() ? "tars_ret" : name.c_str(), true);
        } else {
            _attr.get(name, value);
            if (name.empty()) {
                T again{};
                _attr.get("tars_ret", again);
                EXPECT_TRUE(again == value) << "TUP \"tars_ret\" differs from \"\"";
            }
        }
        return value;
    }

    bool has(const std::string& name, int tag) const;
    std::size_t size() const;  // values in the result (TUP counts "" and "tars_ret" once)

private:
    short _version;
    std::vector<char> _bytes;
    tars::TarsUniAttribute<> _attr;
    tars::JsonValue _json;
};

}  // namespace tars2cpp::test
