// Application::addConfig / addAppConfig and the admin command tars.loadconfig, end to end:
// a tarsconfig process on a SQLite file seeded through RegistryStore, and ConfigTestServer
// processes whose initialize() fetches files (section /tars/application/test) and whose
// ProbeObj shows what landed in their basepath.
#include <gtest/gtest.h>

#include <ctime>
#include <memory>

#include "ConfigTestSupport.h"
#include "RegistryTestSupport.h"
#include "util/tc_file.h"

namespace tars::test {
namespace {

const std::string kServerName = std::string(kTestApp) + "." + kTestServer;  // Test.ConfigTestServer

class AddConfigTest : public ::testing::Test {
protected:
    void SetUp() override {
        store = db.open();
        service = std::make_unique<ConfigServiceProcess>(db, "limitinterval = 1000");
    }

    void startService() { ASSERT_TRUE(service->start()) << service->process().output(); }

    int64_t addFile(const std::string& serverName, const std::string& filename, const std::string& config, int level,
                    const std::string& host = "") {
        ConfigFile f;
        f.serverName = serverName;
        f.filename = filename;
        f.config = config;
        f.level = level;
        f.host = host;
        return store->upsertConfigFile(f);
    }

    std::string serverKeys(const std::string& configObj) const {
        return "      nodename = node-x\n      config = " + configObj + "\n";
    }

    TestDatabase db{"sqlite"};
    std::unique_ptr<RegistryStore> store;
    std::unique_ptr<ConfigServiceProcess> service;
    ReservedPort probe, admin;
};

TEST_F(AddConfigTest, InitializeFetchesServerAndAppFilesIntoBasepath) {
    int64_t app = addFile(kTestApp, "common.conf", "COMMON", 1);
    int64_t serverFile = addFile(kServerName, "x.conf", "<x>\nlevel=server\n</x>", 2);
    store->addConfigReference(serverFile, app);
    addFile(kServerName, "x.conf", "<x>\nlevel=host\n</x>", 3, "node-x");  // the server's nodename
    addFile(kServerName, "x.conf", "OTHER HOST", 3, "node-y");
    addFile(kTestApp, "app.conf", "APP ONLY", 1);
    startService();

    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe,
                                         .adminPort = admin,
                                         .serverKeys = serverKeys(service->objectString()),
                                         .testKeys = "addconfig = x.conf\naddappconfig = app.conf"}));
    ASSERT_TRUE(server.start({probe, admin})) << server.output();
    ProbeClient client(probe);
    EXPECT_EQ(client.readFile("x.conf"), "COMMON\r\n\r\n<x>\nlevel=server\n</x>\r\n\r\n<x>\nlevel=host\n</x>");
    EXPECT_EQ(client.readFile("app.conf"), "APP ONLY");
    EXPECT_EQ(TC_File::load2str(server.dir() + "/base/x.conf"), *client.readFile("x.conf"));
    EXPECT_FALSE(TC_File::isFileExist(server.dir() + "/base/x.conf.1.bak"));
    EXPECT_EQ(server.stop(), 0);
}

// The same over mutual TLS: ConfigObj on an ssl endpoint that accepts one client subject,
// the server's client section holding that certificate; a server without it gets nothing.
TEST_F(AddConfigTest, InitializeFetchesOverMutualTls) {
    auto cert = [](const std::string& name) { return std::string(TLS_CERT_DIR) + "/" + name; };
    addFile(kServerName, "x.conf", "OVER TLS", 2);
    service = std::make_unique<ConfigServiceProcess>(
        db, "limitinterval = 1000",
        "        cert = " + cert("server.pem") + "\n        key = " + cert("server.key") + "\n        ca = " +
            cert("ca.pem") + "\n        verifyclient = 1\n        allowsubjects = CN=tars-test-client,O=tars-tests\n");
    startService();

    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe,
                                         .adminPort = admin,
                                         .serverKeys = serverKeys(service->objectString()),
                                         .testKeys = "addconfig = x.conf",
                                         .clientKeys = "      ca = " + cert("ca.pem") + "\n      cert = " +
                                                       cert("client.pem") + "\n      key = " + cert("client.key")}));
    ASSERT_TRUE(server.start({probe, admin})) << server.output();
    EXPECT_EQ(ProbeClient(probe).readFile("x.conf"), "OVER TLS");
    EXPECT_EQ(server.stop(), 0);

    ReservedPort probe2, admin2;
    ServerProcess stranger(CONFIG_TEST_SERVER);
    stranger.writeConfig(testServerConfig({.probePort = probe2,
                                           .adminPort = admin2,
                                           .serverKeys = serverKeys(service->objectString()),
                                           .testKeys = "addconfig = x.conf",
                                           .clientKeys = "      ca = " + cert("ca.pem")}));
    EXPECT_NE(0, stranger.runToExit({"--config=" + stranger.dir() + "/server.conf"}, 20000));
    EXPECT_NE(std::string::npos, stranger.output().find("x.conf")) << stranger.output();
}

