#include "internal/Transport.h"

#include "servant/BindAdapter.h"

namespace tars {

std::unique_ptr<Transport> makeServerTransport(const BindAdapter&, TC_Socket&& socket) {
    // Adapters listen on tcp endpoints only (BindAdapter::fromConfig refuses the others).
    return std::make_unique<TcpTransport>(std::move(socket));
}

}  // namespace tars
