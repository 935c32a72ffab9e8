#include "FileBuilder.h"

#include "CppNames.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace tars2cpp {

namespace {

// Member functions every generated struct has; a field cannot share their names.
constexpr std::string_view kGeneratedMembers[] = {
    "writeTo",       "readFrom",  "writeToJson", "writeToJsonString", "readFromJson", "readFromJsonString", "display",
    "displaySimple", "className", "MD5",         "resetDefautlt",
};

// Parameters and locals of the generated member functions; a field named like
// one of them would be shadowed inside those functions.
constexpr std::string_view kGeneratedLocals[] = {"_os", "_is", "_j", "_ds", "_level", "_s"};

// Member functions of the servant class generated for an interface, its own
// (onDispatch) and those it inherits from tars::Servant (servant/servant/Servant.h):
// a method of the same name would hide or overload them.
constexpr std::string_view kServantMembers[] = {
    "onDispatch",
    "initialize",
    "destroy",
    "doRequest",
    "doClose",
    "getName",
    "getHandle",
    "setName",
    "setHandle",
    "addAdminCommandNormal",
    "addAdminCommandPrefix",
};

// The prefix of the static functions that answer a method later.
constexpr std::string_view kAsyncResponsePrefix = "async_response_";

// The proxy's own public functions (servant/servant/ServantProxy.h) besides those
// starting with tars_: a method of the same name would hide them.
constexpr std::string_view kProxyMembers[] = {"rpc_call", "rpc_call_async"};

// The types an interface I adds to its module: IPrx, IProxy, IPrxCallback, ...
constexpr std::string_view kProxyTypeSuffixes[] = {"Prx", "Proxy", "PrxCallback", "PrxCallbackPtr",
                                                   "PrxCallbackPromise"};

// The names the generated classes give each method m, one list per class; within a
// class, two methods must not get the same name. {prefix, suffix}.
struct GeneratedMemberName {
    std::string_view prefix;
    std::string_view suffix;
};
struct GeneratedScope {
    std::string_view what;  // for the message
    std::vector<GeneratedMemberName> names;
};
const std::vector<GeneratedScope>& generatedScopes() {
    static const std::vector<GeneratedScope> scopes = {
        {"servant class", {{"", ""}, {kAsyncResponsePrefix, ""}}},
        {"proxy class", {{"", ""}, {"async_", ""}, {"promise_async_", ""}, {"co_", ""}}},
        {"callback class", {{"callback_", ""}, {"callback_", "_exception"}}},
        {"promise types", {{"Promise", ""}, {"Promise", "Ptr"}, {"", "Callback"}}},
    };
    return scopes;
}

// TARS numbers parameters with tags 1..255.
constexpr std::size_t kMaxParameters = 255;

// Names at module scope the generated code or the codec already uses.
constexpr std::string_view kReservedModuleNames[] = {"tars", "std", "etos", "stoe"};

const char* kindWord(Symbol::Kind kind) {
    switch (kind) {
        case Symbol::Kind::Struct: return "struct";
        case Symbol::Kind::Enum: return "enum";
        case Symbol::Kind::Enumerator: return "enumerator";
        case Symbol::Kind::Const: return "const";
        case Symbol::Kind::Interface: return "interface";
    }
    return "name";
}

std::string describeSymbol(const Symbol& symbol, const std::string& name) {
    std::string text = std::string(kindWord(symbol.kind)) + " '" + name + "'";
    if (symbol.kind == Symbol::Kind::Enumerator && symbol.enumDecl) text += " of enum '" + symbol.enumDecl->name + "'";
    return text;
}

std::string describeLiteral(const Literal& literal) {
    switch (literal.kind) {
        case Literal::Kind::Integer: return "an integer";
        case Literal::Kind::Floating: return "a floating-point number";
        case Literal::Kind::String: return "a string";
        case Literal::Kind::Bool: return literal.boolean ? "'true'" : "'false'";
        case Literal::Kind::Name: {
            std::string joined;
            for (const std::string& part : literal.name) joined += (joined.empty() ? "" : "::") + part;
            return "'" + joined + "'";
        }
    }
    return "a value";
}

std::string literalText(const Literal& literal) {
    if (literal.kind == Literal::Kind::Integer)
        return (literal.negative ? "-" : "") + std::to_string(literal.magnitude);
    return (literal.negative ? "-" : "") + literal.text;
}

// The signed value of an integer literal (fits: magnitude < 2^64).
__int128 integerOf(const Literal& literal) {
    const auto magnitude = static_cast<__int128>(literal.magnitude);
    return literal.negative ? -magnitude : magnitude;
}

struct IntegerRange {
    __int128 low;
    __int128 high;
    const char* text;
};

IntegerRange rangeOf(Type::Kind kind) {
    switch (kind) {
        case Type::Kind::Byte: return {-128, 127, "-128..127"};
        case Type::Kind::UnsignedByte: return {0, 255, "0..255"};
        case Type::Kind::Short: return {-32768, 32767, "-32768..32767"};
        case Type::Kind::UnsignedShort: return {0, 65535, "0..65535"};
        case Type::Kind::Int: return {INT32_MIN, INT32_MAX, "-2147483648..2147483647"};
        case Type::Kind::UnsignedInt: return {0, UINT32_MAX, "0..4294967295"};
        default: return {INT64_MIN, INT64_MAX, "-9223372036854775808..9223372036854775807"};
    }
}

// The first struct without key[] that ordering `type` would need, if any.
const StructDecl* unorderedStruct(const Type& type) {
    if (type.kind == Type::Kind::Struct) return type.structDecl->hasKey() ? nullptr : type.structDecl;
    for (const Type& arg : type.args)
        if (const StructDecl* found = unorderedStruct(arg)) return found;
    return nullptr;
}

}  // namespace

