#include "CppNames.h"
#include "Generators.h"

#include <algorithm>
#include <vector>

namespace tars2cpp {

namespace {

// The value a member holds after construction and resetDefautlt().
std::string defaultOf(const Field& field) {
    return field.defaultValue ? cppValue(field.type, *field.defaultValue) : cppDefaultValue(field.type);
}

bool hasInitializer(const Field& field) {
    if (field.type.kind == Type::Kind::String) return field.defaultValue.has_value();
    return field.type.isScalar() || field.type.kind == Type::Kind::Enum;
}

// When an optional member is written: only when it differs from its default.
std::string writeCondition(const Field& field) {
    const std::string& name = field.name;
    switch (field.type.kind) {
        case Type::Kind::Vector:
        case Type::Kind::Map: return "!" + name + ".empty()";
        case Type::Kind::Struct: return name + " != " + cppType(field.type) + "()";
        case Type::Kind::String: return field.defaultValue ? name + " != " + defaultOf(field) : "!" + name + ".empty()";
        case Type::Kind::Bool: return field.defaultValue && field.defaultValue->boolean ? "!" + name : name;
        default: return name + " != " + defaultOf(field);
    }
}

std::string resetStatement(const Field& field) {
    const std::string& name = field.name;
    switch (field.type.kind) {
        case Type::Kind::Vector:
        case Type::Kind::Map: return name + ".clear();";
        case Type::Kind::Struct: return name + ".resetDefautlt();";
        case Type::Kind::String: return field.defaultValue ? name + " = " + defaultOf(field) + ";" : name + ".clear();";
        default: return name + " = " + defaultOf(field) + ";";
    }
}

void generateMembers(const StructDecl& decl, CodeWriter& out) {
    for (const Field& field : decl.fields) {
        std::string text = cppType(field.type) + " " + field.name;
        if (hasInitializer(field)) text += " = " + defaultOf(field);
        out.line(text + ";");
    }
}

void generateBinaryCodec(const StructDecl& decl, const std::vector<const Field*>& byTag, const GenerateOptions& options,
                         CodeWriter& out) {
    const bool empty = byTag.empty();

    out.line("void resetDefautlt()");
    out.open();
    for (const Field& field : decl.fields) out.line(resetStatement(field));
    out.close();
    out.line();

    out.line("template <typename WriterT>");
    out.line(std::string("void writeTo(tars::TarsOutputStream<WriterT>& ") + (empty ? "/*_os*/" : "_os") + ") const");
    out.open();
    for (const Field* field : byTag) {
        const std::string write = "_os.write(" + field->name + ", " + std::to_string(field->tag) + ");";
        if (field->require || !options.checkDefault) {
            out.line(write);
            continue;
        }
        out.line("if (" + writeCondition(*field) + ")");
        out.indent();
        out.line(write);
        out.dedent();
    }
    out.close();
    out.line();

    out.line("template <typename ReaderT>");
    out.line(std::string("void readFrom(tars::TarsInputStream<ReaderT>& ") + (empty ? "/*_is*/" : "_is") + ")");
    out.open();
    out.line("resetDefautlt();");
    for (const Field* field : byTag)
        out.line("_is.read(" + field->name + ", " + std::to_string(field->tag) + ", " +
                 (field->require ? "true" : "false") + ");");
    out.close();
}

void generateJson(const StructDecl& decl, CodeWriter& out) {
    const std::string className = decl.module + "." + decl.name;

    out.line("tars::JsonValue writeToJson() const");
    out.open();
    out.line("tars::JsonValue _j = tars::JsonValue::object();");
    for (const Field& field : decl.fields)
        out.line("_j[\"" + field.name + "\"] = tars::JsonOutput::writeJson(" + field.name + ");");
    out.line("return _j;");
    out.close();
    out.line();

    out.line("std::string writeToJsonString() const");
    out.open();
    out.line("return tars::JsonOutput::toString(writeToJson());");
    out.close();
    out.line();

    out.line("void readFromJson(const tars::JsonValue& _j, bool /*isRequire*/ = true)");
    out.open();
    out.line("if (!_j.is_object())");
    out.indent();
    out.line("throw tars::TarsDecodeException(\"" + className + ": expected a JSON object\");");
    out.dedent();
    out.line("resetDefautlt();");
    for (const Field& field : decl.fields)
        out.line("tars::JsonInput::readField(" + field.name + ", _j, \"" + field.name + "\", " +
                 (field.require ? "true" : "false") + ");");
    out.close();
    out.line();

    out.line("void readFromJsonString(const std::string& _s)");
    out.open();
    out.line("readFromJson(tars::JsonInput::parse(_s));");
    out.close();
}

void generateDisplay(const StructDecl& decl, CodeWriter& out) {
    const bool empty = decl.fields.empty();
    const std::string level = empty ? "int /*_level*/ = 0" : "int _level = 0";

    out.line("std::ostream& display(std::ostream& _os, " + level + ") const");
    out.open();
    if (!empty) {
        out.line("tars::TarsDisplayer _ds(_os, _level);");
        for (const Field& field : decl.fields) out.line("_ds.display(" + field.name + ", \"" + field.name + "\");");
    }
    out.line("return _os;");
    out.close();
    out.line();

    out.line("std::ostream& displaySimple(std::ostream& _os, " + level + ") const");
    out.open();
    if (!empty) {
        out.line("tars::TarsDisplayer _ds(_os, _level);");
        for (std::size_t i = 0; i < decl.fields.size(); ++i)
            out.line("_ds.displaySimple(" + decl.fields[i].name + ", " +
                     (i + 1 < decl.fields.size() ? "true" : "false") + ");");
    }
    out.line("return _os;");
    out.close();
}

void generateOperators(const StructDecl& decl, CodeWriter& out) {
    const std::string& name = decl.name;
    const bool empty = decl.fields.empty();
    const std::string params =
        empty ? "(const " + name + "&, const " + name + "&)" : "(const " + name + "& _l, const " + name + "& _r)";

    out.line("inline bool operator==" + params);
    out.open();
    if (empty) {
        out.line("return true;");
    } else {
        for (std::size_t i = 0; i < decl.fields.size(); ++i) {
            const std::string& field = decl.fields[i].name;
            const std::string term = "_l." + field + " == _r." + field;
            const bool last = i + 1 == decl.fields.size();
            out.line((i == 0 ? "return " : "    && ") + term + (last ? ";" : ""));
        }
    }
    out.close();
    out.line();

    out.line("inline bool operator!=(const " + name + "& _l, const " + name + "& _r)");
    out.open();
    out.line("return !(_l == _r);");
    out.close();

    if (!decl.hasKey()) return;

    // key[Name, a, b]: ordered by a, then b.
    out.line();
    out.line("inline bool operator<(const " + name + "& _l, const " + name + "& _r)");
    out.open();
    for (std::size_t i = 0; i < decl.keyFields.size(); ++i) {
        const std::string& field = decl.keyFields[i];
        if (i + 1 == decl.keyFields.size()) {
            out.line("return _l." + field + " < _r." + field + ";");
            break;
        }
        out.line("if (_l." + field + " != _r." + field + ")");
        out.indent();
        out.line("return _l." + field + " < _r." + field + ";");
        out.dedent();
    }
    out.close();
    out.line();
    const std::string both = "(const " + name + "& _l, const " + name + "& _r)";
    out.line("inline bool operator>" + both + " { return _r < _l; }");
    out.line("inline bool operator<=" + both + " { return !(_r < _l); }");
    out.line("inline bool operator>=" + both + " { return !(_l < _r); }");
}

}  // namespace

void generateStruct(const StructDecl& decl, const GenerateOptions& options, CodeWriter& out) {
    std::vector<const Field*> byTag;
    for (const Field& field : decl.fields) byTag.push_back(&field);
    std::stable_sort(byTag.begin(), byTag.end(), [](const Field* a, const Field* b) { return a->tag < b->tag; });

    out.line("struct " + decl.name + " : public tars::TarsStructBase");
    out.open();
    generateMembers(decl, out);
    if (!decl.fields.empty()) out.line();
    out.line(decl.name + "() = default;");
    out.line();
    out.line("static std::string className() { return \"" + decl.module + "." + decl.name + "\"; }");
    // TarsCpp's value (see tarsCppStructMd5), so both generators agree on a struct's shape.
    out.line("static std::string MD5() { return \"" + tarsCppStructMd5(decl) + "\"; }");
    out.line();
    generateBinaryCodec(decl, byTag, options, out);
    out.line();
    if (options.json) {
        generateJson(decl, out);
        out.line();
    }
    generateDisplay(decl, out);
    out.close(";");
    out.line();
    generateOperators(decl, out);
}

}  // namespace tars2cpp
