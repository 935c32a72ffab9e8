#include "TestDatabase.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "SqlConnection.h"

namespace tars::test {

namespace {

std::string makeTempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "tars-fw-XXXXXX").string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return buf.data();
}

// A connection to the server without a default database (to create and drop ours).
std::unique_ptr<SqlConnection> serverConnection(StoreSettings settings) {
    settings.database.clear();
    return openSqlConnection(settings);
}

}  // namespace

TestDatabase::TestDatabase(const std::string& backend) : _dir(makeTempDir()) {
    if (backend == "sqlite") {
        _settings.type = "sqlite";
        _settings.path = _dir + "/db_tars.sqlite";
        _available = true;
        return;
    }
    auto built = availableSqlBackends();
    if (std::find(built.begin(), built.end(), backend) == built.end()) {
        _skipReason = "this build has no " + backend + " backend (TARS_MYSQL=OFF)";
        return;
    }
    const char* connection = std::getenv("TARS_TEST_MYSQL");
    if (connection == nullptr || *connection == '\0') {
        _skipReason =
            "TARS_TEST_MYSQL is not set: no MariaDB for this test (tests/run.sh starts one with "
            "tests/lib/mariadb.sh)";
        return;
    }
    _settings = StoreSettings::fromConnectionString(connection);
    _settings.type = "mysql";
    static std::atomic<int> counter{0};
    std::string base = _settings.database.empty() ? "db_tars_test" : _settings.database;
    _settings.database = base + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    serverConnection(_settings)->executeScript("create test database", "CREATE DATABASE `" + _settings.database + "`");
    _createdDatabase = true;
    _available = true;
}

TestDatabase::~TestDatabase() {
    if (_createdDatabase) {
        try {
            serverConnection(_settings)->executeScript("drop test database",
                                                       "DROP DATABASE IF EXISTS `" + _settings.database + "`");
        } catch (const std::exception&) {
            // The server may be gone already; the database dies with its data directory.
        }
    }
    std::error_code ignored;
    std::filesystem::remove_all(_dir, ignored);
}

std::string TestDatabase::configSection() const {
    if (_settings.type == "sqlite") {
        return "<db>\n  dbtype = sqlite\n  dbpath = " + _settings.path + "\n</db>\n";
    }
    return "<db>\n  dbtype = mysql\n  dbhost = " + _settings.host + "\n  dbport = " + std::to_string(_settings.port) +
           "\n  dbuser = " + _settings.user + "\n  dbpass = " + _settings.password +
           "\n  dbname = " + _settings.database + "\n</db>\n";
}

std::unique_ptr<RegistryStore> TestDatabase::open() const { return RegistryStore::open(_settings); }

}  // namespace tars::test
