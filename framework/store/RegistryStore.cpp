#include "RegistryStore.h"

#include <ctime>

namespace tars {

namespace {

// Column lists, in the order the row readers below expect them.
constexpr const char* kServerColumns =
    "application, server_name, node_name, base_path, exe_path, template_name, bak_flag, setting_state, "
    "present_state, process_id, patch_version, patch_time, patch_user, tars_version, posttime, lastuser, "
    "server_type, start_script_path, stop_script_path, monitor_script_path, enable_group, enable_set, set_name, "
    "set_area, set_group, ip_group_name, profile, config_center_port, async_thread_num, flow_state, run_type, "
    "registry_timestamp";
constexpr const char* kAdapterColumns =
    "application, server_name, node_name, adapter_name, thread_num, endpoint, max_connections, allow_ip, servant, "
    "queuecap, queuetimeout, posttime, lastuser, protocol, handlegroup, registry_timestamp";
constexpr const char* kNodeColumns =
    "node_name, node_obj, endpoint_ip, endpoint_port, data_dir, load_avg1, load_avg5, load_avg15, last_reg_time, "
    "last_heartbeat, setting_state, present_state, tars_version, template_name, group_id, label";
constexpr const char* kRegistryColumns =
    "locator_id, servant, endpoint, last_heartbeat, present_state, tars_version, enable_group";
constexpr const char* kTemplateColumns = "template_name, parents_name, profile, posttime, lastuser";
constexpr const char* kGroupRuleColumns =
    "group_id, ip_order, allow_ip_rule, denny_ip_rule, group_name, group_name_cn, lastuser";
constexpr const char* kGroupPriorityColumns = "id, name, group_list, list_order, station";
constexpr const char* kConfigFileColumns =
    "id, server_name, set_name, set_area, set_group, host, filename, config, posttime, lastuser, level, config_flag";

SqlValue timeValue(int64_t seconds) {
    if (seconds <= 0) return nullptr;
    return formatStoreTime(seconds);
}

SqlValue integer(int64_t value) { return value; }

ServerConf readServer(const SqlRow& row) {
    ServerConf s;
    size_t i = 0;
    s.application = row.text(i++);
    s.serverName = row.text(i++);
    s.nodeName = row.text(i++);
    s.basePath = row.text(i++);
    s.exePath = row.text(i++);
    s.templateName = row.text(i++);
    s.bakFlag = static_cast<int>(row.integer(i++));
    s.settingState = row.text(i++);
    s.presentState = row.text(i++);
    s.processId = static_cast<int>(row.integer(i++));
    s.patchVersion = row.text(i++);
    s.patchTime = parseStoreTime(row.text(i++));
    s.patchUser = row.text(i++);
    s.tarsVersion = row.text(i++);
    s.postTime = parseStoreTime(row.text(i++));
    s.lastUser = row.text(i++);
    s.serverType = row.text(i++);
    s.startScriptPath = row.text(i++);
    s.stopScriptPath = row.text(i++);
    s.monitorScriptPath = row.text(i++);
    s.enableGroup = row.text(i++);
    s.enableSet = row.text(i++);
    s.setName = row.text(i++);
    s.setArea = row.text(i++);
    s.setGroup = row.text(i++);
    s.ipGroupName = row.text(i++);
    s.profile = row.text(i++);
    s.configCenterPort = static_cast<int>(row.integer(i++));
    s.asyncThreadNum = static_cast<int>(row.integer(i++));
    s.flowState = row.text(i++);
    s.runType = row.text(i++);
    s.registryTimestamp = parseStoreTime(row.text(i++));
    return s;
}

AdapterConf readAdapter(const SqlRow& row) {
    AdapterConf a;
    size_t i = 0;
    a.application = row.text(i++);
    a.serverName = row.text(i++);
    a.nodeName = row.text(i++);
    a.adapterName = row.text(i++);
    a.threadNum = static_cast<int>(row.integer(i++));
    a.endpoint = row.text(i++);
    a.maxConnections = static_cast<int>(row.integer(i++));
    a.allowIp = row.text(i++);
    a.servant = row.text(i++);
    a.queuecap = static_cast<int>(row.integer(i++));
    a.queuetimeout = static_cast<int>(row.integer(i++));
    a.postTime = parseStoreTime(row.text(i++));
    a.lastUser = row.text(i++);
    a.protocol = row.text(i++);
    a.handlegroup = row.text(i++);
    a.registryTimestamp = parseStoreTime(row.text(i++));
    return a;
}

NodeRecord readNode(const SqlRow& row) {
    NodeRecord n;
    size_t i = 0;
    n.nodeName = row.text(i++);
    n.nodeObj = row.text(i++);
    n.endpointIp = row.text(i++);
    n.endpointPort = static_cast<int>(row.integer(i++));
    n.dataDir = row.text(i++);
    n.loadAvg1 = row.real(i++);
    n.loadAvg5 = row.real(i++);
    n.loadAvg15 = row.real(i++);
    n.lastRegTime = parseStoreTime(row.text(i++));
    n.lastHeartbeat = parseStoreTime(row.text(i++));
    n.settingState = row.text(i++);
    n.presentState = row.text(i++);
    n.tarsVersion = row.text(i++);
    n.templateName = row.text(i++);
    n.groupId = static_cast<int>(row.integer(i++));
    n.label = row.text(i++);
    return n;
}

RegistryRecord readRegistry(const SqlRow& row) {
    RegistryRecord r;
    r.locatorId = row.text(0);
    r.servant = row.text(1);
    r.endpoint = row.text(2);
    r.lastHeartbeat = parseStoreTime(row.text(3));
    r.presentState = row.text(4);
    r.tarsVersion = row.text(5);
    r.enableGroup = row.text(6);
    return r;
}

ProfileTemplate readTemplate(const SqlRow& row) {
    return {row.text(0), row.text(1), row.text(2), parseStoreTime(row.text(3)), row.text(4)};
}

GroupRule readGroupRule(const SqlRow& row) {
    GroupRule g;
    g.groupId = static_cast<int>(row.integer(0));
    g.ipOrder = row.text(1);
    g.allowIpRule = row.text(2);
    g.dennyIpRule = row.text(3);
    g.groupName = row.text(4);
    g.groupNameCn = row.text(5);
    g.lastUser = row.text(6);
    return g;
}

GroupPriority readGroupPriority(const SqlRow& row) {
    return {static_cast<int>(row.integer(0)), row.text(1), row.text(2), static_cast<int>(row.integer(3)), row.text(4)};
}

ConfigFile readConfigFile(const SqlRow& row) {
    ConfigFile f;
    size_t i = 0;
    f.id = row.integer(i++);
    f.serverName = row.text(i++);
    f.setName = row.text(i++);
    f.setArea = row.text(i++);
    f.setGroup = row.text(i++);
    f.host = row.text(i++);
    f.filename = row.text(i++);
    f.config = row.text(i++);
    f.postTime = parseStoreTime(row.text(i++));
    f.lastUser = row.text(i++);
    f.level = static_cast<int>(row.integer(i++));
    f.configFlag = static_cast<int>(row.integer(i++));
    return f;
}

// " WHERE a = ? AND b = ?" for the non-empty filter members, and their values.
struct Where {
    std::string sql;
    SqlParams params;

