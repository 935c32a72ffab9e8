// NodeService: the state and the work of one tarsnode process, shared by its servants
// (NodeImp: tars.tarsnode.NodeObj, ServerImp: tars.tarsnode.ServerObj).
//
// Two threads of its own:
//   registry thread  registerNode until it answers 0 (every monitorInterval); then
//                    getServers("", "", node) until it succeeds, loading every server;
//                    keepAlive every reportAliveInterval (a non-zero answer: register
//                    again); each server state change reported at once (updateServer, or
//                    updateServerBatch for several), every state every synStatInterval and
//                    after any failed call (the registry may have marked the servers
//                    inactive while it could not hear the node); versions reported.
//   monitor thread   every monitorInterval (or at once when woken): ServerObject::monitor()
//                    of every server: restarts, timeouts, heartbeats.
// The two never wait for each other: a slow or absent registry never delays the
// monitoring of servers, and reports that could not be sent are kept (StateReporter)
// and sent when the registry is back.
//
// Commands (from NodeObj) run on the caller's thread; stopServer / stopAllServers /
// destroyServer wait for the processes to exit (bounded by their deactivating timeouts;
// cut short by stop()). Every method is thread-safe.
// Lifetime: start() after construction, stop() (or the destructor) joins the threads and
// leaves the servers running. The communicator must outlive it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "NodeContext.h"
#include "NodeF.h"
#include "NodePatcher.h"
#include "NodeSettings.h"
#include "RegistryLink.h"
#include "ServerConfigBuilder.h"
#include "ServerManager.h"
#include "StateReporter.h"

namespace tars {

class NodeService {
public:
    static constexpr int kRegistryTimeoutMs = 3000;

    NodeService(NodeSettings settings, NodeContext context, CommunicatorPtr communicator);
    ~NodeService();
    NodeService(const NodeService&) = delete;
    NodeService& operator=(const NodeService&) = delete;

    void start();
    void stop();

    // ---- NodeObj
    int startServer(const std::string& app, const std::string& serverName, std::string& result);
    int stopServer(const std::string& app, const std::string& serverName, std::string& result);
    int loadServer(const std::string& app, const std::string& serverName, std::string& result);
    int destroyServer(const std::string& app, const std::string& serverName, std::string& result);
    int stopAllServers(std::string& result);
    int notifyServer(const std::string& app, const std::string& serverName, const std::string& command,
                     std::string& result);
    int getStateInfo(const std::string& app, const std::string& serverName, ServerStateInfo& info, std::string& result);
    // <logpath><app>/<server>/ of a server this node knows; nullopt otherwise.
    std::optional<std::string> logDirectory(const std::string& app, const std::string& serverName) const;
    // patchPro and getPatchPercent (NodePatcher.h).
    NodePatcher& patcher() { return _patcher; }

    // ---- ServerObj
    int keepAlive(const ServerInfo& info);
    int keepActiving(const ServerInfo& info);
    int reportVersion(const std::string& app, const std::string& serverName, const std::string& version);
    // Seconds since the epoch at the start of the monitor loop's last round.
    uint32_t latestMonitorTime() const { return _latestMonitorTime.load(std::memory_order_relaxed); }

    const NodeContext& context() const { return _builder.node(); }
    const NodeSettings& settings() const { return _settings; }
    bool stopping() const { return _stopping.load(std::memory_order_acquire); }

private:
    void registryLoop();
    void monitorLoop();
    void wakeRegistry();
    void wakeMonitor();
    // Sends pending reports; false when the registry did not take them.
    bool flushReports();
    bool reportAll();
    NodeInfo nodeInfo() const;
    NodePatcher::Hooks patchHooks();
    // The server's descriptor from the registry, loaded; nullptr with result on failure.
    std::shared_ptr<ServerObject> fetchAndLoad(const std::string& app, const std::string& serverName,
                                               std::string& result, bool* created);

    NodeSettings _settings;
    ServerConfigBuilder _builder;
    CommunicatorPtr _communicator;
    StateReporter _reporter;
    RegistryLink _registry;
    ServerManager _servers;
    NodePatcher _patcher;  // after _servers and _registry: its threads use them

    std::atomic<bool> _stopping{false};
    std::atomic<bool> _registered{false};
    std::atomic<uint32_t> _latestMonitorTime{0};
    std::mutex _wakeMutex;
    std::condition_variable _registryWake;
    std::condition_variable _monitorWake;
    bool _registryWoken = false;
    bool _monitorWoken = false;
    std::thread _registryThread;
    std::thread _monitorThread;
};

}  // namespace tars
