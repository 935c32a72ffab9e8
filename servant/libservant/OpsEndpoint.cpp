#include "internal/OpsEndpoint.h"

#include <algorithm>

#include "servant/BindAdapter.h"
#include "servant/HttpProtocol.h"
#include "servant/Servant.h"
#include "servant/TC_EpollServer.h"
#include "util/tc_common.h"
#include "util/tc_logger.h"

namespace tars {

struct OpsEndpoint::State {
    Handlers handlers;
    std::atomic<Phase> phase{Phase::Starting};
    std::mutex mutex;  // guards paths (added from initialize(), read by the handle thread)
    std::map<std::string, PathHandler> paths;

    OpsEndpoint::PathHandler added(const std::string& path) {
        std::lock_guard lock(mutex);
        auto found = paths.find(path);
        return found == paths.end() ? OpsEndpoint::PathHandler() : found->second;
    }
};

namespace {

class OpsServant final : public Servant {
public:
    explicit OpsServant(std::shared_ptr<OpsEndpoint::State> state) : _state(std::move(state)) {}

    int doRequest(CurrentPtr current, std::vector<char>& response) override {
        HttpRequest request;
        HttpResponse reply;
        bool head = false;
        if (!request.decode(current->getRequestBuffer())) {
            reply.setStatus(400);
            reply.setContent("bad request\n");
        } else {
            head = request.getMethod() == "HEAD";
            answer(request, head, reply);
        }
        if (!request.isKeepAlive()) {
            reply.setHeader("Connection", "close");
            current->close();  // after this reply is written
        }
        reply.setHeader("Cache-Control", "no-store");
        reply.encode(response);
        return 0;
    }

private:
    void answer(const HttpRequest& request, bool head, HttpResponse& reply) const {
        const std::string path = request.getPath();
        OpsEndpoint::PathHandler added = _state->added(path);
        const bool known = path == "/metrics" || path == "/health" || path == "/status" || added;
        if (!known) {
            reply.setStatus(404);
            reply.setHeader("Content-Type", "text/plain; charset=utf-8");
            setBody(reply, head, "not found: the ops endpoint serves /metrics, /health and /status\n");
            return;
        }
        if (request.getMethod() != "GET" && !head) {
            reply.setStatus(405);
            reply.setHeader("Allow", "GET, HEAD");
            reply.setHeader("Content-Type", "text/plain; charset=utf-8");
            setBody(reply, head, "method not allowed: " + request.getMethod() + "\n");
            return;
        }
        try {
            if (added) {
                std::string type = "text/plain; charset=utf-8";
                std::string body;
                int status = added(request.getQuery(), type, body);
                reply.setStatus(status);
                reply.setHeader("Content-Type", type);
                setBody(reply, head, body);
            } else if (path == "/metrics") {
                reply.setHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                setBody(reply, head, _state->handlers.metrics ? _state->handlers.metrics() : "");
            } else if (path == "/status") {
                reply.setHeader("Content-Type", "application/json");
                setBody(reply, head, _state->handlers.status ? _state->handlers.status() : "{}");
            } else {
                OpsEndpoint::Phase phase = _state->phase.load(std::memory_order_acquire);
                reply.setHeader("Content-Type", "text/plain; charset=utf-8");
                if (phase == OpsEndpoint::Phase::Serving) {
                    setBody(reply, head, "serving\n");
                } else {
                    reply.setStatus(503);
                    setBody(reply, head, phase == OpsEndpoint::Phase::Starting ? "starting\n" : "stopping\n");
                }
            }
        } catch (const std::exception& e) {
            TLOGERROR("[ops] " << path << ": " << e.what() << std::endl);
            reply = HttpResponse();
            reply.setStatus(500);
            reply.setHeader("Content-Type", "text/plain; charset=utf-8");
            // The detail stays in the log: the endpoint answers anyone who reaches it.
            setBody(reply, head, "internal error; the detail is in the server's log\n");
        }
    }

    static void setBody(HttpResponse& reply, bool head, const std::string& body) {
        if (head) {
            reply.setHeader("Content-Length", std::to_string(body.size()));
        } else {
            reply.setContent(body);
        }
    }

    std::shared_ptr<OpsEndpoint::State> _state;
};

}  // namespace

OpsEndpoint::OpsEndpoint(const std::string& endpoint, Handlers handlers) : _state(std::make_shared<State>()) {
    _state->handlers = std::move(handlers);
    // Loopback unless asked otherwise: without -h, 127.0.0.1.
    std::string text = endpoint;
    std::vector<std::string> tokens = TC_Common::sepstr(text, " \t\r\n");
    if (std::find(tokens.begin(), tokens.end(), "-h") == tokens.end()) text += " -h 127.0.0.1";
    TC_Endpoint parsed;
    try {
        parsed.parse(text);
    } catch (const std::exception& e) {
        throw std::invalid_argument("ops endpoint '" + endpoint + "': " + e.what());
    }
    if (!parsed.isTcp() || parsed.isSSL()) {
        throw std::invalid_argument("ops endpoint '" + endpoint + "': only tcp endpoints are supported");
    }
    auto adapter = std::make_shared<BindAdapter>(kAdapterName, parsed, kServantName);
    adapter->setProtocolName("http");
    adapter->setHandleNum(1);
    adapter->setMaxConns(128);
    std::shared_ptr<State> state = _state;
    adapter->setServantFactory(
        [state] { return std::static_pointer_cast<Servant>(std::make_shared<OpsServant>(state)); });
    _server = std::make_unique<TC_EpollServer>(1);
    _server->addAdapter(adapter);
}

OpsEndpoint::~OpsEndpoint() { stop(); }

void OpsEndpoint::start() { _server->start(); }

void OpsEndpoint::stop() {
    if (_server && _server->isStarted()) _server->stop(0);
}

void OpsEndpoint::addPath(const std::string& path, PathHandler handler) {
    std::lock_guard lock(_state->mutex);
    _state->paths[path] = std::move(handler);
}

void OpsEndpoint::setPhase(Phase phase) { _state->phase.store(phase, std::memory_order_release); }

int OpsEndpoint::port() const { return _server->getAdapters().front()->getBoundPort(); }

}  // namespace tars