    void add(const char* column, const std::string& value) {
        if (value.empty()) return;
        sql += sql.empty() ? " WHERE " : " AND ";
        sql += column;
        sql += " = ?";
        params.emplace_back(value);
    }
    void add(const char* column, int64_t value) {
        sql += sql.empty() ? " WHERE " : " AND ";
        sql += column;
        sql += " = ?";
        params.emplace_back(value);
    }
};

Where whereServer(const ServerFilter& filter) {
    Where where;
    where.add("application", filter.application);
    where.add("server_name", filter.serverName);
    where.add("node_name", filter.nodeName);
    return where;
}

SqlParams keyParams(const ServerKey& key) { return {key.application, key.serverName, key.nodeName}; }

constexpr const char* kWhereKey = " WHERE application = ? AND server_name = ? AND node_name = ?";

void checkState(const std::string& state, std::initializer_list<const char*> allowed, std::string_view backend,
                std::string_view operation) {
    for (const char* value : allowed) {
        if (state == value) return;
    }
    throw StoreError(backend, operation, "invalid state '" + state + "'");
}

}  // namespace

std::string formatStoreTime(int64_t seconds) {
    time_t t = static_cast<time_t>(seconds);
    struct tm utc {};
    gmtime_r(&t, &utc);
    char text[32];
    strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &utc);
    return text;
}

