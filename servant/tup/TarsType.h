// TARS wire types, the C++ types they map to, and the codec's exceptions.
//
// Header-only, no state. Every decoding failure is a tars::TarsDecodeException
// (or a subclass naming the kind of failure) whose message says what was wrong
// and at which tag; encoding refuses values the wire cannot carry with a
// tars::TarsEncodeException.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace tars {

using Bool = bool;
using Char = char;
using UInt8 = std::uint8_t;
using Short = std::int16_t;
using UInt16 = std::uint16_t;
using Int32 = std::int32_t;
using UInt32 = std::uint32_t;
using Int64 = std::int64_t;
using Float = float;
using Double = double;

// The low nibble of a field head. The names are the ones TARS code uses.
enum TarsHeadType : std::uint8_t {
    TarsHeadeChar = 0,
    TarsHeadeShort = 1,
    TarsHeadeInt32 = 2,
    TarsHeadeInt64 = 3,
    TarsHeadeFloat = 4,
    TarsHeadeDouble = 5,
    TarsHeadeString1 = 6,
    TarsHeadeString4 = 7,
    TarsHeadeMap = 8,
    TarsHeadeList = 9,
    TarsHeadeStructBegin = 10,
    TarsHeadeStructEnd = 11,
    TarsHeadeZeroTag = 12,
    TarsHeadeSimpleList = 13,
};

// Longest string or byte vector either side accepts (100 MiB, as TARS).
inline constexpr std::size_t TARS_MAX_STRING_LENGTH = 100u * 1024u * 1024u;

// Deepest nesting of structs, lists and maps a decoder follows. Real schemas
// nest a handful of levels; the bound keeps hostile input off the stack.
inline constexpr int TARS_MAX_NESTING_DEPTH = 100;

inline const char* tarsHeadTypeName(unsigned type) {
    static const char* const names[] = {"int8",         "int16",      "int32",   "int64",      "float",
                                        "double",       "string1",    "string4", "map",        "list",
                                        "struct-begin", "struct-end", "zero",    "simple-list"};
    return type < sizeof(names) / sizeof(names[0]) ? names[type] : "invalid";
}

// Base of every struct tars2cpp generates; the codec recognises structs by it.
struct TarsStructBase {
protected:
    TarsStructBase() = default;
    ~TarsStructBase() = default;
};

struct TarsException : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct TarsEncodeException : TarsException {
    using TarsException::TarsException;
};

// Any input that is not a valid encoding of the expected value.
struct TarsDecodeException : TarsException {
    using TarsException::TarsException;
};

// A field is present with a wire type the target cannot be read from.
struct TarsDecodeMismatch : TarsDecodeException {
    using TarsDecodeException::TarsDecodeException;
};

// A require field is absent.
struct TarsDecodeRequireNotExist : TarsDecodeException {
    using TarsDecodeException::TarsDecodeException;
};

// A length, count or value is out of range (negative size, integer too wide
// for its field, nesting too deep, unknown head type).
struct TarsDecodeInvalidValue : TarsDecodeException {
    using TarsDecodeException::TarsDecodeException;
};

// The input ends inside a field.
struct TarsNotEnoughBuff : TarsDecodeException {
    using TarsDecodeException::TarsDecodeException;
};

}  // namespace tars
