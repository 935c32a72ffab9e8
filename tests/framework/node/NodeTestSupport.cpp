#include "NodeTestSupport.h"

#include <dirent.h>
#include <signal.h>

#include <climits>
#include <ctime>
#include <sstream>

#include "util/tc_common.h"
#include "util/tc_file.h"

#ifndef TARS_NODE_PATH
#error "TARS_NODE_PATH must name the tarsnode executable"
#endif

namespace tars::test {

namespace {

std::string procFile(pid_t pid, const char* name) { return readFile("/proc/" + std::to_string(pid) + "/" + name); }

char procState(pid_t pid) {
    std::string stat = procFile(pid, "stat");
    size_t close = stat.rfind(')');
    if (close == std::string::npos || close + 2 >= stat.size()) return 0;
    return stat[close + 2];
}

std::string commandLine(pid_t pid) {
    std::string text = procFile(pid, "cmdline");
    for (char& c : text) {
        if (c == '\0') c = ' ';
    }
    return text;
}

}  // namespace

std::string readFile(const std::string& path) {
    try {
        return TC_File::load2str(path);
    } catch (const std::exception&) {
        return "";
    }
}

bool processAlive(pid_t pid) {
    if (pid <= 0) return false;
    char state = procState(pid);
    return state != 0 && state != 'Z' && state != 'X';
}

std::vector<pid_t> processesWith(const std::string& marker) {
    std::vector<pid_t> out;
    DIR* proc = ::opendir("/proc");
    if (!proc) return out;
    while (dirent* entry = ::readdir(proc)) {
        auto pid = TC_Common::tryStrto<int>(entry->d_name);
        if (!pid || *pid <= 0) continue;
        if (commandLine(*pid).find(marker) != std::string::npos && processAlive(*pid)) out.push_back(*pid);
    }
    ::closedir(proc);
    return out;
}

void deployServer(RegistryStore& store, const std::string& node, const std::string& server, int port,
                  const std::string& exe, const std::string& profile, const std::string& setting) {
    ServerConf s;
    s.application = "TestApp";
    s.serverName = server;
    s.nodeName = node;
    s.exePath = exe;
    s.settingState = setting;
    s.presentState = "inactive";
    s.profile = profile;
    AdapterConf a;
    a.adapterName = "TestApp." + server + ".HelloObjAdapter";
    a.servant = "TestApp." + server + ".HelloObj";
    a.endpoint = "tcp -h 127.0.0.1 -p " + std::to_string(port) + " -t 60000";
    a.threadNum = 2;
    store.deployServer(s, {a}, static_cast<int64_t>(::time(nullptr)));
}

NodeProcess::NodeProcess(const RegistryProcess& registry, NodeOptions options)
    : _registry(registry),
      _options(std::move(options)),
      _process(TARS_NODE_PATH),
      _communicator(std::make_shared<Communicator>()) {
    _prx = _communicator->stringToProxy<NodePrx>("tars.tarsnode.NodeObj@tcp -h 127.0.0.1 -p " +
                                                 std::to_string(_nodeObj.port()) + " -t 60000");
    _prx->tars_set_timeout(80000);
    CheckTimeoutInfo check;  // the node restarts in some tests: never isolate it for long
    check.minTimeoutInvoke = INT_MAX / 2;
    check.frequenceFailInvoke = INT_MAX / 2;
    check.tryTimeInterval = 500;
    check.minReconnectMs = 50;
    check.maxReconnectMs = 200;
    _prx->tars_set_check_timeout(check);
}

NodeProcess::~NodeProcess() { cleanup(); }

std::string NodeProcess::configText() const {
    std::ostringstream os;
    os << "<tars>\n  <application>\n    <client>\n"
       << "      locator = tars.tarsregistry.QueryObj@" << _registry.queryEndpoint() << "\n"
       << "    </client>\n    <server>\n"
       << "      app = tars\n      server = tarsnode\n      localip = 127.0.0.1\n"
       << "      local = tcp -h 127.0.0.1 -p " << _admin.port() << " -t 10000\n"
       << "      logpath = @DIR@/log\n      datapath = @DIR@/data\n      logLevel = DEBUG\n"
       << _options.extraServer << "      <tars.tarsnode.ServerObjAdapter>\n"
       << "        endpoint = tcp -h 127.0.0.1 -p " << _serverObj.port() << " -t 60000\n"
       << "        servant = tars.tarsnode.ServerObj\n        threads = 2\n"
       << "      </tars.tarsnode.ServerObjAdapter>\n"
       << "      <tars.tarsnode.NodeObjAdapter>\n"
       << "        endpoint = tcp -h 127.0.0.1 -p " << _nodeObj.port() << " -t 60000\n"
       << "        servant = tars.tarsnode.NodeObj\n        threads = 4\n        queuetimeout = 80000\n"
       << "      </tars.tarsnode.NodeObjAdapter>\n"
       << "    </server>\n  </application>\n"
       << "  <node>\n"
       << "    registryObj = tars.tarsregistry.RegistryObj"
       << (_options.registryByName ? std::string()
                                   : "@tcp -h 127.0.0.1 -p " + std::to_string(_registry.registryPort()) + " -t 60000")
       << "\n    nodename = " << _options.nodeName << "\n"
       << "    drainWait = " << _options.drainWaitMs << "\n"
       << "    <keepalive>\n"
       << "      heartTimeout = " << _options.heartTimeoutSeconds << "\n"
       << "      monitorInterval = " << _options.monitorIntervalSeconds << "\n"
       << "      reportAliveInterval = " << _options.reportAliveIntervalSeconds << "\n"
       << "      synStatInterval = " << _options.synStatIntervalSeconds << "\n"
       << "      serverKeepAliveInterval = " << _options.serverKeepAliveIntervalMs << "\n"
       << _options.extraNode << "\n"
       << "    </keepalive>\n  </node>\n"
       << "  <app_conf>\n    <default>\n"
       << "      ActivatorMaxCount = " << _options.activatorMaxCount << "\n"
       << "      ActivatorTimeInterval = " << _options.activatorTimeIntervalSeconds << "\n"
       << "      ActivatorPunishInterval = " << _options.activatorPunishIntervalSeconds << "\n"
       << "    </default>\n  </app_conf>\n</tars>\n";
    return os.str();
}

bool NodeProcess::start(int timeoutMs) {
    if (!TC_File::isFileExist(_process.dir() + "/server.conf")) _process.writeConfig(configText());
    return _process.start({_serverObj.port(), _nodeObj.port()}, timeoutMs);
}

std::optional<ServerStateInfo> NodeProcess::state(const std::string& app, const std::string& server) {
    try {
        ServerStateInfo info;
        std::string result;
        if (_prx->getStateInfo(app, server, info, result) != 0) return std::nullopt;
        return info;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

int NodeProcess::waitActive(const std::string& app, const std::string& server, int notPid, int timeoutMs) {
    int pid = 0;
    eventually(
        [&] {
            auto s = state(app, server);
            if (s && s->serverState == ServerState::Active && s->processId > 0 && s->processId != notPid) {
                pid = s->processId;
                return true;
            }
            return false;
        },
        timeoutMs);
    return pid;
}

std::string NodeProcess::serverDir(const std::string& app, const std::string& server) const {
    return dataPath() + app + "." + server;
}

std::string NodeProcess::configFile(const std::string& app, const std::string& server) const {
    return serverDir(app, server) + "/conf/" + app + "." + server + ".config.conf";
}

std::string NodeProcess::serverLog(const std::string& app, const std::string& server) const {
    return logPath() + app + "/" + server + "/" + app + "." + server + ".log";
}

void NodeProcess::cleanup() {
    if (_process.running()) {
        try {
            std::string result;
            _prx->stopAllServers(result);
        } catch (const std::exception&) {
            // killed below
        }
    }
    // Whatever is left: servers named by pid files that this node started (their command
    // line holds this node's temporary directory).
    std::vector<pid_t> leftovers;
    try {
        for (const std::string& dir : TC_File::listDirectory(dataPath())) {
            if (!TC_File::isDirectory(dir)) continue;
            for (const std::string& file : TC_File::listDirectory(dir)) {
                if (!file.ends_with(".pid")) continue;
                auto pid = TC_Common::tryStrto<int>(TC_Common::trim(readFile(file)));
                if (pid && *pid > 0 && processAlive(*pid) &&
                    commandLine(*pid).find(_process.dir()) != std::string::npos) {
                    leftovers.push_back(*pid);
                }
            }
        }
    } catch (const std::exception&) {
        // no data directory: the node never loaded a server
    }
    for (pid_t pid : processesWith(_process.dir() + "/data/")) leftovers.push_back(pid);
    for (pid_t pid : leftovers) ::kill(pid, SIGKILL);
    for (pid_t pid : leftovers) {
        eventually([&] { return !processAlive(pid); }, 5000);
    }
    _process.stop(SIGTERM, 10000);
}

}  // namespace tars::test
