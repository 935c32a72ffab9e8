// ServerImp: tars.tarsnode.ServerObj (ServerF), what every server of this node calls:
// keepActiving while it initialises, then keepAlive ("" and once per adapter) and
// reportVersion. Answers -1 for a server the node does not run. Never blocks: the
// NodeService only records the heartbeat (the registry hears of it from its own thread).
// One instance per handle thread; the NodeService outlives them.
#pragma once

#include "NodeF.h"
#include "NodeService.h"

namespace tars {

class ServerImp : public ServerF {
public:
    explicit ServerImp(NodeService& service) : _service(service) {}

    Int32 keepAlive(const ServerInfo& serverInfo, CurrentPtr current) override;
    Int32 keepActiving(const ServerInfo& serverInfo, CurrentPtr current) override;
    Int32 reportVersion(const std::string& app, const std::string& serverName, const std::string& version,
                        CurrentPtr current) override;
    UInt32 getLatestKeepAliveTime(CurrentPtr current) override;

private:
    NodeService& _service;
};

}  // namespace tars
