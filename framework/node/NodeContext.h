// NodeContext: the facts about this tarsnode that go into every server it runs (the
// generated config file, the macros of profiles, the process layout). Made once by
// NodeServer::initialize() from the node's own config; a plain value, read-only after.
#pragma once

#include <string>

namespace tars {

struct NodeContext {
    std::string nodeName;               // the name registered with the registry
    std::string localIp;                // this host's IP: the servers' localip, `-h localip` of their endpoints
    std::string serverObj;              // tars.tarsnode.ServerObj@<endpoint>: the servers' `node`
    std::string nodeObj;                // tars.tarsnode.NodeObj@<endpoint>: what the registry calls
    std::string locator;                // the node's own /tars/application/client<locator> ("" = none)
    std::string dataPath;               // absolute, ends with '/': servers' directories live under it
    std::string logPath;                // absolute, ends with '/': the servers' logpath
    int serverKeepAliveIntervalMs = 0;  // written as keepaliveinterval when > 0
    std::string version;                // this tarsnode's version (NodeInfo.version)
};

}  // namespace tars
