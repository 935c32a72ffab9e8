#include "Generators.h"

namespace tars2cpp {

// An interface becomes its server side, the servant class (ServantGenerator.cpp),
// and its client side, the proxy and its callbacks (ProxyGenerator.cpp).
void generateInterface(const InterfaceDecl& decl, const GenerateOptions& options, CodeWriter& out) {
    generateServant(decl, options, out);
    out.line();
    generateProxy(decl, options, out);
}

}  // namespace tars2cpp
