#include "GroupPriorityStore.h"

namespace tars {

const RecordColumns<GroupPriority>& GroupPriorityStore::columns() {
    using C = Column<GroupPriority>;
    static const RecordColumns<GroupPriority> columns("t_group_priority",
                                                      {
                                                          C::integer("id", &GroupPriority::id),
                                                          C::text("name", &GroupPriority::name),
                                                          C::text("group_list", &GroupPriority::groupList),
                                                          C::integer("list_order", &GroupPriority::listOrder),
                                                          C::text("station", &GroupPriority::station),
                                                      });
    return columns;
}

int GroupPriorityStore::addGroupPriority(const GroupPriority& priority) {
    static constexpr std::string_view op = "addGroupPriority";
    const auto& table = columns();
    static const auto written = table.namesExcept({"id"});
    static const std::string insert = table.insertSql(written);
    auto connection = _connection.lock();
    SqlTransaction transaction(*connection, op);
    connection->execute(op, insert, table.values(priority, written));
    int id = static_cast<int>(connection->lastInsertId());
    transaction.commit();
    return id;
}

std::vector<GroupPriority> GroupPriorityStore::selectGroupPriorities(SqlConnection& connection,
                                                                     std::string_view operation) {
    const auto& table = columns();
    auto rows = connection.query(operation, table.selectSql() + " ORDER BY list_order, id", {});
    std::vector<GroupPriority> priorities;
    for (const auto& row : rows) priorities.push_back(table.read(row));
    return priorities;
}

std::vector<GroupPriority> GroupPriorityStore::listGroupPriorities() {
    auto connection = _connection.lock();
    return selectGroupPriorities(*connection, "listGroupPriorities");
}

bool GroupPriorityStore::deleteGroupPriority(int id) {
    auto connection = _connection.lock();
    return connection->execute("deleteGroupPriority", "DELETE FROM t_group_priority WHERE id = ?", {int64_t{id}}) > 0;
}

}  // namespace tars
