// MysqlConnection: the MySQL/MariaDB backend of the store, through the MariaDB
// Connector/C (libmariadb). For teams with several machines: every registry, node and
// admin tool points at one database.
//
// Owns its MYSQL handle and cached prepared statements (closed on destruction). The
// session runs with time_zone '+00:00' (times are UTC, like the embedded store) and
// CLIENT_FOUND_ROWS (an UPDATE reports the rows it matched). A connection lost between
// statements (server restart, idle timeout) is reopened once and the statement retried,
// except inside a transaction, where the error is thrown. Not thread-safe (see
// SqlConnection). Errors throw StoreError("mysql", ...) with the server's message and
// error number.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "SqlConnection.h"
#include "StoreSettings.h"

struct st_mysql;
struct st_mysql_stmt;

namespace tars {

class MysqlConnection : public SqlConnection {
public:
    explicit MysqlConnection(const StoreSettings& settings);
    ~MysqlConnection() override;

    const char* backend() const override { return "mysql"; }
    int64_t execute(std::string_view operation, const std::string& sql, const SqlParams& params) override;
    int64_t lastInsertId() const override;
    std::vector<SqlRow> query(std::string_view operation, const std::string& sql, const SqlParams& params) override;
    void executeScript(std::string_view operation, const std::string& script) override;
    void begin(std::string_view operation, bool readOnly) override;
    void commit(std::string_view operation) override;
    void rollback() noexcept override;
    std::string upsertSql(std::string_view table, const std::vector<std::string_view>& columns,
                          const std::vector<std::string_view>& keyColumns,
                          const std::vector<std::string_view>& updateColumns) const override;
    const std::string& schemaScript() const override;

private:
    struct CloseConnection {
        void operator()(st_mysql* mysql) const;
    };
    struct CloseStatement {
        void operator()(st_mysql_stmt* statement) const;
    };
    using Statement = std::unique_ptr<st_mysql_stmt, CloseStatement>;

    void connect(std::string_view operation);
    // Runs body; when the connection was lost (and no transaction is open) reconnects
    // and runs it once more.
    template <typename Body>
    auto withReconnect(std::string_view operation, Body body);
    st_mysql_stmt* prepare(std::string_view operation, const std::string& sql, const SqlParams& params);
    void runPlain(std::string_view operation, const std::string& sql);
    [[noreturn]] void failConnection(std::string_view operation) const;
    [[noreturn]] void failStatement(std::string_view operation, st_mysql_stmt* statement) const;

    StoreSettings _settings;
    std::unique_ptr<st_mysql, CloseConnection> _mysql;
    std::map<std::string, Statement> _statements;
    bool _inTransaction = false;
    int64_t _lastInsertId = 0;
};

}  // namespace tars
