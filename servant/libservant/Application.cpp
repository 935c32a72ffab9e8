#include "servant/Application.h"
#include "servant/RemoteNotify.h"
#include "servant/RemoteTimeLogger.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "internal/AdminServant.h"
#include "internal/NetThread.h"
#include "internal/Dyeing.h"
#include "internal/NodeReporter.h"
#include "internal/OpsEndpoint.h"
#include "internal/StatusReport.h"
#include "internal/Tracing.h"
#include "internal/RemoteConfig.h"
#include "util/tc_common.h"
#include "util/tc_file.h"
#include "util/tc_logger.h"
#include "util/tc_openssl.h"
#include "util/tc_timeprovider.h"
#include "util/tc_timer.h"

#ifndef TARS_VERSION
#define TARS_VERSION "0.1.0"
#endif

namespace tars {

namespace {

// Process-wide and never destroyed: an Application is usually a global itself, and the
// order in which globals of different files are destroyed is unspecified.
std::atomic<Application*> g_application{nullptr};
std::atomic<TC_EpollServer*> g_epollServer{nullptr};
TC_Config& serverConfig() {
    static TC_Config* config = new TC_Config();
    return *config;
}

constexpr const char* kServerPath = "/tars/application/server";

}  // namespace

Application::Application() { g_application = this; }

Application::~Application() {
    if (_ops) _ops->stop();  // its handlers read what follows
    if (_nodeReporter) _nodeReporter->stop();
    if (_epollServer && !_shutdownDone) _epollServer->stop(0);
    g_epollServer = nullptr;
    _epollServer.reset();
    Tracing::setServer(nullptr);
    Dyeing::setServer(nullptr);
    if (_communicator) _communicator->terminate();
    _logFlusher.reset();
    if (_signalFd >= 0) ::close(_signalFd);
    if (_terminateFd >= 0) ::close(_terminateFd);
    Application* self = this;
    g_application.compare_exchange_strong(self, nullptr);
}

const TC_Config& Application::getConfig() { return serverConfig(); }
TC_EpollServer* Application::getEpollServer() { return g_epollServer; }
Application* Application::getApplication() { return g_application; }
CommunicatorPtr Application::getCommunicator() {
    Application* application = g_application;
    return application ? application->_communicator : nullptr;
}

void Application::main(int argc, char* argv[]) {
    try {
        start(argc, argv);
    } catch (const std::exception& e) {
        std::string exe = argc > 0 ? TC_File::extractFileName(argv[0]) : "server";
        std::cerr << exe << ": " << e.what() << std::endl;
        TLOGERROR("[app] start failed: " << e.what() << std::endl);
        RemoteNotify::getInstance().report(std::string("[fail] start failed: ") + e.what(), true);
        RemoteNotify::getInstance().shutdown();
        RemoteTimeLogger::getInstance().shutdown();
        if (_ops) _ops->stop();
        if (_nodeReporter) _nodeReporter->stop();
        if (_epollServer) _epollServer->stop(0);
        // initialize() may have started threads of the user's: let destroyApp() stop them
        // before exit() destroys the globals they use.
        if (_initialized) {
            try {
                destroyApp();
            } catch (const std::exception& inner) {
                TLOGERROR("[app] destroyApp threw: " << inner.what() << std::endl);
            }
        }
        if (_communicator) _communicator->terminate();
        TC_Logger::global().flush();
        std::exit(EXIT_FAILURE);
    }
}

void Application::start(int argc, char* argv[]) {
    std::string configFile;
    bool strictConfig = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.starts_with("--config=")) {
            configFile = arg.substr(9);
        } else if (arg == "--strict-config") {
            strictConfig = true;
        } else if (arg == "--version") {
            std::cout << "TARS C++20 server runtime " << TARS_VERSION << std::endl;
            std::exit(EXIT_SUCCESS);
        }
    }
    std::string exe = argc > 0 ? TC_File::extractFileName(argv[0]) : "server";
    if (configFile.empty()) throw Application_Exception("usage: " + exe + " --config=<config file>");

    serverConfig().parseFile(configFile);  // errors name the file and the line
    // Unknown keys (typos) on stderr at once, with their line and the closest known key.
    std::vector<std::string> unknownKeys;
    {
        std::vector<ConfigKeyRule> rules = serverConfigKeyRules();
        for (auto& rule : configKeyRules()) rules.push_back(std::move(rule));
        unknownKeys = checkConfigKeys(configFile, TC_File::load2str(configFile), rules);
        for (const std::string& problem : unknownKeys) std::cerr << problem << std::endl;
    }
    loadServerConfig(serverConfig(), configFile, exe);
    setupLogging();
    for (const std::string& problem : unknownKeys) TLOGWARN("[config] " << problem << std::endl);
    if (!unknownKeys.empty() && (strictConfig || configBool(serverConfig(), kServerPath, "server", "strict"))) {
        throw Application_Exception(std::to_string(unknownKeys.size()) + " unknown key" +
                                    (unknownKeys.size() == 1 ? "" : "s") + " in " + configFile + " (" +
                                    (strictConfig ? "--strict-config" : std::string(kServerPath) + "<strict>=1") +
                                    " makes them fatal)");
    }
    // TARS creates them: a freshly deployed server may find neither.
    auto makeDirectory = [](const char* key, const std::string& path) {
        try {
            TC_File::makeDirRecursive(path);
        } catch (const std::exception& e) {
            throw Application_Exception(std::string("config ") + kServerPath + "<" + key + ">: " + e.what());
        }
    };
    makeDirectory("basepath", ServerConfig::BasePath);
    makeDirectory("datapath", ServerConfig::DataPath);

    // Signals: taken by waitForShutdown() through a signalfd; blocked before any thread starts
    // so that every thread inherits the mask.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    _signalFd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    _terminateFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (_signalFd < 0 || _terminateFd < 0) throw Application_Exception("signalfd/eventfd", errno);

    // The server's client side; its threads start at the first stringToProxy.
    _communicator = std::make_shared<Communicator>(serverConfig(), Communicator::CONFIG_ROOT_PATH);
    // A server is App.Server in the call statistics, in its set when it is in one.
    const std::string appServer = ServerConfig::Application + "." + ServerConfig::ServerName;
    if (_communicator->getProperty("modulename").empty()) _communicator->setProperty("modulename", appServer);
    // Endpoints resolved through the registry are kept where TarsCpp keeps them.
    if (_communicator->getProperty("endpoint-cache").empty()) {
        _communicator->setProperty("endpoint-cache",
                                   ServerConfig::DataPath + "/" + ServerConfig::ServerName + ".tarsdat");
    }
    // Set routing: the server's set is its client's too (unless the client section names
    // its own); a malformed one is off, said once here.
    if (!ServerConfig::SetDivisionProblem.empty()) {
        TLOGWARN("[server] set routing is off: /tars/application<setdivision> " << ServerConfig::SetDivisionProblem
                                                                                << std::endl);
    } else if (!ServerConfig::SetDivision.empty()) {
        TLOGINFO("[server] in set " << ServerConfig::SetDivision << (ServerConfig::IsCheckSet ? ", checkset on" : "")
                                    << std::endl);
    }
    if (_communicator->getProperty("setdivision").empty() && !ServerConfig::SetDivision.empty()) {
        _communicator->setProperty("enableset", "y");
        _communicator->setProperty("setdivision", ServerConfig::SetDivision);
    }

    // The ops endpoint first: its call totals must be kept before anything starts the
    // communicator (tracing below may).
    if (!ServerConfig::Ops.empty()) startOps();

    // Tracing: the server keys, unless the client section has its own; with either (or the
    // OTEL_* variables) the communicator starts now, and its tracing serves the adapters too.
    for (const char* key : {"tracing-endpoint", "tracing-sample-ratio"}) {
        std::string value = serverConfig().get(std::string("/tars/application/server<") + key + ">", "");
        if (_communicator->getProperty(key).empty() && !value.empty()) _communicator->setProperty(key, value);
    }
    {
        Tracing::Settings tracing;
        if (Tracing::settingsFrom(_communicator->getProperty("tracing-endpoint"),
                                  _communicator->getProperty("tracing-sample-ratio"), tracing)) {
            _communicator->getStatReport();  // starts the communicator, which makes its tracing
            Tracing::setServer(_communicator->tracing());
        }
    }

    const std::string& setDivision = ServerConfig::SetDivision;
    RemoteNotify::getInstance().setNotifyInfo(_communicator, ServerConfig::Notify, ServerConfig::Application,
                                              ServerConfig::ServerName, setDivision, ServerConfig::NodeName);
    RemoteTimeLogger::getInstance().setLogInfo(_communicator, ServerConfig::Log, ServerConfig::Application,
                                               ServerConfig::ServerName, ServerConfig::LogPath, setDivision);

    RemoteConfig::Options configOptions;
    configOptions.configObj = ServerConfig::Config;
    configOptions.application = ServerConfig::Application;
    configOptions.serverName = ServerConfig::ServerName;
    configOptions.basePath = ServerConfig::BasePath;
    configOptions.host = ServerConfig::NodeName;
    configOptions.setDivision = ServerConfig::SetDivision;
    _remoteConfig = std::make_unique<RemoteConfig>(_communicator, std::move(configOptions));

    if (!ServerConfig::Node.empty()) {
        NodeReporter::Options nodeOptions;
        nodeOptions.nodeObj = ServerConfig::Node;
        nodeOptions.application = ServerConfig::Application;
        nodeOptions.serverName = ServerConfig::ServerName;
        nodeOptions.version = TARS_VERSION;
        nodeOptions.keepAliveIntervalMs = ServerConfig::KeepAliveIntervalMs;
        _nodeReporter = std::make_unique<NodeReporter>(_communicator, std::move(nodeOptions));
        _nodeReporter->startActivating();
    }

    _logFlusher = std::make_unique<TC_Timer>();
    _logFlusher->postRepeated(1000, false, [] { TC_Logger::global().flush(); });

    _epollServer = std::make_unique<TC_EpollServer>(static_cast<size_t>(ServerConfig::NetThread));
    g_epollServer = _epollServer.get();
    bindAdapters();
    if (!_communicator->getProperty("property").empty()) {
        // The framework's own properties of each adapter, as TARS servers report them.
        StatReport* report = _communicator->getStatReport();
        report->setServerName(appServer);
        report->setLocalIp(ServerConfig::LocalIp);
        const std::vector<int> points = {5, 10, 50, 100, 200, 500, 1000, 2000, 3000};
        for (const auto& adapter : _epollServer->getAdapters()) {
            if (adapter->getName() == AdminServant::kAdapterName) continue;
            const std::string& name = adapter->getName();
            auto properties = std::make_unique<BindAdapter::Properties>();
            properties->queueWaitTime = report->createPropertyReport(
                name + ".queueWaitTime", PropertyReport::avg(), PropertyReport::min(), PropertyReport::max(),
                PropertyReport::count(), PropertyReport::distr(points));
            properties->servantHandleTime = report->createPropertyReport(
                name + ".servantHandleTime", PropertyReport::avg(), PropertyReport::min(), PropertyReport::max(),
                PropertyReport::count(), PropertyReport::distr(points));
            properties->timeoutNum = report->createPropertyReport(name + ".timeoutNum", PropertyReport::sum());
            adapter->setProperties(std::move(properties));
            // Sampled once per interval by the reporter: the queue's size and the
            // connections accepted since the previous sample.
            auto queue = report->createPropertyReport(name + ".queue", PropertyReport::avg());
            auto connectRate = report->createPropertyReport(name + ".connectRate", PropertyReport::avg());
            std::weak_ptr<BindAdapter> weak = adapter;
            auto lastAccepted = std::make_shared<uint64_t>(0);
            report->addSampler([weak, queue, connectRate, lastAccepted] {
                auto a = weak.lock();
                if (!a) return;
                queue->report(static_cast<int64_t>(a->getQueueSize()));
                uint64_t accepted = a->stats().accepted.load(std::memory_order_relaxed);
                connectRate->report(static_cast<int64_t>(accepted - *lastAccepted));
                *lastAccepted = accepted;
            });
        }
    }
    if (!_communicator->getProperty("stat").empty() || _ops) {
        // The calls the adapters answer go to the stat service too (bFromClient=false), and
        // to the ops endpoint's metrics.
        StatReport* report = _communicator->getStatReport();
        report->setServerName(appServer);
        for (const auto& adapter : _epollServer->getAdapters()) {
            if (adapter->getName() == AdminServant::kAdapterName) continue;
            const std::string& host = adapter->getEndpoint().getHost();
            // A unix endpoint's host is its socket path: its calls count under this host's ip.
            bool local = host == "0.0.0.0" || host == "*" || adapter->getEndpoint().isUnix();
            adapter->setStatIp(local ? ServerConfig::LocalIp : host);
            adapter->setServedStats(report->servedCalls());
        }
    }
    registerBuiltinCommands();

    _initialized = true;  // even if it throws half-way: destroyApp() must clean up
    initialize();

    _startTime = TC_TimeProvider::getInstance()->getNow();  // before any admin thread can read it
    _epollServer->start();
    _serving.store(true, std::memory_order_release);
    if (_ops) _ops->setPhase(OpsEndpoint::Phase::Serving);
    if (_nodeReporter) _nodeReporter->startServing(_epollServer->getAdapters());
    std::ostringstream os;
    for (const auto& a : _epollServer->getAdapters()) {
        os << " " << a->getServant() << "@" << a->getEndpoint().toString() << " (port " << a->getBoundPort() << ")";
    }
    TLOGINFO("[app] " << ServerConfig::Application << "." << ServerConfig::ServerName << " started, pid " << ::getpid()
                      << ", serving" << os.str() << std::endl);
    RemoteNotify::getInstance().report("restart");  // TARS's text for "started"
}

