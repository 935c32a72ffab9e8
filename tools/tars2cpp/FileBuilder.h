// Builds the syntax tree of one file from the parser's actions and checks it
// as it goes: names resolve against what is defined before them (in the file
// or its includes), values against their types, tags, names and keys against
// each other. finish() runs the checks that need the whole file (map keys and
// key[] orderings). Every problem is reported to the Program's Diagnostics;
// after too many, the builder throws TooManyErrors to end the parse.
//
// One FileBuilder per file being parsed; it lives only during that parse.
#pragma once

#include "Program.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tars2cpp {

class FileBuilder {
public:
    struct TooManyErrors {};

    FileBuilder(Program& program, Program::Unit& unit);

    File& file() { return *_unit.file; }
    void error(const SourceLocation& where, const std::string& what);

    // Returns false when the include failed and parsing must stop.
    bool include(const std::string& name, const SourceLocation& nameLocation);

    void beginModule(const std::string& name, const SourceLocation& where);
    void endModule();

    void beginStruct(const std::string& name, const SourceLocation& where);
    void addField(Literal tag, bool require, Type type, const SourceLocation& typeLocation, const std::string& name,
                  const SourceLocation& nameLocation, std::optional<Literal> defaultValue);
    void endStruct();

    void beginEnum(const std::string& name, const SourceLocation& where);
    void addEnumerator(const std::string& name, const SourceLocation& where, std::optional<Literal> value);
    void endEnum();

    void addConst(Type type, const SourceLocation& typeLocation, const std::string& name,
                  const SourceLocation& nameLocation, Literal value);

    void beginKey(const std::string& structName, const SourceLocation& where);
    void addKeyField(const std::string& name, const SourceLocation& where);
    void endKey();

    void beginInterface(const std::string& name, const SourceLocation& where);
    void beginOperation(std::optional<Type> returnType, const SourceLocation& typeLocation, const std::string& name,
                        const SourceLocation& nameLocation);
    void addParameter(const ParameterAttributes& attributes, Type type, const SourceLocation& typeLocation,
                      const std::string& name, const SourceLocation& nameLocation);
    void endOperation();
    void endInterface();

    // A named type (`Name` or `Module::Name`) as seen from the current module.
    Type resolveType(const std::vector<std::string>& name, const SourceLocation& where);

    // Checks that need the whole file.
    void finish();

private:
    // Declares Module::name in the current module; reports a clash.
    void declare(const std::string& name, const Symbol& symbol);
    // Reports names C++ or the generated code cannot use.
    void checkName(const std::string& name, const SourceLocation& where, const char* what);
    void checkModuleScopeName(const std::string& name, const SourceLocation& where, const char* what);
    std::optional<Value> checkValue(const Type& type, const Literal& literal, const std::string& what);
    void noteTypeUse(const Type& type, const SourceLocation& where);
    bool checkMapKeys(const Type& type, const SourceLocation& where);
    // The types an interface adds to its module (IPrx, IProxy, IPrxCallback ...)
    // against every other name of the module, both ways.
    void checkProxyTypeNames(const std::string& name, const Symbol& symbol);

    template <typename Decl>
    Decl* addDefinition(std::unique_ptr<Decl> decl);

    Program& _program;
    Program::Unit& _unit;
    ModuleBlock* _module = nullptr;

    StructDecl* _struct = nullptr;
    std::map<int, std::size_t> _tags;                // of _struct: tag -> field index
    std::map<std::string, std::size_t> _fieldNames;  // of _struct

    EnumDecl* _enum = nullptr;
    std::int64_t _nextEnumValue = 0;

    StructDecl* _keyStruct = nullptr;
    std::vector<std::string> _keyFields;

    InterfaceDecl* _interface = nullptr;
    std::optional<Operation> _operation;
    std::map<std::string, SourceLocation> _operationNames;

    // Every type written in this file with where, for the map key checks.
    std::vector<std::pair<Type, SourceLocation>> _typeUses;
};

}  // namespace tars2cpp
