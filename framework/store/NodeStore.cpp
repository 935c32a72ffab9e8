#include "NodeStore.h"

#include "ServerStore.h"
#include "SqlWhere.h"

namespace tars {

const RecordColumns<NodeRecord>& NodeStore::columns() {
    using C = Column<NodeRecord>;
    static const RecordColumns<NodeRecord> columns("t_node_info",
                                                   {
                                                       C::text("node_name", &NodeRecord::nodeName),
                                                       C::text("node_obj", &NodeRecord::nodeObj),
                                                       C::text("endpoint_ip", &NodeRecord::endpointIp),
                                                       C::integer("endpoint_port", &NodeRecord::endpointPort),
                                                       C::text("data_dir", &NodeRecord::dataDir),
                                                       C::real("load_avg1", &NodeRecord::loadAvg1),
                                                       C::real("load_avg5", &NodeRecord::loadAvg5),
                                                       C::real("load_avg15", &NodeRecord::loadAvg15),
                                                       C::time("last_reg_time", &NodeRecord::lastRegTime),
                                                       C::time("last_heartbeat", &NodeRecord::lastHeartbeat),
                                                       C::text("setting_state", &NodeRecord::settingState),
                                                       C::text("present_state", &NodeRecord::presentState),
                                                       C::text("tars_version", &NodeRecord::tarsVersion),
                                                       C::text("template_name", &NodeRecord::templateName),
                                                       C::integer("group_id", &NodeRecord::groupId),
                                                       C::text("label", &NodeRecord::label),
                                                   });
    return columns;
}

void NodeStore::upsertNode(const NodeRecord& node) {
    static constexpr std::string_view op = "upsertNode";
    checkStoreState(node.presentState, {"active", "inactive"}, _connection.backend(), op);
    checkStoreState(node.settingState, {"active", "inactive"}, _connection.backend(), op);
    const auto& table = columns();
    static const auto written = table.names();
    // What an operator set on the node stays unless this registration gives it.
    std::vector<std::string_view> updated = table.namesExcept({"node_name", "template_name", "group_id", "label"});
    if (!node.templateName.empty()) updated.push_back("template_name");
    if (node.groupId != -1) updated.push_back("group_id");
    if (!node.label.empty()) updated.push_back("label");
    auto connection = _connection.lock();
    connection->execute(op, connection->upsertSql(table.table(), written, {"node_name"}, updated),
                        table.values(node, written));
}

std::vector<NodeRecord> NodeStore::selectNodes(SqlConnection& connection, const std::string& nodeName,
                                               std::string_view operation) {
    const auto& table = columns();
    SqlWhere where;
    where.add("node_name", nodeName);
    auto rows = connection.query(operation, table.selectSql() + where.sql + " ORDER BY node_name", where.params);
    std::vector<NodeRecord> nodes;
    nodes.reserve(rows.size());
    for (const auto& row : rows) nodes.push_back(table.read(row));
    return nodes;
}

std::optional<NodeRecord> NodeStore::getNode(const std::string& nodeName) {
    if (nodeName.empty()) return std::nullopt;
    auto connection = _connection.lock();
    auto nodes = selectNodes(*connection, nodeName, "getNode");
    if (nodes.empty()) return std::nullopt;
    return nodes.front();
}

std::vector<NodeRecord> NodeStore::listNodes() {
    auto connection = _connection.lock();
    return selectNodes(*connection, "", "listNodes");
}

bool NodeStore::nodeHeartbeat(const std::string& nodeName, int64_t now, double avg1, double avg5, double avg15) {
    auto connection = _connection.lock();
    return connection->execute("nodeHeartbeat",
                               "UPDATE t_node_info SET last_heartbeat = ?, present_state = 'active', load_avg1 = ?, "
                               "load_avg5 = ?, load_avg15 = ? WHERE node_name = ?",
                               {formatStoreTime(now), avg1, avg5, avg15, nodeName}) > 0;
}

bool NodeStore::setNodeInactive(const std::string& nodeName, int64_t now) {
    static constexpr std::string_view op = "setNodeInactive";
    auto connection = _connection.lock();
    SqlTransaction transaction(*connection, op);
    int64_t found =
        connection->execute(op, "UPDATE t_node_info SET present_state = 'inactive' WHERE node_name = ?", {nodeName});
    ServerStore::takeDownServersOfNode(*connection, nodeName, now, op);
    transaction.commit();
    return found > 0;
}

std::vector<std::string> NodeStore::markTimedOutNodes(int64_t cutoff, int64_t now) {
    static constexpr std::string_view op = "markTimedOutNodes";
    auto connection = _connection.lock();
    SqlTransaction transaction(*connection, op);
    auto rows = connection->query(op,
                                  "SELECT node_name FROM t_node_info WHERE present_state = 'active' AND "
                                  "(last_heartbeat IS NULL OR last_heartbeat < ?)",
                                  {formatStoreTime(cutoff)});
    std::vector<std::string> names;
    for (const auto& row : rows) {
        names.push_back(row.text(0));
        connection->execute(op, "UPDATE t_node_info SET present_state = 'inactive' WHERE node_name = ?",
                            {names.back()});
        ServerStore::takeDownServersOfNode(*connection, names.back(), now, op);
    }
    transaction.commit();
    return names;
}

bool NodeStore::setNodeTemplate(const std::string& nodeName, const std::string& templateName) {
    auto connection = _connection.lock();
    return connection->execute("setNodeTemplate", "UPDATE t_node_info SET template_name = ? WHERE node_name = ?",
                               {templateName, nodeName}) > 0;
}

bool NodeStore::deleteNode(const std::string& nodeName) {
    auto connection = _connection.lock();
    return connection->execute("deleteNode", "DELETE FROM t_node_info WHERE node_name = ?", {nodeName}) > 0;
}

}  // namespace tars