int64_t parseStoreTime(const std::string& text) {
    if (text.size() < 19) return 0;
    struct tm utc {};
    const char* end = strptime(text.c_str(), "%Y-%m-%d %H:%M:%S", &utc);
    if (!end) return 0;
    return static_cast<int64_t>(timegm(&utc));
}

RegistryStore::RegistryStore(std::unique_ptr<SqlConnection> connection) : _connection(std::move(connection)) {}

RegistryStore::~RegistryStore() = default;

std::unique_ptr<RegistryStore> RegistryStore::open(const StoreSettings& settings, bool createSchema) {
    auto store = std::make_unique<RegistryStore>(openSqlConnection(settings));
    if (createSchema) store->createSchema();
    return store;
}

void RegistryStore::createSchema() {
    std::lock_guard lock(_mutex);
    _connection->executeScript("createSchema", _connection->schemaScript());
}

// ---------------------------------------------------------------- deployment

void RegistryStore::deployServer(const ServerConf& s, const std::vector<AdapterConf>& adapters, int64_t now) {
    static constexpr std::string_view op = "deployServer";
    checkState(s.settingState, {"active", "inactive"}, backend(), op);
    checkState(s.flowState, {"active", "inactive"}, backend(), op);
    std::lock_guard lock(_mutex);
    SqlTransaction transaction(*_connection, op);

    // Runtime facts of an existing row (present state, pid, patch, version) are kept:
    // they are the node's to report.
    static const std::vector<std::string_view> configColumns = {"base_path",
                                                                "exe_path",
                                                                "template_name",
                                                                "bak_flag",
                                                                "setting_state",
                                                                "posttime",
                                                                "lastuser",
                                                                "server_type",
                                                                "start_script_path",
                                                                "stop_script_path",
                                                                "monitor_script_path",
                                                                "enable_group",
                                                                "enable_set",
                                                                "set_name",
                                                                "set_area",
                                                                "set_group",
                                                                "ip_group_name",
                                                                "profile",
                                                                "config_center_port",
                                                                "async_thread_num",
                                                                "flow_state",
                                                                "run_type",
                                                                "registry_timestamp"};
    std::vector<std::string_view> columns = {"application", "server_name", "node_name", "present_state", "process_id"};
    columns.insert(columns.end(), configColumns.begin(), configColumns.end());
    SqlParams params = {s.application,
                        s.serverName,
                        s.nodeName,
                        s.presentState,
                        integer(s.processId),
                        s.basePath,
                        s.exePath,
                        s.templateName,
                        integer(s.bakFlag),
                        s.settingState,
                        timeValue(s.postTime ? s.postTime : now),
                        s.lastUser,
                        s.serverType,
                        s.startScriptPath,
                        s.stopScriptPath,
                        s.monitorScriptPath,
                        s.enableGroup,
                        s.enableSet,
                        s.setName,
                        s.setArea,
                        s.setGroup,
                        s.ipGroupName,
                        s.profile,
                        integer(s.configCenterPort),
                        integer(s.asyncThreadNum),
                        s.flowState,
                        s.runType,
                        formatStoreTime(now)};
    _connection->execute(
        op,
        _connection->upsertSql("t_server_conf", columns, {"application", "server_name", "node_name"}, configColumns),
        params);

    _connection->execute(op, std::string("DELETE FROM t_adapter_conf") + kWhereKey, keyParams(s.key()));
    static const std::string insertAdapter =
        "INSERT INTO t_adapter_conf (application, server_name, node_name, adapter_name, thread_num, endpoint, "
        "max_connections, allow_ip, servant, queuecap, queuetimeout, posttime, lastuser, protocol, handlegroup, "
        "registry_timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    for (const auto& a : adapters) {
        _connection->execute(
            op, insertAdapter,
            {s.application, s.serverName, s.nodeName, a.adapterName, integer(a.threadNum), a.endpoint,
             integer(a.maxConnections), a.allowIp, a.servant, integer(a.queuecap), integer(a.queuetimeout),
             timeValue(a.postTime ? a.postTime : now), a.lastUser, a.protocol, a.handlegroup, formatStoreTime(now)});
    }
    transaction.commit();
}

