// Application: the process of a TARS server. A user derives from it, implements
// initialize() (register servants with addServant<T>()) and destroyApp(), and writes
//
//   HelloServer g_app;
//   int main(int argc, char* argv[]) {
//       g_app.main(argc, argv);      // --config=HelloServer.conf
//       g_app.waitForShutdown();     // until SIGTERM/SIGINT or AdminF.shutdown()
//       return 0;
//   }
//
// main() reads the config file (ServerConfig, one BindAdapter per adapter section, the
// AdminObj on `local`), opens the log <logpath>/<app>/<server>/<app>.<server>.log, calls
// initialize(), checks that every adapter has its servant and that servant names start
// with <app>.<server>., then listens. Any error there (missing or malformed config file:
// the message names file and line; a port in use; a servant whose initialize() throws) is
// printed to stderr and logged, destroyApp() runs if initialize() did, and the process
// exits with status 1.
//
// Framework clients (docs/config.md, "Node heartbeats and remote config files"): with
// `node` set, the server sends heartbeats to its tarsnode from a timer thread
// (NodeReporter: keepActiving while initialize() runs, then reportVersion and keepAlive
// per adapter every `keepaliveinterval` ms); they never block start-up, serving or
// shutdown and stop before the communicator. addConfig()/addAppConfig() fetch a file
// from the config service named by `config` into basepath (RemoteConfig); the admin
// command `tars.loadconfig <file>` fetches it again. basepath and datapath are created
// at start when missing.
//
// The server's own client: getCommunicator() is a Communicator configured from the
// config file's /tars/application/client section (locator, timeouts, netthread ...), made
// before initialize(); servants call other services through it:
//   auto prx = Application::getCommunicator()->stringToProxy<OtherPrx>("App.Other.Obj");
//
// Shutdown: waitForShutdown() returns after SIGTERM/SIGINT, AdminF.shutdown() or
// terminate(): accepting stops, every request already read is answered and every reply
// written (within shutdowntimeout ms), servants are destroyed, destroyApp() runs, the
// communicator ends its outstanding calls and stops its threads, logs are flushed. main() blocks SIGTERM and SIGINT in
// the calling thread before any server thread starts; threads the user started before main() should block them too.
// Threads: main()/waitForShutdown() from the main thread; terminate(), the admin-command
// registration and the static getters from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "servant/BindAdapter.h"
#include "servant/Communicator.h"
#include "servant/NotifyObserver.h"
#include "servant/ProtocolParser.h"
#include "servant/RemoteNotify.h"      // TARS_NOTIFY_*: TARS servers expect them from here
#include "servant/RemoteTimeLogger.h"  // DLOG, FDLOG: likewise
#include "servant/Servant.h"
#include "servant/ServerConfig.h"
#include "servant/TC_EpollServer.h"
#include "util/tc_config.h"
#include "util/tc_logger.h"  // TLOGDEBUG ...: TARS servers expect them from here
#include "util/tc_timer.h"

namespace tars {

class Dyeing;
class NodeReporter;
class OpsEndpoint;
class RemoteConfig;
struct StatusReport;

struct Application_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

class Application {
public:
    Application();
    virtual ~Application();
    Application(const Application&) = delete;
    Application& operator=(const Application&) = delete;

    // Parses --config=FILE (also --version); starts the server. Exits the process with
    // status 1 on any start-up error (after printing it).
    void main(int argc, char* argv[]);
    // Blocks until a shutdown is requested, then shuts down gracefully.
    void waitForShutdown();
    // Requests the shutdown (async-signal-safe); waitForShutdown() does the work.
    void terminate();

    // The parsed server config file (valid once main() has read it).
    static const TC_Config& getConfig();
    static TC_EpollServer* getEpollServer();
    static Application* getApplication();
    // The server's communicator (null before main() read the config). Valid until the
    // Application is destroyed; after shutdown its calls fail with -13.
    static CommunicatorPtr getCommunicator();

    // Fetches fileName from the config service (/tars/application/server<config>) into
    // basepath/fileName, keeping up to 5 older versions as fileName.N.bak; addAppConfig
    // fetches the application's file (no server level). When the fetch fails and a local
    // copy exists, the copy is used (a warning is logged); with no copy, or with no config
    // servant and no local file, it throws Application_Exception naming the file, the
    // servant and the error (from initialize(): the server exits 1 with that message).
    // Returns true. Usable from initialize() on; from any thread.
    bool addConfig(const std::string& fileName);
    bool addAppConfig(const std::string& fileName);

