#include "GroupRuleStore.h"

namespace tars {

const RecordColumns<GroupRule>& GroupRuleStore::columns() {
    using C = Column<GroupRule>;
    static const RecordColumns<GroupRule> columns("t_server_group_rule",
                                                  {
                                                      C::integer("group_id", &GroupRule::groupId),
                                                      C::text("ip_order", &GroupRule::ipOrder),
                                                      C::text("allow_ip_rule", &GroupRule::allowIpRule),
                                                      C::text("denny_ip_rule", &GroupRule::dennyIpRule),
                                                      C::text("group_name", &GroupRule::groupName),
                                                      C::text("group_name_cn", &GroupRule::groupNameCn),
                                                      C::text("lastuser", &GroupRule::lastUser),
                                                  });
    return columns;
}

int GroupRuleStore::upsertGroupRule(const GroupRule& rule) {
    static constexpr std::string_view op = "upsertGroupRule";
    checkStoreState(rule.ipOrder, {"allow_denny", "denny_allow"}, _connection.backend(), op);
    const auto& table = columns();
    // group_id is written only when the caller chose it, and never changed.
    static const auto all = table.names();
    static const auto withoutId = table.namesExcept({"group_id"});
    const auto& written = rule.groupId != 0 ? all : withoutId;
    auto connection = _connection.lock();
    SqlTransaction transaction(*connection, op);
    connection->execute(op, connection->upsertSql(table.table(), written, {"group_name"}, withoutId),
                        table.values(rule, written));
    auto rows =
        connection->query(op, "SELECT group_id FROM t_server_group_rule WHERE group_name = ?", {rule.groupName});
    transaction.commit();
    if (rows.empty())
        throw StoreError(_connection.backend(), op, "group '" + rule.groupName + "' missing after insert");
    return static_cast<int>(rows.front().integer(0));
}

std::vector<GroupRule> GroupRuleStore::selectGroupRules(SqlConnection& connection, std::string_view operation) {
    const auto& table = columns();
    auto rows = connection.query(operation, table.selectSql() + " ORDER BY group_id", {});
    std::vector<GroupRule> rules;
    for (const auto& row : rows) rules.push_back(table.read(row));
    return rules;
}

std::vector<GroupRule> GroupRuleStore::listGroupRules() {
    auto connection = _connection.lock();
    return selectGroupRules(*connection, "listGroupRules");
}

bool GroupRuleStore::deleteGroupRule(int groupId) {
    auto connection = _connection.lock();
    return connection->execute("deleteGroupRule", "DELETE FROM t_server_group_rule WHERE group_id = ?",
                               {int64_t{groupId}}) > 0;
}

}  // namespace tars
