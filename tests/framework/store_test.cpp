// RegistryStore against every backend: the same test body runs on the embedded SQLite
// file and, when TARS_TEST_MYSQL names a MariaDB server, on MariaDB.
#include <gtest/gtest.h>

#include <algorithm>

#include "SqlConnection.h"
#include "TestDatabase.h"

using namespace tars;
using tars::test::TestDatabase;

namespace {

constexpr int64_t kNow = 1'700'000'000;  // 2023-11-14 22:13:20 UTC

ServerConf helloServer(const std::string& node = "10.0.0.1") {
    ServerConf s;
    s.application = "TestApp";
    s.serverName = "HelloServer";
    s.nodeName = node;
    s.settingState = "active";
    s.templateName = "tars.default";
    s.profile = "<tars>\n</tars>";
    return s;
}

AdapterConf helloAdapter(int port, const std::string& name = "TestApp.HelloServer.HelloObjAdapter") {
    AdapterConf a;
    a.adapterName = name;
    a.servant = "TestApp.HelloServer.HelloObj";
    a.endpoint = "tcp -h 10.0.0.1 -p " + std::to_string(port) + " -t 60000";
    a.threadNum = 4;
    return a;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _db = std::make_unique<TestDatabase>(GetParam());
        if (!_db->available()) GTEST_SKIP() << _db->skipReason();
        store = _db->open();
    }
    void TearDown() override {
        store.reset();
        _db.reset();
    }

    std::unique_ptr<TestDatabase> _db;
    std::unique_ptr<RegistryStore> store;
};

TEST_P(StoreTest, OpensTheNamedBackend) { EXPECT_EQ(store->backend(), GetParam()); }

TEST_P(StoreTest, CreatingTheSchemaAgainKeepsTheRows) {
    store->deployServer(helloServer(), {helloAdapter(20001)}, kNow);
    store->createSchema();
    auto reopened = _db->open();
    EXPECT_EQ(reopened->listServers().size(), 1u);
    EXPECT_EQ(reopened->listAdapters().size(), 1u);
}

TEST_P(StoreTest, DeployedServerIsListedWithItsAdapters) {
    store->deployServer(helloServer(), {helloAdapter(20001)}, kNow);

    auto server = store->getServer({"TestApp", "HelloServer", "10.0.0.1"});
    ASSERT_TRUE(server);
    EXPECT_EQ(server->settingState, "active");
    EXPECT_EQ(server->presentState, "inactive");
    EXPECT_EQ(server->templateName, "tars.default");
    EXPECT_EQ(server->serverType, "tars_cpp");
    EXPECT_EQ(server->flowState, "active");
    EXPECT_EQ(server->asyncThreadNum, 3);
    EXPECT_EQ(server->registryTimestamp, kNow);
    EXPECT_EQ(server->postTime, kNow);

    auto adapters = store->listAdapters({"TestApp", "HelloServer", ""});
    ASSERT_EQ(adapters.size(), 1u);
    EXPECT_EQ(adapters[0].nodeName, "10.0.0.1");
    EXPECT_EQ(adapters[0].servant, "TestApp.HelloServer.HelloObj");
    EXPECT_EQ(adapters[0].endpoint, "tcp -h 10.0.0.1 -p 20001 -t 60000");
    EXPECT_EQ(adapters[0].threadNum, 4);
    EXPECT_EQ(adapters[0].protocol, "tars");
}

TEST_P(StoreTest, RedeployReplacesAdaptersAndKeepsWhatTheNodeReported) {
    store->deployServer(helloServer(), {helloAdapter(20001), helloAdapter(20003, "Second")}, kNow);
    ASSERT_TRUE(store->updateServerState({"TestApp", "HelloServer", "10.0.0.1"}, "active", 4242, kNow));

    ServerConf changed = helloServer();
    changed.exePath = "/opt/hello/HelloServer";
    store->deployServer(changed, {helloAdapter(20005)}, kNow + 10);

    auto server = store->getServer({"TestApp", "HelloServer", "10.0.0.1"});
    ASSERT_TRUE(server);
    EXPECT_EQ(server->exePath, "/opt/hello/HelloServer");
    EXPECT_EQ(server->presentState, "active");
    EXPECT_EQ(server->processId, 4242);
    EXPECT_EQ(server->registryTimestamp, kNow + 10);
    auto adapters = store->listAdapters();
    ASSERT_EQ(adapters.size(), 1u);
    EXPECT_EQ(adapters[0].endpoint, "tcp -h 10.0.0.1 -p 20005 -t 60000");
}

