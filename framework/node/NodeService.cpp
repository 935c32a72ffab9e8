#include "NodeService.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>

#include "util/tc_common.h"
#include "util/tc_endpoint.h"
#include "util/tc_file.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {

int64_t nowMs() { return TC_TimeProvider::steadyNowMs(); }

// The host's load averages (/proc/loadavg); zeros when unreadable.
LoadInfo hostLoad() {
    LoadInfo load;
    load.avg1 = load.avg5 = load.avg15 = 0;
    try {
        auto fields = TC_Common::sepstr(TC_File::load2str("/proc/loadavg"), " \n");
        if (fields.size() >= 3) {
            load.avg1 = TC_Common::tryStrto<float>(fields[0]).value_or(0);
            load.avg5 = TC_Common::tryStrto<float>(fields[1]).value_or(0);
            load.avg15 = TC_Common::tryStrto<float>(fields[2]).value_or(0);
        }
    } catch (const std::exception&) {
    }
    return load;
}

ServerObject::Options objectOptions(const NodeSettings& s) {
    ServerObject::Options o;
    o.heartTimeoutSeconds = s.heartTimeoutSeconds;
    o.activatorMaxCount = s.activatorMaxCount;
    o.activatorWindowMs = static_cast<int64_t>(s.activatorTimeIntervalSeconds) * 1000;
    o.activatorPunishMs = static_cast<int64_t>(s.activatorPunishIntervalSeconds) * 1000;
    o.drainWaitMs = s.drainWaitMs;
    return o;
}

}  // namespace

NodeService::NodeService(NodeSettings settings, NodeContext context, CommunicatorPtr communicator)
    : _settings(std::move(settings)),
      _builder(std::move(context)),
      _communicator(std::move(communicator)),
      _reporter([this] { wakeRegistry(); }),
      _registry(_communicator, _settings.registryObj, kRegistryTimeoutMs),
      _servers(_builder, _communicator, objectOptions(_settings),
               [this](const ServerStateInfo& state) { _reporter.post(state); }),
      _patcher(_builder.node().nodeName, _settings.patchObj, _settings.keepVersions, _communicator, patchHooks()) {}

NodePatcher::Hooks NodeService::patchHooks() {
    NodePatcher::Hooks hooks;
    hooks.layout = [this](const std::string& app, const std::string& serverName, ServerLayout& layout,
                          std::string& why) {
        auto object = _servers.find(app, serverName);
        if (!object) {
            why = app + "." + serverName + " is not a server of node " + context().nodeName;
            return false;
        }
        layout = object->layout();
        return true;
    };
    hooks.stop = [this](const std::string& app, const std::string& serverName, std::string& result) {
        return stopServer(app, serverName, result);
    };
    hooks.start = [this](const std::string& app, const std::string& serverName, std::string& result) {
        return startServer(app, serverName, result);
    };
    hooks.report = [this](const PatchResult& result) { return _registry.updatePatchResult(result) == 0; };
    return hooks;
}

NodeService::~NodeService() { stop(); }

void NodeService::start() {
    // A patch that the node's death cut off must not keep a server from starting. No patch
    // runs yet: one needs its server loaded, which the registry thread does.
    std::error_code ec;
    std::filesystem::directory_iterator it(context().dataPath, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        std::error_code check;
        if (!it->is_directory(check) || !std::filesystem::is_directory(it->path() / "versions", check)) continue;
        for (const std::string& line : NodePatcher::recoverVersions(it->path().string())) {
            TLOGWARN("[node] " << it->path().filename().string() << ": " << line << std::endl);
        }
    }
    _registryThread = std::thread([this] { registryLoop(); });
    _monitorThread = std::thread([this] { monitorLoop(); });
    TLOGINFO("[node] " << context().nodeName << ": " << context().nodeObj << ", servers' node " << context().serverObj
                       << ", registry " << _settings.registryObj << ", data " << context().dataPath << std::endl);
}