FileBuilder::FileBuilder(Program& program, Program::Unit& unit) : _program(program), _unit(unit) {}

void FileBuilder::error(const SourceLocation& where, const std::string& what) {
    _program.diagnostics().error(where, what);
    if (_program.diagnostics().tooManyErrors()) throw TooManyErrors();
}

bool FileBuilder::include(const std::string& name, const SourceLocation& nameLocation) {
    const Program::Unit* included = _program.include(name, file(), nameLocation);
    if (included == nullptr) return false;
    for (const auto& [qualified, symbol] : included->visible) {
        const auto [existing, inserted] = _unit.visible.emplace(qualified, symbol);
        if (!inserted && (existing->second.location.file != symbol.location.file ||
                          existing->second.location.line != symbol.location.line ||
                          existing->second.location.column != symbol.location.column)) {
            error(nameLocation, "'" + qualified + "' from '" + included->file->path + "' (defined at " +
                                    formatLocation(symbol.location) + ") clashes with the one defined at " +
                                    formatLocation(existing->second.location));
        }
    }
    for (const File* known : file().includes)
        if (known == included->file.get()) return true;
    file().includes.push_back(included->file.get());
    return true;
}

void FileBuilder::beginModule(const std::string& name, const SourceLocation& where) {
    checkName(name, where, "module");
    if (name == "std") error(where, "'std' cannot be used as a module name");
    if (name == "tars" && !_program.options().withTars)
        error(where, "module name 'tars' is reserved for the framework's own files (pass --with-tars to allow it)");
    file().modules.push_back(ModuleBlock{where, name, {}});
    _module = &file().modules.back();
}

void FileBuilder::endModule() { _module = nullptr; }

template <typename Decl>
Decl* FileBuilder::addDefinition(std::unique_ptr<Decl> decl) {
    Decl* raw = decl.get();
    _module->definitions.emplace_back(std::move(decl));
    return raw;
}

void FileBuilder::checkName(const std::string& name, const SourceLocation& where, const char* what) {
    if (isCppKeyword(name))
        error(where, "'" + name + "' is a C++ keyword and cannot be used as a " + what + " name");
    else if (isReservedCppIdentifier(name))
        error(where, "'" + name + "' is reserved in C++ (it contains '__' or starts with '_' and a capital letter)");
}

