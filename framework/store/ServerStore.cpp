#include "ServerStore.h"

#include "SqlWhere.h"

namespace tars {

namespace {

constexpr const char* kWhereKey = " WHERE application = ? AND server_name = ? AND node_name = ?";

SqlParams keyParams(const ServerKey& key) { return {key.application, key.serverName, key.nodeName}; }

SqlWhere whereServer(const ServerFilter& filter) {
    SqlWhere where;
    where.add("application", filter.application);
    where.add("server_name", filter.serverName);
    where.add("node_name", filter.nodeName);
    return where;
}

// UPDATE t_server_conf SET <assignments> for one instance; values bind the assignments'
// placeholders. The rows matched.
int64_t updateServerRow(SqlConnection& connection, std::string_view operation, const std::string& assignments,
                        SqlParams values, const ServerKey& key) {
    for (auto& value : keyParams(key)) values.push_back(std::move(value));
    return connection.execute(operation, "UPDATE t_server_conf SET " + assignments + kWhereKey, values);
}

}  // namespace

const RecordColumns<ServerConf>& ServerStore::serverColumns() {
    using C = Column<ServerConf>;
    static const RecordColumns<ServerConf> columns("t_server_conf",
                                                   {
                                                       C::text("application", &ServerConf::application),
                                                       C::text("server_name", &ServerConf::serverName),
                                                       C::text("node_name", &ServerConf::nodeName),
                                                       C::text("base_path", &ServerConf::basePath),
                                                       C::text("exe_path", &ServerConf::exePath),
                                                       C::text("template_name", &ServerConf::templateName),
                                                       C::integer("bak_flag", &ServerConf::bakFlag),
                                                       C::text("setting_state", &ServerConf::settingState),
                                                       C::text("present_state", &ServerConf::presentState),
                                                       C::integer("process_id", &ServerConf::processId),
                                                       C::text("patch_version", &ServerConf::patchVersion),
                                                       C::time("patch_time", &ServerConf::patchTime),
                                                       C::text("patch_user", &ServerConf::patchUser),
                                                       C::text("tars_version", &ServerConf::tarsVersion),
                                                       C::time("posttime", &ServerConf::postTime),
                                                       C::text("lastuser", &ServerConf::lastUser),
                                                       C::text("server_type", &ServerConf::serverType),
                                                       C::text("start_script_path", &ServerConf::startScriptPath),
                                                       C::text("stop_script_path", &ServerConf::stopScriptPath),
                                                       C::text("monitor_script_path", &ServerConf::monitorScriptPath),
                                                       C::text("enable_group", &ServerConf::enableGroup),
                                                       C::text("enable_set", &ServerConf::enableSet),
                                                       C::text("set_name", &ServerConf::setName),
                                                       C::text("set_area", &ServerConf::setArea),
                                                       C::text("set_group", &ServerConf::setGroup),
                                                       C::text("ip_group_name", &ServerConf::ipGroupName),
                                                       C::text("profile", &ServerConf::profile),
                                                       C::integer("config_center_port", &ServerConf::configCenterPort),
                                                       C::integer("async_thread_num", &ServerConf::asyncThreadNum),
                                                       C::text("flow_state", &ServerConf::flowState),
                                                       C::text("run_type", &ServerConf::runType),
                                                       C::stamp("registry_timestamp", &ServerConf::registryTimestamp),
                                                   });
    return columns;
}

const RecordColumns<AdapterConf>& ServerStore::adapterColumns() {
    using C = Column<AdapterConf>;
    static const RecordColumns<AdapterConf> columns("t_adapter_conf",
                                                    {
                                                        C::text("application", &AdapterConf::application),
                                                        C::text("server_name", &AdapterConf::serverName),
                                                        C::text("node_name", &AdapterConf::nodeName),
                                                        C::text("adapter_name", &AdapterConf::adapterName),
                                                        C::integer("thread_num", &AdapterConf::threadNum),
                                                        C::text("endpoint", &AdapterConf::endpoint),
                                                        C::integer("max_connections", &AdapterConf::maxConnections),
                                                        C::text("allow_ip", &AdapterConf::allowIp),
                                                        C::text("servant", &AdapterConf::servant),
                                                        C::integer("queuecap", &AdapterConf::queuecap),
                                                        C::integer("queuetimeout", &AdapterConf::queuetimeout),
                                                        C::time("posttime", &AdapterConf::postTime),
                                                        C::text("lastuser", &AdapterConf::lastUser),
                                                        C::text("protocol", &AdapterConf::protocol),
                                                        C::text("handlegroup", &AdapterConf::handlegroup),
                                                        C::stamp("registry_timestamp", &AdapterConf::registryTimestamp),
                                                    });
    return columns;
}

// ---------------------------------------------------------------- deployment

void ServerStore::deployServer(const ServerConf& server, const std::vector<AdapterConf>& adapters, int64_t now) {
    static constexpr std::string_view op = "deployServer";
    checkStoreState(server.settingState, {"active", "inactive"}, _connection.backend(), op);
    checkStoreState(server.flowState, {"active", "inactive"}, _connection.backend(), op);

    const auto& servers = serverColumns();
    // What the node reports (patch, version) is never written here; present_state and
    // process_id only when the row is new.
    static const auto written = servers.namesExcept({"patch_version", "patch_time", "patch_user", "tars_version"});
    static const auto updated =
        servers.namesExcept({"application", "server_name", "node_name", "present_state", "process_id", "patch_version",
                             "patch_time", "patch_user", "tars_version"});
    ServerConf row = server;
    if (row.postTime == 0) row.postTime = now;
    row.registryTimestamp = now;

    const auto& adapterTable = adapterColumns();
    static const std::string insertAdapter = adapterTable.insertSql(adapterTable.names());

    auto connection = _connection.lock();
    SqlTransaction transaction(*connection, op);
    connection->execute(
        op, connection->upsertSql(servers.table(), written, {"application", "server_name", "node_name"}, updated),
        servers.values(row, written));
    connection->execute(op, std::string("DELETE FROM t_adapter_conf") + kWhereKey, keyParams(server.key()));
    for (const auto& adapter : adapters) {
        AdapterConf adapterRow = adapter;
        adapterRow.application = server.application;
        adapterRow.serverName = server.serverName;
        adapterRow.nodeName = server.nodeName;
        if (adapterRow.postTime == 0) adapterRow.postTime = now;
        adapterRow.registryTimestamp = now;
        connection->execute(op, insertAdapter, adapterTable.values(adapterRow, adapterTable.names()));
    }
    transaction.commit();
}

bool ServerStore::undeployServer(const ServerKey& key) {
    static constexpr std::string_view op = "undeployServer";
    auto connection = _connection.lock();
    SqlTransaction transaction(*connection, op);
    connection->execute(op, std::string("DELETE FROM t_adapter_conf") + kWhereKey, keyParams(key));
    int64_t removed = connection->execute(op, std::string("DELETE FROM t_server_conf") + kWhereKey, keyParams(key));
    transaction.commit();
    return removed > 0;
}

std::vector<ServerConf> ServerStore::selectServers(SqlConnection& connection, const ServerFilter& filter,
                                                   std::string_view operation) {
    const auto& columns = serverColumns();
    SqlWhere where = whereServer(filter);
    auto rows = connection.query(
        operation, columns.selectSql() + where.sql + " ORDER BY application, server_name, node_name", where.params);
    std::vector<ServerConf> servers;
    servers.reserve(rows.size());
    for (const auto& row : rows) servers.push_back(columns.read(row));
    return servers;
}

std::vector<AdapterConf> ServerStore::selectAdapters(SqlConnection& connection, const ServerFilter& filter,
                                                     std::string_view operation) {
    const auto& columns = adapterColumns();
    SqlWhere where = whereServer(filter);
    auto rows = connection.query(
        operation, columns.selectSql() + where.sql + " ORDER BY application, server_name, node_name, adapter_name",
        where.params);
    std::vector<AdapterConf> adapters;
    adapters.reserve(rows.size());
    for (const auto& row : rows) adapters.push_back(columns.read(row));
    return adapters;
}

std::vector<ServerConf> ServerStore::listServers(const ServerFilter& filter) {
    auto connection = _connection.lock();
    return selectServers(*connection, filter, "listServers");
}

std::optional<ServerConf> ServerStore::getServer(const ServerKey& key) {
    if (key.application.empty() || key.serverName.empty() || key.nodeName.empty()) return std::nullopt;
    auto connection = _connection.lock();
    auto servers = selectServers(*connection, {key.application, key.serverName, key.nodeName}, "getServer");
    if (servers.empty()) return std::nullopt;
    return servers.front();
}

std::vector<AdapterConf> ServerStore::listAdapters(const ServerFilter& filter) {
    auto connection = _connection.lock();
    return selectAdapters(*connection, filter, "listAdapters");
}

bool ServerStore::setSettingState(const ServerKey& key, const std::string& state, int64_t now) {
    static constexpr std::string_view op = "setSettingState";
    checkStoreState(state, {"active", "inactive"}, _connection.backend(), op);
    auto connection = _connection.lock();
    return updateServerRow(*connection, op, "setting_state = ?, registry_timestamp = ?", {state, formatStoreTime(now)},
                           key) > 0;
}

bool ServerStore::setFlowState(const ServerKey& key, const std::string& state, int64_t now) {
    static constexpr std::string_view op = "setFlowState";
    checkStoreState(state, {"active", "inactive"}, _connection.backend(), op);
    auto connection = _connection.lock();
    return updateServerRow(*connection, op, "flow_state = ?, registry_timestamp = ?", {state, formatStoreTime(now)},
                           key) > 0;
}

// ---------------------------------------------------------------- states

bool ServerStore::updateServerState(const ServerKey& key, const std::string& presentState, int processId, int64_t now) {
    return updateServerStates({{key, presentState, processId}}, now) > 0;
}

int ServerStore::updateServerStates(const std::vector<ServerStateUpdate>& updates, int64_t now) {
    static constexpr std::string_view op = "updateServerState";
    for (const auto& update : updates) {
        checkStoreState(update.presentState,
                        {"active", "inactive", "activating", "deactivating", "destroying", "destroyed"},
                        _connection.backend(), op);
    }
    auto connection = _connection.lock();
    SqlTransaction transaction(*connection, op);
    int found = 0;
    for (const auto& update : updates) {
        SqlParams values = {update.presentState, int64_t{update.processId}, formatStoreTime(now)};
        if (updateServerRow(*connection, op, "present_state = ?, process_id = ?, registry_timestamp = ?", values,
                            update.key) > 0) {
            ++found;
        }
    }
    transaction.commit();
    return found;
}

bool ServerStore::setServerTarsVersion(const ServerKey& key, const std::string& version, int64_t now) {
    auto connection = _connection.lock();
    return updateServerRow(*connection, "setServerTarsVersion", "tars_version = ?, registry_timestamp = ?",
                           {version, formatStoreTime(now)}, key) > 0;
}

bool ServerStore::setPatchResult(const ServerKey& key, const std::string& version, const std::string& user,
                                 int64_t now) {
    auto connection = _connection.lock();
    return updateServerRow(*connection, "setPatchResult",
                           "patch_version = ?, patch_user = ?, patch_time = ?, registry_timestamp = ?",
                           {version, user, formatStoreTime(now), formatStoreTime(now)}, key) > 0;
}

void ServerStore::takeDownServersOfNode(SqlConnection& connection, const std::string& nodeName, int64_t now,
                                        std::string_view operation) {
    connection.execute(operation,
                       "UPDATE t_server_conf SET present_state = 'inactive', process_id = 0, registry_timestamp = ? "
                       "WHERE node_name = ?",
                       {formatStoreTime(now), nodeName});
}

}  // namespace tars
