#include "MonitorDatabase.h"

#include "SchemaScripts.h"

namespace tars {

const std::string& monitorSchemaScript(const std::string& backend) {
    return backend == "mysql" ? monitorMysqlSchemaScript() : monitorSqliteSchemaScript();
}

void MonitorDatabase::connect() {
    run([](SqlConnection&) {});
}

SqlConnection& MonitorDatabase::connectLocked() {
    if (!_connection) {
        auto connection = openSqlConnection(_settings);
        if (_createSchema)
            connection->executeScript("create the observability tables", monitorSchemaScript(connection->backend()));
        _connection = std::move(connection);
    }
    return *_connection;
}

}  // namespace tars