void FileBuilder::checkModuleScopeName(const std::string& name, const SourceLocation& where, const char* what) {
    checkName(name, where, what);
    for (std::string_view reserved : kReservedModuleNames)
        if (name == reserved)
            error(where, "'" + name + "' cannot be used as a " + what + " name: the generated code uses it");
}

void FileBuilder::declare(const std::string& name, const Symbol& symbol) {
    checkProxyTypeNames(name, symbol);
    const std::string qualified = _module->name + "::" + name;
    const auto [existing, inserted] = _unit.visible.emplace(qualified, symbol);
    if (inserted) return;
    const Symbol& first = existing->second;
    if (symbol.kind == Symbol::Kind::Enumerator || first.kind == Symbol::Kind::Enumerator) {
        error(symbol.location, "enum name clash: " + describeSymbol(symbol, name) + " clashes with " +
                                   describeSymbol(first, name) + " defined at " + formatLocation(first.location) +
                                   " (enumerators share the scope of module '" + _module->name + "')");
        return;
    }
    error(symbol.location, "duplicate name '" + name + "' in module '" + _module->name + "': already defined as " +
                               describeSymbol(first, name) + " at " + formatLocation(first.location));
}

void FileBuilder::checkProxyTypeNames(const std::string& name, const Symbol& symbol) {
    for (std::string_view suffix : kProxyTypeSuffixes) {
        // An interface's generated type against a name already declared ...
        if (symbol.kind == Symbol::Kind::Interface) {
            const std::string generated = name + std::string(suffix);
            const auto existing = _unit.visible.find(_module->name + "::" + generated);
            if (existing != _unit.visible.end())
                error(symbol.location, "interface '" + name + "' generates the type '" + generated +
                                           "', which clashes with " + describeSymbol(existing->second, generated) +
                                           " defined at " + formatLocation(existing->second.location));
        }
        // ... and a new name against the generated type of an interface declared before.
        if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        const std::string base = name.substr(0, name.size() - suffix.size());
        const auto interface = _unit.visible.find(_module->name + "::" + base);
        if (interface != _unit.visible.end() && interface->second.kind == Symbol::Kind::Interface)
            error(symbol.location, "the name '" + name + "' clashes with the type tars2cpp generates for interface '" +
                                       base + "' (defined at " + formatLocation(interface->second.location) + ")");
    }
}

void FileBuilder::beginStruct(const std::string& name, const SourceLocation& where) {
    checkModuleScopeName(name, where, "struct");
    auto decl = std::make_unique<StructDecl>();
    decl->location = where;
    decl->file = &file();
    decl->module = _module->name;
    decl->name = name;
    _struct = addDefinition(std::move(decl));
    _tags.clear();
    _fieldNames.clear();
    Symbol symbol;
    symbol.kind = Symbol::Kind::Struct;
    symbol.location = where;
    symbol.structDecl = _struct;
    declare(name, symbol);
}

void FileBuilder::addField(Literal tag, bool require, Type type, const SourceLocation& typeLocation,
                           const std::string& name, const SourceLocation& nameLocation,
                           std::optional<Literal> defaultValue) {
    Field field;
    field.location = nameLocation;
    field.require = require;
    field.name = name;

    const __int128 tagValue = integerOf(tag);
    if (tagValue < 0 || tagValue > 255) {
        error(tag.location, "tag " + literalText(tag) + " is out of range: tags are 0..255");
        field.tag = -1;
    } else {
        field.tag = static_cast<int>(tagValue);
        const auto [existing, inserted] = _tags.emplace(field.tag, _struct->fields.size());
        if (!inserted) {
            const Field& first = _struct->fields[existing->second];
            error(tag.location, "duplicate tag " + std::to_string(field.tag) + " in struct '" + _struct->name +
                                    "': field '" + first.name + "' at " + formatLocation(first.location) +
                                    " already has it");
        }
    }

    checkName(name, nameLocation, "field");
    for (std::string_view member : kGeneratedMembers)
        if (name == member)
            error(nameLocation, "field name '" + name + "' clashes with the generated member function " + name + "()");
    for (std::string_view local : kGeneratedLocals)
        if (name == local)
            error(nameLocation, "field name '" + name + "' is used by the generated code; choose another name");
    if (name == _struct->name) error(nameLocation, "field '" + name + "' cannot have the name of its struct");
    const auto [existing, inserted] = _fieldNames.emplace(name, _struct->fields.size());
    if (!inserted)
        error(nameLocation, "duplicate field name '" + name + "' in struct '" + _struct->name + "' (first at " +
                                formatLocation(_struct->fields[existing->second].location) + ")");

    noteTypeUse(type, typeLocation);
    if (defaultValue && type.kind != Type::Kind::Invalid)
        field.defaultValue = checkValue(type, *defaultValue, "default value of field '" + name + "'");
    field.type = std::move(type);
    _struct->fields.push_back(std::move(field));
}

