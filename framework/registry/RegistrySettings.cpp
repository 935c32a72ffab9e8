#include "RegistrySettings.h"

#include "SqlConnection.h"
#include "util/tc_common.h"

namespace tars {

namespace {

const char* declaredDefault(const char* section, const char* name) {
    for (const auto& key : registryConfigKeys()) {
        if (std::string_view(key.section) == section && std::string_view(key.name) == name) return key.defaultValue;
    }
    throw RegistrySettings_Exception(std::string("undeclared registry key ") + section + "<" + name + ">");
}

std::string value(const TC_Config& config, const char* section, const char* name) {
    return TC_Common::trim(config.get(std::string(section) + "<" + name + ">", declaredDefault(section, name)));
}

int seconds(const TC_Config& config, const char* section, const char* name, int min) {
    std::string text = value(config, section, name);
    auto number = TC_Common::tryStrto<int>(text);
    if (!number || *number < min) {
        throw RegistrySettings_Exception(std::string("bad value '") + text + "' for " + section + "<" + name +
                                         ">: a number of seconds >= " + std::to_string(min));
    }
    return *number;
}

int milliseconds(const TC_Config& config, const char* section, const char* name, int min) {
    std::string text = value(config, section, name);
    auto number = TC_Common::tryStrto<int>(text);
    if (!number || *number < min) {
        throw RegistrySettings_Exception(std::string("bad value '") + text + "' for " + section + "<" + name +
                                         ">: a number of milliseconds >= " + std::to_string(min));
    }
    return *number;
}

bool flag(const TC_Config& config, const char* section, const char* name) {
    std::string text = TC_Common::lower(value(config, section, name));
    if (text == "y" || text == "yes" || text == "true" || text == "1") return true;
    if (text == "n" || text == "no" || text == "false" || text == "0" || text.empty()) return false;
    throw RegistrySettings_Exception("bad value '" + text + "' for " + section + "<" + name + ">: Y or N");
}

}  // namespace

const std::vector<RegistryConfigKey>& registryConfigKeys() {
    static const std::vector<RegistryConfigKey> keys = [] {
        std::vector<RegistryConfigKey> all;
        for (const auto& key : storeConfigKeys())
            all.push_back({"/tars/db", key.name, key.defaultValue, key.description});
        all.push_back({"/tars/db", "createschema", "Y",
                       "Y: create the db_tars tables that are missing at start (CREATE TABLE IF NOT EXISTS); N: "
                       "the database is prepared by hand from sql/."});
        all.push_back({"/tars/reap", "loadObjectsInterval1", "3",
                       "Seconds between two reloads of the endpoint table from the store (answers of registries "
                       "sharing one database agree after at most this long)."});
        all.push_back({"/tars/reap", "nodeTimeout", "250",
                       "Seconds without a node heartbeat after which the node and its servers are inactive."});
        all.push_back({"/tars/reap", "registryTimeout", "150",
                       "Seconds without a heartbeat after which a registry's own endpoints are inactive."});
        all.push_back({"/tars/reap", "heartbeatoff", "N",
                       "Y: ignore node heartbeats (servers' states alone decide), e.g. while moving nodes."});
        all.push_back({"/tars/nodeinfo", "defaultTemplate", "tars.tarsnode",
                       "Profile template getNodeTemplate answers for a node without its own template_name."});
        all.push_back({"/tars/nodeinfo", "nodeQueryTimeout", "5000",
                       "Milliseconds AdminRegObj waits for a node's answer to getStateInfo and notifyServer."});
        all.push_back({"/tars/nodeinfo", "nodeCommandTimeout", "70000",
                       "Milliseconds AdminRegObj waits for a node's loadServer, startServer, stopServer and "
                       "destroyServer (a stop may wait the server's deactivating-timeout, at most 60 s)."});
        return all;
    }();
    return keys;
}

RegistrySettings RegistrySettings::fromConfig(const TC_Config& config, const std::string& dataPath) {
    RegistrySettings settings;
    std::string dir = dataPath.empty() ? "." : dataPath;
    if (!dir.ends_with('/')) dir += '/';
    try {
        settings.store = StoreSettings::fromConfig(config, dir + "db_tars.sqlite");
    } catch (const StoreError& e) {
        throw RegistrySettings_Exception(e.what());
    }
    settings.createSchema = flag(config, "/tars/db", "createschema");
    settings.loadObjectsIntervalSeconds = seconds(config, "/tars/reap", "loadObjectsInterval1", 1);
    settings.nodeTimeoutSeconds = seconds(config, "/tars/reap", "nodeTimeout", 1);
    settings.registryTimeoutSeconds = seconds(config, "/tars/reap", "registryTimeout", 1);
    settings.heartbeatOff = flag(config, "/tars/reap", "heartbeatoff");
    settings.defaultTemplate = value(config, "/tars/nodeinfo", "defaultTemplate");
    settings.nodeQueryTimeoutMs = milliseconds(config, "/tars/nodeinfo", "nodeQueryTimeout", 100);
    settings.nodeCommandTimeoutMs = milliseconds(config, "/tars/nodeinfo", "nodeCommandTimeout", 100);
    return settings;
}

}  // namespace tars
