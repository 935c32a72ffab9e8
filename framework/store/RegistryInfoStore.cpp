#include "RegistryInfoStore.h"

namespace tars {

const RecordColumns<RegistryRecord>& RegistryInfoStore::columns() {
    using C = Column<RegistryRecord>;
    static const RecordColumns<RegistryRecord> columns("t_registry_info",
                                                       {
                                                           C::text("locator_id", &RegistryRecord::locatorId),
                                                           C::text("servant", &RegistryRecord::servant),
                                                           C::text("endpoint", &RegistryRecord::endpoint),
                                                           C::time("last_heartbeat", &RegistryRecord::lastHeartbeat),
                                                           C::text("present_state", &RegistryRecord::presentState),
                                                           C::text("tars_version", &RegistryRecord::tarsVersion),
                                                           C::text("enable_group", &RegistryRecord::enableGroup),
                                                       });
    return columns;
}

void RegistryInfoStore::upsertRegistry(const RegistryRecord& registry) {
    static constexpr std::string_view op = "upsertRegistry";
    checkStoreState(registry.presentState, {"active", "inactive"}, _connection.backend(), op);
    const auto& table = columns();
    static const auto written = table.names();
    static const auto updated = table.namesExcept({"locator_id", "servant"});
    auto connection = _connection.lock();
    connection->execute(op, connection->upsertSql(table.table(), written, {"locator_id", "servant"}, updated),
                        table.values(registry, written));
}

std::vector<RegistryRecord> RegistryInfoStore::selectRegistries(SqlConnection& connection, std::string_view operation) {
    const auto& table = columns();
    auto rows = connection.query(operation, table.selectSql() + " ORDER BY servant, locator_id", {});
    std::vector<RegistryRecord> registries;
    for (const auto& row : rows) registries.push_back(table.read(row));
    return registries;
}

std::vector<RegistryRecord> RegistryInfoStore::listRegistries() {
    auto connection = _connection.lock();
    return selectRegistries(*connection, "listRegistries");
}

}  // namespace tars