void FileBuilder::endStruct() { _struct = nullptr; }

void FileBuilder::beginEnum(const std::string& name, const SourceLocation& where) {
    checkModuleScopeName(name, where, "enum");
    auto decl = std::make_unique<EnumDecl>();
    decl->location = where;
    decl->file = &file();
    decl->module = _module->name;
    decl->name = name;
    _enum = addDefinition(std::move(decl));
    _nextEnumValue = 0;
    Symbol symbol;
    symbol.kind = Symbol::Kind::Enum;
    symbol.location = where;
    symbol.enumDecl = _enum;
    declare(name, symbol);
}

void FileBuilder::addEnumerator(const std::string& name, const SourceLocation& where, std::optional<Literal> value) {
    checkModuleScopeName(name, where, "enumerator");
    Enumerator member;
    member.location = where;
    member.name = name;
    if (value) {
        const __int128 number = integerOf(*value);
        if (number < INT32_MIN || number > INT32_MAX)
            error(value->location, "enumerator value " + literalText(*value) +
                                       " is out of range: enum values are -2147483648..2147483647");
        else
            _nextEnumValue = static_cast<std::int64_t>(number);
    } else if (_nextEnumValue > INT32_MAX) {
        error(where, "the value of enumerator '" + name + "' (previous + 1) is larger than 2147483647");
        _nextEnumValue = 0;
    }
    member.value = static_cast<std::int32_t>(_nextEnumValue);
    _nextEnumValue = static_cast<std::int64_t>(member.value) + 1;

    if (const Enumerator* first = _enum->findMember(name)) {
        error(where, "duplicate enumerator '" + name + "' in enum '" + _enum->name + "' (first at " +
                         formatLocation(first->location) + ")");
        return;
    }
    _enum->members.push_back(std::move(member));
    Symbol symbol;
    symbol.kind = Symbol::Kind::Enumerator;
    symbol.location = where;
    symbol.enumDecl = _enum;
    declare(name, symbol);
}

void FileBuilder::endEnum() {
    if (_enum->members.empty()) error(_enum->location, "enum '" + _enum->name + "' has no enumerators");
    _enum = nullptr;
}

void FileBuilder::addConst(Type type, const SourceLocation& typeLocation, const std::string& name,
                           const SourceLocation& nameLocation, Literal value) {
    checkModuleScopeName(name, nameLocation, "const");
    auto decl = std::make_unique<ConstDecl>();
    decl->location = nameLocation;
    decl->module = _module->name;
    decl->name = name;
    if (type.kind != Type::Kind::Invalid) {
        if (!type.isScalar() && type.kind != Type::Kind::Enum)
            error(typeLocation, "const '" + name + "' has type " + idlTypeName(type) +
                                    "; a const must be bool, an integer, float, double, string or an enum");
        else if (std::optional<Value> checked = checkValue(type, value, "value of const '" + name + "'"))
            decl->value = std::move(*checked);
    }
    decl->type = std::move(type);
    ConstDecl* raw = addDefinition(std::move(decl));
    Symbol symbol;
    symbol.kind = Symbol::Kind::Const;
    symbol.location = raw->location;
    declare(name, symbol);
}