bool RegistryStore::undeployServer(const ServerKey& key) {
    static constexpr std::string_view op = "undeployServer";
    std::lock_guard lock(_mutex);
    SqlTransaction transaction(*_connection, op);
    _connection->execute(op, std::string("DELETE FROM t_adapter_conf") + kWhereKey, keyParams(key));
    int64_t removed = _connection->execute(op, std::string("DELETE FROM t_server_conf") + kWhereKey, keyParams(key));
    transaction.commit();
    return removed > 0;
}

std::vector<ServerConf> RegistryStore::selectServers(const ServerFilter& filter, std::string_view operation) {
    Where where = whereServer(filter);
    auto rows = _connection->query(operation,
                                   std::string("SELECT ") + kServerColumns + " FROM t_server_conf" + where.sql +
                                       " ORDER BY application, server_name, node_name",
                                   where.params);
    std::vector<ServerConf> servers;
    servers.reserve(rows.size());
    for (const auto& row : rows) servers.push_back(readServer(row));
    return servers;
}

std::vector<AdapterConf> RegistryStore::selectAdapters(const ServerFilter& filter, std::string_view operation) {
    Where where = whereServer(filter);
    auto rows = _connection->query(operation,
                                   std::string("SELECT ") + kAdapterColumns + " FROM t_adapter_conf" + where.sql +
                                       " ORDER BY application, server_name, node_name, adapter_name",
                                   where.params);
    std::vector<AdapterConf> adapters;
    adapters.reserve(rows.size());
    for (const auto& row : rows) adapters.push_back(readAdapter(row));
    return adapters;
}

std::vector<ServerConf> RegistryStore::listServers(const ServerFilter& filter) {
    std::lock_guard lock(_mutex);
    return selectServers(filter, "listServers");
}

std::optional<ServerConf> RegistryStore::getServer(const ServerKey& key) {
    if (key.application.empty() || key.serverName.empty() || key.nodeName.empty()) return std::nullopt;
    std::lock_guard lock(_mutex);
    auto servers = selectServers({key.application, key.serverName, key.nodeName}, "getServer");
    if (servers.empty()) return std::nullopt;
    return servers.front();
}

std::vector<AdapterConf> RegistryStore::listAdapters(const ServerFilter& filter) {
    std::lock_guard lock(_mutex);
    return selectAdapters(filter, "listAdapters");
}

bool RegistryStore::setSettingState(const ServerKey& key, const std::string& state, int64_t now) {
    static constexpr std::string_view op = "setSettingState";
    checkState(state, {"active", "inactive"}, backend(), op);
    std::lock_guard lock(_mutex);
    return updateServerRow(op, "setting_state = ?, registry_timestamp = ?", {state, formatStoreTime(now)}, key) > 0;
}

bool RegistryStore::setFlowState(const ServerKey& key, const std::string& state, int64_t now) {
    static constexpr std::string_view op = "setFlowState";
    checkState(state, {"active", "inactive"}, backend(), op);
    std::lock_guard lock(_mutex);
    return updateServerRow(op, "flow_state = ?, registry_timestamp = ?", {state, formatStoreTime(now)}, key) > 0;
}

int64_t RegistryStore::updateServerRow(std::string_view operation, const std::string& assignments, SqlParams values,
                                       const ServerKey& key) {
    for (auto& value : keyParams(key)) values.push_back(std::move(value));
    return _connection->execute(operation, "UPDATE t_server_conf SET " + assignments + kWhereKey, values);
}

// ---------------------------------------------------------------- states

bool RegistryStore::updateServerState(const ServerKey& key, const std::string& presentState, int processId,
                                      int64_t now) {
    return updateServerStates({{key, presentState, processId}}, now) > 0;
}

int RegistryStore::updateServerStates(const std::vector<ServerStateUpdate>& updates, int64_t now) {
    static constexpr std::string_view op = "updateServerState";
    for (const auto& update : updates) {
        checkState(update.presentState, {"active", "inactive", "activating", "deactivating", "destroying", "destroyed"},
                   backend(), op);
    }
    std::lock_guard lock(_mutex);
    SqlTransaction transaction(*_connection, op);
    int found = 0;
    for (const auto& update : updates) {
        SqlParams values = {update.presentState, integer(update.processId), formatStoreTime(now)};
        if (updateServerRow(op, "present_state = ?, process_id = ?, registry_timestamp = ?", values, update.key) > 0) {
            ++found;
        }
    }
    transaction.commit();
    return found;
}

