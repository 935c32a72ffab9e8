// SqlConnection: one open connection to the database of the framework's store, seen
// through the few operations the store needs: parameterised statements, plain scripts
// (schema), transactions, and the one statement form the dialects spell differently
// (insert-or-update). Each backend is one class in one file (SqliteConnection,
// MysqlConnection); openSqlConnection() picks it by the name in StoreSettings.
//
// Values travel as SqlValue (NULL, integer, real or text) and are always bound as
// parameters, never pasted into SQL text. Query results come back as text cells
// (nullopt = NULL); SqlRow converts them.
//
// Threads: a connection is not thread-safe; its owner (SharedSqlConnection) serialises use.
// Errors: every failure throws StoreError naming the backend, the operation the caller
// was doing, and the database's own message.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "util/tc_ex.h"

namespace tars {

struct StoreSettings;

// "<backend> store: <operation>: <database message>".
struct StoreError : TC_Exception {
    StoreError(std::string_view backend, std::string_view operation, std::string_view message);
};

using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

// One result row; cells in the order of the SELECT list.
class SqlRow {
public:
    explicit SqlRow(std::vector<std::optional<std::string>> cells) : _cells(std::move(cells)) {}

    size_t size() const { return _cells.size(); }
    bool isNull(size_t i) const { return !_cells.at(i).has_value(); }
    // NULL reads as "" / 0.
    std::string text(size_t i) const { return _cells.at(i).value_or(std::string()); }
    int64_t integer(size_t i) const;
    double real(size_t i) const;

private:
    std::vector<std::optional<std::string>> _cells;
};

class SqlConnection {
public:
    virtual ~SqlConnection() = default;

    // "sqlite" or "mysql": the name StoreSettings::type chooses it by.
    virtual const char* backend() const = 0;

    // Runs one statement with '?' placeholders bound to params; the number of rows it
    // changed (for UPDATE: rows matched, even when the values were already equal).
    virtual int64_t execute(std::string_view operation, const std::string& sql, const SqlParams& params) = 0;
    // The AUTO_INCREMENT / rowid value the last successful INSERT of this connection made.
    virtual int64_t lastInsertId() const = 0;
    // Runs one SELECT with '?' placeholders; every row.
    virtual std::vector<SqlRow> query(std::string_view operation, const std::string& sql, const SqlParams& params) = 0;
    // Runs statements without parameters (schema DDL), split by splitSqlScript().
    virtual void executeScript(std::string_view operation, const std::string& script) = 0;

    // A read-only transaction sees one consistent snapshot and takes no write lock.
    virtual void begin(std::string_view operation, bool readOnly = false) = 0;
    virtual void commit(std::string_view operation) = 0;
    // Never throws: used on the error path.
    virtual void rollback() noexcept = 0;

    // INSERT INTO table (columns) VALUES (?, ...) that updates updateColumns of the row
    // already holding the same unique key instead of failing.
    virtual std::string upsertSql(std::string_view table, const std::vector<std::string_view>& columns,
                                  const std::vector<std::string_view>& keyColumns,
                                  const std::vector<std::string_view>& updateColumns) const = 0;

    // The db_tars schema in this backend's dialect (sql/db_tars.<dialect>.sql).
    virtual const std::string& schemaScript() const = 0;
};

// Opens the backend named by settings.type ("sqlite", "mysql"); throws StoreError when
// the name is unknown, the backend is not built in, or the connection fails.
std::unique_ptr<SqlConnection> openSqlConnection(const StoreSettings& settings);
// The backends this build has ("mysql" only with TARS_MYSQL).
std::vector<std::string> availableSqlBackends();

// The statements of a script: each ends with ';' at the end of a line; lines that
// start with "--" are comments. Text after the last ';' is one more statement.
std::vector<std::string> splitSqlScript(const std::string& script);

// Scope guard of a transaction: rolls back unless commit() was called.
class SqlTransaction {
public:
    SqlTransaction(SqlConnection& connection, std::string_view operation, bool readOnly = false);
    ~SqlTransaction();
    SqlTransaction(const SqlTransaction&) = delete;
    SqlTransaction& operator=(const SqlTransaction&) = delete;
    void commit();

private:
    SqlConnection& _connection;
    std::string _operation;
    bool _done = false;
};

}  // namespace tars
