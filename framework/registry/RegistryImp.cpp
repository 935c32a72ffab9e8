#include "RegistryImp.h"

#include <algorithm>

#include "util/tc_common.h"
#include "util/tc_logger.h"

namespace tars {

namespace {

// Runs a store write; -1 (logged) when the database fails.
template <typename Body>
Int32 guarded(const char* call, Body body) {
    try {
        return body();
    } catch (const std::exception& e) {
        TLOGERROR("registry " << call << ": " << e.what() << std::endl);
        return -1;
    }
}

AdapterDescriptor describe(const AdapterConf& a) {
    AdapterDescriptor d;
    d.adapterName = a.adapterName;
    d.threadNum = std::to_string(a.threadNum);
    d.endpoint = a.endpoint;
    d.maxConnections = a.maxConnections;
    d.allowIp = a.allowIp;
    d.servant = a.servant;
    d.queuecap = a.queuecap;
    d.queuetimeout = a.queuetimeout;
    d.grid = 0;
    d.protocol = a.protocol;
    d.handlegroup = a.handlegroup;
    return d;
}

}  // namespace

std::string presentStateName(ServerState state) { return TC_Common::lower(etos(state)); }

Int32 RegistryImp::registerNode(const std::string& nodeName, const NodeInfo& ni, const LoadInfo& li,
                                CurrentPtr current) {
    return guarded("registerNode", [&]() -> Int32 {
        int64_t now = RegistryService::now();
        auto existing = _service.store().getNode(nodeName);
        if (existing && existing->presentState == "active" &&
            existing->lastHeartbeat >= now - _service.settings().nodeTimeoutSeconds && !ni.nodeObj.empty() &&
            !existing->nodeObj.empty() && existing->nodeObj != ni.nodeObj) {
            TLOGERROR("registry: node " << nodeName << " from " << current->getIp() << " refused: a live node of that "
                                        << "name serves " << existing->nodeObj << std::endl);
            return 1;
        }
        NodeRecord node;
        node.nodeName = nodeName;
        node.nodeObj = ni.nodeObj;
        node.endpointIp = ni.endpointIp;
        node.endpointPort = ni.endpointPort;
        node.dataDir = ni.dataDir;
        node.loadAvg1 = li.avg1;
        node.loadAvg5 = li.avg5;
        node.loadAvg15 = li.avg15;
        node.lastRegTime = now;
        node.lastHeartbeat = now;
        node.settingState = "active";
        node.presentState = "active";
        node.tarsVersion = ni.version;
        _service.store().upsertNode(node);
        _service.refreshSoon();
        TLOGINFO("registry: node " << nodeName << " registered from " << current->getIp() << " (" << ni.nodeObj << ")"
                                   << std::endl);
        return 0;
    });
}

Int32 RegistryImp::keepAlive(const std::string& nodeName, const LoadInfo& load, CurrentPtr) {
    return guarded("keepAlive", [&]() -> Int32 {
        // 1: unknown node, which makes it register again.
        return _service.store().nodeHeartbeat(nodeName, RegistryService::now(), load.avg1, load.avg5, load.avg15) ? 0
                                                                                                                  : 1;
    });
}

std::vector<ServerDescriptor> RegistryImp::getServers(const std::string& app, const std::string& serverName,
                                                      const std::string& nodeName, CurrentPtr) {
    auto& store = _service.store();
    std::vector<ServerDescriptor> result;
    if (nodeName.empty()) return result;
    ServerFilter filter{app, serverName, nodeName};
    auto adapters = store.listAdapters(filter);
    std::map<std::string, std::string> templates;  // name -> resolved profile, per call
    for (const auto& s : store.listServers(filter)) {
        if (s.serverType == "tars_dns") continue;
        ServerDescriptor d;
        d.application = s.application;
        d.serverName = s.serverName;
        d.nodeName = s.nodeName;
        d.basePath = s.basePath;
        d.exePath = s.exePath;
        d.settingState = s.settingState;
        d.presentState = s.presentState;
        d.patchVersion = s.patchVersion;
        d.patchTime = s.patchTime ? formatStoreTime(s.patchTime) : "";
        d.patchUser = s.patchUser;
        d.serverType = s.serverType;
        d.startScript = s.startScriptPath;
        d.stopScript = s.stopScriptPath;
        d.monitorScript = s.monitorScriptPath;
        d.configCenterPort = s.configCenterPort;
        d.runType = s.runType;
        if (s.enableSet == "Y" || s.enableSet == "y") d.setId = s.setName + "." + s.setArea + "." + s.setGroup;

        // Profile: the template chain, with the server's own profile on top.
        auto cached = templates.find(s.templateName);
        if (cached == templates.end()) {
            std::string description;
            cached = templates.emplace(s.templateName, _service.resolveTemplate(s.templateName, description)).first;
        }
        TC_Config profile;
        TC_Config own;
        profile.parseString(cached->second);
        own.parseString(s.profile);
        int defaultAsync = s.serverType == "tars_nodejs" ? 0 : 3;
        defaultAsync = std::max(defaultAsync, s.asyncThreadNum);
        d.asyncThreadNum = TC_Common::tryStrto<int>(TC_Common::trim(own.get("/tars/application/client<asyncthread>",
                                                                            std::to_string(defaultAsync))))
                               .value_or(defaultAsync);
        profile.joinConfig(own, true);
        d.profile = profile.tostr();

        for (const auto& a : adapters) {
            if (a.key() == s.key()) d.adapters[a.adapterName] = describe(a);
        }
        result.push_back(std::move(d));
    }
    return result;
}

Int32 RegistryImp::updateServer(const std::string& app, const std::string& serverName, const std::string& nodeName,
                                const ServerStateInfo& state, CurrentPtr) {
    // Wire order of the stock node: node name, application, server name.
    const std::string& node = app;
    const std::string& application = serverName;
    const std::string& server = nodeName;
    return guarded("updateServer", [&]() -> Int32 {
        std::string present = presentStateName(state.serverState);
        if (present.empty()) return -1;
        bool found = _service.store().updateServerState({application, server, node}, present, state.processId,
                                                        RegistryService::now());
        if (!found) return -1;
        _service.refreshSoon();
        return 0;
    });
}

Int32 RegistryImp::updateServerBatch(const std::vector<ServerStateInfo>& vState, CurrentPtr) {
    return guarded("updateServerBatch", [&]() -> Int32 {
        std::vector<ServerStateUpdate> updates;
        for (const auto& state : vState) {
            std::string present = presentStateName(state.serverState);
            if (present.empty()) continue;
            updates.push_back({{state.application, state.serverName, state.nodeName}, present, state.processId});
        }
        _service.store().updateServerStates(updates, RegistryService::now());
        _service.refreshSoon();
        return 0;
    });
}

Int32 RegistryImp::destroyNode(const std::string& nodeName, CurrentPtr) {
    return guarded("destroyNode", [&]() -> Int32 {
        _service.store().setNodeInactive(nodeName, RegistryService::now());
        _service.refreshSoon();
        return 0;
    });
}

Int32 RegistryImp::reportVersion(const std::string& app, const std::string& serverName, const std::string& nodeName,
                                 const std::string& version, CurrentPtr) {
    return guarded("reportVersion", [&]() -> Int32 {
        return _service.store().setServerTarsVersion({app, serverName, nodeName}, version, RegistryService::now()) ? 0
                                                                                                                   : -1;
    });
}

Int32 RegistryImp::getNodeTemplate(const std::string& nodeName, std::string& profileTemplate, CurrentPtr) {
    return guarded("getNodeTemplate", [&]() -> Int32 {
        auto node = _service.store().getNode(nodeName);
        std::string name =
            node && !node->templateName.empty() ? node->templateName : _service.settings().defaultTemplate;
        std::string description;
        profileTemplate = _service.resolveTemplate(name, description);
        return 0;
    });
}

Int32 RegistryImp::getClientIp(std::string& sClientIp, CurrentPtr current) {
    sClientIp = current->getIp();
    return 0;
}

Int32 RegistryImp::reportNode(const ReportNode&, CurrentPtr) { return 0; }

Int32 RegistryImp::updatePatchResult(const PatchResult& result, CurrentPtr) {
    return guarded("updatePatchResult", [&]() -> Int32 {
        return _service.store().setPatchResult({result.sApplication, result.sServerName, result.sNodeName},
                                               result.sVersion, result.sUserName, RegistryService::now())
                   ? 0
                   : -1;
    });
}

Int32 RegistryImp::getDockerRegistry(std::vector<DockerRegistry>&, CurrentPtr) { return -1; }

Int32 RegistryImp::dockerPull(const std::string&, CurrentPtr) { return -1; }

Int32 RegistryImp::getFrameworkKey(FrameworkKey&, CurrentPtr) { return 0; }

}  // namespace tars
