#include "NotifyStore.h"

namespace tars {

void insertNotifyRow(SqlConnection& connection, const NotifyRow& row, int keep) {
    SqlTransaction transaction(connection, "insert notify row");
    connection.execute("insert notify row",
                       "INSERT INTO t_server_notifys (application, server_name, container_name, node_name, set_name, "
                       "set_area, set_group, server_id, thread_id, command, result, notifytime) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       {row.application, row.serverName, row.containerName, row.nodeName, row.setName, row.setArea,
                        row.setGroup, row.serverId, row.threadId, row.command, row.result, row.notifyTime});
    // The id of the newest row past the ones kept: it and every older one go.
    auto past = connection.query(
        "trim notify rows", "SELECT id FROM t_server_notifys WHERE server_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?",
        {row.serverId, int64_t{keep}});
    if (!past.empty()) {
        connection.execute("trim notify rows", "DELETE FROM t_server_notifys WHERE server_id = ? AND id <= ?",
                           {row.serverId, past[0].integer(0)});
    }
    transaction.commit();
}

std::vector<NotifyRow> selectNotifyRows(SqlConnection& connection, const std::string& application,
                                        const std::string& serverName, const std::string& nodeName, int64_t offset,
                                        int64_t limit) {
    std::string sql =
        "SELECT id, application, server_name, container_name, node_name, set_name, set_area, set_group, server_id, "
        "thread_id, command, result, notifytime FROM t_server_notifys WHERE application = ? AND server_name = ?";
    SqlParams params{application, serverName};
    if (!nodeName.empty()) {
        sql += " AND node_name = ?";
        params.emplace_back(nodeName);
    }
    sql += " ORDER BY id DESC LIMIT ? OFFSET ?";
    params.emplace_back(limit);
    params.emplace_back(offset);
    std::vector<NotifyRow> rows;
    for (const auto& r : connection.query("read notify rows", sql, params)) {
        NotifyRow row;
        row.id = r.integer(0);
        row.application = r.text(1);
        row.serverName = r.text(2);
        row.containerName = r.text(3);
        row.nodeName = r.text(4);
        row.setName = r.text(5);
        row.setArea = r.text(6);
        row.setGroup = r.text(7);
        row.serverId = r.text(8);
        row.threadId = r.text(9);
        row.command = r.text(10);
        row.result = r.text(11);
        row.notifyTime = r.text(12);
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace tars