TEST_P(StoreTest, UndeployRemovesTheServerAndItsAdapters) {
    store->deployServer(helloServer("10.0.0.1"), {helloAdapter(20001)}, kNow);
    store->deployServer(helloServer("10.0.0.2"), {helloAdapter(20001)}, kNow);

    EXPECT_TRUE(store->undeployServer({"TestApp", "HelloServer", "10.0.0.1"}));
    EXPECT_FALSE(store->undeployServer({"TestApp", "HelloServer", "10.0.0.1"}));

    auto servers = store->listServers();
    ASSERT_EQ(servers.size(), 1u);
    EXPECT_EQ(servers[0].nodeName, "10.0.0.2");
    auto adapters = store->listAdapters();
    ASSERT_EQ(adapters.size(), 1u);
    EXPECT_EQ(adapters[0].nodeName, "10.0.0.2");
}

TEST_P(StoreTest, ListServersFiltersByApplicationServerAndNode) {
    for (const char* node : {"10.0.0.1", "10.0.0.2"}) {
        store->deployServer(helloServer(node), {}, kNow);
        ServerConf other = helloServer(node);
        other.serverName = "OtherServer";
        store->deployServer(other, {}, kNow);
    }
    ServerConf foreign = helloServer();
    foreign.application = "Foreign";
    store->deployServer(foreign, {}, kNow);

    EXPECT_EQ(store->listServers().size(), 5u);
    EXPECT_EQ(store->listServers({"TestApp", "", ""}).size(), 4u);
    EXPECT_EQ(store->listServers({"TestApp", "HelloServer", ""}).size(), 2u);
    EXPECT_EQ(store->listServers({"", "", "10.0.0.2"}).size(), 2u);
    EXPECT_EQ(store->listServers({"TestApp", "OtherServer", "10.0.0.1"}).size(), 1u);
    EXPECT_FALSE(store->getServer({"TestApp", "Missing", "10.0.0.1"}));
}

TEST_P(StoreTest, SettingAndFlowStatesChangeOnlyTheirInstance) {
    store->deployServer(helloServer("10.0.0.1"), {}, kNow);
    store->deployServer(helloServer("10.0.0.2"), {}, kNow);

    EXPECT_TRUE(store->setSettingState({"TestApp", "HelloServer", "10.0.0.1"}, "inactive", kNow));
    EXPECT_TRUE(store->setFlowState({"TestApp", "HelloServer", "10.0.0.2"}, "inactive", kNow));
    EXPECT_FALSE(store->setSettingState({"TestApp", "HelloServer", "10.9.9.9"}, "inactive", kNow));

    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "10.0.0.1"})->settingState, "inactive");
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "10.0.0.1"})->flowState, "active");
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "10.0.0.2"})->settingState, "active");
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "10.0.0.2"})->flowState, "inactive");
}

TEST_P(StoreTest, UpdateServerStateSetsPresentStateAndPid) {
    store->deployServer(helloServer(), {}, kNow);
    ServerKey key{"TestApp", "HelloServer", "10.0.0.1"};

    EXPECT_TRUE(store->updateServerState(key, "activating", 77, kNow + 1));
    EXPECT_EQ(store->getServer(key)->presentState, "activating");
    EXPECT_EQ(store->getServer(key)->processId, 77);
    EXPECT_EQ(store->getServer(key)->registryTimestamp, kNow + 1);
    EXPECT_FALSE(store->updateServerState({"TestApp", "Unknown", "10.0.0.1"}, "active", 1, kNow));
}

TEST_P(StoreTest, BatchUpdateCountsTheInstancesThatExist) {
    store->deployServer(helloServer("10.0.0.1"), {}, kNow);
    store->deployServer(helloServer("10.0.0.2"), {}, kNow);

    int found = store->updateServerStates({{{"TestApp", "HelloServer", "10.0.0.1"}, "active", 10},
                                           {{"TestApp", "HelloServer", "10.0.0.2"}, "deactivating", 20},
                                           {{"TestApp", "HelloServer", "10.0.0.3"}, "active", 30}},
                                          kNow);
    EXPECT_EQ(found, 2);
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "10.0.0.2"})->presentState, "deactivating");
}

