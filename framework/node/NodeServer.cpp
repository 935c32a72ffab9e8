#include "NodeServer.h"

#include <sys/resource.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "NodeImp.h"
#include "ServerImp.h"
#include "util/tc_endpoint.h"
#include "util/tc_file.h"
#include "util/tc_logger.h"

#ifndef TARS_VERSION
#error "TARS_VERSION must be defined"
#endif

namespace tars {

namespace {

// The endpoint servers and the registry reach an adapter on: a wildcard or "localip"
// host becomes localip.
std::string publishedEndpoint(const std::string& text) {
    TC_Endpoint ep(text);
    const std::string& host = ep.getHost();
    if (host == "0.0.0.0" || host == "*" || host == "localip" || host == "::") ep.setHost(ServerConfig::LocalIp);
    return ep.toString();
}

// An absolute directory path ending with '/' (relative paths are taken from the cwd).
std::string absoluteDirectory(const std::string& path) {
    std::string out = path.empty() ? "." : path;
    if (!out.starts_with('/')) {
        std::string cwd(4096, '\0');
        if (::getcwd(cwd.data(), cwd.size()) == nullptr) throw Application_Exception("getcwd", errno);
        cwd.resize(std::strlen(cwd.c_str()));
        out = cwd + "/" + (out == "." ? "" : out);
    }
    if (!out.ends_with('/')) out += '/';
    return out;
}

}  // namespace

std::vector<ConfigKeyRule> NodeServer::configKeyRules() const { return configKeyRulesOf(nodeConfigKeys()); }

void NodeServer::initialize() {
    // The servers inherit the node's limits: allow core files up to the hard limit (a
    // server turns them off with tars.closecore yes), so that a crash leaves one.
    rlimit core{};
    if (::getrlimit(RLIMIT_CORE, &core) == 0 && core.rlim_cur != core.rlim_max) {
        core.rlim_cur = core.rlim_max;
        if (::setrlimit(RLIMIT_CORE, &core) != 0) {
            TLOGWARN("[node] cannot raise the core file limit: " << std::strerror(errno) << std::endl);
        }
    }
    const std::string prefix = ServerConfig::Application + "." + ServerConfig::ServerName + ".";
    const std::string serverObj = prefix + "ServerObj";
    const std::string nodeObj = prefix + "NodeObj";

    NodeSettings settings =
        NodeSettings::fromConfig(getConfig(), ServerConfig::ConfigFile, _nodeIdArgument, ServerConfig::NodeName);

    NodeContext context;
    const std::string serverSection = "/tars/application/server";
    for (const auto& adapter : getConfig().getDomainVector(serverSection)) {
        std::string path = serverSection + "/" + adapter;
        std::string servant = getConfig().get(path + "<servant>");
        if (servant == serverObj)
            context.serverObj = serverObj + "@" + publishedEndpoint(getConfig().get(path + "<endpoint>"));
        if (servant == nodeObj)
            context.nodeObj = nodeObj + "@" + publishedEndpoint(getConfig().get(path + "<endpoint>"));
    }
    if (context.serverObj.empty() || context.nodeObj.empty()) {
        throw Application_Exception("config file '" + ServerConfig::ConfigFile + "': tarsnode needs adapters serving " +
                                    serverObj + " and " + nodeObj);
    }
    context.nodeName = settings.nodeName;
    // The node's events about its servers (restarts) carry the node's name (server key `notify`).
    RemoteNotify::getInstance().setNotifyInfo(getCommunicator(), ServerConfig::Notify, ServerConfig::Application,
                                              ServerConfig::ServerName, "", settings.nodeName);
    context.localIp = ServerConfig::LocalIp;
    context.locator = getConfig().get("/tars/application/client<locator>");
    context.dataPath = absoluteDirectory(ServerConfig::DataPath);
    context.logPath = absoluteDirectory(ServerConfig::LogPath);
    context.serverKeepAliveIntervalMs = settings.serverKeepAliveIntervalMs;
    context.version = TARS_VERSION;
    TC_File::makeDirRecursive(context.dataPath);
    TC_File::makeDirRecursive(context.logPath);

    _service = std::make_unique<NodeService>(std::move(settings), std::move(context), getCommunicator());
    NodeService* service = _service.get();
    addServantFactory(serverObj,
                      [service] { return std::static_pointer_cast<Servant>(std::make_shared<ServerImp>(*service)); });
    addServantFactory(nodeObj, [service, this] {
        return std::static_pointer_cast<Servant>(std::make_shared<NodeImp>(*service, [this] { terminate(); }));
    });
    // Both start, stop and reconfigure this host's servers.
    requireTrustedPeers(serverObj);
    requireTrustedPeers(nodeObj);
    _service->start();
}

void NodeServer::destroyApp() {
    // The servants are gone by now; the servers keep running.
    if (_service) _service->stop();
    _service.reset();
}

}  // namespace tars

int main(int argc, char* argv[]) {
    std::string nodeId;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.starts_with("--nodeid=")) nodeId = arg.substr(9);
    }
    tars::NodeServer app(nodeId);
    app.main(argc, argv);
    app.waitForShutdown();
    return 0;
}
