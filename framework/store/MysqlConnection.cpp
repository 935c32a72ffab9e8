#include "MysqlConnection.h"

#include <errmsg.h>
#include <mysql.h>

#include <mutex>

#include "SchemaScripts.h"

namespace tars {

namespace {

// Thrown inside withReconnect() when the server went away; never escapes it.
struct ConnectionLost {
    StoreError error;
};

bool isConnectionLost(unsigned int code) { return code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST; }

std::string errorText(const char* message, unsigned int code) {
    return std::string(message) + " (" + std::to_string(code) + ")";
}

constexpr unsigned long kInitialCellBytes = 256;

struct FreeResult {
    MYSQL_STMT* statement;
    ~FreeResult() { mysql_stmt_free_result(statement); }
};

}  // namespace

void MysqlConnection::CloseConnection::operator()(st_mysql* mysql) const { mysql_close(mysql); }

void MysqlConnection::CloseStatement::operator()(st_mysql_stmt* statement) const { mysql_stmt_close(statement); }

MysqlConnection::MysqlConnection(const StoreSettings& settings) : _settings(settings) {
    // The library must be initialised once before threads use it.
    static std::once_flag once;
    std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
    try {
        connect("open " + _settings.describe());
    } catch (const ConnectionLost& lost) {
        throw lost.error;
    }
}

MysqlConnection::~MysqlConnection() {
    _statements.clear();  // statements before their connection
}

void MysqlConnection::connect(std::string_view operation) {
    _statements.clear();
    _mysql.reset(mysql_init(nullptr));
    if (!_mysql) throw StoreError("mysql", operation, "out of memory");
    unsigned int timeout = static_cast<unsigned int>(_settings.timeoutSeconds);
    mysql_options(_mysql.get(), MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(_mysql.get(), MYSQL_OPT_READ_TIMEOUT, &timeout);
    mysql_options(_mysql.get(), MYSQL_OPT_WRITE_TIMEOUT, &timeout);
    mysql_options(_mysql.get(), MYSQL_SET_CHARSET_NAME, _settings.charset.c_str());
    const char* database = _settings.database.empty() ? nullptr : _settings.database.c_str();
    if (!mysql_real_connect(_mysql.get(), _settings.host.c_str(), _settings.user.c_str(), _settings.password.c_str(),
                            database, static_cast<unsigned int>(_settings.port), nullptr, CLIENT_FOUND_ROWS)) {
        failConnection(operation);
    }
    runPlain(operation, "SET time_zone = '+00:00'");
}

void MysqlConnection::failConnection(std::string_view operation) const {
    unsigned int code = mysql_errno(_mysql.get());
    StoreError error("mysql", operation, errorText(mysql_error(_mysql.get()), code));
    if (isConnectionLost(code) && !_inTransaction) throw ConnectionLost{error};
    throw error;
}

void MysqlConnection::failStatement(std::string_view operation, st_mysql_stmt* statement) const {
    unsigned int code = mysql_stmt_errno(statement);
    StoreError error("mysql", operation, errorText(mysql_stmt_error(statement), code));
    if (isConnectionLost(code) && !_inTransaction) throw ConnectionLost{error};
    throw error;
}

template <typename Body>
auto MysqlConnection::withReconnect(std::string_view operation, Body body) {
    try {
        return body();
    } catch (const ConnectionLost&) {
        try {
            connect(operation);
        } catch (const ConnectionLost& again) {
            throw again.error;
        }
    }
    try {
        return body();
    } catch (const ConnectionLost& again) {
        throw again.error;
    }
}

void MysqlConnection::runPlain(std::string_view operation, const std::string& sql) {
    if (mysql_real_query(_mysql.get(), sql.data(), sql.size()) != 0) failConnection(operation);
    // DDL and session statements return no rows; drain a result set if one came anyway.
    if (MYSQL_RES* result = mysql_store_result(_mysql.get())) mysql_free_result(result);
}

st_mysql_stmt* MysqlConnection::prepare(std::string_view operation, const std::string& sql, const SqlParams& params) {
    auto it = _statements.find(sql);
    if (it == _statements.end()) {
        Statement statement(mysql_stmt_init(_mysql.get()));
        if (!statement) failConnection(operation);
        if (mysql_stmt_prepare(statement.get(), sql.data(), sql.size()) != 0) failStatement(operation, statement.get());
        it = _statements.emplace(sql, std::move(statement)).first;
    }
    MYSQL_STMT* statement = it->second.get();
    if (mysql_stmt_param_count(statement) != params.size()) {
        throw StoreError("mysql", operation,
                         "statement has " + std::to_string(mysql_stmt_param_count(statement)) + " parameters, " +
                             std::to_string(params.size()) + " given");
    }
    std::vector<MYSQL_BIND> binds(params.size());
    std::vector<unsigned long> lengths(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
        MYSQL_BIND& bind = binds[i];
        std::visit(
            [&](const auto& value) {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, std::nullptr_t>) {
                    bind.buffer_type = MYSQL_TYPE_NULL;
                } else if constexpr (std::is_same_v<T, int64_t>) {
                    bind.buffer_type = MYSQL_TYPE_LONGLONG;
                    bind.buffer = const_cast<int64_t*>(&value);
                } else if constexpr (std::is_same_v<T, double>) {
                    bind.buffer_type = MYSQL_TYPE_DOUBLE;
                    bind.buffer = const_cast<double*>(&value);
                } else {
                    bind.buffer_type = MYSQL_TYPE_STRING;
                    bind.buffer = const_cast<char*>(value.data());
                    bind.buffer_length = value.size();
                    lengths[i] = value.size();
                    bind.length = &lengths[i];
                }
            },
            params[i]);
    }
    // The library copies the bind descriptions; the values are read at execute time,
    // and params outlives that.
    if (!binds.empty() && mysql_stmt_bind_param(statement, binds.data()) != 0) failStatement(operation, statement);
    if (mysql_stmt_execute(statement) != 0) failStatement(operation, statement);
    return statement;
}

int64_t MysqlConnection::execute(std::string_view operation, const std::string& sql, const SqlParams& params) {
    return withReconnect(operation, [&]() -> int64_t {
        MYSQL_STMT* statement = prepare(operation, sql, params);
        if (auto id = mysql_stmt_insert_id(statement)) _lastInsertId = static_cast<int64_t>(id);
        return static_cast<int64_t>(mysql_stmt_affected_rows(statement));
    });
}

int64_t MysqlConnection::lastInsertId() const { return _lastInsertId; }

std::vector<SqlRow> MysqlConnection::query(std::string_view operation, const std::string& sql,
                                           const SqlParams& params) {
    return withReconnect(operation, [&]() -> std::vector<SqlRow> {
        MYSQL_STMT* statement = prepare(operation, sql, params);
        FreeResult freeResult{statement};
        if (mysql_stmt_store_result(statement) != 0) failStatement(operation, statement);
        unsigned int columns = mysql_stmt_field_count(statement);
        std::vector<SqlRow> rows;
        if (columns == 0) return rows;

        // Every column is fetched as text; a longer value is fetched again in full.
        std::vector<std::string> buffers(columns, std::string(kInitialCellBytes, '\0'));
        std::vector<unsigned long> lengths(columns);
        std::vector<my_bool> nulls(columns);
        std::vector<my_bool> truncated(columns);
        std::vector<MYSQL_BIND> binds(columns);
        for (unsigned int c = 0; c < columns; ++c) {
            binds[c].buffer_type = MYSQL_TYPE_STRING;
            binds[c].buffer = buffers[c].data();
            binds[c].buffer_length = kInitialCellBytes;
            binds[c].length = &lengths[c];
            binds[c].is_null = &nulls[c];
            binds[c].error = &truncated[c];
        }
        if (mysql_stmt_bind_result(statement, binds.data()) != 0) failStatement(operation, statement);
        while (true) {
            int rc = mysql_stmt_fetch(statement);
            if (rc == MYSQL_NO_DATA) break;
            if (rc == 1) failStatement(operation, statement);
            std::vector<std::optional<std::string>> cells;
            cells.reserve(columns);
            for (unsigned int c = 0; c < columns; ++c) {
                if (nulls[c]) {
                    cells.emplace_back(std::nullopt);
                } else if (lengths[c] > kInitialCellBytes) {
                    std::string whole(lengths[c], '\0');
                    MYSQL_BIND full{};
                    full.buffer_type = MYSQL_TYPE_STRING;
                    full.buffer = whole.data();
                    full.buffer_length = lengths[c];
                    unsigned long length = 0;
                    full.length = &length;
                    if (mysql_stmt_fetch_column(statement, &full, c, 0) != 0) failStatement(operation, statement);
                    cells.emplace_back(std::move(whole));
                } else {
                    cells.emplace_back(std::string(buffers[c].data(), lengths[c]));
                }
            }
            rows.emplace_back(std::move(cells));
        }
        return rows;
    });
}

void MysqlConnection::executeScript(std::string_view operation, const std::string& script) {
    for (const auto& statement : splitSqlScript(script)) {
        withReconnect(operation, [&] { runPlain(operation, statement); });
    }
}

void MysqlConnection::begin(std::string_view operation, bool readOnly) {
    withReconnect(operation, [&] {
        runPlain(operation, readOnly ? "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY" : "START TRANSACTION");
    });
    _inTransaction = true;
}

void MysqlConnection::commit(std::string_view operation) {
    runPlain(operation, "COMMIT");
    _inTransaction = false;
}

void MysqlConnection::rollback() noexcept {
    _inTransaction = false;
    mysql_real_query(_mysql.get(), "ROLLBACK", 8);
}

std::string MysqlConnection::upsertSql(std::string_view table, const std::vector<std::string_view>& columns,
                                       const std::vector<std::string_view>& keyColumns,
                                       const std::vector<std::string_view>& updateColumns) const {
    std::string sql = "INSERT INTO " + std::string(table) + " (";
    for (size_t i = 0; i < columns.size(); ++i) {
        if (i) sql += ", ";
        sql += columns[i];
    }
    sql += ") VALUES (";
    for (size_t i = 0; i < columns.size(); ++i) sql += i ? ", ?" : "?";
    sql += ") ON DUPLICATE KEY UPDATE ";
    if (updateColumns.empty()) {
        // Keep the row as it is.
        return sql + std::string(keyColumns.at(0)) + " = " + std::string(keyColumns.at(0));
    }
    for (size_t i = 0; i < updateColumns.size(); ++i) {
        if (i) sql += ", ";
        sql += std::string(updateColumns[i]) + " = VALUES(" + std::string(updateColumns[i]) + ")";
    }
    return sql;
}

const std::string& MysqlConnection::schemaScript() const { return mysqlSchemaScript(); }

}  // namespace tars