TEST_P(StoreTest, InvalidStateIsRefusedWithAnErrorNamingBackendAndOperation) {
    store->deployServer(helloServer(), {}, kNow);
    try {
        store->updateServerState({"TestApp", "HelloServer", "10.0.0.1"}, "running", 1, kNow);
        FAIL() << "no exception";
    } catch (const StoreError& e) {
        EXPECT_EQ(std::string(e.what()).find(GetParam() + " store: updateServerState: invalid state 'running'"), 0u)
            << e.what();
    }
}

TEST_P(StoreTest, DatabaseErrorsNameBackendAndOperation) {
    // A constraint the database itself enforces: the schema's CHECK / ENUM on present_state.
    auto connection = openSqlConnection(_db->settings());
    try {
        connection->execute("seed bad row", "INSERT INTO t_server_conf (application, present_state) VALUES (?, ?)",
                            {std::string("A"), std::string("running")});
        FAIL() << "no exception";
    } catch (const StoreError& e) {
        EXPECT_EQ(std::string(e.what()).find(GetParam() + " store: seed bad row: "), 0u) << e.what();
    }
}

TEST_P(StoreTest, ValuesAreBoundNeverPastedIntoSql) {
    ServerConf tricky = helloServer();
    tricky.serverName = "O'Brien\"; DROP TABLE t_server_conf; --";
    tricky.profile = std::string(5000, 'x') + " \xE4\xB8\xAD\xE6\x96\x87 'quoted' \\ backslash";
    store->deployServer(tricky, {}, kNow);

    auto servers = store->listServers({"TestApp", tricky.serverName, ""});
    ASSERT_EQ(servers.size(), 1u);
    EXPECT_EQ(servers[0].serverName, tricky.serverName);
    EXPECT_EQ(servers[0].profile, tricky.profile);
}

TEST_P(StoreTest, NodeRegistrationHeartbeatAndTimeout) {
    NodeRecord node;
    node.nodeName = "10.0.0.1";
    node.nodeObj = "tars.tarsnode.NodeObj@tcp -h 10.0.0.1 -p 19385";
    node.endpointIp = "10.0.0.1";
    node.endpointPort = 19385;
    node.presentState = "active";
    node.lastRegTime = kNow;
    node.lastHeartbeat = kNow;
    store->upsertNode(node);
    store->deployServer(helloServer("10.0.0.1"), {}, kNow);
    store->updateServerState({"TestApp", "HelloServer", "10.0.0.1"}, "active", 99, kNow);

    EXPECT_TRUE(store->nodeHeartbeat("10.0.0.1", kNow + 30, 0.5, 0.25, 0.125));
    EXPECT_FALSE(store->nodeHeartbeat("10.9.9.9", kNow + 30, 0, 0, 0));
    auto read = store->getNode("10.0.0.1");
    ASSERT_TRUE(read);
    EXPECT_EQ(read->lastHeartbeat, kNow + 30);
    EXPECT_EQ(read->lastRegTime, kNow);
    EXPECT_DOUBLE_EQ(read->loadAvg1, 0.5);
    EXPECT_DOUBLE_EQ(read->loadAvg15, 0.125);
    EXPECT_EQ(read->nodeObj, node.nodeObj);

    // Not timed out yet at cutoff kNow + 30; timed out at kNow + 31.
    EXPECT_TRUE(store->markTimedOutNodes(kNow + 30, kNow + 300).empty());
    auto timedOut = store->markTimedOutNodes(kNow + 31, kNow + 300);
    ASSERT_EQ(timedOut.size(), 1u);
    EXPECT_EQ(timedOut[0], "10.0.0.1");
    EXPECT_EQ(store->getNode("10.0.0.1")->presentState, "inactive");
    auto server = store->getServer({"TestApp", "HelloServer", "10.0.0.1"});
    EXPECT_EQ(server->presentState, "inactive");
    EXPECT_EQ(server->processId, 0);
    // Already inactive: not reported again.
    EXPECT_TRUE(store->markTimedOutNodes(kNow + 1000, kNow + 1000).empty());

    // A heartbeat revives the node.
    EXPECT_TRUE(store->nodeHeartbeat("10.0.0.1", kNow + 400, 0, 0, 0));
    EXPECT_EQ(store->getNode("10.0.0.1")->presentState, "active");
}

