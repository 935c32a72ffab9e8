// ArgsEncoder / ArgsDecoder: the arguments of one call in the encoding the proxy speaks,
// for code tars2cpp generates (and for hand-written proxies).
//
//   iVersion 1 (TARS): each value at its tag (parameters 1..n; the return value at 0).
//   iVersion 3 (TUP):  a UniAttribute map keyed by parameter name; the return value under
//                      "" (and "tars_ret", as servers also write it).
//   iVersion 5 (JSON): a JSON object keyed by parameter name; the return value under
//                      "tars_ret".
//
// ArgsEncoder collects the request arguments; take() hands the body to tars_invoke.
// ArgsDecoder reads a ResponsePacket's body in the version of the response (which echoes
// the request's). Any decode failure throws TarsClientDecodeException (code -12) naming the
// argument. One object per call, one thread; cheap to build.
//
// put/get/getReturn take `WithJson = false` for code generated with --unjson, whose structs
// have no JSON functions: a call through a proxy set to iVersion 5 then throws
// TarsCallException(TARSSERVERENCODEERR) naming the reason before anything is sent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "BaseF.h"
#include "RequestF.h"
#include "servant/CallException.h"
#include "tup/Tars.h"
#include "tup/TarsJson.h"
#include "tup/TarsUniAttribute.h"

namespace tars {

inline constexpr const char* noJsonMessage = "the JSON version (5) needs code generated without tars2cpp --unjson";

class ArgsEncoder {
public:
    explicit ArgsEncoder(short version) : _version(version) {
        if (_version == JSONVERSION) _json = JsonValue::object();
    }

    // The argument `name` at position `tag` (1-based, counting out parameters).
    template <bool WithJson = true, typename T>
    void put(uint8_t tag, const char* name, const T& value) {
        if (_version == TUPVERSION || _version == TUP_VERSION_COMPLEX) {
            if (!_attr) {
                _attr.emplace();
                _attr->setVersion(_version);
            }
            _attr->put(name, value);
        } else if (_version == JSONVERSION) {
            if constexpr (WithJson) {
                (*_json)[name] = JsonOutput::writeJson(value);
            } else {
                throw TarsCallException(TARSSERVERENCODEERR, noJsonMessage);
            }
        } else {
            // One block up front instead of the vector's growth from a few bytes: most
            // argument lists fit in it. The body is short-lived: the proxy copies it into
            // the request frame and frees it.
            if (_os.getLength() == 0) _os.reserve(kFirstBlockBytes);
            _os.write(value, tag);
        }
    }

    // The encoded body (moves it out).
    std::vector<char> take() {
        if (_version == TUPVERSION || _version == TUP_VERSION_COMPLEX) {
            std::vector<char> out;
            if (!_attr) {
                _attr.emplace();
                _attr->setVersion(_version);
            }
            _attr->encode(out);
            return out;
        }
        if (_version == JSONVERSION) {
            std::string text = JsonOutput::toString(*_json);
            return std::vector<char>(text.begin(), text.end());
        }
        return _os.takeByteBuffer();
    }

private:
    static constexpr std::size_t kFirstBlockBytes = 256;

    short _version;
    TarsOutputStream<BufferWriterVector> _os;
    std::optional<UniAttribute> _attr;
    std::optional<JsonValue> _json;
};

class ArgsDecoder {
public:
    // rsp must outlive the decoder (its body is read in place).
    explicit ArgsDecoder(const ResponsePacket& rsp) : _version(rsp.iVersion) {
        try {
            if (_version == TUPVERSION || _version == TUP_VERSION_COMPLEX) {
                _attr.emplace();
                _attr->setVersion(_version);
                _attr->decode(rsp.sBuffer);
            } else if (_version == JSONVERSION) {
                _json = JsonInput::parse(std::string(rsp.sBuffer.begin(), rsp.sBuffer.end()));
            } else {
                _is.setBuffer(rsp.sBuffer);
            }
        } catch (const std::exception& e) {
            fail("response body", e);
        }
    }

    // The method's return value.
    template <bool WithJson = true, typename T>
    void getReturn(T& value) {
        try {
            if (_attr) {
                if (_attr->containsKey(""))
                    _attr->get("", value);
                else
                    _attr->get("tars_ret", value);
            } else if (_json) {
                if constexpr (WithJson)
                    JsonInput::readField(value, *_json, "tars_ret", true);
                else
                    throw std::invalid_argument(noJsonMessage);
            } else {
                _is.read(value, 0, true);
            }
        } catch (const std::exception& e) {
            fail("return value", e);
        }
    }

    // The out parameter `name` at position `tag`. TARS requires it; TUP and JSON leave
    // value unchanged when the server left it out.
    template <bool WithJson = true, typename T>
    void get(uint8_t tag, const char* name, T& value) {
        try {
            if (_attr) {
                if (_attr->containsKey(name)) _attr->get(name, value);
            } else if (_json) {
                if constexpr (WithJson)
                    JsonInput::readField(value, *_json, name, false);
                else
                    throw std::invalid_argument(noJsonMessage);
            } else {
                _is.read(value, tag, true);
            }
        } catch (const std::exception& e) {
            fail(name, e);
        }
    }

private:
    [[noreturn]] static void fail(const std::string& what, const std::exception& e) {
        throw TarsClientDecodeException(TARSCLIENTDECODEERR, "cannot decode " + what + ": " + e.what());
    }

    short _version;
    TarsInputStream<BufferReader> _is;
    std::optional<UniAttribute> _attr;
    std::optional<JsonValue> _json;
};

}  // namespace tars
