// HttpServer: an HTTP/1.1 servant (adapter protocol=http): GET /hello answers a small body,
// anything else 404. Keep-alive, pipelining and chunked request bodies are handled by the
// framework's HttpProtocol; the servant sees one whole request per doRequest call.
#include "servant/Application.h"
#include "servant/HttpProtocol.h"

namespace {

class HttpImp : public tars::Servant {
public:
    int doRequest(tars::CurrentPtr current, std::vector<char>& response) override {
        tars::HttpRequest request;
        tars::HttpResponse reply;
        if (!request.decode(current->getRequestBuffer())) {
            reply.setStatus(400);
        } else if (request.getPath() == "/hello") {
            reply.setHeader("Content-Type", "text/plain");
            reply.setContent("Hello from TARS\n");
        } else if (request.getPath() == "/echo") {
            reply.setHeader("Content-Type", "application/octet-stream");
            reply.setContent(request.getContent());
        } else {
            reply.setStatus(404);
            reply.setContent("not found\n");
        }
        if (!request.isKeepAlive()) {
            reply.setHeader("Connection", "close");
            current->close();  // after this reply is written
        }
        reply.encode(response);
        return 0;
    }
};

class HttpServer : public tars::Application {
public:
    void initialize() override {
        addServant<HttpImp>(tars::ServerConfig::Application + "." + tars::ServerConfig::ServerName + ".HttpObj");
    }
    void destroyApp() override {}
};

HttpServer g_app;

}  // namespace

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
