// ConfigSettings: what tarsconfig reads from its config file besides the server section,
// under TARS's section and key names so a TARS config service config works:
//
//   /tars/db     the store (StoreSettings, storeConfigKeys(): the registry's keys, so one
//                machine's services open the same SQLite file or MySQL database) and
//                createschema
//   /tars/limit  limitinterval, interval: the rate limit of loads
//
// configServiceKeys() declares each key once with its default and meaning; the key table
// of framework/config/README.md lists the same keys (a test checks it). A value that does
// not parse throws ConfigSettings_Exception naming the section and the key.
// A plain value: copy it freely.
#pragma once

#include <string>
#include <vector>

#include "StoreSettings.h"
#include "util/tc_config.h"
#include "util/tc_ex.h"

namespace tars {

struct ConfigSettings_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

struct ConfigSettings {
    StoreSettings store;
    bool createSchema = true;
    int limitLoads = 10;   // loads allowed per (app, server, host, file) ...
    int limitMinutes = 1;  // ... per this many minutes; one more is answered 429

    // dataPath: the server's datapath, home of the default SQLite file.
    static ConfigSettings fromConfig(const TC_Config& config, const std::string& dataPath);
};

struct ConfigServiceKey {
    const char* section;  // "/tars/db", "/tars/limit"
    const char* name;
    const char* defaultValue;
    const char* description;
};
const std::vector<ConfigServiceKey>& configServiceKeys();

}  // namespace tars
