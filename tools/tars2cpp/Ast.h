// The syntax tree of a .tars file after parsing and checking.
//
// A Program owns every File it parsed; each File owns its definitions through
// unique_ptr, so the pointers between them (a field's type naming a struct, a
// default naming an enumerator, a File naming the files it includes) stay valid
// as long as the Program lives. Nothing here is shared between Programs, and a
// tree is never changed after its file has been checked, so generators may read
// it from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tars2cpp {

struct File;
struct StructDecl;
struct EnumDecl;

// A position in a source file: 1-based line and column (bytes).
struct SourceLocation {
    const std::string* file = nullptr;
    int line = 1;
    int column = 1;
};

// A type as written in the IDL, with named types resolved to their definitions.
struct Type {
    enum class Kind {
        Invalid,  // a type that failed to resolve; an error was reported
        Bool,
        Byte,
        UnsignedByte,
        Short,
        UnsignedShort,
        Int,
        UnsignedInt,
        Long,
        Float,
        Double,
        String,
        Vector,
        Map,
        Struct,
        Enum,
    };

    Kind kind = Kind::Invalid;
    std::vector<Type> args;  // Vector: element; Map: key, value
    const StructDecl* structDecl = nullptr;
    const EnumDecl* enumDecl = nullptr;

    bool isInteger() const;   // byte..long, signed or not
    bool isFloating() const;  // float, double
    bool isScalar() const;    // bool, integers, floating, string
    bool isContainer() const { return kind == Kind::Vector || kind == Kind::Map; }
};

// The text of a type as the IDL spells it ("vector<map<string, Mod::Item>>").
std::string idlTypeName(const Type& type);

// A literal or a name, as written after `=` (a default or a const value).
struct Literal {
    enum class Kind {
        Integer,
        Floating,
        String,
        Bool,
        Name,  // an enumerator: RED, Mod::RED, Color::RED, Mod::Color::RED
    };

    Kind kind = Kind::Integer;
    SourceLocation location;
    bool negative = false;          // Integer, Floating: a leading '-'
    std::uint64_t magnitude = 0;    // Integer: the value without its sign
    std::string text;               // Floating: digits as written (no sign); String: the decoded bytes
    bool boolean = false;           // Bool
    std::vector<std::string> name;  // Name: the parts between '::'
};

struct Enumerator {
    SourceLocation location;
    std::string name;
    std::int32_t value = 0;
};

// A checked value, ready for the generator. Which member holds it follows the
// type it was checked against.
struct Value {
    enum class Kind {
        Integer,
        Floating,
        String,
        Bool,
        Enumerator,
    };

    Kind kind = Kind::Integer;
    std::int64_t integer = 0;
    double floating = 0.0;
    std::string string;
    bool boolean = false;
    const EnumDecl* enumDecl = nullptr;
    const Enumerator* enumerator = nullptr;
};

struct Field {
    SourceLocation location;
    int tag = 0;
    bool require = false;
    Type type;
    std::string name;
    std::optional<Value> defaultValue;  // only when the IDL gives one
};

struct StructDecl {
    SourceLocation location;
    const File* file = nullptr;
    std::string module;
    std::string name;
    std::vector<Field> fields;           // declaration order
    std::vector<std::string> keyFields;  // from key[Name, ...]; empty: no key
    SourceLocation keyLocation;

    bool hasKey() const { return !keyFields.empty(); }
    const Field* findField(const std::string& fieldName) const;
};

struct EnumDecl {
    SourceLocation location;
    const File* file = nullptr;
    std::string module;
    std::string name;
    std::vector<Enumerator> members;

    const Enumerator* findMember(const std::string& memberName) const;
};

struct ConstDecl {
    SourceLocation location;
    std::string module;
    std::string name;
    Type type;
    Value value;
};

struct Parameter {
    SourceLocation location;
    std::string name;
    Type type;
    bool out = false;
    bool routeKey = false;
};

struct Operation {
    SourceLocation location;
    std::string name;
    std::optional<Type> returnType;  // empty: void
    std::vector<Parameter> parameters;
};

struct InterfaceDecl {
    SourceLocation location;
    std::string module;
    std::string name;
    std::vector<Operation> operations;
};

// The words before a parameter's type, counted (each may appear at most once).
struct ParameterAttributes {
    SourceLocation location;  // of the first of them
    int outCount = 0;
    int routeKeyCount = 0;
};

using Definition = std::variant<std::unique_ptr<StructDecl>, std::unique_ptr<EnumDecl>, std::unique_ptr<ConstDecl>,
                                std::unique_ptr<InterfaceDecl>>;

// One `module Name { ... };` block. A file may open the same module several times.
struct ModuleBlock {
    SourceLocation location;
    std::string name;
    std::vector<Definition> definitions;  // declaration order
};

struct File {
    std::string path;                   // as given or as resolved from an #include; used in messages
    std::string identity;               // canonical form; a file is parsed once per identity
    std::vector<const File*> includes;  // direct #includes, in order, each once
    std::vector<ModuleBlock> modules;
};

// The name of a file without directories and without its last extension.
std::string fileBaseName(const std::string& path);

}  // namespace tars2cpp