void Application::startOps() {
    // Totals of the calls made and served from the first call on, whether or not `stat` is set.
    _communicator->keepCallTotals();
    OpsEndpoint::Handlers handlers;
    handlers.metrics = [this] { return metricsText(); };
    handlers.status = [this] { return viewStatus().json(); };
    try {
        _ops = std::make_unique<OpsEndpoint>(ServerConfig::Ops, std::move(handlers));
        _ops->start();
    } catch (const std::exception& e) {
        throw Application_Exception(std::string("config ") + kServerPath + "<ops>: " + e.what());
    }
    TLOGINFO("[ops] HTTP ops endpoint on " << ServerConfig::Ops << " (port " << _ops->port()
                                           << "): /metrics, /health, /status" << std::endl);
}

void Application::setupLogging() {
    std::string dir = ServerConfig::LogPath + "/" + ServerConfig::Application + "/" + ServerConfig::ServerName;
    std::string file = dir + "/" + ServerConfig::Application + "." + ServerConfig::ServerName + ".log";
    TC_Logger::global().setRollBySize(file, ServerConfig::LogSize, static_cast<size_t>(ServerConfig::LogNum));
    TC_Logger::global().setLogLevel(ServerConfig::LogLevel);
}

void Application::bindAdapters() {
    const std::string prefix = ServerConfig::Application + "." + ServerConfig::ServerName + ".";
    for (const std::string& name : serverConfig().getDomainVector(kServerPath)) {
        auto adapter = BindAdapter::fromConfig(serverConfig(), name, ServerConfig::LocalIp, ServerConfig::MergeNetImp);
        if (!adapter->getServant().starts_with(prefix)) {
            throw Application_Exception("adapter " + name + ": servant " + adapter->getServant() + " must start with " +
                                        prefix + " (app.server. of this server)");
        }
        adapter->setBackPacketLimit(ServerConfig::BackPacketLimit);
        _epollServer->addAdapter(adapter);
    }
    if (!ServerConfig::Local.empty()) {
        TC_Endpoint endpoint;
        try {
            endpoint.parse(ServerConfig::Local);
        } catch (const TC_Exception& e) {
            throw Application_Exception(std::string("config ") + kServerPath + "<local>: " + e.what());
        }
        if (endpoint.getHost() == "localip") endpoint.setHost(ServerConfig::LocalIp);
        auto admin = std::make_shared<BindAdapter>(AdminServant::kAdapterName, endpoint, AdminServant::kServantName);
        admin->setHandleNum(1);
        admin->setMaxConns(64);
        admin->setBackPacketLimit(ServerConfig::BackPacketLimit);
        admin->setServantFactory([] { return std::static_pointer_cast<Servant>(std::make_shared<AdminServant>()); });
        admin->setTrustedPeersOnly(true);  // admin commands can stop and reconfigure this server
        _epollServer->addAdapter(admin);
    }
}

