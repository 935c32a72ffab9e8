// StoreSettings: which database the framework's store uses and how to reach it.
//
// Two sources give the same value:
//   - a framework service's config file, section /tars/db (TARS's key names):
//       dbtype   sqlite | mysql   (default: mysql when dbhost is set, else sqlite)
//       dbpath   the SQLite file  (default: <datapath>/db_tars.sqlite)
//       dbhost, dbport (3306), dbuser, dbpass, dbname (db_tars), charset (utf8mb4)
//       dbtimeout  connect/read/write timeout in seconds (5)
//     fromConfig() reads it; storeConfigKeys() declares each key once with its default;
//   - a connection string "type=mysql;host=127.0.0.1;port=3306;user=root;password=;db=db_tars"
//     (keys type, path, host, port, user, password, db, charset, timeout; type defaults
//     as above), used by tests and command-line tools: fromConnectionString().
//
// A plain value: copy it freely. Errors (a malformed port, an unknown key in a connection
// string, an unknown dbtype) throw StoreError naming the key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/tc_config.h"

namespace tars {

struct StoreSettings {
    std::string type = "sqlite";  // "sqlite" or "mysql"
    std::string path;             // sqlite: the database file (created when missing)
    std::string host = "127.0.0.1";
    int port = 3306;
    std::string user;
    std::string password;
    std::string database = "db_tars";
    std::string charset = "utf8mb4";
    int timeoutSeconds = 5;

    static StoreSettings fromConfig(const TC_Config& config, const std::string& defaultSqlitePath,
                                    const std::string& section = "/tars/db");
    static StoreSettings fromConnectionString(std::string_view text);

    // "sqlite:<path>" or "mysql:<user>@<host>:<port>/<database>" (no password), for logs.
    std::string describe() const;
    // sqlite: makes the database file's directory when missing (SQLite creates the file,
    // not its directory); throws TC_File's error when it cannot. mysql: nothing.
    void makeSqliteDirectory() const;
};

// One declared key of /tars/db.
struct StoreConfigKey {
    const char* name;
    const char* defaultValue;  // "" = empty or computed (see description)
    const char* description;
};
const std::vector<StoreConfigKey>& storeConfigKeys();

}  // namespace tars