void FileBuilder::beginKey(const std::string& structName, const SourceLocation& where) {
    _keyStruct = nullptr;
    _keyFields.clear();
    const auto found = _unit.visible.find(_module->name + "::" + structName);
    if (found == _unit.visible.end()) {
        error(where, "key[] names unknown struct '" + structName + "' (it must be a struct of module '" +
                         _module->name + "' defined before the key)");
        return;
    }
    const Symbol& symbol = found->second;
    if (symbol.kind != Symbol::Kind::Struct) {
        error(where, "key[] must name a struct, but '" + structName + "' is " + describeSymbol(symbol, structName));
        return;
    }
    // The struct must be this file's own (the generator emits the ordering beside it).
    StructDecl* target = nullptr;
    for (ModuleBlock& block : file().modules)
        for (Definition& definition : block.definitions)
            if (auto* decl = std::get_if<std::unique_ptr<StructDecl>>(&definition);
                decl && decl->get() == symbol.structDecl)
                target = decl->get();
    if (target == nullptr) {
        error(where, "key[" + structName + ", ...] must be in the file that defines struct '" + structName + "' (" +
                         formatLocation(symbol.location) + ")");
        return;
    }
    if (target->hasKey()) {
        error(where,
              "struct '" + structName + "' already has a key[] (at " + formatLocation(target->keyLocation) + ")");
        return;
    }
    _keyStruct = target;
    _keyStruct->keyLocation = where;
}

void FileBuilder::addKeyField(const std::string& name, const SourceLocation& where) {
    if (_keyStruct == nullptr) return;
    if (_keyStruct->findField(name) == nullptr) {
        error(where, "key[] names unknown field '" + name + "' of struct '" + _keyStruct->name + "'");
        return;
    }
    for (const std::string& listed : _keyFields) {
        if (listed == name) {
            error(where, "field '" + name + "' is listed twice in key[" + _keyStruct->name + ", ...]");
            return;
        }
    }
    _keyFields.push_back(name);
}

void FileBuilder::endKey() {
    if (_keyStruct != nullptr) _keyStruct->keyFields = std::move(_keyFields);
    _keyStruct = nullptr;
    _keyFields.clear();
}

void FileBuilder::beginInterface(const std::string& name, const SourceLocation& where) {
    checkModuleScopeName(name, where, "interface");
    auto decl = std::make_unique<InterfaceDecl>();
    decl->location = where;
    decl->module = _module->name;
    decl->name = name;
    _interface = addDefinition(std::move(decl));
    _operationNames.clear();
    Symbol symbol;
    symbol.kind = Symbol::Kind::Interface;
    symbol.location = where;
    declare(name, symbol);
}

void FileBuilder::beginOperation(std::optional<Type> returnType, const SourceLocation& typeLocation,
                                 const std::string& name, const SourceLocation& nameLocation) {
    checkName(name, nameLocation, "method");
    const auto [existing, inserted] = _operationNames.emplace(name, nameLocation);
    if (!inserted)
        error(nameLocation, "duplicate method name '" + name + "' in interface '" + _interface->name + "' (first at " +
                                formatLocation(existing->second) + "); TARS has no overloading");
    if (name == _interface->name) error(nameLocation, "method '" + name + "' cannot have the name of its interface");
    for (std::string_view member : kServantMembers)
        if (name == member)
            error(nameLocation, "method name '" + name + "' clashes with " + name +
                                    "() of the generated servant class '" + _interface->name + "' (a tars::Servant)");
    const bool proxyMember =
        name.compare(0, 5, "tars_") == 0 ||
        std::find(std::begin(kProxyMembers), std::end(kProxyMembers), name) != std::end(kProxyMembers);
    if (proxyMember)
        error(nameLocation, "method name '" + name + "' clashes with the generated proxy class '" + _interface->name +
                                "Proxy' (a tars::ServantProxy, whose own functions are rpc_call, rpc_call_async and "
                                "tars_*)");
    if (returnType) noteTypeUse(*returnType, typeLocation);
    _operation.emplace();
    _operation->location = nameLocation;
    _operation->name = name;
    _operation->returnType = std::move(returnType);
}