void Application::addServantFactory(const std::string& objName, BindAdapter::ServantFactory factory) {
    if (!_epollServer) throw Application_Exception("addServant(" + objName + ") called before main()");
    auto adapter = _epollServer->getAdapterByServant(objName);
    if (!adapter) {
        throw Application_Exception("addServant: no adapter in " + ServerConfig::ConfigFile + " serves " + objName);
    }
    adapter->setServantFactory(std::move(factory));
}

void Application::requireTrustedPeers(const std::string& objName) {
    if (!_epollServer) throw Application_Exception("requireTrustedPeers(" + objName + ") called before main()");
    auto adapter = _epollServer->getAdapterByServant(objName);
    if (!adapter) {
        throw Application_Exception("requireTrustedPeers: no adapter in " + ServerConfig::ConfigFile + " serves " +
                                    objName);
    }
    adapter->setTrustedPeersOnly(true);
}

bool Application::addOpsPath(
    const std::string& path,
    std::function<int(const std::string& query, std::string& contentType, std::string& body)> handler) {
    if (!_ops) return false;
    _ops->addPath(path, std::move(handler));
    return true;
}

void Application::addServantProtocol(const std::string& objName, ProtocolParser parser) {
    if (!_epollServer) throw Application_Exception("addServantProtocol(" + objName + ") called before main()");
    auto adapter = _epollServer->getAdapterByServant(objName);
    if (!adapter) {
        throw Application_Exception("addServantProtocol: no adapter in " + ServerConfig::ConfigFile + " serves " +
                                    objName);
    }
    adapter->setProtocolParser(std::move(parser));
}

