// The generator of each kind of definition; HeaderGenerator.cpp calls them in
// declaration order inside the definition's namespace. Each writes complete
// C++ for its definition and nothing else.
#pragma once

#include "Ast.h"
#include "CodeWriter.h"
#include "Generator.h"

namespace tars2cpp {

void generateStruct(const StructDecl& decl, const GenerateOptions& options, CodeWriter& out);
void generateEnum(const EnumDecl& decl, CodeWriter& out);
void generateConst(const ConstDecl& decl, CodeWriter& out);
// Everything an interface becomes: calls the generators below in turn.
void generateInterface(const InterfaceDecl& decl, const GenerateOptions& options, CodeWriter& out);
// The server side (ServantGenerator.cpp): class <Name> : public tars::Servant.
void generateServant(const InterfaceDecl& decl, const GenerateOptions& options, CodeWriter& out);
// The client side (ProxyGenerator.cpp): <Name>PrxCallback, <Name>PrxCallbackPromise,
// <Name>Proxy and <Name>Prx.
void generateProxy(const InterfaceDecl& decl, const GenerateOptions& options, CodeWriter& out);

}  // namespace tars2cpp
