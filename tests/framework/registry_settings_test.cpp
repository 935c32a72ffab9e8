// tarsregistry's config keys: defaults, TARS configs, bad values, and the key table of
// framework/registry/README.md against the declared keys.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "RegistrySettings.h"
#include "servant/ServerConfig.h"
#include "util/tc_file.h"

using namespace tars;

namespace {

RegistrySettings parse(const std::string& text, const std::string& dataPath = "/data") {
    TC_Config config;
    config.parseString(text);
    return RegistrySettings::fromConfig(config, dataPath);
}

TEST(RegistrySettings, EmptyConfigGivesTheEmbeddedStoreAndTheDeclaredDefaults) {
    auto s = parse("<tars>\n</tars>\n");
    EXPECT_EQ(s.store.type, "sqlite");
    EXPECT_EQ(s.store.path, "/data/db_tars.sqlite");
    EXPECT_TRUE(s.createSchema);
    EXPECT_EQ(s.loadObjectsIntervalSeconds, 3);
    EXPECT_EQ(s.nodeTimeoutSeconds, 250);
    EXPECT_EQ(s.registryTimeoutSeconds, 150);
    EXPECT_FALSE(s.heartbeatOff);
    EXPECT_EQ(s.defaultTemplate, "tars.tarsnode");
}

TEST(RegistrySettings, TarsRegistryConfigSectionsAreRead) {
    auto s = parse(
        "<tars>\n<db>\ndbhost = db.tars.com\ndbname = db_tars\ndbuser = tars\ndbpass = tars2015\ndbport = 3306\n"
        "charset = utf8\ndbflag = CLIENT_MULTI_STATEMENTS\n</db>\n<reap>\nloadObjectsInterval1 = 13\n"
        "LeastChangedTime1 = 600\nnodeTimeout = 250\nregistryTimeout = 150\nheartbeatoff = Y\n</reap>\n"
        "<nodeinfo>\ndefaultTemplate = custom.node\n</nodeinfo>\n</tars>\n");
    EXPECT_EQ(s.store.type, "mysql");
    EXPECT_EQ(s.store.host, "db.tars.com");
    EXPECT_EQ(s.store.user, "tars");
    EXPECT_EQ(s.loadObjectsIntervalSeconds, 13);
    EXPECT_TRUE(s.heartbeatOff);
    EXPECT_EQ(s.defaultTemplate, "custom.node");
}

TEST(RegistrySettings, BadValuesNameTheKey) {
    try {
        parse("<tars>\n<reap>\nloadObjectsInterval1 = 0\n</reap>\n</tars>\n");
        FAIL() << "no exception";
    } catch (const RegistrySettings_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("/tars/reap<loadObjectsInterval1>"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse("<tars>\n<db>\ncreateschema = maybe\n</db>\n</tars>\n"), RegistrySettings_Exception);
    EXPECT_THROW(parse("<tars>\n<db>\ndbtype = oracle\n</db>\n</tars>\n"), RegistrySettings_Exception);
    EXPECT_THROW(parse("<tars>\n<db>\ndbhost = h\ndbport = 99999\n</db>\n</tars>\n"), RegistrySettings_Exception);
}

TEST(RegistrySettings, ReadmeListsEveryDeclaredKeyWithItsDefault) {
    std::ifstream in(REGISTRY_README);
    ASSERT_TRUE(in) << REGISTRY_README;
    std::stringstream text;
    text << in.rdbuf();
    const std::string readme = text.str();
    for (const auto& key : registryConfigKeys()) {
        std::string defaultCell = *key.defaultValue ? "`" + std::string(key.defaultValue) + "`" : "";
        std::string row = "| `" + std::string(key.section) + "` | `" + key.name + "` | ";
        auto at = readme.find(row);
        ASSERT_NE(at, std::string::npos) << "README has no row for " << key.section << "<" << key.name << ">";
        if (!defaultCell.empty()) {
            EXPECT_EQ(readme.compare(at + row.size(), defaultCell.size(), defaultCell), 0)
                << key.section << "<" << key.name << "> default " << defaultCell;
        }
    }
}

}  // namespace

TEST(RegistrySettings, TheShippedConfigHasNoUnknownKey) {
    // The check tarsregistry runs at start (Application + RegistryServer::configKeyRules()).
    std::vector<tars::ConfigKeyRule> rules = tars::serverConfigKeyRules();
    for (auto& rule : tars::configKeyRulesOf(tars::registryConfigKeys())) rules.push_back(std::move(rule));
    EXPECT_EQ(tars::checkConfigKeys(REGISTRY_CONF, tars::TC_File::load2str(REGISTRY_CONF), rules),
              std::vector<std::string>{});
}
