#include "internal/Transport.h"

#include "servant/BindAdapter.h"

namespace tars {

std::unique_ptr<Transport> makeServerTransport(const BindAdapter& adapter, TC_Socket&& socket) {
    if (std::shared_ptr<TC_SslContext> context = adapter.tlsContext()) {
        return std::make_unique<TlsTransport>(std::move(socket), std::move(context));
    }
    return std::make_unique<TcpTransport>(std::move(socket));
}

}  // namespace tars
