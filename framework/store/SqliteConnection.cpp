#include "SqliteConnection.h"

#include <sqlite3.h>

#include "SchemaScripts.h"
#include "StoreSettings.h"

namespace tars {

namespace {

constexpr int kBusyTimeoutMs = 5000;

// Resets a statement when it leaves scope, so a cached one never holds a read lock.
struct ResetOnExit {
    sqlite3_stmt* statement;
    ~ResetOnExit() {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
    }
};

std::string joined(const std::vector<std::string_view>& names, std::string_view separator, std::string_view prefix = "",
                   std::string_view suffix = "") {
    std::string out;
    for (const auto& name : names) {
        if (!out.empty()) out += separator;
        out += prefix;
        out += name;
        out += suffix;
    }
    return out;
}

}  // namespace

void SqliteConnection::CloseDatabase::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

void SqliteConnection::FinalizeStatement::operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }

SqliteConnection::SqliteConnection(const StoreSettings& settings) {
    if (settings.path.empty()) throw StoreError("sqlite", "open", "no database file given (dbpath)");
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(settings.path.c_str(), &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    _db.reset(db);  // sqlite3 returns a handle even on failure; it must be closed
    if (rc != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        throw StoreError("sqlite", "open " + settings.path, message);
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    runPlain("open " + settings.path, "PRAGMA journal_mode=WAL");
    runPlain("open " + settings.path, "PRAGMA synchronous=NORMAL");
}

SqliteConnection::~SqliteConnection() {
    _statements.clear();  // finalize before closing the database
}

void SqliteConnection::fail(std::string_view operation, int code) const {
    std::string message = sqlite3_errmsg(_db.get());
    if (message.empty() || message == "not an error") message = sqlite3_errstr(code);
    throw StoreError("sqlite", operation, message);
}

void SqliteConnection::runPlain(std::string_view operation, const std::string& sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(_db.get(), sql.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw StoreError("sqlite", operation, message);
    }
}

sqlite3_stmt* SqliteConnection::prepare(std::string_view operation, const std::string& sql, const SqlParams& params) {
    auto it = _statements.find(sql);
    if (it == _statements.end()) {
        sqlite3_stmt* raw = nullptr;
        int rc = sqlite3_prepare_v2(_db.get(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr);
        Statement statement(raw);
        if (rc != SQLITE_OK) fail(operation, rc);
        it = _statements.emplace(sql, std::move(statement)).first;
    }
    sqlite3_stmt* statement = it->second.get();
    if (sqlite3_bind_parameter_count(statement) != static_cast<int>(params.size())) {
        throw StoreError("sqlite", operation,
                         "statement has " + std::to_string(sqlite3_bind_parameter_count(statement)) + " parameters, " +
                             std::to_string(params.size()) + " given");
    }
    for (size_t i = 0; i < params.size(); ++i) {
        int index = static_cast<int>(i) + 1;
        int rc = std::visit(
            [&](const auto& value) -> int {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, std::nullptr_t>) {
                    return sqlite3_bind_null(statement, index);
                } else if constexpr (std::is_same_v<T, int64_t>) {
                    return sqlite3_bind_int64(statement, index, value);
                } else if constexpr (std::is_same_v<T, double>) {
                    return sqlite3_bind_double(statement, index, value);
                } else {
                    return sqlite3_bind_text64(statement, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                               SQLITE_UTF8);
                }
            },
            params[i]);
        if (rc != SQLITE_OK) {
            sqlite3_reset(statement);
            fail(operation, rc);
        }
    }
    return statement;
}

int64_t SqliteConnection::execute(std::string_view operation, const std::string& sql, const SqlParams& params) {
    sqlite3_stmt* statement = prepare(operation, sql, params);
    ResetOnExit reset{statement};
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(operation, rc);
    return sqlite3_changes64(_db.get());
}

int64_t SqliteConnection::lastInsertId() const { return sqlite3_last_insert_rowid(_db.get()); }

std::vector<SqlRow> SqliteConnection::query(std::string_view operation, const std::string& sql,
                                            const SqlParams& params) {
    sqlite3_stmt* statement = prepare(operation, sql, params);
    ResetOnExit reset{statement};
    std::vector<SqlRow> rows;
    int columns = sqlite3_column_count(statement);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        std::vector<std::optional<std::string>> cells;
        cells.reserve(columns);
        for (int c = 0; c < columns; ++c) {
            if (sqlite3_column_type(statement, c) == SQLITE_NULL) {
                cells.emplace_back(std::nullopt);
                continue;
            }
            auto text = reinterpret_cast<const char*>(sqlite3_column_text(statement, c));
            int bytes = sqlite3_column_bytes(statement, c);
            cells.emplace_back(std::string(text ? text : "", static_cast<size_t>(bytes)));
        }
        rows.emplace_back(std::move(cells));
    }
    if (rc != SQLITE_DONE) fail(operation, rc);
    return rows;
}

void SqliteConnection::executeScript(std::string_view operation, const std::string& script) {
    for (const auto& statement : splitSqlScript(script)) runPlain(operation, statement);
}

void SqliteConnection::begin(std::string_view operation, bool readOnly) {
    // A writer takes the write lock at once (IMMEDIATE): two writers then wait for each
    // other (busy timeout) instead of failing when a read lock turns into a write lock.
    runPlain(operation, readOnly ? "BEGIN" : "BEGIN IMMEDIATE");
}

void SqliteConnection::commit(std::string_view operation) { runPlain(operation, "COMMIT"); }

void SqliteConnection::rollback() noexcept { sqlite3_exec(_db.get(), "ROLLBACK", nullptr, nullptr, nullptr); }

std::string SqliteConnection::upsertSql(std::string_view table, const std::vector<std::string_view>& columns,
                                        const std::vector<std::string_view>& keyColumns,
                                        const std::vector<std::string_view>& updateColumns) const {
    std::string sql = "INSERT INTO " + std::string(table) + " (" + joined(columns, ", ") + ") VALUES (";
    for (size_t i = 0; i < columns.size(); ++i) sql += i ? ", ?" : "?";
    sql += ") ON CONFLICT (" + joined(keyColumns, ", ") + ") DO ";
    if (updateColumns.empty()) return sql + "NOTHING";
    std::string sets;
    for (const auto& column : updateColumns) {
        if (!sets.empty()) sets += ", ";
        sets += std::string(column) + " = excluded." + std::string(column);
    }
    return sql + "UPDATE SET " + sets;
}

const std::string& SqliteConnection::schemaScript() const { return sqliteSchemaScript(); }

}  // namespace tars
