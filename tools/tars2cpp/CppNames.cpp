#include "CppNames.h"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string_view>

#include <openssl/evp.h>

namespace tars2cpp {

bool isCppKeyword(const std::string& name) {
    static constexpr std::string_view keywords[] = {
        "alignas",     "alignof",   "and",        "and_eq",    "asm",      "auto",         "bitand",
        "bitor",       "bool",      "break",      "case",      "catch",    "char",         "char8_t",
        "char16_t",    "char32_t",  "class",      "compl",     "concept",  "const",        "consteval",
        "constexpr",   "constinit", "const_cast", "continue",  "co_await", "co_return",    "co_yield",
        "decltype",    "default",   "delete",     "do",        "double",   "dynamic_cast", "else",
        "enum",        "explicit",  "export",     "extern",    "false",    "float",        "for",
        "friend",      "goto",      "if",         "inline",    "int",      "long",         "mutable",
        "namespace",   "new",       "noexcept",   "not",       "not_eq",   "nullptr",      "operator",
        "or",          "or_eq",     "private",    "protected", "public",   "register",     "reinterpret_cast",
        "requires",    "return",    "short",      "signed",    "sizeof",   "static",       "static_assert",
        "static_cast", "struct",    "switch",     "template",  "this",     "thread_local", "throw",
        "true",        "try",       "typedef",    "typeid",    "typename", "union",        "unsigned",
        "using",       "virtual",   "void",       "volatile",  "wchar_t",  "while",        "xor",
        "xor_eq",      "import",    "module",     "final",     "override", "NULL",
    };
    for (std::string_view keyword : keywords)
        if (keyword == name) return true;
    return false;
}

bool isReservedCppIdentifier(const std::string& name) {
    if (name.find("__") != std::string::npos) return true;
    return name.size() >= 2 && name[0] == '_' && name[1] >= 'A' && name[1] <= 'Z';
}

std::string cppType(const Type& type) {
    switch (type.kind) {
        case Type::Kind::Invalid: return "void";
        case Type::Kind::Bool: return "tars::Bool";
        case Type::Kind::Byte: return "tars::Char";
        case Type::Kind::UnsignedByte: return "tars::UInt8";
        case Type::Kind::Short: return "tars::Short";
        case Type::Kind::UnsignedShort: return "tars::UInt16";
        case Type::Kind::Int: return "tars::Int32";
        case Type::Kind::UnsignedInt: return "tars::UInt32";
        case Type::Kind::Long: return "tars::Int64";
        case Type::Kind::Float: return "tars::Float";
        case Type::Kind::Double: return "tars::Double";
        case Type::Kind::String: return "std::string";
        case Type::Kind::Vector: return "std::vector<" + cppType(type.args.at(0)) + ">";
        case Type::Kind::Map: return "std::map<" + cppType(type.args.at(0)) + ", " + cppType(type.args.at(1)) + ">";
        case Type::Kind::Struct: return "::" + type.structDecl->module + "::" + type.structDecl->name;
        case Type::Kind::Enum: return "::" + type.enumDecl->module + "::" + type.enumDecl->name;
    }
    return "void";
}

std::string tarsCppMd5Type(const Type& type) {
    auto close = [](const Type& last) { return last.isContainer() ? std::string(" >") : std::string(">"); };
    switch (type.kind) {
        case Type::Kind::Vector: return "vector<" + tarsCppMd5Type(type.args.at(0)) + close(type.args.at(0));
        case Type::Kind::Map:
            return "map<" + tarsCppMd5Type(type.args.at(0)) + ", " + tarsCppMd5Type(type.args.at(1)) +
                   close(type.args.at(1));
        case Type::Kind::Struct: return type.structDecl->module + "::" + type.structDecl->name;
        case Type::Kind::Enum: return type.enumDecl->module + "::" + type.enumDecl->name;
        default: return cppType(type);
    }
}

std::string tarsCppStructMd5(const StructDecl& decl) {
    std::string text;
    for (const Field& field : decl.fields) text += "_" + tarsCppMd5Type(field.type);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL cannot compute md5 (is MD5 disabled in this OpenSSL?)");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < length; ++i) {
        hex += kHex[digest[i] >> 4];
        hex += kHex[digest[i] & 0xf];
    }
    return hex;
}