bool RegistryStore::setServerTarsVersion(const ServerKey& key, const std::string& version, int64_t now) {
    std::lock_guard lock(_mutex);
    return updateServerRow("setServerTarsVersion", "tars_version = ?, registry_timestamp = ?",
                           {version, formatStoreTime(now)}, key) > 0;
}

bool RegistryStore::setPatchResult(const ServerKey& key, const std::string& version, const std::string& user,
                                   int64_t now) {
    std::lock_guard lock(_mutex);
    return updateServerRow("setPatchResult",
                           "patch_version = ?, patch_user = ?, patch_time = ?, registry_timestamp = ?",
                           {version, user, formatStoreTime(now), formatStoreTime(now)}, key) > 0;
}

// ---------------------------------------------------------------- nodes

void RegistryStore::upsertNode(const NodeRecord& n) {
    static constexpr std::string_view op = "upsertNode";
    checkState(n.presentState, {"active", "inactive"}, backend(), op);
    checkState(n.settingState, {"active", "inactive"}, backend(), op);
    std::vector<std::string_view> columns = {"node_name",     "node_obj",       "endpoint_ip",   "endpoint_port",
                                             "data_dir",      "load_avg1",      "load_avg5",     "load_avg15",
                                             "last_reg_time", "last_heartbeat", "setting_state", "present_state",
                                             "tars_version",  "template_name",  "group_id",      "label"};
    std::vector<std::string_view> update = {"node_obj",       "endpoint_ip",   "endpoint_port", "data_dir",
                                            "load_avg1",      "load_avg5",     "load_avg15",    "last_reg_time",
                                            "last_heartbeat", "setting_state", "present_state", "tars_version"};
    if (!n.templateName.empty()) update.push_back("template_name");
    if (n.groupId != -1) update.push_back("group_id");
    if (!n.label.empty()) update.push_back("label");
    SqlParams params = {
        n.nodeName,     n.nodeObj,      n.endpointIp,  integer(n.endpointPort),  n.dataDir,
        n.loadAvg1,     n.loadAvg5,     n.loadAvg15,   timeValue(n.lastRegTime), timeValue(n.lastHeartbeat),
        n.settingState, n.presentState, n.tarsVersion, n.templateName,           integer(n.groupId),
        n.label};
    std::lock_guard lock(_mutex);
    _connection->execute(op, _connection->upsertSql("t_node_info", columns, {"node_name"}, update), params);
}

std::vector<NodeRecord> RegistryStore::selectNodes(const std::string& nodeName, std::string_view operation) {
    Where where;
    where.add("node_name", nodeName);
    auto rows = _connection->query(
        operation, std::string("SELECT ") + kNodeColumns + " FROM t_node_info" + where.sql + " ORDER BY node_name",
        where.params);
    std::vector<NodeRecord> nodes;
    nodes.reserve(rows.size());
    for (const auto& row : rows) nodes.push_back(readNode(row));
    return nodes;
}

std::optional<NodeRecord> RegistryStore::getNode(const std::string& nodeName) {
    if (nodeName.empty()) return std::nullopt;
    std::lock_guard lock(_mutex);
    auto nodes = selectNodes(nodeName, "getNode");
    if (nodes.empty()) return std::nullopt;
    return nodes.front();
}

std::vector<NodeRecord> RegistryStore::listNodes() {
    std::lock_guard lock(_mutex);
    return selectNodes("", "listNodes");
}

bool RegistryStore::nodeHeartbeat(const std::string& nodeName, int64_t now, double avg1, double avg5, double avg15) {
    std::lock_guard lock(_mutex);
    return _connection->execute("nodeHeartbeat",
                                "UPDATE t_node_info SET last_heartbeat = ?, present_state = 'active', load_avg1 = ?, "
                                "load_avg5 = ?, load_avg15 = ? WHERE node_name = ?",
                                {formatStoreTime(now), avg1, avg5, avg15, nodeName}) > 0;
}

bool RegistryStore::setNodeInactive(const std::string& nodeName, int64_t now) {
    static constexpr std::string_view op = "setNodeInactive";
    std::lock_guard lock(_mutex);
    SqlTransaction transaction(*_connection, op);
    int64_t found =
        _connection->execute(op, "UPDATE t_node_info SET present_state = 'inactive' WHERE node_name = ?", {nodeName});
    _connection->execute(op,
                         "UPDATE t_server_conf SET present_state = 'inactive', process_id = 0, registry_timestamp = ? "
                         "WHERE node_name = ?",
                         {formatStoreTime(now), nodeName});
    transaction.commit();
    return found > 0;
}

