// HTTP/1.1 on a server adapter (`protocol=http`): HttpProtocol::parse cuts requests
// (pipelined ones answered in order), the servant's doRequest decodes them with
// HttpRequest; a request that finds the queue full gets a 503 before the connection closes.
#include "internal/CustomServerProtocol.h"
#include "servant/HttpProtocol.h"

namespace tars {

namespace {

class HttpServerProtocol final : public CustomServerProtocol {
public:
    HttpServerProtocol() : CustomServerProtocol("http", &HttpProtocol::parse, HttpProtocol::overloadReply()) {}

    PACKET_TYPE parse(const BindAdapter&, TC_NetWorkBuffer& in, std::vector<char>& out) const override {
        return HttpProtocol::parse(in, out);  // direct: no std::function call on the way
    }
};

}  // namespace

ServerProtocolPtr httpServerProtocol() {
    static const ServerProtocolPtr protocol = std::make_shared<HttpServerProtocol>();
    return protocol;
}

}  // namespace tars
