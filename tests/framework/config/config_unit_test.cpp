// The config service's parts in-process: the level/reference/host/set rules
// (ConfigRepository) on each store backend, the rate limit (LoadLimiter), and the
// settings with the key table of framework/config/README.md.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ConfigRepository.h"
#include "ConfigSettings.h"
#include "LoadLimiter.h"
#include "servant/ServerConfig.h"
#include "util/tc_file.h"
#include "TestDatabase.h"

namespace tars::test {
namespace {

struct Row {
    std::string serverName;
    std::string filename;
    std::string config;
    int level = 2;
    std::string host{};
    std::string set{};  // name.area.group
};

int64_t addFile(RegistryStore& store, const Row& row) {
    ConfigFile f;
    f.serverName = row.serverName;
    f.filename = row.filename;
    f.config = row.config;
    f.level = row.level;
    f.host = row.host;
    if (!row.set.empty()) {
        auto set = ConfigRepository::parseSetDivision(row.set);
        f.setName = set->name;
        f.setArea = set->area;
        f.setGroup = set->group;
    }
    return store.upsertConfigFile(f);
}

class ConfigRepositoryTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _db = std::make_unique<TestDatabase>(GetParam());
        if (!_db->available()) GTEST_SKIP() << _db->skipReason();
        store = _db->open();
        repository = std::make_unique<ConfigRepository>(*store);
    }
    void TearDown() override {
        repository.reset();
        store.reset();
        _db.reset();
    }

    std::unique_ptr<TestDatabase> _db;
    std::unique_ptr<RegistryStore> store;
    std::unique_ptr<ConfigRepository> repository;
};

TEST_P(ConfigRepositoryTest, AppFileIsTheLevelOneFile) {
    addFile(*store, {"Shop", "common.conf", "<a>x=1</a>", 1});
    addFile(*store, {"Shop.Cart", "common.conf", "server level", 2});  // not an app file
    auto content = repository->appFile("Shop", "common.conf", "");
    EXPECT_EQ(content.ret, 0);
    EXPECT_EQ(content.text, "<a>x=1</a>");
}

TEST_P(ConfigRepositoryTest, MissingFileIsAnErrorNamingAppServerHostAndFile) {
    addFile(*store, {"Shop.Cart", "other.conf", "x", 2});
    auto server = repository->serverFile("Shop", "Cart", "cart.conf", "10.0.0.5", "");
    EXPECT_LT(server.ret, 0);
    for (const char* part : {"cart.conf", "Shop", "Cart", "10.0.0.5"}) {
        EXPECT_NE(server.text.find(part), std::string::npos) << server.text;
    }
    auto app = repository->appFile("Shop", "cart.conf", "");
    EXPECT_LT(app.ret, 0);
    EXPECT_NE(app.text.find("cart.conf"), std::string::npos);
    EXPECT_NE(app.text.find("Shop"), std::string::npos);
}

TEST_P(ConfigRepositoryTest, ServerFileJoinsReferencesServerReferencesOfHostAndHostFile) {
    int64_t appA = addFile(*store, {"Shop", "a.conf", "APP-A", 1});
    int64_t appB = addFile(*store, {"Shop", "b.conf", "APP-B", 1});
    int64_t appC = addFile(*store, {"Shop", "c.conf", "APP-C", 1});
    int64_t server = addFile(*store, {"Shop.Cart", "cart.conf", "SERVER", 2});
    int64_t host = addFile(*store, {"Shop.Cart", "cart.conf", "HOST", 3, "10.0.0.5"});
    addFile(*store, {"Shop.Cart", "cart.conf", "OTHER-HOST", 3, "10.0.0.6"});
    store->addConfigReference(server, appB);
    store->addConfigReference(server, appA);  // in the order they were added
    store->addConfigReference(host, appC);

    auto onHost = repository->serverFile("Shop", "Cart", "cart.conf", "10.0.0.5", "");
    EXPECT_EQ(onHost.ret, 0);
    EXPECT_EQ(onHost.text, "APP-B\r\n\r\nAPP-A\r\n\r\nSERVER\r\n\r\nAPP-C\r\n\r\nHOST");

    auto elsewhere = repository->serverFile("Shop", "Cart", "cart.conf", "10.0.0.7", "");
    EXPECT_EQ(elsewhere.ret, 0);
    EXPECT_EQ(elsewhere.text, "APP-B\r\n\r\nAPP-A\r\n\r\nSERVER");
}

TEST_P(ConfigRepositoryTest, HostFileAloneIsEnough) {
    addFile(*store, {"Shop.Cart", "node.conf", "ONLY-HOST", 3, "node-7"});
    auto content = repository->serverFile("Shop", "Cart", "node.conf", "node-7", "");
    EXPECT_EQ(content.ret, 0);
    EXPECT_EQ(content.text, "ONLY-HOST");
    EXPECT_LT(repository->serverFile("Shop", "Cart", "node.conf", "node-8", "").ret, 0);
}

