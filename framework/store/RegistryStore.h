// RegistryStore: the framework's state in db_tars, as the registry, the nodes' calls,
// the admin tool and the config service use it. One SqlConnection (SharedSqlConnection)
// shared by eight aggregate stores, each one class over its tables:
//
//   ServerStore         t_server_conf + t_adapter_conf: deployment, states nodes report
//   NodeStore           t_node_info: registration, heartbeats, timeouts
//   RegistryInfoStore   t_registry_info: the registries' own servants
//   TemplateStore       t_profile_template
//   GroupRuleStore      t_server_group_rule
//   GroupPriorityStore  t_group_priority
//   ConfigFileStore     t_config_files + t_config_references
//   ServerPatchStore    t_server_patchs: the published versions of each server
//
// The SQL is written once, in the dialect both backends accept; the few differences
// (insert-or-update, schema text) come from the connection. Each table's columns are
// listed once, in its store (RecordColumns). This class is a thin facade: it opens the
// connection, creates the schema, forwards each store's methods (their contracts are in
// the stores' headers) and reads, in one transaction, everything the registry's
// in-memory endpoint table is built from (loadRegistryData). Code that needs one
// aggregate only can take that store (servers(), nodes(), ...).
//
// Times are seconds since the epoch, stored as UTC; callers pass "now" explicitly so
// that every registry sharing a database applies the same clock rules.
//
// Threads: every method may be called from any thread; calls are serialised on the one
// connection. Errors: every method throws StoreError ("<backend> store: <operation>:
// <database message>") when the database fails; "not found" is a return value, never
// an exception. Lifetime: owns its connection and its stores.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ConfigFileStore.h"
#include "GroupPriorityStore.h"
#include "GroupRuleStore.h"
#include "NodeStore.h"
#include "RegistryInfoStore.h"
#include "ServerPatchStore.h"
#include "ServerStore.h"
#include "SharedSqlConnection.h"
#include "SqlConnection.h"
#include "StoreRecords.h"
#include "StoreSettings.h"
#include "StoreValues.h"
#include "TemplateStore.h"

namespace tars {

class RegistryStore {
public:
    explicit RegistryStore(std::unique_ptr<SqlConnection> connection);
    ~RegistryStore();
    RegistryStore(const RegistryStore&) = delete;
    RegistryStore& operator=(const RegistryStore&) = delete;

    // Opens the backend settings name and, with createSchema, creates missing tables.
    static std::unique_ptr<RegistryStore> open(const StoreSettings& settings, bool createSchema = true);

    const char* backend() const { return _connection.backend(); }
    // Creates the tables that do not exist yet (the dialect's sql/db_tars.*.sql).
    void createSchema();

    // ---- the aggregates
    ServerStore& servers() { return _servers; }
    NodeStore& nodes() { return _nodes; }
    RegistryInfoStore& registries() { return _registries; }
    TemplateStore& templates() { return _templates; }
    GroupRuleStore& groupRules() { return _groupRules; }
    GroupPriorityStore& groupPriorities() { return _groupPriorities; }
    ConfigFileStore& configFiles() { return _configFiles; }
    ServerPatchStore& patches() { return _patches; }

    // ---- deployment and reported states (ServerStore)
    void deployServer(const ServerConf& server, const std::vector<AdapterConf>& adapters, int64_t now) {
        _servers.deployServer(server, adapters, now);
    }
    bool undeployServer(const ServerKey& key) { return _servers.undeployServer(key); }
    std::vector<ServerConf> listServers(const ServerFilter& filter = {}) { return _servers.listServers(filter); }
    std::optional<ServerConf> getServer(const ServerKey& key) { return _servers.getServer(key); }
    std::vector<AdapterConf> listAdapters(const ServerFilter& filter = {}) { return _servers.listAdapters(filter); }
    bool setSettingState(const ServerKey& key, const std::string& state, int64_t now) {
        return _servers.setSettingState(key, state, now);
    }
    bool setFlowState(const ServerKey& key, const std::string& state, int64_t now) {
        return _servers.setFlowState(key, state, now);
    }
    bool updateServerState(const ServerKey& key, const std::string& presentState, int processId, int64_t now) {
        return _servers.updateServerState(key, presentState, processId, now);
    }
    int updateServerStates(const std::vector<ServerStateUpdate>& updates, int64_t now) {
        return _servers.updateServerStates(updates, now);
    }
    bool setServerTarsVersion(const ServerKey& key, const std::string& version, int64_t now) {
        return _servers.setServerTarsVersion(key, version, now);
    }
    bool setPatchResult(const ServerKey& key, const std::string& version, const std::string& user, int64_t now) {
        return _servers.setPatchResult(key, version, user, now);
    }