void FileBuilder::addParameter(const ParameterAttributes& attributes, Type type, const SourceLocation& typeLocation,
                               const std::string& name, const SourceLocation& nameLocation) {
    const SourceLocation& attributesLocation = attributes.location;
    if (attributes.outCount > 1)
        error(attributesLocation, "'out' is given more than once for parameter '" + name + "'");
    if (attributes.routeKeyCount > 1)
        error(attributesLocation, "'routekey' is given more than once for parameter '" + name + "'");
    if (attributes.outCount > 0 && attributes.routeKeyCount > 0)
        error(attributesLocation, "parameter '" + name + "' cannot be both 'out' and 'routekey'");
    if (attributes.routeKeyCount > 0) {
        for (const Parameter& other : _operation->parameters)
            if (other.routeKey)
                error(attributesLocation, "method '" + _operation->name + "' has more than one routekey parameter ('" +
                                              other.name + "' and '" + name + "')");
    }
    checkName(name, nameLocation, "parameter");
    for (const Parameter& other : _operation->parameters)
        if (other.name == name)
            error(nameLocation, "duplicate parameter name '" + name + "' in method '" + _operation->name +
                                    "' (first at " + formatLocation(other.location) + ")");
    // TUP and JSON carry the return value under this name beside the parameters.
    if (name == "tars_ret" && _operation->returnType)
        error(nameLocation, "parameter name 'tars_ret' is used for the return value of method '" + _operation->name +
                                "' (TUP and JSON); choose another name");
    noteTypeUse(type, typeLocation);
    Parameter parameter;
    parameter.location = nameLocation;
    parameter.name = name;
    parameter.type = std::move(type);
    parameter.out = attributes.outCount > 0;
    parameter.routeKey = attributes.routeKeyCount > 0;
    _operation->parameters.push_back(std::move(parameter));
}

void FileBuilder::endOperation() {
    if (_operation->parameters.size() > kMaxParameters)
        error(_operation->location, "method '" + _operation->name + "' has " +
                                        std::to_string(_operation->parameters.size()) +
                                        " parameters; TARS numbers them with tags 1..255");
    _interface->operations.push_back(std::move(*_operation));
    _operation.reset();
}

void FileBuilder::endInterface() {
    // Each generated class names its members after the methods (async_response_f,
    // async_f, callback_f_exception, Promisef ...): two methods must not meet there.
    for (const GeneratedScope& scope : generatedScopes()) {
        // generated name -> (method, the rule that made it)
        std::map<std::string, std::pair<const Operation*, const GeneratedMemberName*>> seen;
        for (const Operation& operation : _interface->operations) {
            for (const GeneratedMemberName& rule : scope.names) {
                const std::string generated = std::string(rule.prefix) + operation.name + std::string(rule.suffix);
                const auto [existing, inserted] = seen.emplace(generated, std::make_pair(&operation, &rule));
                // The same method, or a duplicate method name (reported already).
                if (inserted || existing->second.first->name == operation.name) continue;
                // Report at the later method, naming what the earlier one generated.
                const Operation& first = *existing->second.first;
                const bool firstIsPlain =
                    existing->second.second->prefix.empty() && existing->second.second->suffix.empty();
                const bool laterIsPlain = rule.prefix.empty() && rule.suffix.empty();
                const Operation& plain = laterIsPlain ? operation : first;
                const Operation& other = laterIsPlain ? first : operation;
                if (scope.what == std::string_view("servant class") && (laterIsPlain || firstIsPlain))
                    error(plain.location, "method name '" + plain.name + "' clashes with the generated " +
                                              std::string(kAsyncResponsePrefix) + " of method '" + other.name +
                                              "' (at " + formatLocation(other.location) + ")");
                else
                    error(operation.location, "methods '" + first.name + "' (at " + formatLocation(first.location) +
                                                  ") and '" + operation.name + "' both generate '" + generated +
                                                  "' in the " + std::string(scope.what) + " of interface '" +
                                                  _interface->name + "'; rename one");
            }
        }
    }
    _interface = nullptr;
}

