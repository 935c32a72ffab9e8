// A fresh, empty db_tars for one test, on either backend:
//   "sqlite": a database file in a new temporary directory;
//   "mysql":  a new database on the MariaDB server named by the environment variable
//             TARS_TEST_MYSQL ("host=127.0.0.1;port=N;user=root;password=;db=db_tars_test",
//             set by tests/run.sh after tests/lib/mariadb.sh started a private server);
//             the database is named <db>_<pid>_<n>, so tests run in parallel.
// The destructor drops the database (or removes the directory).
//
// available() is false when the backend cannot be used here (MariaDB without
// TARS_TEST_MYSQL); skipReason() then says why, for GTEST_SKIP().
#pragma once

#include <memory>
#include <string>

#include "RegistryStore.h"
#include "StoreSettings.h"

namespace tars::test {

class TestDatabase {
public:
    explicit TestDatabase(const std::string& backend);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    bool available() const { return _available; }
    const std::string& skipReason() const { return _skipReason; }
    const StoreSettings& settings() const { return _settings; }
    // The /tars/db section lines of a framework service's config file for this database.
    std::string configSection() const;
    // A new store on this database, its tables created.
    std::unique_ptr<RegistryStore> open() const;
    // A scratch directory that lives as long as this object (logs, configs).
    const std::string& dir() const { return _dir; }

private:
    bool _available = false;
    std::string _skipReason;
    StoreSettings _settings;
    std::string _dir;
    bool _createdDatabase = false;
};

}  // namespace tars::test
