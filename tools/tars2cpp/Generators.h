// The generator of each kind of definition; HeaderGenerator.cpp calls them in
// declaration order inside the definition's namespace. Each writes complete
// C++ for its definition and nothing else.
#pragma once

#include "Ast.h"
#include "CodeWriter.h"
#include "Generator.h"

namespace tars2cpp
{

void generateStruct(const StructDecl& decl, const GenerateOptions& options, CodeWriter& out);
void generateEnum(const EnumDecl& decl, CodeWriter& out);
void generateConst(const ConstDecl& decl, CodeWriter& out);
// Proxies and servants of an interface (client and server issues).
void generateInterface(const InterfaceDecl& decl, const GenerateOptions& options, CodeWriter& out);

} // namespace tars2cpp
