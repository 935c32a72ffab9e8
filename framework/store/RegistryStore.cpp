#include "RegistryStore.h"

namespace tars {

RegistryStore::RegistryStore(std::unique_ptr<SqlConnection> connection)
    : _connection(std::move(connection)),
      _servers(_connection),
      _nodes(_connection),
      _registries(_connection),
      _templates(_connection),
      _groupRules(_connection),
      _groupPriorities(_connection),
      _configFiles(_connection),
      _patches(_connection) {}

RegistryStore::~RegistryStore() = default;

std::unique_ptr<RegistryStore> RegistryStore::open(const StoreSettings& settings, bool createSchema) {
    auto store = std::make_unique<RegistryStore>(openSqlConnection(settings));
    if (createSchema) store->createSchema();
    return store;
}

void RegistryStore::createSchema() {
    auto connection = _connection.lock();
    connection->executeScript("createSchema", connection->schemaScript());
}

RegistryData RegistryStore::loadRegistryData() {
    static constexpr std::string_view op = "loadRegistryData";
    auto connection = _connection.lock();
    SqlTransaction transaction(*connection, op, true);
    RegistryData data;
    data.servers = ServerStore::selectServers(*connection, {}, op);
    data.adapters = ServerStore::selectAdapters(*connection, {}, op);
    data.nodes = NodeStore::selectNodes(*connection, "", op);
    data.registries = RegistryInfoStore::selectRegistries(*connection, op);
    data.groupRules = GroupRuleStore::selectGroupRules(*connection, op);
    data.groupPriorities = GroupPriorityStore::selectGroupPriorities(*connection, op);
    transaction.commit();
    return data;
}

}  // namespace tars
