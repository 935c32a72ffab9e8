#include "CppNames.h"
#include "Generators.h"

#include <set>

namespace tars2cpp {

// An unscoped enum (users write Mod::RED) with a fixed underlying type, so any
// int32 from the wire is a valid value of it; etos/stoe convert to and from
// the enumerator names and are found by ADL (the JSON mapping uses them).
void generateEnum(const EnumDecl& decl, CodeWriter& out) {
    // Inside etos/stoe enumerators are qualified and locals start with '_', so
    // no IDL name can be confused with (or shadowed by) them.
    const std::string scope = "::" + decl.module + "::";
    out.line("enum " + decl.name + " : tars::Int32");
    out.open();
    for (const Enumerator& member : decl.members) out.line(member.name + " = " + std::to_string(member.value) + ",");
    out.close(";");
    out.line();

    out.line("inline std::string etos(const " + scope + decl.name + "& _e)");
    out.open();
    out.line("switch (_e)");
    out.open();
    std::set<std::int32_t> seen;  // the first name of a value wins
    for (const Enumerator& member : decl.members) {
        if (seen.insert(member.value).second)
            out.line("case " + scope + member.name + ": return \"" + member.name + "\";");
    }
    out.line("default: break;");
    out.close();
    out.line("return std::to_string(static_cast<tars::Int32>(_e));");
    out.close();
    out.line();

    out.line("inline int stoe(const std::string& _s, " + scope + decl.name + "& _e)");
    out.open();
    for (const Enumerator& member : decl.members)
        out.line("if (_s == \"" + member.name + "\") { _e = " + scope + member.name + "; return 0; }");
    out.line("tars::Int32 _number = 0;");
    out.line("const char* const _end = _s.data() + _s.size();");
    out.line("const auto _parsed = std::from_chars(_s.data(), _end, _number);");
    out.line("if (_s.empty() || _parsed.ec != std::errc() || _parsed.ptr != _end)");
    out.indent();
    out.line("return -1;");
    out.dedent();
    out.line("_e = static_cast<" + scope + decl.name + ">(_number);");
    out.line("return 0;");
    out.close();
}

}  // namespace tars2cpp
