#include "StoreSettings.h"

#include "SqlConnection.h"
#include "util/tc_common.h"
#include "util/tc_file.h"

namespace tars {

namespace {

int parsePort(std::string_view key, const std::string& value, int max) {
    auto number = TC_Common::tryStrto<int>(TC_Common::trim(value));
    if (!number || *number <= 0 || *number > max) {
        throw StoreError("config", "read settings", "bad value '" + value + "' for " + std::string(key));
    }
    return *number;
}

void checkType(StoreSettings& settings) {
    settings.type = TC_Common::lower(TC_Common::trim(settings.type));
    if (settings.type != "sqlite" && settings.type != "mysql") {
        throw StoreError("config", "read settings", "unknown store type '" + settings.type + "' (sqlite or mysql)");
    }
}

}  // namespace

const std::vector<StoreConfigKey>& storeConfigKeys() {
    static const std::vector<StoreConfigKey> keys = {
        {"dbtype", "",
         "Store backend: sqlite (embedded file) or mysql (MySQL/MariaDB). Default: mysql when dbhost is set, else "
         "sqlite."},
        {"dbpath", "", "SQLite database file, created when missing. Default: <datapath>/db_tars.sqlite."},
        {"dbhost", "", "MySQL/MariaDB host."},
        {"dbport", "3306", "MySQL/MariaDB port."},
        {"dbuser", "", "MySQL/MariaDB user."},
        {"dbpass", "", "MySQL/MariaDB password."},
        {"dbname", "db_tars", "MySQL/MariaDB database."},
        {"charset", "utf8mb4", "MySQL/MariaDB connection character set."},
        {"dbtimeout", "5", "Seconds allowed to connect, and for each read or write, before a database call fails."},
    };
    return keys;
}

StoreSettings StoreSettings::fromConfig(const TC_Config& config, const std::string& defaultSqlitePath,
                                        const std::string& section) {
    StoreSettings settings;
    auto get = [&](const char* key, const std::string& def) {
        return TC_Common::trim(config.get(section + "<" + key + ">", def));
    };
    settings.host = get("dbhost", "");
    settings.type = get("dbtype", settings.host.empty() ? "sqlite" : "mysql");
    checkType(settings);
    settings.path = get("dbpath", defaultSqlitePath);
    if (settings.host.empty()) settings.host = "127.0.0.1";
    settings.port = parsePort("dbport", get("dbport", "3306"), 65535);
    settings.user = get("dbuser", "");
    settings.password = config.get(section + "<dbpass>", "");  // kept as written
    settings.database = get("dbname", "db_tars");
    settings.charset = get("charset", "utf8mb4");
    settings.timeoutSeconds = parsePort("dbtimeout", get("dbtimeout", "5"), 3600);
    return settings;
}

StoreSettings StoreSettings::fromConnectionString(std::string_view text) {
    StoreSettings settings;
    bool typeGiven = false;
    bool hostGiven = false;
    for (const auto& piece : TC_Common::sepstr(text, ";")) {
        if (TC_Common::trim(piece).empty()) continue;
        auto eq = piece.find('=');
        std::string key = TC_Common::lower(TC_Common::trim(piece.substr(0, eq)));
        std::string value = eq == std::string::npos ? "" : TC_Common::trim(piece.substr(eq + 1));
        if (key == "type") {
            settings.type = value;
            typeGiven = true;
        } else if (key == "path") {
            settings.path = value;
        } else if (key == "host") {
            settings.host = value;
            hostGiven = true;
        } else if (key == "port") {
            settings.port = parsePort(key, value, 65535);
        } else if (key == "user") {
            settings.user = value;
        } else if (key == "password") {
            settings.password = value;
        } else if (key == "db" || key == "database") {
            settings.database = value;
        } else if (key == "charset") {
            settings.charset = value;
        } else if (key == "timeout") {
            settings.timeoutSeconds = parsePort(key, value, 3600);
        } else {
            throw StoreError("config", "read connection string", "unknown key '" + key + "'");
        }
    }
    if (!typeGiven) settings.type = hostGiven ? "mysql" : "sqlite";
    checkType(settings);
    return settings;
}

std::string StoreSettings::describe() const {
    if (type == "sqlite") return "sqlite:" + path;
    return "mysql:" + user + "@" + host + ":" + std::to_string(port) + "/" + database;
}

void StoreSettings::makeSqliteDirectory() const {
    if (type != "sqlite") return;
    auto slash = path.rfind('/');
    if (slash != std::string::npos && slash > 0) TC_File::makeDirRecursive(path.substr(0, slash));
}

}  // namespace tars
