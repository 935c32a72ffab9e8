// tarsconfig as a real process on a store seeded through RegistryStore (the embedded
// SQLite file; MariaDB too when TARS_TEST_MYSQL is set), called through the generated
// ConfigPrx: every Config method, the levels, references and hosts, errors, the rate limit.
#include <gtest/gtest.h>

#include <memory>

#include "ConfigRepository.h"
#include "ConfigTestSupport.h"

namespace tars::test {
namespace {

using Context = std::map<std::string, std::string>;

class ConfigServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db = std::make_unique<TestDatabase>(GetParam());
        if (!db->available()) GTEST_SKIP() << db->skipReason();
        store = db->open();
    }
    void TearDown() override {
        service.reset();
        store.reset();
        db.reset();
    }

    // Starts tarsconfig (limit: lines of /tars/limit) and makes the proxy.
    void startService(const std::string& limit = "") {
        service = std::make_unique<ConfigServiceProcess>(*db, limit);
        ASSERT_TRUE(service->start()) << service->process().output();
        proxy = communicator->stringToProxy<ConfigPrx>(service->objectString());
    }

    int64_t addFile(const std::string& serverName, const std::string& filename, const std::string& config, int level,
                    const std::string& host = "", const std::string& set = "") {
        ConfigFile f;
        f.serverName = serverName;
        f.filename = filename;
        f.config = config;
        f.level = level;
        f.host = host;
        if (!set.empty()) {
            auto parts = ConfigRepository::parseSetDivision(set);
            f.setName = parts->name;
            f.setArea = parts->area;
            f.setGroup = parts->group;
        }
        return store->upsertConfigFile(f);
    }

    // The usual rows: app file, server file referencing it, two hosts' files.
    void seedShop() {
        int64_t app = addFile("Shop", "db.conf", "<db>\nhost=10.0.0.1\n</db>", 1);
        int64_t server = addFile("Shop.Cart", "cart.conf", "<cart>\nsize=10\n</cart>", 2);
        store->addConfigReference(server, app);
        addFile("Shop.Cart", "cart.conf", "<cart>\nsize=20\n</cart>", 3, "node-a");
        addFile("Shop.Cart", "cart.conf", "<cart>\nsize=30\n</cart>", 3, "127.0.0.1");
        addFile("Shop.Cart", "node-only.conf", "NODE-A", 3, "node-a");
    }

    std::unique_ptr<TestDatabase> db;
    std::unique_ptr<RegistryStore> store;
    std::unique_ptr<ConfigServiceProcess> service;
    std::shared_ptr<Communicator> communicator = std::make_shared<Communicator>();
    ConfigPrx proxy;
};

const std::string kApp = "<db>\nhost=10.0.0.1\n</db>";
const std::string kServer = "<cart>\nsize=10\n</cart>";
const std::string kSep = "\r\n\r\n";

TEST_P(ConfigServiceTest, LoadConfigGivesTheAppFileOrTheServerFileForTheCallersHost) {
    seedShop();
    startService();
    std::string config;
    EXPECT_EQ(proxy->loadConfig("Shop", "", "db.conf", config), 0);
    EXPECT_EQ(config, kApp);
    // No node_name in the context: the caller's IP (127.0.0.1) is the host.
    EXPECT_EQ(proxy->loadConfig("Shop", "Cart", "cart.conf", config), 0);
    EXPECT_EQ(config, kApp + kSep + kServer + kSep + "<cart>\nsize=30\n</cart>");
    // node_name in the context wins.
    EXPECT_EQ(proxy->loadConfig("Shop", "Cart", "cart.conf", config, Context{{"node_name", "node-a"}}), 0);
    EXPECT_EQ(config, kApp + kSep + kServer + kSep + "<cart>\nsize=20\n</cart>");
    EXPECT_EQ(proxy->loadConfig("Shop", "Cart", "cart.conf", config, Context{{"node_name", "node-b"}}), 0);
    EXPECT_EQ(config, kApp + kSep + kServer);
}

