// NodeImp: tars.tarsnode.NodeObj (Node), the commands the registry, the admin tool and
// operators send to this node: start, stop, load, destroy and notify servers, their
// states, the node's own shutdown, and the log files of a server (getLogFileList: the
// files of its log directory, and by relative path those below it, 4 levels deep; and
// getLogData with "head -N" / "tail -N" / "tail -n N", "size" and "from OFFSET" commands,
// at most 4 MB; "from" answers 1 with no data when OFFSET is past the end).
// patchPro installs a published version of a server (NodePatcher.h), getPatchPercent
// reports its progress and result. delCache, getNodeLoad and forceDockerLogin are not
// supported: they answer -1 with a result saying so.
//
// shutdown() ends the tarsnode process (its servers keep running); stopServer and
// stopAllServers block the calling handle thread until the processes exited (bounded by
// each server's deactivating-timeout, at most 65 s): callers set their timeout above it.
// One instance per handle thread; the NodeService outlives them.
#pragma once

#include <functional>

#include "Node.h"
#include "NodeService.h"

namespace tars {

class NodeImp : public Node {
public:
    // requestShutdown ends the node process (Application::terminate).
    NodeImp(NodeService& service, std::function<void()> requestShutdown)
        : _service(service), _requestShutdown(std::move(requestShutdown)) {}

    Int32 destroyServer(const std::string& application, const std::string& serverName, std::string& result,
                        CurrentPtr current) override;
    Int32 patchPro(const PatchRequest& req, std::string& result, CurrentPtr current) override;
    Int32 shutdown(std::string& result, CurrentPtr current) override;
    Int32 stopAllServers(std::string& result, CurrentPtr current) override;
    Int32 loadServer(const std::string& application, const std::string& serverName, std::string& result,
                     CurrentPtr current) override;
    Int32 startServer(const std::string& application, const std::string& serverName, std::string& result,
                      CurrentPtr current) override;
    Int32 stopServer(const std::string& application, const std::string& serverName, std::string& result,
                     CurrentPtr current) override;
    Int32 notifyServer(const std::string& application, const std::string& serverName, const std::string& command,
                       std::string& result, CurrentPtr current) override;
    Int32 getStateInfo(const std::string& application, const std::string& serverName, ServerStateInfo& info,
                       std::string& result, CurrentPtr current) override;
    Int32 getPatchPercent(const std::string& application, const std::string& serverName, PatchInfo& tPatchInfo,
                          CurrentPtr current) override;
    Int32 delCache(const std::string& sFullCacheName, const std::string& sBackupPath, const std::string& sKey,
                   std::string& result, CurrentPtr current) override;
    Int32 getLogFileList(const std::string& application, const std::string& serverName,
                         std::vector<std::string>& logFileList, CurrentPtr current) override;
    Int32 getLogData(const std::string& application, const std::string& serverName, const std::string& logFile,
                     const std::string& cmd, std::string& fileData, CurrentPtr current) override;
    Int32 getNodeLoad(const std::string& application, const std::string& serverName, Int32 pid, std::string& fileData,
                      CurrentPtr current) override;
    Int32 forceDockerLogin(std::vector<std::string>& result, CurrentPtr current) override;

private:
    NodeService& _service;
    std::function<void()> _requestShutdown;
};

}  // namespace tars