TEST_P(ConfigRepositoryTest, EmptyFileThatExistsIsAnEmptySuccess) {
    addFile(*store, {"Shop.Cart", "empty.conf", "", 2});
    auto content = repository->serverFile("Shop", "Cart", "empty.conf", "h", "");
    EXPECT_EQ(content.ret, 0);
    EXPECT_EQ(content.text, "");
}

TEST_P(ConfigRepositoryTest, SetDivisionSelectsTheSetsRowsAndAppendsTheSetVersionOfReferences) {
    int64_t app = addFile(*store, {"Shop", "db.conf", "DB", 1});
    addFile(*store, {"Shop", "db.conf", "DB-SZ", 1, "", "shop.sz.1"});
    addFile(*store, {"Shop.Cart", "cart.conf", "NO-SET", 2});
    int64_t inSet = addFile(*store, {"Shop.Cart", "cart.conf", "SET-SZ", 2, "", "shop.sz.1"});
    store->addConfigReference(inSet, app);

    auto withSet = repository->serverFile("Shop", "Cart", "cart.conf", "h", "shop.sz.1");
    EXPECT_EQ(withSet.ret, 0);
    EXPECT_EQ(withSet.text, "DB\r\n\r\nDB-SZ\r\n\r\nSET-SZ");
    auto withoutSet = repository->serverFile("Shop", "Cart", "cart.conf", "h", "");
    EXPECT_EQ(withoutSet.text, "NO-SET");
    EXPECT_LT(repository->serverFile("Shop", "Cart", "cart.conf", "h", "shop.sh.2").ret, 0);

    auto appWithSet = repository->appFile("Shop", "db.conf", "shop.sz.1");
    EXPECT_EQ(appWithSet.text, "DB\r\n\r\nDB-SZ");
    EXPECT_EQ(repository->appFile("Shop", "db.conf", "").text, "DB");

    auto bad = repository->serverFile("Shop", "Cart", "cart.conf", "h", "shop.sz");
    EXPECT_EQ(bad.ret, -1);
    EXPECT_NE(bad.text.find("setdivision"), std::string::npos);
}

TEST_P(ConfigRepositoryTest, ListsNamesByLevelAndHost) {
    addFile(*store, {"Shop", "app1.conf", "", 1});
    addFile(*store, {"Shop", "app2.conf", "", 1});
    addFile(*store, {"Shop.Cart", "server.conf", "", 2});
    addFile(*store, {"Shop.Cart", "h1.conf", "", 3, "10.0.0.5"});
    addFile(*store, {"Shop.Cart", "server.conf", "", 3, "10.0.0.5"});
    addFile(*store, {"Shop.Cart", "h2.conf", "", 3, "10.0.0.6"});
    addFile(*store, {"Shop.Other", "o.conf", "", 2});

    EXPECT_EQ(repository->appFileNames("Shop", "").names, (std::vector<std::string>{"app1.conf", "app2.conf"}));
    EXPECT_EQ(repository->hostFileNames("Shop", "Cart", "10.0.0.5", "").names,
              (std::vector<std::string>{"h1.conf", "server.conf"}));
    EXPECT_EQ(repository->serverFileNames("Shop", "Cart", "", "").names,
              (std::vector<std::string>{"h1.conf", "h2.conf", "server.conf"}));
    EXPECT_EQ(repository->serverFileNames("Shop", "Cart", "10.0.0.6", "").names, (std::vector<std::string>{"h2.conf"}));
    EXPECT_EQ(repository->hostFileNames("Shop", "Cart", "10.0.0.9", "").names, std::vector<std::string>{});
    EXPECT_EQ(repository->hostFileNames("Shop", "Cart", "h", "bad").ret, -1);
}

TEST_P(ConfigRepositoryTest, AChangedRowIsServedAtOnce) {
    addFile(*store, {"Shop.Cart", "cart.conf", "v1", 2});
    EXPECT_EQ(repository->serverFile("Shop", "Cart", "cart.conf", "h", "").text, "v1");
    addFile(*store, {"Shop.Cart", "cart.conf", "v2", 2});
    EXPECT_EQ(repository->serverFile("Shop", "Cart", "cart.conf", "h", "").text, "v2");
}

