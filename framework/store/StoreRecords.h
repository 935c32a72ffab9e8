// The rows of db_tars as C++ values, one struct per table, members named after the
// columns (sql/db_tars.*.sql). Times are seconds since the epoch (UTC); 0 = NULL.
// Plain values: copy and compare them freely. Which column holds which member is said
// once, in the table's store (ServerStore.cpp, NodeStore.cpp, ...).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tars {

// Identifies one server instance: application.server_name on node_name.
struct ServerKey {
    std::string application;
    std::string serverName;
    std::string nodeName;

    bool operator==(const ServerKey&) const = default;
    auto operator<=>(const ServerKey&) const = default;
};

// Selects server instances; an empty member matches every value.
struct ServerFilter {
    std::string application;
    std::string serverName;
    std::string nodeName;
};

// t_server_conf
struct ServerConf {
    std::string application;
    std::string serverName;
    std::string nodeName;
    std::string basePath;
    std::string exePath;
    std::string templateName;
    int bakFlag = 0;
    std::string settingState = "inactive";  // active | inactive: what the operator wants
    std::string presentState = "inactive";  // active | inactive | activating | deactivating | destroying | destroyed
    int processId = 0;
    std::string patchVersion;
    int64_t patchTime = 0;
    std::string patchUser;
    std::string tarsVersion;
    int64_t postTime = 0;
    std::string lastUser;
    std::string serverType = "tars_cpp";
    std::string startScriptPath;
    std::string stopScriptPath;
    std::string monitorScriptPath;
    std::string enableGroup = "N";
    std::string enableSet = "N";
    std::string setName;
    std::string setArea;
    std::string setGroup;
    std::string ipGroupName;
    std::string profile;
    int configCenterPort = 0;
    int asyncThreadNum = 3;
    std::string flowState = "active";  // inactive: kept out of routing
    std::string runType;
    int64_t registryTimestamp = 0;  // last change of the row (read only)

    ServerKey key() const { return {application, serverName, nodeName}; }
    bool operator==(const ServerConf&) const = default;
};

// t_adapter_conf
struct AdapterConf {
    std::string application;
    std::string serverName;
    std::string nodeName;
    std::string adapterName;
    int threadNum = 1;
    std::string endpoint;
    int maxConnections = 1000;
    std::string allowIp;
    std::string servant;
    int queuecap = 10000;
    int queuetimeout = 60000;
    int64_t postTime = 0;
    std::string lastUser;
    std::string protocol = "tars";
    std::string handlegroup;
    int64_t registryTimestamp = 0;  // read only

    ServerKey key() const { return {application, serverName, nodeName}; }
    bool operator==(const AdapterConf&) const = default;
};

// t_node_info
struct NodeRecord {
    std::string nodeName;
    std::string nodeObj;
    std::string endpointIp;
    int endpointPort = 0;
    std::string dataDir;
    double loadAvg1 = 0;
    double loadAvg5 = 0;
    double loadAvg15 = 0;
    int64_t lastRegTime = 0;
    int64_t lastHeartbeat = 0;
    std::string settingState = "active";
    std::string presentState = "inactive";  // active | inactive
    std::string tarsVersion;
    std::string templateName;
    int groupId = -1;
    std::string label;

    bool operator==(const NodeRecord&) const = default;
};

// t_registry_info
struct RegistryRecord {
    std::string locatorId;  // host:port of the registry's QueryObj
    std::string servant;
    std::string endpoint;
    int64_t lastHeartbeat = 0;
    std::string presentState = "active";
    std::string tarsVersion;
    std::string enableGroup = "N";

    bool operator==(const RegistryRecord&) const = default;
};

// t_profile_template
struct ProfileTemplate {
    std::string templateName;
    std::string parentsName;
    std::string profile;
    int64_t postTime = 0;
    std::string lastUser;

    bool operator==(const ProfileTemplate&) const = default;
};

// t_server_patchs: one published version of a server (tarsadmin publish).
struct ServerPatch {
    int64_t id = 0;          // 0 on insert: assigned by the database
    std::string server;      // App.Server
    std::string version;     // unique per server
    std::string tgz;         // the package's file name on tarspatch (what nodes download)
    std::string md5;         // of the whole package, hex
    int64_t size = 0;        // bytes
    std::string comment;     // publish --comment
    int64_t uploadTime = 0;  // seconds, UTC
    std::string uploadUser;

    bool operator==(const ServerPatch&) const = default;
};

// t_server_group_rule
struct GroupRule {
    int groupId = 0;  // 0 on insert: assigned by the database
    std::string ipOrder = "denny_allow";
    std::string allowIpRule;
    std::string dennyIpRule;
    std::string groupName;
    std::string groupNameCn;
    std::string lastUser;

    bool operator==(const GroupRule&) const = default;
};

// t_group_priority
struct GroupPriority {
    int id = 0;  // 0 on insert: assigned by the database
    std::string name;
    std::string groupList;  // group ids separated by | , or ;
    int listOrder = 0;
    std::string station;

    bool operator==(const GroupPriority&) const = default;
};

// t_config_files
struct ConfigFile {
    int64_t id = 0;          // 0 on insert: assigned by the database
    std::string serverName;  // App (level 1) or App.Server (levels 2, 3)
    std::string setName;
    std::string setArea;
    std::string setGroup;
    std::string host;  // level 3 only
    std::string filename;
    std::string config;
    int64_t postTime = 0;
    std::string lastUser;
    int level = 2;
    int configFlag = 0;

    bool operator==(const ConfigFile&) const = default;
};

// Selects config files; empty strings and level 0 match everything.
struct ConfigFileFilter {
    std::string serverName;
    std::string filename;
    std::string host;
    int level = 0;
};

// One present-state report of a node (Registry.updateServer / updateServerBatch).
struct ServerStateUpdate {
    ServerKey key;
    std::string presentState;
    int processId = 0;
};

// Everything the registry's endpoint table is built from, read in one transaction.
struct RegistryData {
    std::vector<ServerConf> servers;
    std::vector<AdapterConf> adapters;
    std::vector<NodeRecord> nodes;
    std::vector<RegistryRecord> registries;
    std::vector<GroupRule> groupRules;
    std::vector<GroupPriority> groupPriorities;
};

}  // namespace tars
