// OpsEndpoint: a server's HTTP ops endpoint (`/tars/application/server<ops>`), for the
// tools that watch it: GET /metrics (Prometheus text), GET /health (200 once the server
// serves, 503 while it starts or stops) and GET /status (tars.viewstatus as JSON). Other
// paths are 404, other methods 405 (HEAD is answered like GET, without a body).
//
// It runs on a TC_EpollServer of its own (one network thread, one handle thread), apart
// from the RPC adapters: it listens from before initialize() (so a health check sees
// "starting") until the very end of the shutdown, and a slow or hostile scraper never
// holds a thread or a queue slot of the servants. An endpoint without -h listens on
// 127.0.0.1 only.
//
// Thread-safety: setPhase() from any thread; the handlers run on the endpoint's handle
// thread, one request at a time. Lifetime: stop() (or the destructor) before the handlers'
// captures go away.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <memory>
#include <string>

namespace tars {

class TC_EpollServer;
class TC_Endpoint;

class OpsEndpoint {
public:
    enum class Phase { Starting, Serving, Stopping };

    struct Handlers {
        std::function<std::string()> metrics;  // the Prometheus text of /metrics
        std::function<std::string()> status;   // the JSON of /status
    };

    // A path a server adds (Application::addOpsPath): fills the body and its content type
    // and returns the HTTP status.
    using PathHandler = std::function<int(const std::string& query, std::string& contentType, std::string& body)>;

    static constexpr const char* kAdapterName = "OpsAdapter";
    static constexpr const char* kServantName = "OpsObj";

    OpsEndpoint(const std::string& endpoint, Handlers handlers);
    ~OpsEndpoint();
    OpsEndpoint(const OpsEndpoint&) = delete;
    OpsEndpoint& operator=(const OpsEndpoint&) = delete;

    // Binds and serves; throws naming the endpoint when it cannot.
    void start();
    void stop();
    void setPhase(Phase phase);
    // Serves GET/HEAD `path` (exact match, not one of the built-in three) with handler, from
    // now on; a second call for a path replaces the handler.
    void addPath(const std::string& path, PathHandler handler);
    // The port it listens on (after start(); the real one for -p 0).
    int port() const;

    struct State;

private:
    std::shared_ptr<State> _state;
    std::unique_ptr<TC_EpollServer> _server;
};

}  // namespace tars