    // ---- nodes (NodeStore)
    void upsertNode(const NodeRecord& node) { _nodes.upsertNode(node); }
    std::optional<NodeRecord> getNode(const std::string& nodeName) { return _nodes.getNode(nodeName); }
    std::vector<NodeRecord> listNodes() { return _nodes.listNodes(); }
    bool nodeHeartbeat(const std::string& nodeName, int64_t now, double avg1, double avg5, double avg15) {
        return _nodes.nodeHeartbeat(nodeName, now, avg1, avg5, avg15);
    }
    bool setNodeInactive(const std::string& nodeName, int64_t now) { return _nodes.setNodeInactive(nodeName, now); }
    std::vector<std::string> markTimedOutNodes(int64_t cutoff, int64_t now) {
        return _nodes.markTimedOutNodes(cutoff, now);
    }
    bool setNodeTemplate(const std::string& nodeName, const std::string& templateName) {
        return _nodes.setNodeTemplate(nodeName, templateName);
    }
    bool deleteNode(const std::string& nodeName) { return _nodes.deleteNode(nodeName); }

    // ---- registries (RegistryInfoStore)
    void upsertRegistry(const RegistryRecord& registry) { _registries.upsertRegistry(registry); }
    std::vector<RegistryRecord> listRegistries() { return _registries.listRegistries(); }

    // ---- profile templates (TemplateStore)
    void upsertTemplate(const ProfileTemplate& profileTemplate) { _templates.upsertTemplate(profileTemplate); }
    std::optional<ProfileTemplate> getTemplate(const std::string& templateName) {
        return _templates.getTemplate(templateName);
    }
    std::vector<ProfileTemplate> listTemplates() { return _templates.listTemplates(); }
    bool deleteTemplate(const std::string& templateName) { return _templates.deleteTemplate(templateName); }

    // ---- IP groups and group priorities (GroupRuleStore, GroupPriorityStore)
    int upsertGroupRule(const GroupRule& rule) { return _groupRules.upsertGroupRule(rule); }
    std::vector<GroupRule> listGroupRules() { return _groupRules.listGroupRules(); }
    bool deleteGroupRule(int groupId) { return _groupRules.deleteGroupRule(groupId); }
    int addGroupPriority(const GroupPriority& priority) { return _groupPriorities.addGroupPriority(priority); }
    std::vector<GroupPriority> listGroupPriorities() { return _groupPriorities.listGroupPriorities(); }
    bool deleteGroupPriority(int id) { return _groupPriorities.deleteGroupPriority(id); }

    // ---- config files (ConfigFileStore)
    int64_t upsertConfigFile(const ConfigFile& file) { return _configFiles.upsertConfigFile(file); }
    std::vector<ConfigFile> listConfigFiles(const ConfigFileFilter& filter = {}) {
        return _configFiles.listConfigFiles(filter);
    }
    std::optional<ConfigFile> getConfigFile(int64_t id) { return _configFiles.getConfigFile(id); }
    bool deleteConfigFile(int64_t id) { return _configFiles.deleteConfigFile(id); }
    void addConfigReference(int64_t configId, int64_t referenceId) {
        _configFiles.addConfigReference(configId, referenceId);
    }
    std::vector<int64_t> listConfigReferences(int64_t configId) { return _configFiles.listConfigReferences(configId); }

    // ---- published versions (ServerPatchStore)
    ServerPatchStore::Added addPatch(const ServerPatch& patch) { return _patches.addPatch(patch); }
    std::vector<ServerPatch> listPatches(const std::string& server) { return _patches.listPatches(server); }
    std::optional<ServerPatch> getPatch(const std::string& server, const std::string& version) {
        return _patches.getPatch(server, version);
    }

    // ---- the registry's view: servers, adapters, nodes, registries, group rules and
    // priorities, in one read-only transaction (one consistent snapshot).
    RegistryData loadRegistryData();

private:
    SharedSqlConnection _connection;  // first: the stores refer to it
    ServerStore _servers;
    NodeStore _nodes;
    RegistryInfoStore _registries;
    TemplateStore _templates;
    GroupRuleStore _groupRules;
    GroupPriorityStore _groupPriorities;
    ConfigFileStore _configFiles;
    ServerPatchStore _patches;
};

}  // namespace tars
