#include "Generators.h"

namespace tars2cpp
{

// Interfaces are parsed and checked in full; their proxies (XxxPrx,
// XxxPrxCallback) and servants arrive with the client and server issues and
// are written here, from the operations in `decl`. Until then an interface
// produces no C++.
void generateInterface(const InterfaceDecl& /*decl*/, const GenerateOptions& /*options*/, CodeWriter& /*out*/)
{
}

} // namespace tars2cpp