std::vector<std::string> RegistryStore::markTimedOutNodes(int64_t cutoff, int64_t now) {
    static constexpr std::string_view op = "markTimedOutNodes";
    std::lock_guard lock(_mutex);
    SqlTransaction transaction(*_connection, op);
    auto rows = _connection->query(op,
                                   "SELECT node_name FROM t_node_info WHERE present_state = 'active' AND "
                                   "(last_heartbeat IS NULL OR last_heartbeat < ?)",
                                   {formatStoreTime(cutoff)});
    std::vector<std::string> names;
    for (const auto& row : rows) {
        names.push_back(row.text(0));
        _connection->execute(op, "UPDATE t_node_info SET present_state = 'inactive' WHERE node_name = ?",
                             {names.back()});
        _connection->execute(op,
                             "UPDATE t_server_conf SET present_state = 'inactive', process_id = 0, "
                             "registry_timestamp = ? WHERE node_name = ?",
                             {formatStoreTime(now), names.back()});
    }
    transaction.commit();
    return names;
}

bool RegistryStore::setNodeTemplate(const std::string& nodeName, const std::string& templateName) {
    std::lock_guard lock(_mutex);
    return _connection->execute("setNodeTemplate", "UPDATE t_node_info SET template_name = ? WHERE node_name = ?",
                                {templateName, nodeName}) > 0;
}

bool RegistryStore::deleteNode(const std::string& nodeName) {
    std::lock_guard lock(_mutex);
    return _connection->execute("deleteNode", "DELETE FROM t_node_info WHERE node_name = ?", {nodeName}) > 0;
}

// ---------------------------------------------------------------- registries

void RegistryStore::upsertRegistry(const RegistryRecord& r) {
    static constexpr std::string_view op = "upsertRegistry";
    checkState(r.presentState, {"active", "inactive"}, backend(), op);
    std::lock_guard lock(_mutex);
    _connection->execute(
        op,
        _connection->upsertSql(
            "t_registry_info",
            {"locator_id", "servant", "endpoint", "last_heartbeat", "present_state", "tars_version", "enable_group"},
            {"locator_id", "servant"}, {"endpoint", "last_heartbeat", "present_state", "tars_version", "enable_group"}),
        {r.locatorId, r.servant, r.endpoint, timeValue(r.lastHeartbeat), r.presentState, r.tarsVersion, r.enableGroup});
}

std::vector<RegistryRecord> RegistryStore::selectRegistries(std::string_view operation) {
    auto rows = _connection->query(
        operation, std::string("SELECT ") + kRegistryColumns + " FROM t_registry_info ORDER BY servant, locator_id",
        {});
    std::vector<RegistryRecord> registries;
    for (const auto& row : rows) registries.push_back(readRegistry(row));
    return registries;
}

std::vector<RegistryRecord> RegistryStore::listRegistries() {
    std::lock_guard lock(_mutex);
    return selectRegistries("listRegistries");
}

// ---------------------------------------------------------------- templates

void RegistryStore::upsertTemplate(const ProfileTemplate& t) {
    std::lock_guard lock(_mutex);
    _connection->execute("upsertTemplate",
                         _connection->upsertSql("t_profile_template",
                                                {"template_name", "parents_name", "profile", "posttime", "lastuser"},
                                                {"template_name"}, {"parents_name", "profile", "posttime", "lastuser"}),
                         {t.templateName, t.parentsName, t.profile, timeValue(t.postTime), t.lastUser});
}

std::vector<ProfileTemplate> RegistryStore::selectTemplates(const std::string& templateName,
                                                            std::string_view operation) {
    Where where;
    where.add("template_name", templateName);
    auto rows = _connection->query(
        operation,
        std::string("SELECT ") + kTemplateColumns + " FROM t_profile_template" + where.sql + " ORDER BY template_name",
        where.params);
    std::vector<ProfileTemplate> templates;
    for (const auto& row : rows) templates.push_back(readTemplate(row));
    return templates;
}