bool Application::addConfig(const std::string& fileName) { return addRemoteConfig(fileName, false); }

bool Application::addAppConfig(const std::string& fileName) { return addRemoteConfig(fileName, true); }

bool Application::addRemoteConfig(const std::string& fileName, bool appOnly) {
    if (!_remoteConfig) {
        throw Application_Exception((appOnly ? "addAppConfig(" : "addConfig(") + fileName + ") called before main()");
    }
    try {
        std::string what = _remoteConfig->add(fileName, appOnly);
        TLOGINFO("[config] " << what << std::endl);
        RemoteNotify::getInstance().report("[succ] " + what);
    } catch (const std::exception& e) {
        RemoteNotify::getInstance().report(std::string("[fail] ") + e.what());
        throw Application_Exception(e.what());
    }
    return true;
}

void Application::addAdminCommandNormal(const std::string& command, AdminCommandHandler handler) {
    NotifyObserver::getInstance().registerNormal(command, std::move(handler));
}

void Application::addAdminCommandPrefix(const std::string& command, AdminCommandHandler handler) {
    NotifyObserver::getInstance().registerPrefix(command, std::move(handler));
}

void Application::terminate() {
    if (_terminateFd < 0) return;
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(_terminateFd, &one, sizeof(one));
}

void Application::waitForShutdown() {
    if (!_epollServer || _shutdownDone) return;
    pollfd fds[2] = {{_signalFd, POLLIN, 0}, {_terminateFd, POLLIN, 0}};
    while (true) {
        int n = ::poll(fds, 2, -1);
        if (n > 0) break;
        if (n < 0 && errno != EINTR) {
            TLOGERROR("[app] poll: " << errnoText(errno) << std::endl);
            break;
        }
    }
    if (fds[0].revents & POLLIN) {
        signalfd_siginfo info{};
        if (::read(_signalFd, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
            TLOGINFO("[app] signal " << info.ssi_signo << " received: shutting down" << std::endl);
        }
    } else {
        TLOGINFO("[app] shutdown requested" << std::endl);
    }
    shutdown();
}

void Application::shutdown() {
    if (_shutdownDone) return;
    _shutdownDone = true;
    // A servant that never returns must not keep the process alive forever.
    std::mutex mutex;
    std::condition_variable cond;
    bool finished = false;
    int64_t bound = ServerConfig::ShutdownTimeoutMs + 10000;
    std::thread watchdog([&] {
        std::unique_lock lock(mutex);
        if (!cond.wait_for(lock, std::chrono::milliseconds(bound), [&] { return finished; })) {
            TLOGERROR("[app] shutdown did not finish within " << bound << " ms: exiting" << std::endl);
            TC_Logger::global().flush();
            ::_exit(EXIT_FAILURE);
        }
    });

    int64_t begin = TC_TimeProvider::steadyNowMs();
    if (_ops) _ops->setPhase(OpsEndpoint::Phase::Stopping);
    // The server is going away: the node learns it from the process exit.
    if (_nodeReporter) _nodeReporter->stop();
    _epollServer->stop(ServerConfig::ShutdownTimeoutMs);
    Tracing::setServer(nullptr);  // the adapters are gone; the communicator goes next
    Dyeing::setServer(nullptr);
    try {
        destroyApp();
    } catch (const std::exception& e) {
        TLOGERROR("[app] destroyApp threw: " << e.what() << std::endl);
    }
    NotifyObserver::getInstance().clear();
    RemoteNotify::getInstance().report("stop", true);
    RemoteNotify::getInstance().shutdown();
    RemoteTimeLogger::getInstance().shutdown();
    // After destroyApp(), which may still call out; from this (the main) thread, never
    // from one of the communicator's own.
    _communicator->terminate();
    TLOGINFO("[app] " << ServerConfig::Application << "." << ServerConfig::ServerName << " stopped in "
                      << TC_TimeProvider::steadyNowMs() - begin << " ms" << std::endl);
    if (_ops) _ops->stop();
    if (_logFlusher) _logFlusher->stopTimer();
    TC_Logger::global().flush();
    {
        std::lock_guard lock(mutex);
        finished = true;
    }
    cond.notify_all();
    watchdog.join();
}

void Application::registerBuiltinCommands() {
    auto add = [this](const char* name, bool (Application::*fn)(const std::string&, const std::string&, std::string&)) {
        NotifyObserver::getInstance().registerNormal(name, [this, fn](const std::string& c, const std::string& p,
                                                                      std::string& r) { return (this->*fn)(c, p, r); });
    };
    add("tars.help", &Application::cmdHelp);
    add("tars.viewstatus", &Application::cmdViewStatus);
    add("tars.setloglevel", &Application::cmdSetLogLevel);
    add("tars.loadconfig", &Application::cmdLoadConfig);
    add("tars.connection", &Application::cmdConnection);
    add("tars.viewversion", &Application::cmdViewVersion);
    add("tars.reloadcert", &Application::cmdReloadCert);
    add("tars.closecore", &Application::cmdCloseCore);
    _dyeing = std::make_unique<Dyeing>(ServerConfig::LogPath);
    Dyeing::setServer(_dyeing.get());
    NotifyObserver::getInstance().registerNormal(
        "tars.setdyeing", [dyeing = _dyeing.get()](const std::string&, const std::string& params, std::string& result) {
            result = dyeing->command(params);
            return true;
        });
    NotifyObserver::getInstance().registerNormal(
        "tars.enabledaylog", [](const std::string&, const std::string& params, std::string& result) {
            result = RemoteTimeLogger::getInstance().enableCommand(params);
            return true;
        });
}

bool Application::cmdReloadCert(const std::string&, const std::string&, std::string& result) {
    // Each ssl adapter reads its certificate, key and CA files again; new connections use
    // them, open ones keep the session they have. A failure keeps that adapter's old files.
    std::ostringstream os;
    bool any = false;
    for (const auto& a : _epollServer->getAdapters()) {
        if (!a->isTls()) continue;
        any = true;
        std::string error = a->reloadTls();
        if (error.empty()) {
            os << "[succ] " << a->getName() << ": " << a->tlsContext()->certificateSummary() << "\n";
            TLOGINFO("[tls] tars.reloadcert: " << a->getName() << " reloaded" << std::endl);
        } else {
            os << "[fail] " << error << "\n";
            TLOGERROR("[tls] tars.reloadcert: " << error << std::endl);
        }
    }
    result = any ? os.str() : "[fail] no ssl adapter\n";
    return true;
}

bool Application::cmdCloseCore(const std::string&, const std::string& params, std::string& result) {
    // TARS's command: "yes" turns core files off (soft RLIMIT_CORE 0), "no" allows them up
    // to the hard limit (the node raises its own, which its servers inherit).
    std::string answer = TC_Common::lower(TC_Common::trim(params));
    if (answer != "yes" && answer != "no") {
        result = "[fail] usage: tars.closecore yes|no";
        return true;
    }
    rlimit core{};
    if (::getrlimit(RLIMIT_CORE, &core) != 0) {
        result = std::string("[fail] getrlimit: ") + std::strerror(errno);
        return true;
    }
    core.rlim_cur = answer == "yes" ? 0 : core.rlim_max;
    if (::setrlimit(RLIMIT_CORE, &core) != 0) {
        result = std::string("[fail] setrlimit: ") + std::strerror(errno);
        return true;
    }
    result = answer == "yes" ? "[succ] core files off"
                             : "[succ] core files on, up to " + (core.rlim_max == RLIM_INFINITY
                                                                     ? std::string("no limit")
                                                                     : std::to_string(core.rlim_max) + " bytes");
    return true;
}

bool Application::cmdHelp(const std::string&, const std::string&, std::string& result) {
    std::ostringstream os;
    os << "commands:\n";
    for (const std::string& c : NotifyObserver::getInstance().commands()) os << "  " << c << "\n";
    result = os.str();
    return true;
}

bool Application::cmdViewStatus(const std::string&, const std::string&, std::string& result) {
    result = viewStatus().text();
    return true;
}

StatusReport Application::viewStatus() const {
    StatusReport report;
    int64_t uptime = _startTime == 0 ? 0 : TC_TimeProvider::getInstance()->getNow() - _startTime;
    report.section("")
        .add("app", ServerConfig::Application)
        .add("server", ServerConfig::ServerName)
        .add("pid", static_cast<int64_t>(::getpid()))
        .add("uptime", std::to_string(uptime) + "s")
        .add("netthread", ServerConfig::NetThread)
        .add("mergenetimp", ServerConfig::MergeNetImp)
        .add("loglevel", TC_Logger::levelName(TC_Logger::global().getLogLevel()));
    if (_communicator && !_communicator->getProperty("stat").empty()) {
        StatReport::Counters c = _communicator->getStatReport()->counters();
        report.section("stat")
            .add("stat.reports.sent", c.reportsSent)
            .add("stat.reports.failed", c.reportsFailed)
            .add("stat.rows.sent", c.rowsSent)
            .add("stat.rows.dropped", c.rowsDropped);
    }
    if (_communicator && _communicator->tracingSampleRatio() >= 0) {
        Communicator::TraceCounters t = _communicator->traceCounters();
        report.section("trace")
            .add("trace.sample.ratio", std::to_string(_communicator->tracingSampleRatio()))
            .add("trace.spans.exported", t.exported)
            .add("trace.spans.dropped", t.dropped)
            .add("trace.posts.failed", t.failedPosts);
    }
    {
        RemoteTimeLogger::Counters d = RemoteTimeLogger::getInstance().counters();
        report.section("daylog")
            .add("daylog.lines.written", d.linesWritten)
            .add("daylog.lines.sent", d.linesSent)
            .add("daylog.lines.dropped", d.linesDropped)
            .add("daylog.calls.failed", d.callsFailed);
    }
    TC_EpollServer* server = _serving.load(std::memory_order_acquire) ? _epollServer.get() : nullptr;
    if (server == nullptr) return report;  // still starting: the adapters are being made
    for (const auto& a : server->getAdapters()) {
        const AdapterStats& s = a->stats();
        auto v = [](const std::atomic<uint64_t>& x) { return x.load(std::memory_order_relaxed); };
        auto& section = report.section("adapter", a->getName());
        section.add("endpoint", a->getEndpoint().toString())
            .add("port", a->getBoundPort())
            .add("servant", a->getServant())
            .add("protocol", a->getProtocolName())
            .add("threads", a->getHandleNum())
            .add("merge", a->isMerge())
            .add("maxconns", a->getMaxConns())
            .add("queuecap", a->getQueueCapacity())
            .add("queuetimeout", a->getQueueTimeout())
            .add("conn.current", a->getConnectionCount())
            .add("conn.accepted", v(s.accepted))
            .add("conn.refused.maxconns", v(s.refusedMaxConns))
            .add("conn.refused.denied", v(s.refusedDenied))
            .add("conn.closed.peer", v(s.closedByPeer))
            .add("conn.closed.idle", v(s.closedIdle))
            .add("conn.closed.badpacket", v(s.closedBadPacket))
            .add("conn.closed.sendlimit", v(s.closedSendLimit))
            .add("conn.closed.server", v(s.closedByServer))
            .add("conn.closed.error", v(s.closedOnError));
        if (a->isTls()) {
            auto context = a->tlsContext();
            section.add("tls.cert", context ? context->certificateSummary() : std::string())
                .add("tls.verifyclient", context && context->options().verifyPeer)
                .add("tls.handshakes", v(s.tlsHandshakes))
                .add("tls.failed.nottls", v(s.tlsNotTls))
                .add("tls.failed.certificate", v(s.tlsCertRejected))
                .add("tls.failed.protocol", v(s.tlsProtocolErrors))
                .add("tls.failed.timeout", v(s.tlsHandshakeTimeouts))
                .add("tls.failed.closed", v(s.tlsClosedInHandshake));
        }
        if (a->isDatagram()) {
            section.add("udp.dropped.toolarge", v(s.datagramsTooLarge))
                .add("udp.dropped.bad", v(s.datagramsBad))
                .add("udp.rsp.toolarge", v(s.responsesTooLarge));
        }
        section.add("queue.size", a->getQueueSize())
            .add("queue.max", v(s.maxQueueDepth))
            .add("req.total", v(s.requests))
            .add("req.oneway", v(s.oneway))
            .add("req.refused.invalidset", v(s.refusedInvalidSet))
            .add("rsp.total", v(s.responses))
            .add("rsp.dropped", v(s.droppedResponses));
        for (int code : {0, -1, -2, -3, -4, -6, -9, -99})
            section.add("ret." + std::to_string(code), s.resultCount(code));
        section.add("ret.other", s.resultCount(1));
        if (a->requiresAuth()) {
            section.add("auth.succ", v(s.authSucceeded));
            for (int code = -100; code >= -106; --code) {
                section.add("auth.fail." + std::to_string(code), s.authFailureCount(code));
            }
        }
        section.add("latency.queuewait", s.queueWait.summary()).add("latency.handle", s.handleTime.summary());
    }
    return report;
}

bool Application::cmdSetLogLevel(const std::string&, const std::string& params, std::string& result) {
    std::string level = TC_Common::upper(TC_Common::trim(params));
    if (TC_Logger::global().setLogLevel(level)) {
        result = "set log level [" + level + "] ok";
    } else {
        result = "set log level [" + level + "] error: use NONE, ERROR, WARN, INFO, DEBUG or TARS";
    }
    return true;
}

bool Application::cmdLoadConfig(const std::string&, const std::string& params, std::string& result) {
    // Handlers of servants registered for tars.loadconfig run after this one and find the
    // new file in basepath.
    std::string file = TC_Common::trim(params);
    if (file.empty() || file.find('/') != std::string::npos || file == "." || file == "..") {
        result = "[fail] usage: tars.loadconfig <file name> (a plain file name in basepath)";
        return true;
    }
    try {
        result = "[succ] " + _remoteConfig->reload(file);
        TLOGINFO("[config] tars.loadconfig: " << result << std::endl);
    } catch (const std::exception& e) {
        result = std::string("[fail] ") + e.what();
        TLOGWARN("[config] tars.loadconfig: " << result << std::endl);
    }
    RemoteNotify::getInstance().report(result);
    return true;
}

bool Application::cmdConnection(const std::string&, const std::string&, std::string& result) {
    std::ostringstream os;
    size_t total = 0;
    for (const auto& t : _epollServer->getNetThreads()) total += t->getConnectionCount();
    os << "connections: " << total << "\n" << _epollServer->connectionsReport();
    result = os.str();
    return true;
}

bool Application::cmdViewVersion(const std::string&, const std::string&, std::string& result) {
    result = std::string("tars version: ") + TARS_VERSION + " (C++20)";
    return true;
}

}  // namespace tars