void NodeService::stop() {
    _patcher.stop();
    {
        std::lock_guard lock(_wakeMutex);
        _stopping.store(true, std::memory_order_release);
    }
    _registryWake.notify_all();
    _monitorWake.notify_all();
    if (_registryThread.joinable()) _registryThread.join();
    if (_monitorThread.joinable()) _monitorThread.join();
}

void NodeService::wakeRegistry() {
    {
        std::lock_guard lock(_wakeMutex);
        _registryWoken = true;
    }
    _registryWake.notify_one();
}

void NodeService::wakeMonitor() {
    {
        std::lock_guard lock(_wakeMutex);
        _monitorWoken = true;
    }
    _monitorWake.notify_one();
}

NodeInfo NodeService::nodeInfo() const {
    const NodeContext& c = context();
    NodeInfo info;
    info.nodeName = c.nodeName;
    info.nodeObj = c.nodeObj;
    info.endpointIp = c.localIp;
    info.endpointPort = 0;
    try {
        TC_Endpoint ep(c.nodeObj.substr(c.nodeObj.find('@') + 1));
        info.endpointIp = ep.getHost();
        info.endpointPort = ep.getPort();
    } catch (const std::exception&) {
    }
    info.timeOut = static_cast<Short>(std::min(_settings.heartTimeoutSeconds, 32767));
    info.dataDir = c.dataPath;
    info.version = c.version;
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0) {
        info.openFiles = static_cast<Int32>(std::min<rlim_t>(files.rlim_cur, 0x7fffffff));
    }
    rlimit core{};
    if (::getrlimit(RLIMIT_CORE, &core) == 0) {
        info.coreFileSize = core.rlim_cur == RLIM_INFINITY ? "unlimited" : std::to_string(core.rlim_cur);
    }
    return info;
}

// ------------------------------------------------------------------ registry thread

bool NodeService::reportAll() {
    _reporter.clearStates();  // the full list below is newer than anything pending
    auto states = _servers.states();
    if (states.empty()) return true;
    if (!_registry.updateServerBatch(states)) return false;
    TLOGDEBUG("[node] reported the state of " << states.size() << " servers" << std::endl);
    return true;
}

bool NodeService::flushReports() {
    bool ok = true;
    auto states = _reporter.takeStates();
    if (states.size() == 1) {
        auto r = _registry.updateServer(context().nodeName, states[0]);
        if (!r) {
            _reporter.restoreStates(states);
            ok = false;
        } else if (*r != 0) {
            TLOGWARN("[node] registry answered " << *r << " to updateServer of " << states[0].application << "."
                                                 << states[0].serverName << " (not deployed there?)" << std::endl);
        }
    } else if (!states.empty()) {
        if (!_registry.updateServerBatch(states)) {
            _reporter.restoreStates(states);
            ok = false;
        }
    }
    auto versions = _reporter.takeVersions();
    for (size_t i = 0; i < versions.size(); ++i) {
        const auto& v = versions[i];
        if (!_registry.reportVersion(v.application, v.serverName, context().nodeName, v.version)) {
            _reporter.restoreVersions({versions.begin() + static_cast<std::ptrdiff_t>(i), versions.end()});
            ok = false;
            break;
        }
    }
    return ok;
}