Type FileBuilder::resolveType(const std::vector<std::string>& name, const SourceLocation& where) {
    std::string written;
    for (const std::string& part : name) written += (written.empty() ? "" : "::") + part;
    if (name.size() > 2) {
        error(where, "unknown type '" + written + "'");
        return Type();
    }
    const std::string qualified = name.size() == 1 ? _module->name + "::" + name[0] : written;
    const auto found = _unit.visible.find(qualified);
    if (found == _unit.visible.end()) {
        std::string hint;
        if (name.size() == 1) {
            for (const auto& [other, symbol] : _unit.visible) {
                const bool isType = symbol.kind == Symbol::Kind::Struct || symbol.kind == Symbol::Kind::Enum;
                if (isType && other.size() > name[0].size() + 2 &&
                    other.compare(other.size() - name[0].size() - 2, std::string::npos, "::" + name[0]) == 0) {
                    hint = " (did you mean '" + other + "'?)";
                    break;
                }
            }
        }
        error(where, "unknown type '" + written + "'" + hint);
        return Type();
    }
    const Symbol& symbol = found->second;
    Type type;
    switch (symbol.kind) {
        case Symbol::Kind::Struct:
            if (symbol.structDecl == _struct) {
                error(where, "struct '" + _struct->name + "' cannot contain itself");
                return Type();
            }
            type.kind = Type::Kind::Struct;
            type.structDecl = symbol.structDecl;
            return type;
        case Symbol::Kind::Enum:
            type.kind = Type::Kind::Enum;
            type.enumDecl = symbol.enumDecl;
            return type;
        default:
            error(where, "'" + written + "' is not a type: it is " + describeSymbol(symbol, name.back()) +
                             " (defined at " + formatLocation(symbol.location) + ")");
            return Type();
    }
}