TEST_P(StoreTest, RegisteringANodeAgainKeepsItsTemplateUnlessGiven) {
    NodeRecord node;
    node.nodeName = "n1";
    node.templateName = "tars.tarsnode";
    node.presentState = "active";
    store->upsertNode(node);
    node.templateName.clear();
    node.nodeObj = "tars.tarsnode.NodeObj@tcp -h 10.0.0.1 -p 19385";
    store->upsertNode(node);

    auto read = store->getNode("n1");
    ASSERT_TRUE(read);
    EXPECT_EQ(read->templateName, "tars.tarsnode");
    EXPECT_EQ(read->nodeObj, node.nodeObj);
    EXPECT_TRUE(store->setNodeTemplate("n1", "custom"));
    EXPECT_EQ(store->getNode("n1")->templateName, "custom");
    EXPECT_EQ(store->listNodes().size(), 1u);
    EXPECT_TRUE(store->deleteNode("n1"));
    EXPECT_FALSE(store->getNode("n1"));
}

TEST_P(StoreTest, InactiveNodeTakesItsServersDown) {
    NodeRecord node;
    node.nodeName = "10.0.0.1";
    node.presentState = "active";
    node.lastHeartbeat = kNow;
    store->upsertNode(node);
    store->deployServer(helloServer("10.0.0.1"), {}, kNow);
    store->deployServer(helloServer("10.0.0.2"), {}, kNow);
    store->updateServerState({"TestApp", "HelloServer", "10.0.0.1"}, "active", 1, kNow);
    store->updateServerState({"TestApp", "HelloServer", "10.0.0.2"}, "active", 2, kNow);

    EXPECT_TRUE(store->setNodeInactive("10.0.0.1", kNow));
    EXPECT_FALSE(store->setNodeInactive("10.9.9.9", kNow));

    EXPECT_EQ(store->getNode("10.0.0.1")->presentState, "inactive");
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "10.0.0.1"})->presentState, "inactive");
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "10.0.0.2"})->presentState, "active");
}

TEST_P(StoreTest, RegistryRowsAreKeyedByLocatorAndServant) {
    RegistryRecord r{
        "127.0.0.1:17890", "tars.tarsregistry.QueryObj", "tcp -h 127.0.0.1 -p 17890", kNow, "active", "0.1.0", "N"};
    store->upsertRegistry(r);
    r.lastHeartbeat = kNow + 5;
    store->upsertRegistry(r);
    store->upsertRegistry({"127.0.0.1:17890", "tars.tarsregistry.RegistryObj", "tcp -h 127.0.0.1 -p 17891", kNow,
                           "active", "0.1.0", "N"});

    auto rows = store->listRegistries();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].servant, "tars.tarsregistry.QueryObj");
    EXPECT_EQ(rows[0].lastHeartbeat, kNow + 5);
    EXPECT_EQ(rows[1].endpoint, "tcp -h 127.0.0.1 -p 17891");
}

TEST_P(StoreTest, TemplatesRoundTrip) {
    store->upsertTemplate({"tars.default", "", "<tars>\n</tars>", kNow, "admin"});
    store->upsertTemplate({"tars.tarsnode", "tars.default", "<tars>\n<node>\n</node>\n</tars>", kNow, "admin"});
    store->upsertTemplate({"tars.tarsnode", "tars.default", "<tars>\n</tars>", kNow + 1, "someone"});

    auto node = store->getTemplate("tars.tarsnode");
    ASSERT_TRUE(node);
    EXPECT_EQ(node->parentsName, "tars.default");
    EXPECT_EQ(node->profile, "<tars>\n</tars>");
    EXPECT_EQ(node->lastUser, "someone");
    EXPECT_EQ(store->listTemplates().size(), 2u);
    EXPECT_TRUE(store->deleteTemplate("tars.tarsnode"));
    EXPECT_FALSE(store->getTemplate("tars.tarsnode"));
}

