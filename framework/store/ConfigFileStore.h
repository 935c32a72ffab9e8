// ConfigFileStore: the config files the config service serves, t_config_files, and which
// file includes which, t_config_references. A file is keyed by server name, file name,
// host, level and set; deleting it deletes the references from and to it (one
// transaction).
//
// Threads: every method from any thread; each call holds the shared connection (and its
// transaction) for its duration. Errors: StoreError when the database fails; "not found"
// is a return value. Lifetime: refers to the SharedSqlConnection, which must outlive it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "RecordColumns.h"
#include "SharedSqlConnection.h"
#include "StoreRecords.h"

namespace tars {

class ConfigFileStore {
public:
    explicit ConfigFileStore(SharedSqlConnection& connection) : _connection(connection) {}

    // Inserts or replaces the file of that (server, filename, host, level, set); its id.
    int64_t upsertConfigFile(const ConfigFile& file);
    std::vector<ConfigFile> listConfigFiles(const ConfigFileFilter& filter = {});
    std::optional<ConfigFile> getConfigFile(int64_t id);
    bool deleteConfigFile(int64_t id);  // and the references from and to it
    void addConfigReference(int64_t configId, int64_t referenceId);
    std::vector<int64_t> listConfigReferences(int64_t configId);

    static const RecordColumns<ConfigFile>& columns();

private:
    // id 0: any id. Callers hold the lease.
    static std::vector<ConfigFile> selectConfigFiles(SqlConnection& connection, const ConfigFileFilter& filter,
                                                     int64_t id, std::string_view operation);

    SharedSqlConnection& _connection;
};

}  // namespace tars
