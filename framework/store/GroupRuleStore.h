// GroupRuleStore: the IP groups, t_server_group_rule: which hosts form a group
// (allow_ip_rule), by group_id and unique group_name. The registry's endpoint table
// reads them to find the group of a caller and of an endpoint.
//
// Threads: every method from any thread; each call holds the shared connection (and its
// transaction) for its duration. Errors: StoreError when the database fails or ip_order
// is invalid. Lifetime: refers to the SharedSqlConnection, which must outlive it.
#pragma once

#include <string_view>
#include <vector>

#include "RecordColumns.h"
#include "SharedSqlConnection.h"
#include "StoreRecords.h"

namespace tars {

class GroupRuleStore {
public:
    explicit GroupRuleStore(SharedSqlConnection& connection) : _connection(connection) {}

    // Inserts (groupId 0: the database assigns it) or replaces the rule of that
    // group_name; its group_id.
    int upsertGroupRule(const GroupRule& rule);
    std::vector<GroupRule> listGroupRules();  // by group_id
    bool deleteGroupRule(int groupId);

    // Inside a caller's lease and transaction.
    static std::vector<GroupRule> selectGroupRules(SqlConnection& connection, std::string_view operation);
    static const RecordColumns<GroupRule>& columns();

private:
    SharedSqlConnection& _connection;
};

}  // namespace tars