TEST_P(ConfigServiceTest, LoadConfigByInfoUsesTheGivenHostUnlessTheContextNamesOne) {
    seedShop();
    startService();
    ConfigInfo info;
    info.appname = "Shop";
    info.servername = "Cart";
    info.filename = "cart.conf";
    info.host = "node-a";
    std::string config;
    EXPECT_EQ(proxy->loadConfigByInfo(info, config), 0);
    EXPECT_EQ(config, kApp + kSep + kServer + kSep + "<cart>\nsize=20\n</cart>");
    EXPECT_EQ(proxy->loadConfigByInfo(info, config, Context{{"node_name", "127.0.0.1"}}), 0);
    EXPECT_EQ(config, kApp + kSep + kServer + kSep + "<cart>\nsize=30\n</cart>");
    info.host = "";
    EXPECT_EQ(proxy->loadConfigByInfo(info, config), 0);  // the caller's IP
    EXPECT_EQ(config, kApp + kSep + kServer + kSep + "<cart>\nsize=30\n</cart>");

    ConfigInfo appOnly;
    appOnly.appname = "Shop";
    appOnly.servername = "Cart";
    appOnly.filename = "db.conf";
    appOnly.bAppOnly = true;
    EXPECT_EQ(proxy->loadConfigByInfo(appOnly, config), 0);
    EXPECT_EQ(config, kApp);
}

TEST_P(ConfigServiceTest, LoadConfigByInfoHonoursTheSetDivision) {
    int64_t app = addFile("Shop", "db.conf", "DB", 1);
    addFile("Shop", "db.conf", "DB-SZ", 1, "", "shop.sz.1");
    int64_t server = addFile("Shop.Cart", "cart.conf", "CART-SZ", 2, "", "shop.sz.1");
    store->addConfigReference(server, app);
    addFile("Shop.Cart", "cart.conf", "CART", 2);
    startService();
    ConfigInfo info;
    info.appname = "Shop";
    info.servername = "Cart";
    info.filename = "cart.conf";
    info.setdivision = "shop.sz.1";
    std::string config;
    EXPECT_EQ(proxy->loadConfigByInfo(info, config), 0);
    EXPECT_EQ(config, "DB" + kSep + "DB-SZ" + kSep + "CART-SZ");
    info.setdivision = "";
    EXPECT_EQ(proxy->loadConfigByInfo(info, config), 0);
    EXPECT_EQ(config, "CART");
    info.setdivision = "broken";
    EXPECT_EQ(proxy->loadConfigByInfo(info, config), -1);
    EXPECT_NE(config.find("setdivision"), std::string::npos) << config;
}

TEST_P(ConfigServiceTest, LoadConfigByHostAndCheckConfig) {
    seedShop();
    addFile("Shop.Cart", "broken.conf", "<a>\nx=1\n", 2);  // never closed
    startService();
    std::string config;
    EXPECT_EQ(proxy->loadConfigByHost("Shop.Cart", "cart.conf", "node-a", config), 0);
    EXPECT_EQ(config, kApp + kSep + kServer + kSep + "<cart>\nsize=20\n</cart>");
    EXPECT_EQ(proxy->loadConfigByHost("ShopCart", "cart.conf", "node-a", config), -1);
    EXPECT_NE(config.find("App.Server"), std::string::npos) << config;

    std::string result;
    EXPECT_EQ(proxy->checkConfig("Shop.Cart", "cart.conf", "node-a", result), 0);
    EXPECT_EQ(result, kApp + kSep + kServer + kSep + "<cart>\nsize=20\n</cart>");
    EXPECT_EQ(proxy->checkConfig("Shop.Cart", "broken.conf", "node-a", result), -1);
    EXPECT_NE(result.find("not a valid TARS config file"), std::string::npos) << result;
    ConfigInfo info;
    info.appname = "Shop";
    info.servername = "Cart";
    info.filename = "broken.conf";
    EXPECT_EQ(proxy->checkConfigByInfo(info, result), -1);
    info.filename = "cart.conf";
    info.host = "node-b";
    EXPECT_EQ(proxy->checkConfigByInfo(info, result), 0);
    EXPECT_EQ(result, kApp + kSep + kServer);
}

TEST_P(ConfigServiceTest, MissingFileIsAnErrorNamingAppServerAndFile) {
    seedShop();
    startService();
    std::string config;
    int ret = proxy->loadConfig("Shop", "Cart", "nothing.conf", config);
    EXPECT_LT(ret, 0);
    for (const char* part : {"nothing.conf", "Shop", "Cart"}) {
        EXPECT_NE(config.find(part), std::string::npos) << config;
    }
    EXPECT_LT(proxy->loadConfig("Shop", "", "nothing.conf", config), 0);
    EXPECT_NE(config.find("nothing.conf"), std::string::npos) << config;
    ConfigInfo info;
    info.appname = "Shop";
    info.servername = "Cart";
    info.filename = "node-only.conf";
    info.host = "node-b";  // the file exists for node-a only
    EXPECT_LT(proxy->loadConfigByInfo(info, config), 0);
    EXPECT_NE(config.find("node-b"), std::string::npos) << config;
    std::string result;
    EXPECT_LT(proxy->checkConfig("Shop.Cart", "nothing.conf", "node-a", result), 0);
}