void NodeService::registryLoop() {
    const std::string& node = context().nodeName;
    const int64_t monitorMs = static_cast<int64_t>(_settings.monitorIntervalSeconds) * 1000;
    const int64_t aliveMs = static_cast<int64_t>(_settings.reportAliveIntervalSeconds) * 1000;
    const int64_t syncMs = static_cast<int64_t>(_settings.synStatIntervalSeconds) * 1000;
    int64_t nextRegister = 0;
    int64_t nextServers = 0;
    int64_t nextKeepAlive = 0;
    int64_t nextSync = 0;
    bool serversLoaded = false;

    while (!stopping()) {
        int64_t now = nowMs();
        if (!_registered && now >= nextRegister) {
            auto r = _registry.registerNode(node, nodeInfo(), hostLoad());
            now = nowMs();
            if (r && *r == 0) {
                _registered = true;
                nextKeepAlive = now + aliveMs;
                nextSync = now;  // the registry may hold states older than ours
                TLOGINFO("[node] registered as " << node << " with " << _registry.registryObj() << std::endl);
            } else {
                if (r) {
                    TLOGERROR("[node] registerNode(" << node << ") answered " << *r
                                                     << (*r == 1 ? ": another live node uses this name" : "")
                                                     << std::endl);
                }
                nextRegister = now + monitorMs;
            }
        }
        if (_registered && !serversLoaded && now >= nextServers) {
            auto servers = _registry.getServers("", "", node);
            now = nowMs();
            if (servers) {
                std::vector<ServerDescriptor> mine;
                for (auto& d : *servers) {
                    if (d.nodeName.empty() || d.nodeName == node) mine.push_back(std::move(d));
                }
                size_t loaded = _servers.loadAll(mine);
                TLOGINFO("[node] " << loaded << " of " << mine.size() << " servers loaded" << std::endl);
                serversLoaded = true;
                nextSync = now;
                wakeMonitor();
            } else {
                nextServers = now + monitorMs;
            }
        }
        if (_registered && now >= nextKeepAlive) {
            auto r = _registry.keepAlive(node, hostLoad());
            now = nowMs();
            nextKeepAlive = now + aliveMs;
            if (!r) {
                nextSync = std::min(nextSync, now + monitorMs);  // once it is back
            } else if (*r != 0) {
                TLOGWARN("[node] keepAlive answered " << *r << ": registering again" << std::endl);
                _registered = false;
                nextRegister = now;
                continue;
            }
        }
        if (_registered) {
            if (now >= nextSync) {
                nextSync = now + (reportAll() ? syncMs : monitorMs);
            } else if (!flushReports()) {
                nextSync = std::min(nextSync, now + monitorMs);
            }
        }

        int64_t next = nextKeepAlive;
        if (!_registered) next = nextRegister;
        if (_registered && !serversLoaded) next = std::min(next, nextServers);
        if (_registered) next = std::min(next, nextSync);
        int64_t waitMs = std::clamp<int64_t>(next - nowMs(), 10, 1000);
        std::unique_lock lock(_wakeMutex);
        _registryWake.wait_for(lock, std::chrono::milliseconds(waitMs),
                               [this] { return _registryWoken || stopping(); });
        _registryWoken = false;
    }
}

// ------------------------------------------------------------------ monitor thread

void NodeService::monitorLoop() {
    const auto interval = std::chrono::seconds(_settings.monitorIntervalSeconds);
    while (!stopping()) {
        _latestMonitorTime.store(static_cast<uint32_t>(::time(nullptr)), std::memory_order_relaxed);
        try {
            _servers.monitorAll();
        } catch (const std::exception& e) {
            TLOGERROR("[node] monitor: " << e.what() << std::endl);
        }
        std::unique_lock lock(_wakeMutex);
        _monitorWake.wait_for(lock, interval, [this] { return _monitorWoken || stopping(); });
        _monitorWoken = false;
    }
}

// ------------------------------------------------------------------ commands

std::shared_ptr<ServerObject> NodeService::fetchAndLoad(const std::string& app, const std::string& serverName,
                                                        std::string& result, bool* created) {
    const std::string& node = context().nodeName;
    auto list = _registry.getServers(app, serverName, node);
    if (!list) {
        result = "the registry (" + _registry.registryObj() + ") did not answer getServers";
        return nullptr;
    }
    for (const auto& d : *list) {
        if (d.application != app || d.serverName != serverName) continue;
        try {
            auto [object, isNew] = _servers.load(d);
            if (created) *created = isNew;
            return object;
        } catch (const std::exception& e) {
            result = e.what();
            TLOGERROR("[node] load " << app << "." << serverName << ": " << result << std::endl);
            return nullptr;
        }
    }
    result = app + "." + serverName + " is not deployed on node " + node;
    return nullptr;
}