INSTANTIATE_TEST_SUITE_P(Backends, ConfigRepositoryTest, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

TEST(LoadLimiter, AllowsTheLimitPerWindowThenRefusesUntilTheWindowPassed) {
    LoadLimiter limiter(3, 60000);
    LoadLimiter::Key key{"Shop", "Cart", "10.0.0.5", "cart.conf"};
    EXPECT_TRUE(limiter.allow(key, 1000));
    EXPECT_TRUE(limiter.allow(key, 2000));
    EXPECT_TRUE(limiter.allow(key, 3000));
    EXPECT_FALSE(limiter.allow(key, 4000));
    EXPECT_FALSE(limiter.allow(key, 60999));
    // Other files, hosts and servers have their own windows.
    EXPECT_TRUE(limiter.allow({"Shop", "Cart", "10.0.0.6", "cart.conf"}, 4000));
    EXPECT_TRUE(limiter.allow({"Shop", "Cart", "10.0.0.5", "other.conf"}, 4000));
    EXPECT_TRUE(limiter.allow({"Shop", "Bag", "10.0.0.5", "cart.conf"}, 4000));
    // The window opened at 1000 ends at 61000.
    EXPECT_TRUE(limiter.allow(key, 61000));
    EXPECT_TRUE(limiter.allow(key, 62000));
}

TEST(LoadLimiter, ExpiredKeysAreForgotten) {
    LoadLimiter limiter(1, 1000);
    for (int i = 0; i < 100; ++i) limiter.allow({"A", "S", "h" + std::to_string(i), "f"}, 10);
    EXPECT_EQ(limiter.trackedKeys(), 100u);
    limiter.allow({"A", "S", "late", "f"}, 5000);
    EXPECT_EQ(limiter.trackedKeys(), 1u);
}

ConfigSettings parseSettings(const std::string& text) {
    TC_Config config;
    config.parseString(text);
    return ConfigSettings::fromConfig(config, "/data");
}

TEST(ConfigSettings, DefaultsSharedStoreKeysAndLimit) {
    ConfigSettings s = parseSettings("<tars></tars>");
    EXPECT_EQ(s.store.type, "sqlite");
    EXPECT_EQ(s.store.path, "/data/db_tars.sqlite");
    EXPECT_TRUE(s.createSchema);
    EXPECT_EQ(s.limitLoads, 10);
    EXPECT_EQ(s.limitMinutes, 1);
    s = parseSettings(
        "<tars><db>\ndbhost=10.1.1.1\ndbuser=tars\ndbname=db_x\n</db><limit>\nlimitinterval=3\ninterval=5\n</limit></"
        "tars>");
    EXPECT_EQ(s.store.type, "mysql");
    EXPECT_EQ(s.store.host, "10.1.1.1");
    EXPECT_EQ(s.store.database, "db_x");
    EXPECT_EQ(s.limitLoads, 3);
    EXPECT_EQ(s.limitMinutes, 5);
}

TEST(ConfigSettings, BadValuesNameSectionAndKey) {
    try {
        parseSettings("<tars><limit>\nlimitinterval=lots\n</limit></tars>");
        FAIL() << "no error";
    } catch (const ConfigSettings_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("/tars/limit<limitinterval>"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parseSettings("<tars><limit>\ninterval=0\n</limit></tars>"), ConfigSettings_Exception);
    EXPECT_THROW(parseSettings("<tars><db>\ndbtype=oracle\n</db></tars>"), ConfigSettings_Exception);
    EXPECT_THROW(parseSettings("<tars><db>\ncreateschema=maybe\n</db></tars>"), ConfigSettings_Exception);
}

TEST(ConfigSettings, ReadmeListsEveryDeclaredKeyWithItsDefault) {
    std::ifstream in(CONFIG_README);
    ASSERT_TRUE(in) << CONFIG_README;
    std::stringstream text;
    text << in.rdbuf();
    const std::string readme = text.str();
    for (const auto& key : configServiceKeys()) {
        std::string row = "| `" + std::string(key.section) + "` | `" + key.name + "` | ";
        auto at = readme.find(row);
        ASSERT_NE(at, std::string::npos) << "README has no row for " << key.section << "<" << key.name << ">";
        if (*key.defaultValue) {
            std::string cell = "`" + std::string(key.defaultValue) + "`";
            EXPECT_EQ(readme.compare(at + row.size(), cell.size(), cell), 0) << key.section << "<" << key.name << ">";
        }
    }
}

}  // namespace
}  // namespace tars::test

TEST(ConfigSettings, TheShippedConfigHasNoUnknownKey) {
    // The check tarsconfig runs at start (Application + ConfigServer::configKeyRules()).
    std::vector<tars::ConfigKeyRule> rules = tars::serverConfigKeyRules();
    for (auto& rule : tars::configKeyRulesOf(tars::configServiceKeys())) rules.push_back(std::move(rule));
    EXPECT_EQ(tars::checkConfigKeys(CONFIG_CONF, tars::TC_File::load2str(CONFIG_CONF), rules),
              std::vector<std::string>{});
}