std::string cppStringLiteral(const std::string& bytes) {
    std::string literal = "\"";
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            literal += '\\';
            literal += c;
        } else if (byte >= 0x20 && byte < 0x7f) {
            literal += c;
        } else {
            // Always three octal digits, so a following digit cannot join the escape.
            literal += '\\';
            literal += static_cast<char>('0' + (byte >> 6));
            literal += static_cast<char>('0' + ((byte >> 3) & 7));
            literal += static_cast<char>('0' + (byte & 7));
        }
    }
    literal += '"';
    return literal;
}

namespace {

template <typename Number>
std::string shortest(Number value) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    std::string text(buffer, result.ptr);
    if (text.find_first_of(".e") == std::string::npos) text += ".0";
    return text;
}

}  // namespace

std::string cppValue(const Type& type, const Value& value) {
    switch (value.kind) {
        case Value::Kind::Bool: return value.boolean ? "true" : "false";
        case Value::Kind::Integer:
            if (type.isFloating())
                return type.kind == Type::Kind::Float ? shortest(static_cast<float>(value.integer)) + "f"
                                                      : shortest(static_cast<double>(value.integer));
            if (value.integer == std::numeric_limits<std::int64_t>::min()) return "(-9223372036854775807LL - 1)";
            return std::to_string(value.integer);
        case Value::Kind::Floating:
            return type.kind == Type::Kind::Float ? shortest(static_cast<float>(value.floating)) + "f"
                                                  : shortest(value.floating);
        case Value::Kind::String:
            // A NUL would end a plain literal early: give the length explicitly.
            if (value.string.find('\0') != std::string::npos)
                return "std::string(" + cppStringLiteral(value.string) + ", " + std::to_string(value.string.size()) +
                       ")";
            return cppStringLiteral(value.string);
        case Value::Kind::Enumerator: return "::" + value.enumDecl->module + "::" + value.enumerator->name;
    }
    return "{}";
}

std::string cppDefaultValue(const Type& type) {
    switch (type.kind) {
        case Type::Kind::Bool: return "false";
        case Type::Kind::Float: return "0.0f";
        case Type::Kind::Double: return "0.0";
        case Type::Kind::String: return "\"\"";
        case Type::Kind::Enum:
            if (type.enumDecl && !type.enumDecl->members.empty())
                return "::" + type.enumDecl->module + "::" + type.enumDecl->members.front().name;
            return cppType(type) + "()";
        case Type::Kind::Vector:
        case Type::Kind::Map:
        case Type::Kind::Struct: return cppType(type) + "()";
        default: return type.isInteger() ? "0" : "{}";
    }
}

std::string cppInParameterType(const Type& type) {
    if (type.isInteger() || type.isFloating() || type.kind == Type::Kind::Bool || type.kind == Type::Kind::Enum)
        return cppType(type);
    return "const " + cppType(type) + "&";
}

std::string cppOutParameterType(const Type& type) { return cppType(type) + "&"; }

std::string cppLocalDeclaration(const Type& type, const std::string& name) {
    switch (type.kind) {
        case Type::Kind::String:
        case Type::Kind::Vector:
        case Type::Kind::Map:
        case Type::Kind::Struct: return cppType(type) + " " + name + ";";
        default: return cppType(type) + " " + name + " = " + cppDefaultValue(type) + ";";
    }
}

std::string unusedName(const std::string& wanted, const std::set<std::string>& taken) {
    if (taken.count(wanted) == 0) return wanted;
    for (int suffix = 1;; ++suffix) {
        std::string candidate = wanted + std::to_string(suffix);
        if (taken.count(candidate) == 0) return candidate;
    }
}

}  // namespace tars2cpp
