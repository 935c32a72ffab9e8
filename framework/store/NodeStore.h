// NodeStore: the nodes (tarsnode), t_node_info: registration, heartbeats and timeouts.
// A node that goes inactive takes its server instances down with it (present state
// inactive, pid 0) in the same transaction, through ServerStore.
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

class NodeStore {
public:
    explicit NodeStore(SharedSqlConnection& connection) : _connection(connection) {}

    // Inserts or replaces the node's row (template_name, group_id and label of an
    // existing row are kept when node leaves them empty / -1 / empty).
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

    // Inside a caller's lease and transaction; "" selects every node.
    static std::vector<NodeRecord> selectNodes(SqlConnection& connection, const std::string& nodeName,
                                               std::string_view operation);
    static const RecordColumns<NodeRecord>& columns();

private:
    SharedSqlConnection& _connection;
};

}  // namespace tars
