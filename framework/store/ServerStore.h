// ServerStore: the deployed server instances, t_server_conf, with their adapters,
// t_adapter_conf: one aggregate, since an instance is deployed and undeployed together
// with exactly its adapters (one transaction). It also writes what nodes report about an
// instance (present state, pid, version, patch).
//
// Threads: every method from any thread; each call holds the shared connection (and its
// transaction) for its duration. Errors: StoreError when the database fails or a state
// word is invalid; "not found" is a return value. Lifetime: refers to the
// SharedSqlConnection, which must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "RecordColumns.h"
#include "SharedSqlConnection.h"
#include "StoreRecords.h"

namespace tars {

class ServerStore {
public:
    explicit ServerStore(SharedSqlConnection& connection) : _connection(connection) {}

    // Writes the instance's t_server_conf row (insert or replace, keeping present_state
    // and process_id, patch and version of an existing row: they are the node's to
    // report) and replaces its adapters by `adapters` (whose application/server/node are
    // taken from server). A posttime left 0 becomes now; registry_timestamp is now. One
    // transaction.
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

    // ---- inside a caller's lease and transaction (see SharedSqlConnection)
    static std::vector<ServerConf> selectServers(SqlConnection& connection, const ServerFilter& filter,
                                                 std::string_view operation);
    static std::vector<AdapterConf> selectAdapters(SqlConnection& connection, const ServerFilter& filter,
                                                   std::string_view operation);
    // Every instance on the node becomes inactive with pid 0 (its node is gone).
    static void takeDownServersOfNode(SqlConnection& connection, const std::string& nodeName, int64_t now,
                                      std::string_view operation);

    // The tables' columns (the schema test checks them against sql/).
    static const RecordColumns<ServerConf>& serverColumns();
    static const RecordColumns<AdapterConf>& adapterColumns();

private:
    SharedSqlConnection& _connection;
};

}  // namespace tars
