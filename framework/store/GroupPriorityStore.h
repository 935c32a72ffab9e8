// GroupPriorityStore: the group priority lists, t_group_priority: for a station, the
// groups (group_list) to try in list_order when the caller's own group has no active
// endpoint.
//
// Threads: every method from any thread; each call holds the shared connection (and its
// transaction) for its duration. Errors: StoreError when the database fails.
// Lifetime: refers to the SharedSqlConnection, which must outlive it.
#pragma once

#include <string_view>
#include <vector>

#include "RecordColumns.h"
#include "SharedSqlConnection.h"
#include "StoreRecords.h"

namespace tars {

class GroupPriorityStore {
public:
    explicit GroupPriorityStore(SharedSqlConnection& connection) : _connection(connection) {}

    // Inserts a list (its id is assigned by the database); that id.
    int addGroupPriority(const GroupPriority& priority);
    std::vector<GroupPriority> listGroupPriorities();  // by list_order, then id
    bool deleteGroupPriority(int id);

    // Inside a caller's lease and transaction.
    static std::vector<GroupPriority> selectGroupPriorities(SqlConnection& connection, std::string_view operation);
    static const RecordColumns<GroupPriority>& columns();

private:
    SharedSqlConnection& _connection;
};

}  // namespace tars