TEST_P(StoreTest, GroupRulesAndPrioritiesRoundTrip) {
    GroupRule rule;
    rule.groupName = "shenzhen";
    rule.allowIpRule = "10.0.0.*|10.1.0.5";
    int id = store->upsertGroupRule(rule);
    EXPECT_GT(id, 0);
    rule.allowIpRule = "10.0.0.*";
    EXPECT_EQ(store->upsertGroupRule(rule), id);
    GroupRule second;
    second.groupName = "shanghai";
    second.groupId = 42;
    EXPECT_EQ(store->upsertGroupRule(second), 42);

    auto rules = store->listGroupRules();
    ASSERT_EQ(rules.size(), 2u);
    EXPECT_EQ(rules[0].groupId, id);
    EXPECT_EQ(rules[0].allowIpRule, "10.0.0.*");
    EXPECT_EQ(rules[1].groupId, 42);

    int late = store->addGroupPriority({0, "south", "1|2", 2, "sz"});
    int early = store->addGroupPriority({0, "north", "3", 1, "bj"});
    EXPECT_NE(late, early);
    auto priorities = store->listGroupPriorities();
    ASSERT_EQ(priorities.size(), 2u);
    EXPECT_EQ(priorities[0].name, "north");
    EXPECT_EQ(priorities[0].id, early);
    EXPECT_EQ(priorities[1].groupList, "1|2");
    EXPECT_TRUE(store->deleteGroupPriority(early));
    EXPECT_TRUE(store->deleteGroupRule(42));
    EXPECT_EQ(store->listGroupPriorities().size(), 1u);
    EXPECT_EQ(store->listGroupRules().size(), 1u);
}

TEST_P(StoreTest, ConfigFilesUpsertListAndDeleteWithReferences) {
    ConfigFile app;
    app.serverName = "TestApp";
    app.filename = "common.conf";
    app.config = "a=1";
    app.level = 1;
    int64_t appId = store->upsertConfigFile(app);
    ConfigFile server;
    server.serverName = "TestApp.HelloServer";
    server.filename = "hello.conf";
    server.config = "b=2";
    int64_t serverId = store->upsertConfigFile(server);
    server.config = "b=3";
    EXPECT_EQ(store->upsertConfigFile(server), serverId);
    ConfigFile host = server;
    host.host = "10.0.0.1";
    host.level = 3;
    int64_t hostId = store->upsertConfigFile(host);
    EXPECT_NE(hostId, serverId);

    store->addConfigReference(serverId, appId);
    store->addConfigReference(serverId, appId);  // once only
    EXPECT_EQ(store->listConfigReferences(serverId), std::vector<int64_t>{appId});

    EXPECT_EQ(store->listConfigFiles({"TestApp.HelloServer", "", "", 0}).size(), 2u);
    EXPECT_EQ(store->listConfigFiles({"TestApp.HelloServer", "hello.conf", "10.0.0.1", 3}).size(), 1u);
    EXPECT_EQ(store->getConfigFile(serverId)->config, "b=3");

    EXPECT_TRUE(store->deleteConfigFile(appId));
    EXPECT_TRUE(store->listConfigReferences(serverId).empty());
    EXPECT_FALSE(store->getConfigFile(appId));
}

TEST_P(StoreTest, LoadRegistryDataReadsEveryTable) {
    store->deployServer(helloServer(), {helloAdapter(20001)}, kNow);
    NodeRecord node;
    node.nodeName = "10.0.0.1";
    store->upsertNode(node);
    store->upsertRegistry(
        {"127.0.0.1:17890", "tars.tarsregistry.QueryObj", "tcp -h 127.0.0.1 -p 17890", kNow, "active", "", "N"});
    GroupRule rule;
    rule.groupName = "g";
    store->upsertGroupRule(rule);
    store->addGroupPriority({0, "p", "1", 0, "s"});

    RegistryData data = store->loadRegistryData();
    EXPECT_EQ(data.servers.size(), 1u);
    EXPECT_EQ(data.adapters.size(), 1u);
    EXPECT_EQ(data.nodes.size(), 1u);
    EXPECT_EQ(data.registries.size(), 1u);
    EXPECT_EQ(data.groupRules.size(), 1u);
    EXPECT_EQ(data.groupPriorities.size(), 1u);
}

TEST_P(StoreTest, TwoStoresOnOneDatabaseSeeEachOthersWrites) {
    auto other = _db->open();
    store->deployServer(helloServer(), {helloAdapter(20001)}, kNow);
    EXPECT_EQ(other->listServers().size(), 1u);
    other->updateServerState({"TestApp", "HelloServer", "10.0.0.1"}, "active", 5, kNow);
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "10.0.0.1"})->presentState, "active");
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

