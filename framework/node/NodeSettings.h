// NodeSettings: what tarsnode reads from its config file besides the server section,
// under TARS's section and key names so a TARS node config works:
//
//   /tars/node                 registryObj, nodename, patchObj, keepVersions, drainWait
//   /tars/node/keepalive       heartTimeout, monitorInterval, reportAliveInterval,
//                              synStatInterval, serverKeepAliveInterval
//   /tars/app_conf/default     ActivatorMaxCount, ActivatorTimeInterval, ActivatorPunishInterval
//
// nodeConfigKeys() declares each key once with its default and meaning; the key table of
// framework/node/README.md lists the same keys. A value that does not parse, or is out of
// its range, throws NodeSettings_Exception naming the config file, the key and the range.
// Plain values: copy them freely.
#pragma once

#include <string>
#include <vector>

#include "util/tc_config.h"
#include "util/tc_ex.h"

namespace tars {

struct NodeSettings_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

struct NodeSettings {
    std::string nodeName;  // --nodeid, else /tars/node<nodename>, else the server's localip
    std::string registryObj = "tars.tarsregistry.RegistryObj";
    int heartTimeoutSeconds = 45;
    int monitorIntervalSeconds = 2;
    int reportAliveIntervalSeconds = 10;
    int synStatIntervalSeconds = 60;
    int serverKeepAliveIntervalMs = 0;  // 0: not written into server configs
    int activatorMaxCount = 10;
    int activatorTimeIntervalSeconds = 60;
    int activatorPunishIntervalSeconds = 600;
    std::string patchObj = "tars.tarspatch.PatchObj";  // where patchPro downloads from by default
    int keepVersions = 5;                              // published versions kept per server
    int drainWaitMs = 6000;                            // drain before stopping an active server

    // configFile names the file in error messages; nodeIdArgument is --nodeid ("" if
    // not given); localIp is the server's localip, the last choice of node name.
    static NodeSettings fromConfig(const TC_Config& config, const std::string& configFile,
                                   const std::string& nodeIdArgument, const std::string& localIp);
};

struct NodeConfigKey {
    const char* section;  // "/tars/node", "/tars/node/keepalive", "/tars/app_conf/default"
    const char* name;
    const char* defaultValue;
    const char* description;
};
// Every key of the sections above.
const std::vector<NodeConfigKey>& nodeConfigKeys();

}  // namespace tars