// A refusal of the service (429: too many loads) is a failure: its text never replaces the
// file the server has.
TEST_F(AddConfigTest, RateLimitedLoadFailsAndKeepsTheLocalFile) {
    service = std::make_unique<ConfigServiceProcess>(db, "limitinterval = 1");
    addFile(kServerName, "x.conf", "v1", 2);
    startService();
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe,
                                         .adminPort = admin,
                                         .serverKeys = serverKeys(service->objectString()),
                                         .testKeys = "addconfig = x.conf"}));
    ASSERT_TRUE(server.start({probe, admin})) << server.output();  // the one load allowed
    ProbeClient client(probe);
    ASSERT_EQ(client.readFile("x.conf"), "v1");

    addFile(kServerName, "x.conf", "v2", 2);
    std::string answer = adminNotify(admin, "tars.loadconfig x.conf");
    EXPECT_NE(answer.find("[fail]"), std::string::npos) << answer;
    EXPECT_NE(answer.find("429"), std::string::npos) << answer;
    EXPECT_EQ(client.readFile("x.conf"), "v1");
    EXPECT_EQ(client.readFile("x.conf.1.bak"), std::nullopt);
    EXPECT_EQ(server.stop(), 0);
}

TEST_F(AddConfigTest, LoadConfigFetchesTheNewContentAndKeepsFiveBackups) {
    addFile(kServerName, "x.conf", "v1", 2);
    addFile(kTestApp, "app.conf", "app v1", 1);
    startService();
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe,
                                         .adminPort = admin,
                                         .serverKeys = serverKeys(service->objectString()),
                                         .testKeys = "addconfig = x.conf\naddappconfig = app.conf"}));
    ASSERT_TRUE(server.start({probe, admin})) << server.output();
    ProbeClient client(probe);
    ASSERT_EQ(client.readFile("x.conf"), "v1");

    addFile(kServerName, "x.conf", "v2", 2);
    std::string answer = adminNotify(admin, "tars.loadconfig x.conf");
    EXPECT_NE(answer.find("[succ]"), std::string::npos) << answer;
    EXPECT_EQ(client.readFile("x.conf"), "v2");
    EXPECT_EQ(client.readFile("x.conf.1.bak"), "v1");

    // The same content again: nothing rewritten, no backup.
    answer = adminNotify(admin, "tars.loadconfig x.conf");
    EXPECT_NE(answer.find("[succ]"), std::string::npos) << answer;
    EXPECT_NE(answer.find("unchanged"), std::string::npos) << answer;
    EXPECT_EQ(client.readFile("x.conf.1.bak"), "v1");

    for (int v = 3; v <= 8; ++v) {
        addFile(kServerName, "x.conf", "v" + std::to_string(v), 2);
        answer = adminNotify(admin, "tars.loadconfig x.conf");
        ASSERT_NE(answer.find("[succ]"), std::string::npos) << answer;
    }
    EXPECT_EQ(client.readFile("x.conf"), "v8");
    for (int n = 1; n <= 5; ++n) {
        EXPECT_EQ(client.readFile("x.conf." + std::to_string(n) + ".bak"), "v" + std::to_string(8 - n)) << n;
    }
    EXPECT_EQ(client.readFile("x.conf.6.bak"), std::nullopt);

    // A file added with addAppConfig is fetched again as the application's file.
    addFile(kTestApp, "app.conf", "app v2", 1);
    answer = adminNotify(admin, "tars.loadconfig app.conf");
    EXPECT_NE(answer.find("[succ]"), std::string::npos) << answer;
    EXPECT_EQ(client.readFile("app.conf"), "app v2");
    EXPECT_EQ(server.stop(), 0);
}

TEST_F(AddConfigTest, LoadConfigFailuresAnswerFailWithTheReason) {
    addFile(kServerName, "x.conf", "v1", 2);
    startService();
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe,
                                         .adminPort = admin,
                                         .serverKeys = serverKeys(service->objectString()),
                                         .testKeys = "addconfig = x.conf"}));
    ASSERT_TRUE(server.start({probe, admin})) << server.output();

    std::string answer = adminNotify(admin, "tars.loadconfig nothing.conf");
    EXPECT_NE(answer.find("[fail]"), std::string::npos) << answer;
    EXPECT_NE(answer.find("nothing.conf"), std::string::npos) << answer;
    for (const char* bad : {"tars.loadconfig", "tars.loadconfig ../x.conf", "tars.loadconfig a/b"}) {
        answer = adminNotify(admin, bad);
        EXPECT_NE(answer.find("[fail] usage"), std::string::npos) << bad << ": " << answer;
    }
    // The service goes away: the fetch fails and the local copy stays.
    EXPECT_EQ(service->process().stop(), 0);
    answer = adminNotify(admin, "tars.loadconfig x.conf");
    EXPECT_NE(answer.find("[fail]"), std::string::npos) << answer;
    EXPECT_NE(answer.find("kept"), std::string::npos) << answer;
    ProbeClient client(probe);
    EXPECT_EQ(client.readFile("x.conf"), "v1");
    EXPECT_EQ(server.stop(), 0);
}