    // Admin commands of the application (see NotifyObserver); usable from initialize().
    void addAdminCommandNormal(const std::string& command, AdminCommandHandler handler);
    void addAdminCommandPrefix(const std::string& command, AdminCommandHandler handler);

protected:
    // Register servants here: addServant<HelloImp>(ServerConfig::Application + "." +
    // ServerConfig::ServerName + ".HelloObj").
    virtual void initialize() = 0;
    // After the server stopped: release what initialize() acquired.
    virtual void destroyApp() = 0;
    // The sections of the program's own in its config file and their keys, checked at
    // start like the server and client sections (unknown keys reported with their line;
    // fatal with strict=1 or --strict-config). Default: none.
    virtual std::vector<ConfigKeyRule> configKeyRules() const { return {}; }

    // One instance of T per handle thread of the adapter serving objName. Throws
    // Application_Exception when no adapter serves objName.
    template <typename T>
    void addServant(const std::string& objName) {
        addServantFactory(objName, [] { return std::static_pointer_cast<Servant>(std::make_shared<T>()); });
    }
    void addServantFactory(const std::string& objName, BindAdapter::ServantFactory factory);
    // Replaces the packet parser of the adapter serving objName (a non-TARS protocol: its
    // servant implements doRequest/doClose).
    void addServantProtocol(const std::string& objName, ProtocolParser parser);
    // objName can start, stop or change servers or reveal secrets: bound to an address
    // other hosts can reach, its adapter must authenticate peers (mutual TLS with
    // allowsubjects, or -e 1) or the server refuses to start (BindAdapter::
    // setTrustedPeersOnly). The admin object (`local`) always is.
    void requireTrustedPeers(const std::string& objName);
    // Serves GET `path` on the ops endpoint (`ops`; see docs/observability.md) beside
    // /metrics, /health and /status: handler(query, contentType, body) fills the answer and
    // returns its HTTP status; it runs on the ops endpoint's own thread. False (nothing is
    // served) when the server has no ops endpoint. From initialize() on.
    bool addOpsPath(const std::string& path,
                    std::function<int(const std::string& query, std::string& contentType, std::string& body)> handler);

private:
    void start(int argc, char* argv[]);
    void setupLogging();
    void bindAdapters();
    void registerBuiltinCommands();
    void shutdown();
    bool addRemoteConfig(const std::string& fileName, bool appOnly);

    // What tars.viewstatus shows (the ops endpoint's /status too), and the ops endpoint's
    // /metrics (ServerMetrics.cpp).
    StatusReport viewStatus() const;
    std::string metricsText() const;
    void startOps();

    bool cmdHelp(const std::string& command, const std::string& params, std::string& result);
    bool cmdViewStatus(const std::string& command, const std::string& params, std::string& result);
    bool cmdSetLogLevel(const std::string& command, const std::string& params, std::string& result);
    bool cmdLoadConfig(const std::string& command, const std::string& params, std::string& result);
    bool cmdConnection(const std::string& command, const std::string& params, std::string& result);
    bool cmdViewVersion(const std::string& command, const std::string& params, std::string& result);
    bool cmdReloadCert(const std::string& command, const std::string& params, std::string& result);
    bool cmdCloseCore(const std::string& command, const std::string& params, std::string& result);

    std::unique_ptr<OpsEndpoint> _ops;  // started first, stopped last
    std::unique_ptr<TC_EpollServer> _epollServer;
    std::atomic<bool> _serving{false};  // _epollServer started: its adapters can be read
    CommunicatorPtr _communicator;
    std::unique_ptr<RemoteConfig> _remoteConfig;  // uses _communicator
    std::unique_ptr<NodeReporter> _nodeReporter;  // stopped before _communicator terminates
    std::unique_ptr<Dyeing> _dyeing;              // tars.setdyeing; published while the adapters run
    std::unique_ptr<TC_Timer> _logFlusher;        // flushes the log every second (an idle tail reaches the file)
    int _signalFd = -1;
    int _terminateFd = -1;
    int64_t _startTime = 0;
    bool _shutdownDone = false;
    bool _initialized = false;
};

}  // namespace tars
