// The values the interop checks send, the same on both sides: node/cases.js builds the
// same ones in JavaScript. Change one, change the other.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "interop.h"

namespace interop {

// "héllo wörld ✓ 漢字 🎉" in UTF-8: two-, three- and four-byte sequences.
inline const std::string kUnicode = "h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x8e\x89";

inline std::string repeat(const std::string& s, size_t times) {
    std::string out;
    out.reserve(s.size() * times);
    for (size_t k = 0; k < times; ++k) out += s;
    return out;
}

inline std::vector<tars::Char> pattern(size_t length) {
    std::vector<tars::Char> bytes(length);
    for (size_t k = 0; k < length; ++k) bytes[k] = static_cast<tars::Char>((k * 7 + 3) & 0xff);
    return bytes;
}

inline Test::Inner inner(tars::Int32 id, const std::string& name) {
    Test::Inner v;
    v.id = id;
    v.name = name;
    return v;
}

// Strings for echo: empty, short, non-ASCII, each side of the 1-byte length limit, long.
inline std::vector<std::string> echoStrings() {
    return {"",
            "hello",
            kUnicode,
            std::string(255, 'a'),
            std::string(256, 'b'),
            std::string(70000, 'c'),
            repeat(kUnicode, 50000)};
}

// a, b, a + b
inline std::vector<std::tuple<tars::Int32, tars::Int32, tars::Int32>> adds() {
    return {{1, 2, 3},
            {-5, 3, -2},
            {2147483646, 1, 2147483647},
            {-2147483647, -1, std::numeric_limits<tars::Int32>::min()},
            {0, 0, 0}};
}

struct NamedAllTypes {
    std::string name;
    Test::AllTypes value;
};

inline std::vector<NamedAllTypes> roundTrips() {
    std::vector<NamedAllTypes> all;
    all.push_back({"defaults", Test::AllTypes()});

    Test::AllTypes maxima;
    maxima.b = true;
    maxima.by = 127;
    maxima.sh = 32767;
    maxima.i = std::numeric_limits<tars::Int32>::max();
    maxima.l = std::numeric_limits<tars::Int64>::max();
    maxima.f = std::numeric_limits<float>::max();
    maxima.d = std::numeric_limits<double>::max();
    maxima.s = std::string(255, 'x');
    maxima.bin = pattern(256);
    maxima.vs = {"", "a", std::string(256, 'y'), kUnicode};
    maxima.msi = {{"", -1},
                  {"a", 1},
                  {"max", std::numeric_limits<tars::Int32>::max()},
                  {"min", std::numeric_limits<tars::Int32>::min()},
                  {"10", 10},
                  {"9", 9}};
    maxima.inner = inner(std::numeric_limits<tars::Int32>::max(), "inner");
    maxima.vinner = {inner(1, "one"), inner(-2, ""), inner(0, "zero")};
    maxima.color = Test::BLUE;
    maxima.tag15 = "tag fifteen";
    maxima.vi = {std::numeric_limits<tars::Int32>::max(), std::numeric_limits<tars::Int32>::min(), 0, 1, -1};
    all.push_back({"maxima", maxima});

    Test::AllTypes minima;
    minima.b = false;
    minima.by = -128;
    minima.sh = -32768;
    minima.i = std::numeric_limits<tars::Int32>::min();
    minima.l = std::numeric_limits<tars::Int64>::min();
    minima.f = -std::numeric_limits<float>::denorm_min();
    minima.d = -std::numeric_limits<double>::denorm_min();
    minima.s = std::string(256, 'z');
    minima.inner = inner(std::numeric_limits<tars::Int32>::min(), "");
    minima.color = Test::GREEN;
    minima.tag15 = kUnicode;
    minima.vi = {std::numeric_limits<tars::Int32>::min()};
    all.push_back({"minima", minima});

    Test::AllTypes large;
    large.i = 123456;
    large.l = -1;
    large.f = 0.5f;
    large.d = -0.25;
    large.s = repeat(kUnicode, 20000);
    large.bin = pattern(size_t{1} << 20);
    for (int k = 0; k < 1000; ++k) large.vs.push_back("string " + std::to_string(k));
    for (int k = 0; k < 1000; ++k) large.msi["key" + std::to_string(k)] = k * 1000 - 500000;
    for (int k = 0; k < 500; ++k) large.vinner.push_back(inner(k, "inner " + std::to_string(k)));
    large.color = Test::BLUE;
    for (int k = 0; k < 10000; ++k) large.vi.push_back(k * 214748 - 1073741824);
    all.push_back({"large", large});
    return all;
}

// int64 values each side of every width the encoding may choose, and past 2^53.
inline std::vector<tars::Int64> longs() {
    return {1,
            -1,
            127,
            128,
            -129,
            32767,
            32768,
            -32769,
            2147483647LL,
            2147483648LL,
            -2147483648LL,
            -2147483649LL,
            4294967295LL,
            4294967296LL,
            -4294967296LL,
            9007199254740993LL,
            -9007199254740993LL,
            std::numeric_limits<tars::Int64>::max(),
            std::numeric_limits<tars::Int64>::min()};
}

inline std::vector<tars::Int32> failCodes() { return {1, -1, -99, 12345, -12345}; }

inline tars::Int32 expectedReturn(const Test::AllTypes& req) {
    return static_cast<tars::Int32>(req.bin.size() + req.vs.size() + req.msi.size());
}

}  // namespace interop
