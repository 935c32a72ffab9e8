#include "Generators.h"

namespace tars2cpp
{

// An interface becomes its server side, the servant class (ServantGenerator.cpp).
// The client side, the proxy (XxxPrx, XxxPrxCallback), belongs in a
// ProxyGenerator.cpp of its own, called from here beside generateServant().
void generateInterface(const InterfaceDecl& decl, const GenerateOptions& options, CodeWriter& out)
{
    generateServant(decl, options, out);
}

} // namespace tars2cpp