std::optional<ProfileTemplate> RegistryStore::getTemplate(const std::string& templateName) {
    if (templateName.empty()) return std::nullopt;
    std::lock_guard lock(_mutex);
    auto templates = selectTemplates(templateName, "getTemplate");
    if (templates.empty()) return std::nullopt;
    return templates.front();
}

std::vector<ProfileTemplate> RegistryStore::listTemplates() {
    std::lock_guard lock(_mutex);
    return selectTemplates("", "listTemplates");
}

bool RegistryStore::deleteTemplate(const std::string& templateName) {
    std::lock_guard lock(_mutex);
    return _connection->execute("deleteTemplate", "DELETE FROM t_profile_template WHERE template_name = ?",
                                {templateName}) > 0;
}

// ---------------------------------------------------------------- groups

int RegistryStore::upsertGroupRule(const GroupRule& g) {
    static constexpr std::string_view op = "upsertGroupRule";
    checkState(g.ipOrder, {"allow_denny", "denny_allow"}, backend(), op);
    std::lock_guard lock(_mutex);
    SqlTransaction transaction(*_connection, op);
    std::vector<std::string_view> columns = {"ip_order",   "allow_ip_rule", "denny_ip_rule",
                                             "group_name", "group_name_cn", "lastuser"};
    std::vector<std::string_view> update = columns;
    SqlParams params = {g.ipOrder, g.allowIpRule, g.dennyIpRule, g.groupName, g.groupNameCn, g.lastUser};
    if (g.groupId != 0) {
        columns.insert(columns.begin(), "group_id");
        params.insert(params.begin(), integer(g.groupId));
    }
    _connection->execute(op, _connection->upsertSql("t_server_group_rule", columns, {"group_name"}, update), params);
    auto rows = _connection->query(op, "SELECT group_id FROM t_server_group_rule WHERE group_name = ?", {g.groupName});
    transaction.commit();
    if (rows.empty()) throw StoreError(backend(), op, "group '" + g.groupName + "' missing after insert");
    return static_cast<int>(rows.front().integer(0));
}

std::vector<GroupRule> RegistryStore::selectGroupRules(std::string_view operation) {
    auto rows = _connection->query(
        operation, std::string("SELECT ") + kGroupRuleColumns + " FROM t_server_group_rule ORDER BY group_id", {});
    std::vector<GroupRule> rules;
    for (const auto& row : rows) rules.push_back(readGroupRule(row));
    return rules;
}

std::vector<GroupRule> RegistryStore::listGroupRules() {
    std::lock_guard lock(_mutex);
    return selectGroupRules("listGroupRules");
}

bool RegistryStore::deleteGroupRule(int groupId) {
    std::lock_guard lock(_mutex);
    return _connection->execute("deleteGroupRule", "DELETE FROM t_server_group_rule WHERE group_id = ?",
                                {integer(groupId)}) > 0;
}

int RegistryStore::addGroupPriority(const GroupPriority& p) {
    static constexpr std::string_view op = "addGroupPriority";
    std::lock_guard lock(_mutex);
    SqlTransaction transaction(*_connection, op);
    _connection->execute(op, "INSERT INTO t_group_priority (name, group_list, list_order, station) VALUES (?, ?, ?, ?)",
                         {p.name, p.groupList, integer(p.listOrder), p.station});
    int id = static_cast<int>(_connection->lastInsertId());
    transaction.commit();
    return id;
}

std::vector<GroupPriority> RegistryStore::selectGroupPriorities(std::string_view operation) {
    auto rows = _connection->query(
        operation, std::string("SELECT ") + kGroupPriorityColumns + " FROM t_group_priority ORDER BY list_order, id",
        {});
    std::vector<GroupPriority> priorities;
    for (const auto& row : rows) priorities.push_back(readGroupPriority(row));
    return priorities;
}

std::vector<GroupPriority> RegistryStore::listGroupPriorities() {
    std::lock_guard lock(_mutex);
    return selectGroupPriorities("listGroupPriorities");
}

bool RegistryStore::deleteGroupPriority(int id) {
    std::lock_guard lock(_mutex);
    return _connection->execute("deleteGroupPriority", "DELETE FROM t_group_priority WHERE id = ?", {integer(id)}) > 0;
}

// ---------------------------------------------------------------- config files

