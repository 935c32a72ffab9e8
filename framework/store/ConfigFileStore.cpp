#include "ConfigFileStore.h"

#include "SqlWhere.h"

namespace tars {

const RecordColumns<ConfigFile>& ConfigFileStore::columns() {
    using C = Column<ConfigFile>;
    static const RecordColumns<ConfigFile> columns("t_config_files",
                                                   {
                                                       C::integer("id", &ConfigFile::id),
                                                       C::text("server_name", &ConfigFile::serverName),
                                                       C::text("set_name", &ConfigFile::setName),
                                                       C::text("set_area", &ConfigFile::setArea),
                                                       C::text("set_group", &ConfigFile::setGroup),
                                                       C::text("host", &ConfigFile::host),
                                                       C::text("filename", &ConfigFile::filename),
                                                       C::text("config", &ConfigFile::config),
                                                       C::time("posttime", &ConfigFile::postTime),
                                                       C::text("lastuser", &ConfigFile::lastUser),
                                                       C::integer("level", &ConfigFile::level),
                                                       C::integer("config_flag", &ConfigFile::configFlag),
                                                   });
    return columns;
}

int64_t ConfigFileStore::upsertConfigFile(const ConfigFile& file) {
    static constexpr std::string_view op = "upsertConfigFile";
    const auto& table = columns();
    static const std::vector<std::string_view> key = {"server_name", "filename", "host",     "level",
                                                      "set_name",    "set_area", "set_group"};
    static const auto written = table.namesExcept({"id"});
    static const auto updated =
        table.namesExcept({"id", "server_name", "filename", "host", "level", "set_name", "set_area", "set_group"});
    auto connection = _connection.lock();
    SqlTransaction transaction(*connection, op);
    connection->execute(op, connection->upsertSql(table.table(), written, key, updated), table.values(file, written));
    static const std::string idSql = [] {
        std::string sql = "SELECT id FROM t_config_files";
        for (size_t i = 0; i < key.size(); ++i) {
            sql += i == 0 ? " WHERE " : " AND ";
            sql += key[i];
            sql += " = ?";
        }
        return sql;
    }();
    auto rows = connection->query(op, idSql, table.values(file, key));
    transaction.commit();
    if (rows.empty()) throw StoreError(_connection.backend(), op, "file '" + file.filename + "' missing after insert");
    return rows.front().integer(0);
}

std::vector<ConfigFile> ConfigFileStore::selectConfigFiles(SqlConnection& connection, const ConfigFileFilter& filter,
                                                           int64_t id, std::string_view operation) {
    const auto& table = columns();
    SqlWhere where;
    if (id != 0) where.add("id", id);
    where.add("server_name", filter.serverName);
    where.add("filename", filter.filename);
    where.add("host", filter.host);
    if (filter.level != 0) where.add("level", static_cast<int64_t>(filter.level));
    auto rows = connection.query(
        operation, table.selectSql() + where.sql + " ORDER BY server_name, level, filename, host, id", where.params);
    std::vector<ConfigFile> files;
    for (const auto& row : rows) files.push_back(table.read(row));
    return files;
}

std::vector<ConfigFile> ConfigFileStore::listConfigFiles(const ConfigFileFilter& filter) {
    auto connection = _connection.lock();
    return selectConfigFiles(*connection, filter, 0, "listConfigFiles");
}

std::optional<ConfigFile> ConfigFileStore::getConfigFile(int64_t id) {
    auto connection = _connection.lock();
    auto files = selectConfigFiles(*connection, {}, id, "getConfigFile");
    if (files.empty()) return std::nullopt;
    return files.front();
}

bool ConfigFileStore::deleteConfigFile(int64_t id) {
    static constexpr std::string_view op = "deleteConfigFile";
    auto connection = _connection.lock();
    SqlTransaction transaction(*connection, op);
    connection->execute(op, "DELETE FROM t_config_references WHERE config_id = ? OR reference_id = ?", {id, id});
    int64_t removed = connection->execute(op, "DELETE FROM t_config_files WHERE id = ?", {id});
    transaction.commit();
    return removed > 0;
}

void ConfigFileStore::addConfigReference(int64_t configId, int64_t referenceId) {
    auto connection = _connection.lock();
    connection->execute(
        "addConfigReference",
        connection->upsertSql("t_config_references", {"config_id", "reference_id"}, {"config_id", "reference_id"}, {}),
        {configId, referenceId});
}

std::vector<int64_t> ConfigFileStore::listConfigReferences(int64_t configId) {
    auto connection = _connection.lock();
    auto rows =
        connection->query("listConfigReferences",
                          "SELECT reference_id FROM t_config_references WHERE config_id = ? ORDER BY id", {configId});
    std::vector<int64_t> ids;
    for (const auto& row : rows) ids.push_back(row.integer(0));
    return ids;
}

}  // namespace tars
