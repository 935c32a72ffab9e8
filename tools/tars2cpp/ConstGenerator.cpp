#include "CppNames.h"
#include "Generators.h"

namespace tars2cpp {

// Scalars and enums are constexpr; a string cannot be, so it is an inline
// const object. Both may be included from any number of translation units.
void generateConst(const ConstDecl& decl, CodeWriter& out) {
    const char* qualifier = decl.type.kind == Type::Kind::String ? "inline const " : "inline constexpr ";
    out.line(qualifier + cppType(decl.type) + " " + decl.name + " = " + cppValue(decl.type, decl.value) + ";");
}

}  // namespace tars2cpp
