#include "ConfigSettings.h"

#include "SqlConnection.h"
#include "util/tc_common.h"

namespace tars {

namespace {

std::string value(const TC_Config& config, const char* section, const char* name) {
    for (const auto& key : configServiceKeys()) {
        if (std::string_view(key.section) == section && std::string_view(key.name) == name) {
            return TC_Common::trim(config.get(std::string(section) + "<" + name + ">", key.defaultValue));
        }
    }
    throw ConfigSettings_Exception(std::string("undeclared config service key ") + section + "<" + name + ">");
}

int positive(const TC_Config& config, const char* section, const char* name, const char* unit) {
    std::string text = value(config, section, name);
    auto number = TC_Common::tryStrto<int>(text);
    if (!number || *number < 1) {
        throw ConfigSettings_Exception(std::string("bad value '") + text + "' for " + section + "<" + name +
                                       ">: a number of " + unit + " >= 1");
    }
    return *number;
}

bool flag(const TC_Config& config, const char* section, const char* name) {
    std::string text = TC_Common::lower(value(config, section, name));
    if (text == "y" || text == "yes" || text == "true" || text == "1") return true;
    if (text == "n" || text == "no" || text == "false" || text == "0" || text.empty()) return false;
    throw ConfigSettings_Exception("bad value '" + text + "' for " + section + "<" + name + ">: Y or N");
}

}  // namespace

const std::vector<ConfigServiceKey>& configServiceKeys() {
    static const std::vector<ConfigServiceKey> keys = [] {
        std::vector<ConfigServiceKey> all;
        for (const auto& key : storeConfigKeys())
            all.push_back({"/tars/db", key.name, key.defaultValue, key.description});
        all.push_back({"/tars/db", "createschema", "Y",
                       "Y: create the db_tars tables that are missing at start (CREATE TABLE IF NOT EXISTS); N: "
                       "the database is prepared by hand from sql/."});
        all.push_back({"/tars/limit", "limitinterval", "10",
                       "Loads of one file allowed per (app, server, host, file) within `interval` minutes; the next "
                       "one is answered 429."});
        all.push_back({"/tars/limit", "interval", "1", "Length in minutes of the rate limit's window."});
        return all;
    }();
    return keys;
}

ConfigSettings ConfigSettings::fromConfig(const TC_Config& config, const std::string& dataPath) {
    ConfigSettings settings;
    std::string dir = dataPath.empty() ? "." : dataPath;
    if (!dir.ends_with('/')) dir += '/';
    try {
        settings.store = StoreSettings::fromConfig(config, dir + "db_tars.sqlite");
    } catch (const StoreError& e) {
        throw ConfigSettings_Exception(e.what());
    }
    settings.createSchema = flag(config, "/tars/db", "createschema");
    settings.limitLoads = positive(config, "/tars/limit", "limitinterval", "loads");
    settings.limitMinutes = positive(config, "/tars/limit", "interval", "minutes");
    return settings;
}

}  // namespace tars
