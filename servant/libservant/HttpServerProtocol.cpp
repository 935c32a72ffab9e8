// HTTP/1.1 on a server adapter (`protocol=http`): HttpProtocol::parse cuts requests
// (pipelined ones answered in order), the servant's doRequest decodes them with
// HttpRequest; a request that finds the queue full gets a 503 before the connection closes.
// Replies are gzip'd when the request takes it and the reply is worth it (HttpCompression.h).
#include <exception>
#include <string_view>

#include "internal/CustomServerProtocol.h"
#include "internal/HttpCompression.h"
#include "servant/Current.h"
#include "servant/HttpProtocol.h"
#include "util/tc_logger.h"

namespace tars {

namespace {

class HttpServerProtocol final : public CustomServerProtocol {
public:
    HttpServerProtocol() : CustomServerProtocol("http", &HttpProtocol::parse, HttpProtocol::overloadReply()) {}

    PACKET_TYPE parse(const BindAdapter&, TC_NetWorkBuffer& in, std::vector<char>& out) const override {
        return HttpProtocol::parse(in, out);  // direct: no std::function call on the way
    }

protected:
    void finishReply(const Current& current, std::vector<char>& reply) const override {
        const std::vector<char>& request = current.getRequestBuffer();
        try {
            http::compressReply(std::string_view(request.data(), request.size()), reply);
        } catch (const std::exception& e) {
            // zlib out of memory, say: the reply leaves as the servant wrote it.
            TLOGWARN("[http] reply not compressed: " << e.what() << std::endl);
        }
    }
};

}  // namespace

ServerProtocolPtr httpServerProtocol() {
    static const ServerProtocolPtr protocol = std::make_shared<HttpServerProtocol>();
    return protocol;
}

}  // namespace tars
