// MonitorDatabase: the connection of an observability service (tarsstat, tarsproperty,
// tarsnotify and the query services) to the tables of sql/tars_monitor.<dialect>.sql, on
// the backend its StoreSettings name (SQLite by default, MySQL/MariaDB).
//
// The connection is opened on first use (creating the missing tables when createSchema)
// and dropped after any StoreError, so the next use opens a new one: a database that goes
// away and comes back is picked up without a restart. Callers that must not lose data
// (the stat and property flushers) keep what failed and retry it.
//
// Threads: run() serialises its callers with one mutex; the SqlConnection& it hands out
// is valid only inside the callback. Errors: run() rethrows the StoreError (after
// dropping the connection); other exceptions pass through unchanged.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "SqlConnection.h"
#include "StoreSettings.h"

namespace tars {

class MonitorDatabase {
public:
    MonitorDatabase(StoreSettings settings, bool createSchema)
        : _settings(std::move(settings)), _createSchema(createSchema) {}
    MonitorDatabase(const MonitorDatabase&) = delete;
    MonitorDatabase& operator=(const MonitorDatabase&) = delete;

    // Runs f(SqlConnection&) on the open connection (opening it first when needed).
    template <typename F>
    auto run(F&& f) -> decltype(f(std::declval<SqlConnection&>())) {
        std::lock_guard<std::mutex> lock(_mutex);
        try {
            return f(connectLocked());
        } catch (const StoreError&) {
            _connection.reset();
            throw;
        }
    }

    // Opens the connection now (at start, to report a bad setting early); throws StoreError.
    void connect();
    const StoreSettings& settings() const { return _settings; }
    std::string describe() const { return _settings.describe(); }

private:
    SqlConnection& connectLocked();

    std::mutex _mutex;
    const StoreSettings _settings;
    const bool _createSchema;
    std::unique_ptr<SqlConnection> _connection;
};

// The observability schema in the dialect of backend ("sqlite" or "mysql").
const std::string& monitorSchemaScript(const std::string& backend);

}  // namespace tars