std::optional<Value> FileBuilder::checkValue(const Type& type, const Literal& literal, const std::string& what) {
    Value value;
    const auto wrong = [&](const std::string& expected) {
        error(literal.location, what + " must be " + expected + ", not " + describeLiteral(literal));
        return std::nullopt;
    };

    if (type.kind == Type::Kind::Bool) {
        if (literal.kind != Literal::Kind::Bool) return wrong("true or false");
        value.kind = Value::Kind::Bool;
        value.boolean = literal.boolean;
        return value;
    }
    if (type.isInteger()) {
        if (literal.kind != Literal::Kind::Integer) return wrong("an integer");
        const IntegerRange range = rangeOf(type.kind);
        const __int128 number = integerOf(literal);
        if (number < range.low || number > range.high) {
            error(literal.location, what + " is out of range: " + literalText(literal) + " does not fit in " +
                                        idlTypeName(type) + " (" + range.text + ")");
            return std::nullopt;
        }
        value.kind = Value::Kind::Integer;
        value.integer = static_cast<std::int64_t>(number);
        return value;
    }
    if (type.isFloating()) {
        if (literal.kind == Literal::Kind::Integer) {
            const __int128 number = integerOf(literal);
            if (number < INT64_MIN || number > INT64_MAX) {
                error(literal.location, what + " is out of range: " + literalText(literal));
                return std::nullopt;
            }
            value.kind = Value::Kind::Integer;
            value.integer = static_cast<std::int64_t>(number);
            return value;
        }
        if (literal.kind != Literal::Kind::Floating) return wrong("a number");
        double number = 0;
        const char* begin = literal.text.data();
        const char* end = begin + literal.text.size();
        const auto parsed = std::from_chars(begin, end, number);
        bool tooLarge = parsed.ec == std::errc::result_out_of_range && std::fabs(number) > 1.0;
        if (parsed.ec == std::errc::result_out_of_range && !tooLarge)
            number = 0.0;  // underflow: the nearest value is zero
        else if (parsed.ec != std::errc() || parsed.ptr != end)
            tooLarge = true;
        if (tooLarge || (type.kind == Type::Kind::Float && std::fabs(number) > std::numeric_limits<float>::max())) {
            error(literal.location,
                  what + " is out of range: " + literalText(literal) + " does not fit in " + idlTypeName(type));
            return std::nullopt;
        }
        value.kind = Value::Kind::Floating;
        value.floating = literal.negative ? -number : number;
        return value;
    }
    if (type.kind == Type::Kind::String) {
        if (literal.kind != Literal::Kind::String) return wrong("a string");
        value.kind = Value::Kind::String;
        value.string = literal.text;
        return value;
    }
    if (type.kind == Type::Kind::Enum) {
        const EnumDecl& target = *type.enumDecl;
        const std::string enumName = target.module + "::" + target.name;
        if (literal.kind == Literal::Kind::Integer) {
            const __int128 number = integerOf(literal);
            for (const Enumerator& member : target.members) {
                if (member.value == number) {
                    value.kind = Value::Kind::Enumerator;
                    value.enumDecl = &target;
                    value.enumerator = &member;
                    return value;
                }
            }
            error(literal.location, what + ": " + literalText(literal) +
                                        " is not the value of any enumerator of enum '" + enumName + "'");
            return std::nullopt;
        }
        if (literal.kind != Literal::Kind::Name) return wrong("an enumerator of enum '" + enumName + "'");
        // RED, Mod::RED, Color::RED or Mod::Color::RED.
        const std::vector<std::string>& parts = literal.name;
        bool prefixOk = parts.size() == 1;
        if (parts.size() == 2)
            prefixOk = parts[0] == target.module || parts[0] == target.name;
        else if (parts.size() == 3)
            prefixOk = parts[0] == target.module && parts[1] == target.name;
        const Enumerator* member = prefixOk ? target.findMember(parts.back()) : nullptr;
        if (member == nullptr) {
            error(literal.location,
                  what + ": " + describeLiteral(literal) + " is not an enumerator of enum '" + enumName + "'");
            return std::nullopt;
        }
        value.kind = Value::Kind::Enumerator;
        value.enumDecl = &target;
        value.enumerator = member;
        return value;
    }
    error(literal.location, what + ": a field of type " + idlTypeName(type) + " cannot have a default value");
    return std::nullopt;
}

void FileBuilder::noteTypeUse(const Type& type, const SourceLocation& where) {
    if (type.kind != Type::Kind::Invalid) _typeUses.emplace_back(type, where);
}

bool FileBuilder::checkMapKeys(const Type& type, const SourceLocation& where) {
    if (type.kind == Type::Kind::Map) {
        if (const StructDecl* unordered = unorderedStruct(type.args[0])) {
            error(where, "struct '" + unordered->module + "::" + unordered->name + "' is used in the map key type " +
                             idlTypeName(type.args[0]) + " but has no key[" + unordered->name + ", ...] to order it");
            return false;
        }
    }
    for (const Type& arg : type.args)
        if (!checkMapKeys(arg, where)) return false;
    return true;
}

void FileBuilder::finish() {
    for (const auto& [type, where] : _typeUses) checkMapKeys(type, where);
    for (const ModuleBlock& block : file().modules) {
        for (const Definition& definition : block.definitions) {
            const auto* decl = std::get_if<std::unique_ptr<StructDecl>>(&definition);
            if (decl == nullptr) continue;
            for (const std::string& keyField : (*decl)->keyFields) {
                const Field* field = (*decl)->findField(keyField);
                if (field == nullptr) continue;
                if (const StructDecl* unordered = unorderedStruct(field->type))
                    error((*decl)->keyLocation, "key field '" + keyField + "' of struct '" + (*decl)->name +
                                                    "' has type " + idlTypeName(field->type) +
                                                    ", which has no order: struct '" + unordered->name +
                                                    "' has no key[]");
            }
        }
    }
}

}  // namespace tars2cpp