TEST_F(AddConfigTest, MissingRemoteFileWithoutLocalCopyStopsTheServerNamingTheFile) {
    startService();
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe,
                                         .serverKeys = serverKeys(service->objectString()),
                                         .testKeys = "addconfig = missing.conf"}));
    EXPECT_EQ(server.runToExit({"--config=" + server.dir() + "/server.conf"}), 1);
    std::string output = server.output();
    EXPECT_NE(output.find("missing.conf"), std::string::npos) << output;
    EXPECT_NE(output.find("tars.tarsconfig.ConfigObj"), std::string::npos) << output;
    EXPECT_NE(output.find("no local copy"), std::string::npos) << output;
}

TEST_F(AddConfigTest, ServiceDownWithLocalCopyStartsWithTheLocalCopy) {
    ReservedPort deadService;  // nothing listens
    ServerProcess server(CONFIG_TEST_SERVER);
    TC_File::makeDirRecursive(server.dir() + "/base");
    TC_File::save2file(server.dir() + "/base/x.conf", "LOCAL");
    server.writeConfig(testServerConfig({.probePort = probe,
                                         .serverKeys = serverKeys("tars.tarsconfig.ConfigObj@tcp -h 127.0.0.1 -p " +
                                                                  std::to_string(deadService.port())),
                                         .testKeys = "addconfig = x.conf"}));
    ASSERT_TRUE(server.start({probe})) << server.output();
    ProbeClient client(probe);
    EXPECT_EQ(client.readFile("x.conf"), "LOCAL");
    EXPECT_EQ(server.stop(), 0);  // flushes the log
    EXPECT_NE(server.log().find("using the local copy"), std::string::npos) << server.log();
}

TEST_F(AddConfigTest, ServiceDownWithoutLocalCopyStopsTheServer) {
    ReservedPort deadService;
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe,
                                         .serverKeys = serverKeys("tars.tarsconfig.ConfigObj@tcp -h 127.0.0.1 -p " +
                                                                  std::to_string(deadService.port())),
                                         .testKeys = "addconfig = x.conf"}));
    EXPECT_EQ(server.runToExit({"--config=" + server.dir() + "/server.conf"}), 1);
    EXPECT_NE(server.output().find("x.conf"), std::string::npos) << server.output();
}

TEST_F(AddConfigTest, WithoutConfigServantTheLocalFileMustExist) {
    {
        ServerProcess server(CONFIG_TEST_SERVER);
        TC_File::makeDirRecursive(server.dir() + "/base");
        TC_File::save2file(server.dir() + "/base/x.conf", "SHIPPED");
        server.writeConfig(
            testServerConfig({.probePort = probe, .adminPort = admin, .testKeys = "addconfig = x.conf"}));
        ASSERT_TRUE(server.start({probe, admin})) << server.output();
        EXPECT_EQ(ProbeClient(probe).readFile("x.conf"), "SHIPPED");
        std::string answer = adminNotify(admin, "tars.loadconfig x.conf");
        EXPECT_NE(answer.find("[succ]"), std::string::npos) << answer;
        EXPECT_NE(answer.find("no config servant"), std::string::npos) << answer;
        answer = adminNotify(admin, "tars.loadconfig other.conf");
        EXPECT_NE(answer.find("[fail] no config servant"), std::string::npos) << answer;
        EXPECT_EQ(server.stop(), 0);
    }
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe, .testKeys = "addconfig = x.conf"}));
    EXPECT_EQ(server.runToExit({"--config=" + server.dir() + "/server.conf"}), 1);
    EXPECT_NE(server.output().find("x.conf"), std::string::npos) << server.output();
    EXPECT_NE(server.output().find("no config servant"), std::string::npos) << server.output();
}

// config = a bare servant name, resolved through the registry (the locator).
TEST_F(AddConfigTest, ConfigServantIsResolvedThroughTheLocator) {
    addFile(kServerName, "x.conf", "VIA LOCATOR", 2);
    startService();
    ServerConf conf;
    conf.application = "tars";
    conf.serverName = "tarsconfig";
    conf.nodeName = "127.0.0.1";
    conf.settingState = "active";
    conf.presentState = "active";
    AdapterConf adapter;
    adapter.adapterName = "tars.tarsconfig.ConfigObjAdapter";
    adapter.servant = "tars.tarsconfig.ConfigObj";
    adapter.endpoint = "tcp -h 127.0.0.1 -p " + std::to_string(service->port()) + " -t 60000";
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    store->deployServer(conf, {adapter}, now);
    store->updateServerState(conf.key(), "active", service->process().pid(), now);
    RegistryProcess registry(db);
    ASSERT_TRUE(registry.start()) << registry.process().output();

    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig(
        {.probePort = probe,
         .serverKeys = serverKeys("tars.tarsconfig.ConfigObj"),
         .testKeys = "addconfig = x.conf",
         .clientKeys = "      locator = tars.tarsregistry.QueryObj@" + registry.queryEndpoint() + "\n"}));
    ASSERT_TRUE(server.start({probe})) << server.output();
    EXPECT_EQ(ProbeClient(probe).readFile("x.conf"), "VIA LOCATOR");
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace tars::test