int64_t RegistryStore::upsertConfigFile(const ConfigFile& f) {
    static constexpr std::string_view op = "upsertConfigFile";
    std::lock_guard lock(_mutex);
    SqlTransaction transaction(*_connection, op);
    _connection->execute(
        op,
        _connection->upsertSql("t_config_files",
                               {"server_name", "set_name", "set_area", "set_group", "host", "filename", "config",
                                "posttime", "lastuser", "level", "config_flag"},
                               {"server_name", "filename", "host", "level", "set_name", "set_area", "set_group"},
                               {"config", "posttime", "lastuser", "config_flag"}),
        {f.serverName, f.setName, f.setArea, f.setGroup, f.host, f.filename, f.config, timeValue(f.postTime),
         f.lastUser, integer(f.level), integer(f.configFlag)});
    auto rows =
        _connection->query(op,
                           "SELECT id FROM t_config_files WHERE server_name = ? AND filename = ? AND host = ? "
                           "AND level = ? AND set_name = ? AND set_area = ? AND set_group = ?",
                           {f.serverName, f.filename, f.host, integer(f.level), f.setName, f.setArea, f.setGroup});
    transaction.commit();
    if (rows.empty()) throw StoreError(backend(), op, "file '" + f.filename + "' missing after insert");
    return rows.front().integer(0);
}

std::vector<ConfigFile> RegistryStore::selectConfigFiles(const ConfigFileFilter& filter, int64_t id,
                                                         std::string_view operation) {
    Where where;
    if (id != 0) where.add("id", id);
    where.add("server_name", filter.serverName);
    where.add("filename", filter.filename);
    where.add("host", filter.host);
    if (filter.level != 0) where.add("level", static_cast<int64_t>(filter.level));
    auto rows = _connection->query(operation,
                                   std::string("SELECT ") + kConfigFileColumns + " FROM t_config_files" + where.sql +
                                       " ORDER BY server_name, level, filename, host, id",
                                   where.params);
    std::vector<ConfigFile> files;
    for (const auto& row : rows) files.push_back(readConfigFile(row));
    return files;
}

std::vector<ConfigFile> RegistryStore::listConfigFiles(const ConfigFileFilter& filter) {
    std::lock_guard lock(_mutex);
    return selectConfigFiles(filter, 0, "listConfigFiles");
}

std::optional<ConfigFile> RegistryStore::getConfigFile(int64_t id) {
    std::lock_guard lock(_mutex);
    auto files = selectConfigFiles({}, id, "getConfigFile");
    if (files.empty()) return std::nullopt;
    return files.front();
}

bool RegistryStore::deleteConfigFile(int64_t id) {
    static constexpr std::string_view op = "deleteConfigFile";
    std::lock_guard lock(_mutex);
    SqlTransaction transaction(*_connection, op);
    _connection->execute(op, "DELETE FROM t_config_references WHERE config_id = ? OR reference_id = ?",
                         {integer(id), integer(id)});
    int64_t removed = _connection->execute(op, "DELETE FROM t_config_files WHERE id = ?", {integer(id)});
    transaction.commit();
    return removed > 0;
}

void RegistryStore::addConfigReference(int64_t configId, int64_t referenceId) {
    std::lock_guard lock(_mutex);
    _connection->execute(
        "addConfigReference",
        _connection->upsertSql("t_config_references", {"config_id", "reference_id"}, {"config_id", "reference_id"}, {}),
        {integer(configId), integer(referenceId)});
}

std::vector<int64_t> RegistryStore::listConfigReferences(int64_t configId) {
    std::lock_guard lock(_mutex);
    auto rows = _connection->query("listConfigReferences",
                                   "SELECT reference_id FROM t_config_references WHERE config_id = ? ORDER BY id",
                                   {integer(configId)});
    std::vector<int64_t> ids;
    for (const auto& row : rows) ids.push_back(row.integer(0));
    return ids;
}

// ---------------------------------------------------------------- registry view

RegistryData RegistryStore::loadRegistryData() {
    static constexpr std::string_view op = "loadRegistryData";
    std::lock_guard lock(_mutex);
    SqlTransaction transaction(*_connection, op, true);
    RegistryData data;
    data.servers = selectServers({}, op);
    data.adapters = selectAdapters({}, op);
    data.nodes = selectNodes("", op);
    data.registries = selectRegistries(op);
    data.groupRules = selectGroupRules(op);
    data.groupPriorities = selectGroupPriorities(op);
    transaction.commit();
    return data;
}

}  // namespace tars
