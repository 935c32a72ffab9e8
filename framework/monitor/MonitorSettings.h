// MonitorSettings: what the aggregating observability services (tarsstat, tarsproperty)
// read from their config file besides the server section, under TARS's section and key
// names where TARS has one:
//
//   /tars/db          the store (StoreSettings keys: dbtype, dbpath, dbhost ...) and createschema
//   /tars/hashmap     insertInterval (minutes, TARS's key), insertIntervalSeconds (overrides
//                     it when set: short intervals for tests and the quickstart),
//                     maxbufferrows, maxreportrows
//   /tars/db_reserve  stat_reserve_time / property_reserve_time (days kept)
//
// monitorSettingsKeys(reserveKey) declares each key once with its default and meaning
// (the README key tables list the same). A value that does not parse throws
// MonitorSettings_Exception naming the section and the key. A plain value.
#pragma once

#include <string>
#include <vector>

#include "StoreSettings.h"
#include "util/tc_config.h"
#include "util/tc_ex.h"

namespace tars {

struct MonitorSettings_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

struct MonitorSettings {
    StoreSettings store;
    bool createSchema = true;
    int intervalSeconds = 300;       // rows are aggregated over this long, then written
    size_t maxBufferRows = 1000000;  // rows kept in memory while the store fails; more are dropped
    size_t maxReportRows = 10000;    // heads in one report; a larger report is refused
    int reserveDays = 31;            // rows of older dates are deleted

    // reserveKey: "stat_reserve_time" or "property_reserve_time"; dbFile: the default
    // SQLite file name under dataPath.
    static MonitorSettings fromConfig(const TC_Config& config, const std::string& dataPath, const std::string& dbFile,
                                      const char* reserveKey);
};

struct MonitorSettingsKey {
    const char* section;
    const char* name;
    const char* defaultValue;
    const char* description;
};
const std::vector<MonitorSettingsKey>& monitorSettingsKeys(const char* reserveKey);

}  // namespace tars
