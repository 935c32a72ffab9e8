#include "MonitorSettings.h"

#include <map>
#include <mutex>

#include "SqlConnection.h"
#include "util/tc_common.h"

namespace tars {

namespace {

std::string value(const TC_Config& config, const char* reserveKey, const char* section, const char* name) {
    for (const auto& key : monitorSettingsKeys(reserveKey)) {
        if (std::string_view(key.section) == section && std::string_view(key.name) == name) {
            return TC_Common::trim(config.get(std::string(section) + "<" + name + ">", key.defaultValue));
        }
    }
    throw MonitorSettings_Exception(std::string("undeclared key ") + section + "<" + name + ">");
}

long long number(const TC_Config& config, const char* reserveKey, const char* section, const char* name, long long min,
                 const char* unit) {
    std::string text = value(config, reserveKey, section, name);
    auto parsed = TC_Common::tryStrto<long long>(text);
    if (!parsed || *parsed < min) {
        throw MonitorSettings_Exception(std::string("bad value '") + text + "' for " + section + "<" + name +
                                        ">: a number of " + unit + " >= " + std::to_string(min));
    }
    return *parsed;
}

}  // namespace

const std::vector<MonitorSettingsKey>& monitorSettingsKeys(const char* reserveKey) {
    static std::mutex mutex;
    static std::map<std::string, std::vector<MonitorSettingsKey>> tables;
    std::lock_guard<std::mutex> lock(mutex);
    auto& keys = tables[reserveKey];
    if (keys.empty()) {
        for (const auto& key : storeConfigKeys())
            keys.push_back({"/tars/db", key.name, key.defaultValue, key.description});
        keys.push_back({"/tars/db", "createschema", "Y",
                        "Y: create the missing tables of sql/tars_monitor.*.sql when the store is opened; N: the "
                        "database is prepared by hand."});
        keys.push_back({"/tars/hashmap", "insertInterval", "5",
                        "Minutes over which reports are aggregated before the rows are written (TARS's key)."});
        keys.push_back({"/tars/hashmap", "insertIntervalSeconds", "0",
                        "When > 0, the interval in seconds instead (tests, the quickstart)."});
        keys.push_back({"/tars/hashmap", "maxbufferrows", "1000000",
                        "Rows of finished intervals kept in memory while the store fails; rows past it are dropped "
                        "and counted."});
        keys.push_back({"/tars/hashmap", "maxreportrows", "10000",
                        "Most entries one report may carry; a larger report is refused (-2) and stores nothing."});
        keys.push_back({"/tars/db_reserve", reserveKey, "31", "Days of rows kept; older dates are deleted."});
    }
    return keys;
}

MonitorSettings MonitorSettings::fromConfig(const TC_Config& config, const std::string& dataPath,
                                            const std::string& dbFile, const char* reserveKey) {
    MonitorSettings settings;
    std::string dir = dataPath.empty() ? "." : dataPath;
    if (!dir.ends_with('/')) dir += '/';
    try {
        settings.store = StoreSettings::fromConfig(config, dir + dbFile);
    } catch (const StoreError& e) {
        throw MonitorSettings_Exception(e.what());
    }
    std::string create = TC_Common::lower(value(config, reserveKey, "/tars/db", "createschema"));
    if (create == "y" || create == "yes" || create == "true" || create == "1") {
        settings.createSchema = true;
    } else if (create == "n" || create == "no" || create == "false" || create == "0") {
        settings.createSchema = false;
    } else {
        throw MonitorSettings_Exception("bad value '" + create + "' for /tars/db<createschema>: Y or N");
    }
    long long minutes = number(config, reserveKey, "/tars/hashmap", "insertInterval", 1, "minutes");
    long long seconds = number(config, reserveKey, "/tars/hashmap", "insertIntervalSeconds", 0, "seconds");
    if (minutes > 24 * 60 || seconds > 24 * 3600) {
        throw MonitorSettings_Exception("/tars/hashmap<insertInterval>: at most one day");
    }
    settings.intervalSeconds = static_cast<int>(seconds > 0 ? seconds : minutes * 60);
    settings.maxBufferRows =
        static_cast<size_t>(number(config, reserveKey, "/tars/hashmap", "maxbufferrows", 0, "rows"));
    settings.maxReportRows =
        static_cast<size_t>(number(config, reserveKey, "/tars/hashmap", "maxreportrows", 1, "rows"));
    settings.reserveDays = static_cast<int>(number(config, reserveKey, "/tars/db_reserve", reserveKey, 1, "days"));
    return settings;
}

}  // namespace tars
