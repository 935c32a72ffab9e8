// RegistrySettings: what tarsregistry reads from its config file besides the server
// section, under TARS's section and key names so a TARS registry config works:
//
//   /tars/db        the store (StoreSettings, storeConfigKeys()) and createschema
//   /tars/reap      loadObjectsInterval1, nodeTimeout, registryTimeout, heartbeatoff
//   /tars/nodeinfo  defaultTemplate, nodeQueryTimeout, nodeCommandTimeout
//
// registryConfigKeys() declares each key once with its default and meaning; the key
// reference in framework/registry/README.md lists the same table. A value that does not
// parse throws RegistrySettings_Exception naming the key.
#pragma once

#include <string>
#include <vector>

#include "StoreSettings.h"
#include "util/tc_config.h"
#include "util/tc_ex.h"

namespace tars {

struct RegistrySettings_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

struct RegistrySettings {
    StoreSettings store;
    bool createSchema = true;
    int loadObjectsIntervalSeconds = 3;
    int nodeTimeoutSeconds = 250;
    int registryTimeoutSeconds = 150;
    bool heartbeatOff = false;
    std::string defaultTemplate = "tars.tarsnode";
    // How long AdminRegObj waits for a node: quick questions (state, notify) and
    // commands that start or stop processes (load, start, stop, destroy).
    int nodeQueryTimeoutMs = 5000;
    int nodeCommandTimeoutMs = 70000;

    // dataPath: the server's datapath, home of the default SQLite file.
    static RegistrySettings fromConfig(const TC_Config& config, const std::string& dataPath);
};

struct RegistryConfigKey {
    const char* section;  // "/tars/db", "/tars/reap", "/tars/nodeinfo"
    const char* name;
    const char* defaultValue;
    const char* description;
};
// Every key: /tars/db (the store's keys and createschema), /tars/reap, /tars/nodeinfo.
const std::vector<RegistryConfigKey>& registryConfigKeys();

}  // namespace tars