TEST_P(ConfigServiceTest, ListMethods) {
    seedShop();
    addFile("Shop", "log.conf", "", 1);
    startService();
    std::vector<std::string> names;
    EXPECT_EQ(proxy->ListConfig("Shop", "Cart", names, Context{{"node_name", "node-a"}}), 0);
    EXPECT_EQ(names, (std::vector<std::string>{"cart.conf", "node-only.conf"}));
    EXPECT_EQ(proxy->ListConfig("Shop", "Cart", names), 0);  // 127.0.0.1
    EXPECT_EQ(names, (std::vector<std::string>{"cart.conf"}));

    ConfigInfo info;
    info.appname = "Shop";
    info.servername = "Cart";
    info.host = "node-a";
    EXPECT_EQ(proxy->ListConfigByInfo(info, names), 0);
    EXPECT_EQ(names, (std::vector<std::string>{"cart.conf", "node-only.conf"}));
    info.bAppOnly = true;
    EXPECT_EQ(proxy->ListConfigByInfo(info, names), 0);
    EXPECT_EQ(names, (std::vector<std::string>{"db.conf", "log.conf"}));

    GetConfigListInfo all;
    all.appname = "Shop";
    all.servername = "Cart";
    EXPECT_EQ(proxy->ListAllConfigByInfo(all, names), 0);
    EXPECT_EQ(names, (std::vector<std::string>{"cart.conf", "node-only.conf"}));
    all.host = "127.0.0.1";
    EXPECT_EQ(proxy->ListAllConfigByInfo(all, names), 0);
    EXPECT_EQ(names, (std::vector<std::string>{"cart.conf"}));
    all.bAppOnly = true;
    EXPECT_EQ(proxy->ListAllConfigByInfo(all, names), 0);
    EXPECT_EQ(names, (std::vector<std::string>{"db.conf", "log.conf"}));
}

TEST_P(ConfigServiceTest, MoreLoadsThanTheLimitAreAnswered429) {
    seedShop();
    startService("limitinterval = 3\ninterval = 1");
    std::string config;
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(proxy->loadConfig("Shop", "Cart", "cart.conf", config), 0) << "load " << i;
    }
    EXPECT_EQ(proxy->loadConfig("Shop", "Cart", "cart.conf", config), 429);
    EXPECT_NE(config.find("cart.conf"), std::string::npos) << config;
    ConfigInfo info;
    info.appname = "Shop";
    info.servername = "Cart";
    info.filename = "cart.conf";
    info.host = "127.0.0.1";
    EXPECT_EQ(proxy->loadConfigByInfo(info, config), 429);  // the same key
    // Another host, another file: their own counts.
    EXPECT_EQ(proxy->loadConfig("Shop", "Cart", "cart.conf", config, Context{{"node_name", "node-a"}}), 0);
    EXPECT_EQ(proxy->loadConfig("Shop", "", "db.conf", config), 0);
    // Admin calls are not limited.
    EXPECT_EQ(proxy->loadConfigByHost("Shop.Cart", "cart.conf", "127.0.0.1", config), 0);
}

TEST_P(ConfigServiceTest, ChangedRowIsServedAtOnce) {
    addFile("Shop.Cart", "cart.conf", "v1", 2);
    startService();
    std::string config;
    EXPECT_EQ(proxy->loadConfig("Shop", "Cart", "cart.conf", config), 0);
    EXPECT_EQ(config, "v1");
    addFile("Shop.Cart", "cart.conf", "v2", 2);
    EXPECT_EQ(proxy->loadConfig("Shop", "Cart", "cart.conf", config), 0);
    EXPECT_EQ(config, "v2");
}

INSTANTIATE_TEST_SUITE_P(Backends, ConfigServiceTest, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

TEST(ConfigServiceStart, BadStoreSettingStopsWithMessageNamingTheKey) {
    TestDatabase db("sqlite");
    ConfigServiceProcess service(db, "limitinterval = none");
    EXPECT_FALSE(service.start(10000));
    EXPECT_EQ(service.process().waitExit(10000), 1);
    EXPECT_NE(service.process().output().find("/tars/limit<limitinterval>"), std::string::npos)
        << service.process().output();
}

}  // namespace
}  // namespace tars::test
