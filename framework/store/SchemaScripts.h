// The db_tars schema scripts of sql/, compiled into the store so that a framework
// service creates its tables itself (the embedded store needs no set-up step).
// Generated at build time from sql/db_tars.sqlite.sql and sql/db_tars.mysql.sql.
#pragma once

#include <string>

namespace tars {

const std::string& sqliteSchemaScript();
const std::string& mysqlSchemaScript();
// The observability tables (sql/tars_monitor.sqlite.sql, sql/tars_monitor.mysql.sql).
const std::string& monitorSqliteSchemaScript();
const std::string& monitorMysqlSchemaScript();

}  // namespace tars
