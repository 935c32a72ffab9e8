// SqliteConnection: the embedded backend of the store, one SQLite database file (the
// default: nothing to install or run). The file is created when missing and opened in
// WAL mode with a busy timeout, so several processes (two registries, an admin tool)
// may share it on one machine.
//
// Owns its sqlite3 handle and its cached prepared statements; closes them on
// destruction. Not thread-safe (see SqlConnection). Errors throw StoreError("sqlite", ...).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "SqlConnection.h"

struct sqlite3;
struct sqlite3_stmt;

namespace tars {

struct StoreSettings;

class SqliteConnection : public SqlConnection {
public:
    explicit SqliteConnection(const StoreSettings& settings);
    ~SqliteConnection() override;

    const char* backend() const override { return "sqlite"; }
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
    struct CloseDatabase {
        void operator()(sqlite3* db) const;
    };
    struct FinalizeStatement {
        void operator()(sqlite3_stmt* statement) const;
    };
    using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

    // The cached statement for sql, reset and bound to params.
    sqlite3_stmt* prepare(std::string_view operation, const std::string& sql, const SqlParams& params);
    void runPlain(std::string_view operation, const std::string& sql);
    [[noreturn]] void fail(std::string_view operation, int code) const;

    std::unique_ptr<sqlite3, CloseDatabase> _db;
    std::map<std::string, Statement> _statements;  // prepared once per SQL text
};

}  // namespace tars
