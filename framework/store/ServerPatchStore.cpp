#include "ServerPatchStore.h"

#include <algorithm>
#include <cctype>

#include "SqlWhere.h"

namespace tars {

const RecordColumns<ServerPatch>& ServerPatchStore::columns() {
    using C = Column<ServerPatch>;
    static const RecordColumns<ServerPatch> columns("t_server_patchs",
                                                    {
                                                        C::integer("id", &ServerPatch::id),
                                                        C::text("server", &ServerPatch::server),
                                                        C::text("version", &ServerPatch::version),
                                                        C::text("tgz", &ServerPatch::tgz),
                                                        C::text("md5", &ServerPatch::md5),
                                                        C::integer("file_size", &ServerPatch::size),
                                                        C::text("update_text", &ServerPatch::comment),
                                                        C::time("upload_time", &ServerPatch::uploadTime),
                                                        C::text("upload_user", &ServerPatch::uploadUser),
                                                    });
    return columns;
}

namespace {

bool sameMd5(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

}  // namespace

ServerPatchStore::Added ServerPatchStore::addPatch(const ServerPatch& patch) {
    static constexpr std::string_view op = "addPatch";
    const auto& table = columns();
    static const auto written = table.namesExcept({"id"});
    static const auto updated = table.namesExcept({"id", "server", "version"});
    auto connection = _connection.lock();
    SqlTransaction transaction(*connection, op);
    // Checked under the connection's lease, in the transaction that writes: one registry
    // never lets two uploads of one version both pass.
    auto existing = selectPatches(*connection, patch.server, patch.version, op);
    if (!existing.empty() && !sameMd5(existing.front().md5, patch.md5)) {
        return Added{0, existing.front()};
    }
    connection->execute(op, connection->upsertSql(table.table(), written, {"server", "version"}, updated),
                        table.values(patch, written));
    auto rows = connection->query(op, "SELECT id FROM t_server_patchs WHERE server = ? AND version = ?",
                                  {patch.server, patch.version});
    transaction.commit();
    if (rows.empty()) {
        throw StoreError(_connection.backend(), op, "version '" + patch.version + "' missing after insert");
    }
    return Added{rows.front().integer(0), std::nullopt};
}

std::vector<ServerPatch> ServerPatchStore::selectPatches(SqlConnection& connection, const std::string& server,
                                                         const std::string& version, std::string_view operation) {
    const auto& table = columns();
    SqlWhere where;
    where.add("server", server);
    where.add("version", version);
    auto rows = connection.query(operation, table.selectSql() + where.sql + " ORDER BY upload_time DESC, id DESC",
                                 where.params);
    std::vector<ServerPatch> patches;
    for (const auto& row : rows) patches.push_back(table.read(row));
    return patches;
}

std::vector<ServerPatch> ServerPatchStore::listPatches(const std::string& server) {
    if (server.empty()) return {};
    auto connection = _connection.lock();
    return selectPatches(*connection, server, "", "listPatches");
}

std::optional<ServerPatch> ServerPatchStore::getPatch(const std::string& server, const std::string& version) {
    if (server.empty() || version.empty()) return std::nullopt;
    auto connection = _connection.lock();
    auto patches = selectPatches(*connection, server, version, "getPatch");
    if (patches.empty()) return std::nullopt;
    return patches.front();
}

}  // namespace tars
