// RegistryStore: the framework's state in db_tars, as the registry, the nodes' calls,
// the admin tool and the config service use it. One class over one SqlConnection: the
// SQL is written once, in the dialect both backends accept, and the few differences
// (insert-or-update, schema text) come from the connection.
//
// What it covers:
//   deployment   servers and their adapters (deploy, undeploy, list, setting/flow state)
//   states       present state and pid of server instances, as nodes report them
//   nodes        registration, heartbeats, timeouts
//   registries   the registries' own servants (t_registry_info)
//   templates    profile templates, groups and group priorities, config files
// and loadRegistryData(), which reads in one transaction everything the registry's
// in-memory endpoint table is built from.
//
// Times are seconds since the epoch, stored as UTC; callers pass "now" explicitly so
// that every registry sharing a database applies the same clock rules.
//
// Threads: every method may be called from any thread; calls are serialised on the one
// connection. Errors: every method throws StoreError ("<backend> store: <operation>:
// <database message>") when the database fails; "not found" is a return value, never
// an exception. Lifetime: owns its connection.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "SqlConnection.h"
#include "StoreRecords.h"
#include "StoreSettings.h"

namespace tars {

class RegistryStore {
public:
    explicit RegistryStore(std::unique_ptr<SqlConnection> connection);
    ~RegistryStore();
    RegistryStore(const RegistryStore&) = delete;
    RegistryStore& operator=(const RegistryStore&) = delete;

    // Opens the backend settings name and, with createSchema, creates missing tables.
    static std::unique_ptr<RegistryStore> open(const StoreSettings& settings, bool createSchema = true);

    const char* backend() const { return _connection->backend(); }
    // Creates the tables that do not exist yet (the dialect's sql/db_tars.*.sql).
    void createSchema();

    // ---- deployment
    // Writes the instance's t_server_conf row (insert or replace, keeping present_state
    // and process_id of an existing row) and replaces its adapters by `adapters` (whose
    // application/server/node are taken from server). One transaction.
    void deployServer(const ServerConf& server, const std::vector<AdapterConf>& adapters, int64_t now);
    // Deletes the instance and its adapters; false when it did not exist.
    bool undeployServer(const ServerKey& key);
    std::vector<ServerConf> listServers(const ServerFilter& filter = {});
    std::optional<ServerConf> getServer(const ServerKey& key);
    std::vector<AdapterConf> listAdapters(const ServerFilter& filter = {});
    // setting_state (active | inactive); false when the instance does not exist.
    bool setSettingState(const ServerKey& key, const std::string& state, int64_t now);
    // flow_state (active | inactive): inactive keeps a running instance out of routing.
    bool setFlowState(const ServerKey& key, const std::string& state, int64_t now);

    // ---- states reported by nodes
    // present_state (lower-case ServerState name) and process_id; false when unknown.
    bool updateServerState(const ServerKey& key, const std::string& presentState, int processId, int64_t now);
    // Several updates in one transaction; the number of instances that exist.
    int updateServerStates(const std::vector<ServerStateUpdate>& updates, int64_t now);
    bool setServerTarsVersion(const ServerKey& key, const std::string& version, int64_t now);
    bool setPatchResult(const ServerKey& key, const std::string& version, const std::string& user, int64_t now);

    // ---- nodes
    // Inserts or replaces the node's row (template_name and group_id of an existing
    // row are kept when node leaves them empty / -1).
    void upsertNode(const NodeRecord& node);
    std::optional<NodeRecord> getNode(const std::string& nodeName);
    std::vector<NodeRecord> listNodes();
    // last_heartbeat = now, loads, present_state active; false when the node is unknown.
    bool nodeHeartbeat(const std::string& nodeName, int64_t now, double avg1, double avg5, double avg15);
    // The node and every server on it become inactive (pid 0); false when unknown.
    bool setNodeInactive(const std::string& nodeName, int64_t now);
    // Every active node whose last heartbeat is older than cutoff becomes inactive with
    // its servers (pid 0); the names of those nodes.
    std::vector<std::string> markTimedOutNodes(int64_t cutoff, int64_t now);
    bool setNodeTemplate(const std::string& nodeName, const std::string& templateName);
    bool deleteNode(const std::string& nodeName);

    // ---- registries
    void upsertRegistry(const RegistryRecord& registry);
    std::vector<RegistryRecord> listRegistries();

    // ---- profile templates
    void upsertTemplate(const ProfileTemplate& profileTemplate);
    std::optional<ProfileTemplate> getTemplate(const std::string& templateName);
    std::vector<ProfileTemplate> listTemplates();
    bool deleteTemplate(const std::string& templateName);

    // ---- IP groups and group priorities
    // Inserts (groupId 0) or replaces the rule of that group_name; its group_id.
    int upsertGroupRule(const GroupRule& rule);
    std::vector<GroupRule> listGroupRules();
    bool deleteGroupRule(int groupId);
    int addGroupPriority(const GroupPriority& priority);
    std::vector<GroupPriority> listGroupPriorities();  // by list_order
    bool deleteGroupPriority(int id);

    // ---- config files
    // Inserts or replaces the file of that (server, filename, host, level, set); its id.
    int64_t upsertConfigFile(const ConfigFile& file);
    std::vector<ConfigFile> listConfigFiles(const ConfigFileFilter& filter = {});
    std::optional<ConfigFile> getConfigFile(int64_t id);
    bool deleteConfigFile(int64_t id);  // and the references from and to it
    void addConfigReference(int64_t configId, int64_t referenceId);
    std::vector<int64_t> listConfigReferences(int64_t configId);

    // ---- the registry's view
    RegistryData loadRegistryData();

private:
    // UPDATE t_server_conf SET <assignments> for one instance; values bind the
    // assignments' placeholders. The rows matched. Callers hold _mutex.
    int64_t updateServerRow(std::string_view operation, const std::string& assignments, SqlParams values,
                            const ServerKey& key);
    std::vector<ServerConf> selectServers(const ServerFilter& filter, std::string_view operation);
    std::vector<AdapterConf> selectAdapters(const ServerFilter& filter, std::string_view operation);
    std::vector<NodeRecord> selectNodes(const std::string& nodeName, std::string_view operation);
    std::vector<GroupRule> selectGroupRules(std::string_view operation);
    std::vector<GroupPriority> selectGroupPriorities(std::string_view operation);
    std::vector<RegistryRecord> selectRegistries(std::string_view operation);
    std::vector<ProfileTemplate> selectTemplates(const std::string& templateName, std::string_view operation);
    std::vector<ConfigFile> selectConfigFiles(const ConfigFileFilter& filter, int64_t id, std::string_view operation);

    std::mutex _mutex;
    std::unique_ptr<SqlConnection> _connection;
};

// "YYYY-MM-DD HH:MM:SS" (UTC) for a time in seconds, and back (0 for "", NULL or
// text that is not such a time).
std::string formatStoreTime(int64_t seconds);
int64_t parseStoreTime(const std::string& text);

}  // namespace tars
