#include "SqlConnection.h"

#include <functional>

#include "SqliteConnection.h"
#include "StoreSettings.h"
#include "util/tc_common.h"
#ifdef TARS_STORE_WITH_MYSQL
#include "MysqlConnection.h"
#endif

namespace tars {

StoreError::StoreError(std::string_view backend, std::string_view operation, std::string_view message)
    : TC_Exception(std::string(backend) + " store: " + std::string(operation) + ": " + std::string(message)) {}

int64_t SqlRow::integer(size_t i) const {
    const auto& cell = _cells.at(i);
    if (!cell || cell->empty()) return 0;
    if (auto value = TC_Common::tryStrto<int64_t>(*cell)) return *value;
    // A DECIMAL or REAL column read as an integer.
    if (auto value = TC_Common::tryStrto<double>(*cell)) return static_cast<int64_t>(*value);
    throw StoreError("sql", "read row", "'" + *cell + "' is not an integer");
}

double SqlRow::real(size_t i) const {
    const auto& cell = _cells.at(i);
    if (!cell || cell->empty()) return 0;
    if (auto value = TC_Common::tryStrto<double>(*cell)) return *value;
    throw StoreError("sql", "read row", "'" + *cell + "' is not a number");
}

std::vector<std::string> splitSqlScript(const std::string& script) {
    std::vector<std::string> statements;
    std::string current;
    size_t start = 0;
    while (start < script.size()) {
        size_t end = script.find('\n', start);
        if (end == std::string::npos) end = script.size();
        std::string line = TC_Common::trim(std::string_view(script).substr(start, end - start));
        start = end + 1;
        if (line.empty() || line.starts_with("--")) continue;
        if (!current.empty()) current += '\n';
        current += line;
        if (line.ends_with(';')) {
            current.pop_back();
            statements.push_back(std::move(current));
            current.clear();
        }
    }
    if (!TC_Common::trim(current).empty()) statements.push_back(std::move(current));
    return statements;
}

SqlTransaction::SqlTransaction(SqlConnection& connection, std::string_view operation, bool readOnly)
    : _connection(connection), _operation(operation) {
    _connection.begin(_operation, readOnly);
}

SqlTransaction::~SqlTransaction() {
    if (!_done) _connection.rollback();
}

void SqlTransaction::commit() {
    _connection.commit(_operation);
    _done = true;
}

namespace {

using Factory = std::function<std::unique_ptr<SqlConnection>(const StoreSettings&)>;

// The backends, by the name a config file gives them.
const std::vector<std::pair<std::string, Factory>>& backends() {
    static const std::vector<std::pair<std::string, Factory>> all = {
        {"sqlite", [](const StoreSettings& s) { return std::make_unique<SqliteConnection>(s); }},
#ifdef TARS_STORE_WITH_MYSQL
        {"mysql", [](const StoreSettings& s) { return std::make_unique<MysqlConnection>(s); }},
#endif
    };
    return all;
}

}  // namespace

std::vector<std::string> availableSqlBackends() {
    std::vector<std::string> names;
    for (const auto& backend : backends()) names.push_back(backend.first);
    return names;
}

std::unique_ptr<SqlConnection> openSqlConnection(const StoreSettings& settings) {
    for (const auto& [name, factory] : backends()) {
        if (name == settings.type) return factory(settings);
    }
    if (settings.type == "mysql") {
        throw StoreError("mysql", "open",
                         "this build has no MySQL backend (configure with TARS_MYSQL=ON and libmariadb-dev)");
    }
    throw StoreError(settings.type, "open", "unknown store backend (sqlite or mysql)");
}

}  // namespace tars