// ---- settings and helpers (no database)

TEST(StoreSettings, ConnectionStringChoosesMysqlWhenAHostIsGiven) {
    auto s = StoreSettings::fromConnectionString("host=127.0.0.1;port=3307;user=root;password=;db=db_tars_test");
    EXPECT_EQ(s.type, "mysql");
    EXPECT_EQ(s.port, 3307);
    EXPECT_EQ(s.user, "root");
    EXPECT_EQ(s.password, "");
    EXPECT_EQ(s.database, "db_tars_test");
    EXPECT_EQ(StoreSettings::fromConnectionString("path=/tmp/x.sqlite").type, "sqlite");
}

TEST(StoreSettings, BadValuesNameTheKey) {
    EXPECT_THROW(StoreSettings::fromConnectionString("host=a;port=http"), StoreError);
    EXPECT_THROW(StoreSettings::fromConnectionString("colour=blue"), StoreError);
    TC_Config config;
    config.parseString("<tars>\n<db>\ndbtype = oracle\n</db>\n</tars>\n");
    try {
        StoreSettings::fromConfig(config, "x.sqlite");
        FAIL() << "no exception";
    } catch (const StoreError& e) {
        EXPECT_NE(std::string(e.what()).find("unknown store type 'oracle'"), std::string::npos) << e.what();
    }
}

TEST(StoreSettings, ConfigWithTarsDbKeysSelectsMysql) {
    TC_Config config;
    config.parseString(
        "<tars>\n<db>\ndbhost = db.example\ndbname = db_tars\ndbuser = tars\ndbpass = p=w\ndbport = 3306\n"
        "charset = utf8\n</db>\n</tars>\n");
    auto s = StoreSettings::fromConfig(config, "/data/db_tars.sqlite");
    EXPECT_EQ(s.type, "mysql");
    EXPECT_EQ(s.host, "db.example");
    EXPECT_EQ(s.password, "p=w");
    EXPECT_EQ(s.charset, "utf8");

    TC_Config empty;
    empty.parseString("<tars>\n</tars>\n");
    auto embedded = StoreSettings::fromConfig(empty, "/data/db_tars.sqlite");
    EXPECT_EQ(embedded.type, "sqlite");
    EXPECT_EQ(embedded.path, "/data/db_tars.sqlite");
}

TEST(StoreErrors, OpeningAnUnreachableDatabaseNamesTheBackend) {
    StoreSettings sqlite;
    sqlite.path = "/nonexistent-dir/deeper/db_tars.sqlite";
    try {
        RegistryStore::open(sqlite);
        FAIL() << "no exception";
    } catch (const StoreError& e) {
        EXPECT_EQ(std::string(e.what()).find("sqlite store: open /nonexistent-dir/deeper/db_tars.sqlite: "), 0u)
            << e.what();
    }
    StoreSettings mysql = StoreSettings::fromConnectionString("host=127.0.0.1;port=1;user=root;timeout=2");
    try {
        RegistryStore::open(mysql);
        FAIL() << "no exception";
    } catch (const StoreError& e) {
        auto built = availableSqlBackends();
        bool withMysql = std::find(built.begin(), built.end(), "mysql") != built.end();
        EXPECT_EQ(std::string(e.what()).find(withMysql ? "mysql store: open mysql:root@127.0.0.1:1/db_tars: "
                                                       : "mysql store: open: this build has no MySQL backend"),
                  0u)
            << e.what();
    }
}

TEST(StoreScripts, SplitsStatementsAtSemicolonsEndingALine) {
    auto statements = splitSqlScript("-- comment\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (\n  y INT\n);\nSELECT 1");
    ASSERT_EQ(statements.size(), 3u);
    EXPECT_EQ(statements[0], "CREATE TABLE a (x INT)");
    EXPECT_EQ(statements[1], "CREATE TABLE b (\ny INT\n)");
    EXPECT_EQ(statements[2], "SELECT 1");
}

TEST(StoreTimes, FormatAndParseAreUtcInverses) {
    EXPECT_EQ(formatStoreTime(kNow), "2023-11-14 22:13:20");
    EXPECT_EQ(parseStoreTime("2023-11-14 22:13:20"), kNow);
    EXPECT_EQ(parseStoreTime(""), 0);
    EXPECT_EQ(parseStoreTime("yesterday"), 0);
}

}  // namespace
