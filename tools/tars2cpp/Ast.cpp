#include "Ast.h"

namespace tars2cpp {

bool Type::isInteger() const {
    switch (kind) {
        case Kind::Byte:
        case Kind::UnsignedByte:
        case Kind::Short:
        case Kind::UnsignedShort:
        case Kind::Int:
        case Kind::UnsignedInt:
        case Kind::Long: return true;
        default: return false;
    }
}

bool Type::isFloating() const { return kind == Kind::Float || kind == Kind::Double; }

bool Type::isScalar() const { return kind == Kind::Bool || kind == Kind::String || isInteger() || isFloating(); }

std::string idlTypeName(const Type& type) {
    switch (type.kind) {
        case Type::Kind::Invalid: return "<invalid>";
        case Type::Kind::Bool: return "bool";
        case Type::Kind::Byte: return "byte";
        case Type::Kind::UnsignedByte: return "unsigned byte";
        case Type::Kind::Short: return "short";
        case Type::Kind::UnsignedShort: return "unsigned short";
        case Type::Kind::Int: return "int";
        case Type::Kind::UnsignedInt: return "unsigned int";
        case Type::Kind::Long: return "long";
        case Type::Kind::Float: return "float";
        case Type::Kind::Double: return "double";
        case Type::Kind::String: return "string";
        case Type::Kind::Vector: return "vector<" + idlTypeName(type.args.at(0)) + ">";
        case Type::Kind::Map: return "map<" + idlTypeName(type.args.at(0)) + ", " + idlTypeName(type.args.at(1)) + ">";
        case Type::Kind::Struct: return type.structDecl->module + "::" + type.structDecl->name;
        case Type::Kind::Enum: return type.enumDecl->module + "::" + type.enumDecl->name;
    }
    return "<invalid>";
}

const Field* StructDecl::findField(const std::string& fieldName) const {
    for (const Field& field : fields)
        if (field.name == fieldName) return &field;
    return nullptr;
}

const Enumerator* EnumDecl::findMember(const std::string& memberName) const {
    for (const Enumerator& member : members)
        if (member.name == memberName) return &member;
    return nullptr;
}

std::string fileBaseName(const std::string& path) {
    const std::size_t slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const std::size_t dot = name.find_last_of('.');
    if (dot != std::string::npos && dot > 0) name.erase(dot);
    return name;
}

}  // namespace tars2cpp
