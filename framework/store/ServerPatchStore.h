// ServerPatchStore: the published versions of each server, t_server_patchs (TARS's table
// of the same name), keyed by server (App.Server) and version. tarsadmin publish records
// one row per upload; versions and rollback read them. Which instance runs which version
// is not kept here: the nodes report it into t_server_conf.patch_version.
//
// Threads: every method from any thread; each call holds the shared connection for its
// duration. Errors: StoreError when the database fails; "not found" is a return value.
// Lifetime: refers to the SharedSqlConnection, which must outlive it.
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

class ServerPatchStore {
public:
    explicit ServerPatchStore(SharedSqlConnection& connection) : _connection(connection) {}

    // What addPatch did: the row's id, or (id 0) the row already holding that server and
    // version with another MD5, left unchanged.
    struct Added {
        int64_t id = 0;
        std::optional<ServerPatch> conflicting;
    };
    // Inserts the version, or replaces the row of the same server and version when it has
    // the same MD5 (the same package uploaded again). A different package under a
    // recorded version is refused: nodes keep unpacked versions by name and would go on
    // running the old one.
    Added addPatch(const ServerPatch& patch);
    // The versions of server, newest first (upload time, then id).
    std::vector<ServerPatch> listPatches(const std::string& server);
    std::optional<ServerPatch> getPatch(const std::string& server, const std::string& version);

    static const RecordColumns<ServerPatch>& columns();

private:
    // version "" selects every version. Callers hold the lease.
    static std::vector<ServerPatch> selectPatches(SqlConnection& connection, const std::string& server,
                                                  const std::string& version, std::string_view operation);

    SharedSqlConnection& _connection;
};

}  // namespace tars
