// RegistryInfoStore: the registries' own servants, t_registry_info (QueryObj,
// RegistryObj, AdminRegObj of each registry), keyed by locator id and servant. Each
// registry writes its rows every reload (its heartbeat) and once more, inactive, when it
// stops.
//
// Threads: every method from any thread; each call holds the shared connection for its
// duration. Errors: StoreError when the database fails or the state word is invalid.
// Lifetime: refers to the SharedSqlConnection, which must outlive it.
#pragma once

#include <string_view>
#include <vector>

#include "RecordColumns.h"
#include "SharedSqlConnection.h"
#include "StoreRecords.h"

namespace tars {

class RegistryInfoStore {
public:
    explicit RegistryInfoStore(SharedSqlConnection& connection) : _connection(connection) {}

    void upsertRegistry(const RegistryRecord& registry);
    std::vector<RegistryRecord> listRegistries();

    // Inside a caller's lease and transaction.
    static std::vector<RegistryRecord> selectRegistries(SqlConnection& connection, std::string_view operation);
    static const RecordColumns<RegistryRecord>& columns();

private:
    SharedSqlConnection& _connection;
};

}  // namespace tars