int NodeService::startServer(const std::string& app, const std::string& serverName, std::string& result) {
    auto object = _servers.find(app, serverName);
    if (!object) object = fetchAndLoad(app, serverName, result, nullptr);
    if (!object) return -1;
    int ret = object->start(result);
    TLOGINFO("[node] startServer " << app << "." << serverName << ": " << result << std::endl);
    return ret;
}

int NodeService::stopServer(const std::string& app, const std::string& serverName, std::string& result) {
    auto object = _servers.find(app, serverName);
    if (!object) {
        result = app + "." + serverName + " is not a server of node " + context().nodeName;
        return -1;
    }
    int ret = object->stop(result, [this] { return stopping(); });
    TLOGINFO("[node] stopServer " << app << "." << serverName << ": " << result << std::endl);
    return ret;
}

int NodeService::loadServer(const std::string& app, const std::string& serverName, std::string& result) {
    bool created = false;
    auto object = fetchAndLoad(app, serverName, result, &created);
    if (!object) return -1;
    result = app + "." + serverName + (created ? " loaded" : " reloaded") + ", config " + object->layout().configFile;
    if (created) wakeMonitor();  // starts it now if its setting is active
    return 0;
}

int NodeService::destroyServer(const std::string& app, const std::string& serverName, std::string& result) {
    auto object = _servers.find(app, serverName);
    if (!object) {
        result = app + "." + serverName + " is not a server of node " + context().nodeName;
        return -1;
    }
    std::string stopped;
    if (object->stop(stopped, [this] { return stopping(); }) != 0) {
        result = "not destroyed: " + stopped;
        return -1;
    }
    _servers.remove(app, serverName);
    result = app + "." + serverName + " destroyed (" + stopped + "); its files are kept";
    TLOGINFO("[node] " << result << std::endl);
    return 0;
}

int NodeService::stopAllServers(std::string& result) {
    auto all = _servers.all();
    std::vector<std::shared_ptr<ServerObject>> running;
    for (const auto& object : all) {
        if (object->requestStop()) running.push_back(object);
    }
    int ret = 0;
    result = std::to_string(running.size()) + " of " + std::to_string(all.size()) + " servers were running";
    for (const auto& object : running) {
        std::string one;
        if (object->waitStopped(one, [this] { return stopping(); }) != 0) ret = -1;
        result += "; " + one;
    }
    TLOGINFO("[node] stopAllServers: " << result << std::endl);
    return ret;
}

int NodeService::notifyServer(const std::string& app, const std::string& serverName, const std::string& command,
                              std::string& result) {
    auto object = _servers.find(app, serverName);
    if (!object) {
        result = app + "." + serverName + " is not a server of node " + context().nodeName;
        return -1;
    }
    return object->notify(command, result);
}

int NodeService::getStateInfo(const std::string& app, const std::string& serverName, ServerStateInfo& info,
                              std::string& result) {
    auto object = _servers.find(app, serverName);
    if (!object) {
        info = ServerStateInfo();
        info.serverState = ServerState::Inactive;
        info.processId = 0;
        result = app + "." + serverName + " is not a server of node " + context().nodeName;
        return -1;
    }
    object->refresh();  // an exit since the last monitor round shows at once
    info = object->stateInfo();
    result = etos(info.serverState);
    return 0;
}

std::optional<std::string> NodeService::logDirectory(const std::string& app, const std::string& serverName) const {
    auto object = _servers.find(app, serverName);
    if (!object) return std::nullopt;
    return object->layout().logDir;
}

int NodeService::keepAlive(const ServerInfo& info) {
    auto object = _servers.find(info.application, info.serverName);
    return object ? object->keepAlive(info.pid, info.adapter) : -1;
}

int NodeService::keepActiving(const ServerInfo& info) {
    auto object = _servers.find(info.application, info.serverName);
    return object ? object->keepActiving(info.pid) : -1;
}

int NodeService::reportVersion(const std::string& app, const std::string& serverName, const std::string& version) {
    if (!_servers.find(app, serverName)) return -1;
    _reporter.postVersion({app, serverName, version});
    return 0;
}

}  // namespace tars
