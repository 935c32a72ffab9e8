// tarsregistry as a process: seeded through the store, asked through QueryObj and
// RegistryObj over TCP on loopback, exactly as a TARS client and a tarsnode would.
// The backend-parameterised cases run on the embedded SQLite file and, with
// TARS_TEST_MYSQL, on MariaDB.
#include <gtest/gtest.h>

#include <ctime>

#include "Hello.h"
#include "RegistryTestSupport.h"

using namespace tars;
using namespace tars::test;

namespace {

using Addresses = std::vector<std::string>;

const std::string kHelloObj = "TestApp.HelloServer.HelloObj";

int64_t now() { return static_cast<int64_t>(::time(nullptr)); }

// A deployed instance with one adapter serving TestApp.<server>.HelloObj on 127.0.0.1:port.
void seed(RegistryStore& store, const std::string& node, int port, const std::string& presentState = "active",
          const std::string& server = "HelloServer", const std::string& transport = "tcp") {
    ServerConf s;
    s.application = "TestApp";
    s.serverName = server;
    s.nodeName = node;
    s.settingState = "active";
    s.presentState = presentState;
    AdapterConf a;
    a.adapterName = "TestApp." + server + ".HelloObjAdapter";
    a.servant = "TestApp." + server + ".HelloObj";
    a.endpoint = transport + " -h 127.0.0.1 -p " + std::to_string(port) + " -t 60000";
    store.deployServer(s, {a}, now());
}

std::string address(int port) { return "127.0.0.1:" + std::to_string(port); }

NodeInfo nodeInfo(const std::string& name, int port) {
    NodeInfo info;
    info.nodeName = name;
    info.nodeObj = "tars.tarsnode.NodeObj@tcp -h 127.0.0.1 -p " + std::to_string(port);
    info.endpointIp = "127.0.0.1";
    info.endpointPort = port;
    info.timeOut = 60;
    info.dataDir = "/tmp";
    info.version = "test";
    return info;
}

ServerStateInfo state(ServerState s, int pid) {
    ServerStateInfo info;
    info.serverState = s;
    info.processId = pid;
    return info;
}

// ---------------------------------------------------------------- on every backend

class RegistryOnBackend : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db = std::make_unique<TestDatabase>(GetParam());
        if (!db->available()) GTEST_SKIP() << db->skipReason();
        store = db->open();
    }
    void TearDown() override {
        registries.clear();
        store.reset();
        db.reset();
    }
    RegistryProcess& startRegistry(const std::string& reap = "") {
        registries.push_back(std::make_unique<RegistryProcess>(*db, reap));
        EXPECT_TRUE(registries.back()->start()) << registries.back()->process().output();
        return *registries.back();
    }
    static RegistryClient client(const RegistryProcess& r) { return {r.queryPort(), r.registryPort()}; }

    std::unique_ptr<TestDatabase> db;
    std::unique_ptr<RegistryStore> store;
    std::vector<std::unique_ptr<RegistryProcess>> registries;
};

TEST_P(RegistryOnBackend, AnswersForItsOwnServants) {
    auto& registry = startRegistry();
    auto c = client(registry);
    EXPECT_EQ(addresses(c.findObjectById("tars.tarsregistry.QueryObj")), Addresses{address(registry.queryPort())});
    EXPECT_EQ(addresses(c.findObjectById("tars.tarsregistry.RegistryObj")),
              Addresses{address(registry.registryPort())});
}

TEST_P(RegistryOnBackend, SeededServersAreAnsweredActiveOrInactiveByTheirState) {
    ReservedPort up, down;
    seed(*store, "node-a", up.port(), "active");
    seed(*store, "node-b", down.port(), "inactive");
    auto& registry = startRegistry();
    auto c = client(registry);

    EXPECT_EQ(addresses(c.findObjectById(kHelloObj)), Addresses{address(up.port())});
    QueryAnswer any = c.findObjectById4Any(kHelloObj);
    EXPECT_EQ(any.ret, 0);
    EXPECT_EQ(addresses(any.active), Addresses{address(up.port())});
    EXPECT_EQ(addresses(any.inactive), Addresses{address(down.port())});
    ASSERT_EQ(any.active.size(), 1u);
    EXPECT_EQ(any.active[0].timeout, 60000);
    EXPECT_EQ(any.active[0].istcp, 1);
    EXPECT_EQ(any.active[0].nodeName, "node-a");

    QueryAnswer unknown = c.findObjectById4Any("TestApp.Nobody.Obj");
    EXPECT_EQ(unknown.ret, 0);
    EXPECT_TRUE(unknown.active.empty());
    EXPECT_TRUE(unknown.inactive.empty());
}

TEST_P(RegistryOnBackend, StoreChangesReachTheAnswersWithinTheReloadInterval) {
    ReservedPort port;
    seed(*store, "node-a", port.port(), "active");
    auto& registry = startRegistry();
    auto c = client(registry);
    ASSERT_EQ(addresses(c.findObjectById(kHelloObj)), Addresses{address(port.port())});

    // The operator stops routing to it; then deploys a second instance.
    ASSERT_TRUE(store->setFlowState({"TestApp", "HelloServer", "node-a"}, "inactive", now()));
    EXPECT_TRUE(eventually([&] { return addresses(c.findObjectById4Any(kHelloObj).inactive).size() == 1; }));
    EXPECT_TRUE(c.findObjectById(kHelloObj).empty());

    ReservedPort second;
    seed(*store, "node-b", second.port(), "active");
    EXPECT_TRUE(
        eventually([&] { return addresses(c.findObjectById(kHelloObj)) == Addresses{address(second.port())}; }));
}

TEST_P(RegistryOnBackend, TwoRegistriesOnOneDatabaseGiveTheSameAnswers) {
    ReservedPort a, b, c;
    seed(*store, "node-a", a.port(), "active");
    seed(*store, "node-b", b.port(), "inactive");
    auto& first = startRegistry();
    auto& second = startRegistry();
    auto one = client(first);
    auto two = client(second);

    // Both list both registries (each heartbeats its rows; the other picks them up).
    Addresses locators = {address(first.queryPort()), address(second.queryPort())};
    std::sort(locators.begin(), locators.end());
    EXPECT_TRUE(eventually([&] {
        return addresses(one.findObjectById("tars.tarsregistry.QueryObj")) == locators &&
               addresses(two.findObjectById("tars.tarsregistry.QueryObj")) == locators;
    }));

    // A write through one registry (a node reporting a state) shows in both.
    seed(*store, "node-c", c.port(), "inactive");
    ASSERT_EQ(one.updateServer("node-c", "TestApp", "HelloServer", state(ServerState::Active, 42)), 0);
    Addresses active = {address(a.port()), address(c.port())};
    std::sort(active.begin(), active.end());
    EXPECT_TRUE(eventually([&] {
        return addresses(one.findObjectById4Any(kHelloObj).active) == active &&
               addresses(two.findObjectById4Any(kHelloObj).active) == active;
    }));
    QueryAnswer fromOne = one.findObjectById4Any(kHelloObj);
    QueryAnswer fromTwo = two.findObjectById4Any(kHelloObj);
    EXPECT_EQ(addresses(fromOne.inactive), Addresses{address(b.port())});
    EXPECT_EQ(addresses(fromOne.inactive), addresses(fromTwo.inactive));
    EXPECT_EQ(one.findObjectByIdInSameGroup(kHelloObj).active.size(),
              two.findObjectByIdInSameGroup(kHelloObj).active.size());
}

TEST_P(RegistryOnBackend, NodeThatStopsItsHeartbeatsTakesItsServersOutOfRouting) {
    ReservedPort port, nodePort;
    seed(*store, "node-a", port.port(), "inactive");
    auto& registry = startRegistry("nodeTimeout = 2");
    auto c = client(registry);

    ASSERT_EQ(c.registerNode("node-a", nodeInfo("node-a", nodePort.port()), LoadInfo{}), 0);
    ASSERT_EQ(c.updateServer("node-a", "TestApp", "HelloServer", state(ServerState::Active, 4321)), 0);
    EXPECT_TRUE(eventually([&] { return addresses(c.findObjectById(kHelloObj)) == Addresses{address(port.port())}; }));

    // No keepAlive from now on: after nodeTimeout (2 s) plus a reload the endpoint is inactive.
    EXPECT_TRUE(eventually([&] { return c.findObjectById4Any(kHelloObj).inactive.size() == 1; }, 10000));
    EXPECT_TRUE(c.findObjectById(kHelloObj).empty());
    EXPECT_TRUE(eventually([&] { return store->getNode("node-a")->presentState == "inactive"; }));
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "node-a"})->processId, 0);

    // The node comes back: heartbeat, then it reports its server again.
    ASSERT_EQ(c.keepAlive("node-a", LoadInfo{}), 0);
    ASSERT_EQ(c.updateServer("node-a", "TestApp", "HelloServer", state(ServerState::Active, 4322)), 0);
    EXPECT_TRUE(eventually([&] { return c.findObjectById(kHelloObj).size() == 1; }));
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryOnBackend, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

// ---------------------------------------------------------------- RegistryObj (embedded store)

class RegistryObj : public ::testing::Test {
protected:
    void SetUp() override {
        store = db.open();
        registry = std::make_unique<RegistryProcess>(db);
    }
    void start() { ASSERT_TRUE(registry->start()) << registry->process().output(); }
    RegistryClient client() const { return {registry->queryPort(), registry->registryPort()}; }

    TestDatabase db{"sqlite"};
    std::unique_ptr<RegistryStore> store;
    std::unique_ptr<RegistryProcess> registry;
};

TEST_F(RegistryObj, RegisteredNodeIsStoredAndUnknownNodesAreAskedToRegister) {
    start();
    auto c = client();
    ReservedPort nodePort;
    EXPECT_EQ(c.keepAlive("node-x", LoadInfo{}), 1);
    LoadInfo load;
    load.avg1 = 0.5f;
    ASSERT_EQ(c.registerNode("node-x", nodeInfo("node-x", nodePort.port()), load), 0);
    EXPECT_EQ(c.keepAlive("node-x", load), 0);

    auto node = store->getNode("node-x");
    ASSERT_TRUE(node);
    EXPECT_EQ(node->presentState, "active");
    EXPECT_EQ(node->endpointPort, nodePort.port());
    EXPECT_EQ(node->tarsVersion, "test");
    EXPECT_DOUBLE_EQ(node->loadAvg1, 0.5);
    EXPECT_GE(node->lastHeartbeat, now() - 60);
}

TEST_F(RegistryObj, LiveNodeNameCannotBeTakenByAnotherNodeObj) {
    start();
    auto c = client();
    ASSERT_EQ(c.registerNode("node-x", nodeInfo("node-x", 1111), LoadInfo{}), 0);
    EXPECT_EQ(c.registerNode("node-x", nodeInfo("node-x", 2222), LoadInfo{}), 1);
    EXPECT_EQ(c.registerNode("node-x", nodeInfo("node-x", 1111), LoadInfo{}), 0);
}

TEST_F(RegistryObj, UpdateServerTakesTheNodeNameFirstLikeTheStockNode) {
    seed(*store, "node-a", 20001, "inactive");
    start();
    auto c = client();
    EXPECT_EQ(c.updateServer("node-a", "TestApp", "HelloServer", state(ServerState::Activating, 77)), 0);
    auto server = store->getServer({"TestApp", "HelloServer", "node-a"});
    EXPECT_EQ(server->presentState, "activating");
    EXPECT_EQ(server->processId, 77);
    // In the IDL's own order the instance does not exist.
    EXPECT_EQ(c.updateServer("TestApp", "HelloServer", "node-a", state(ServerState::Active, 77)), -1);
}

TEST_F(RegistryObj, UpdateServerBatchSetsEveryReportedState) {
    seed(*store, "node-a", 20001, "inactive");
    seed(*store, "node-b", 20002, "inactive");
    start();
    auto c = client();
    ServerStateInfo a = state(ServerState::Active, 1);
    a.application = "TestApp";
    a.serverName = "HelloServer";
    a.nodeName = "node-a";
    ServerStateInfo b = a;
    b.nodeName = "node-b";
    b.serverState = ServerState::Deactivating;
    EXPECT_EQ(c.updateServerBatch({a, b}), 0);
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "node-a"})->presentState, "active");
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "node-b"})->presentState, "deactivating");
    EXPECT_TRUE(eventually([&] { return c.findObjectById(kHelloObj).size() == 1; }));
}

TEST_F(RegistryObj, DestroyedNodeTakesItsServersDown) {
    seed(*store, "node-a", 20001, "active");
    start();
    auto c = client();
    ASSERT_EQ(c.registerNode("node-a", nodeInfo("node-a", 1111), LoadInfo{}), 0);
    ASSERT_EQ(c.findObjectById(kHelloObj).size(), 1u);
    EXPECT_EQ(c.destroyNode("node-a"), 0);
    EXPECT_EQ(store->getNode("node-a")->presentState, "inactive");
    EXPECT_TRUE(eventually([&] { return c.findObjectById(kHelloObj).empty(); }));
}

TEST_F(RegistryObj, GetServersGivesTheNodesServersWithAdaptersAndMergedProfile) {
    store->upsertTemplate({"tars.default", "",
                           "<tars>\n<application>\n<client>\nasyncthread = 3\n"
                           "sync-invoke-timeout = 3000\n</client>\n</application>\n</tars>\n",
                           0, ""});
    store->upsertTemplate({"tars.cpp", "tars.default",
                           "<tars>\n<application>\n<client>\nsync-invoke-timeout = 5000\n</client>\n</application>\n"
                           "</tars>\n",
                           0, ""});
    ServerConf s;
    s.application = "TestApp";
    s.serverName = "HelloServer";
    s.nodeName = "node-a";
    s.settingState = "active";
    s.templateName = "tars.cpp";
    s.profile = "<tars>\n<application>\n<client>\nasyncthread = 7\n</client>\n</application>\n</tars>\n";
    s.enableSet = "Y";
    s.setName = "app";
    s.setArea = "sz";
    s.setGroup = "1";
    AdapterConf a;
    a.adapterName = "TestApp.HelloServer.HelloObjAdapter";
    a.servant = kHelloObj;
    a.endpoint = "tcp -h 127.0.0.1 -p 20001 -t 60000";
    a.threadNum = 5;
    store->deployServer(s, {a}, now());
    ServerConf dns = s;
    dns.serverName = "Dns";
    dns.serverType = "tars_dns";
    store->deployServer(dns, {}, now());
    ServerConf elsewhere = s;
    elsewhere.nodeName = "node-b";
    store->deployServer(elsewhere, {}, now());
    start();

    auto servers = client().getServers("", "", "node-a");
    ASSERT_TRUE(servers);
    ASSERT_EQ(servers->size(), 1u);
    const ServerDescriptor& d = servers->front();
    EXPECT_EQ(d.serverName, "HelloServer");
    EXPECT_EQ(d.settingState, "active");
    EXPECT_EQ(d.setId, "app.sz.1");
    EXPECT_EQ(d.asyncThreadNum, 7);
    ASSERT_EQ(d.adapters.count("TestApp.HelloServer.HelloObjAdapter"), 1u);
    EXPECT_EQ(d.adapters.at("TestApp.HelloServer.HelloObjAdapter").threadNum, "5");
    EXPECT_EQ(d.adapters.at("TestApp.HelloServer.HelloObjAdapter").servant, kHelloObj);
    TC_Config profile;
    profile.parseString(d.profile);
    EXPECT_EQ(profile.get("/tars/application/client<sync-invoke-timeout>"), "5000");  // child template wins
    EXPECT_EQ(profile.get("/tars/application/client<asyncthread>"), "7");             // the server's own wins
}

TEST_F(RegistryObj, NodeTemplateDefaultsToTheConfiguredTemplate) {
    store->upsertTemplate({"tars.tarsnode", "", "<tars>\n<node>\nkey = value\n</node>\n</tars>\n", 0, ""});
    start();
    auto profile = client().getNodeTemplate("node-a");
    ASSERT_TRUE(profile);
    TC_Config config;
    config.parseString(*profile);
    EXPECT_EQ(config.get("/tars/node<key>"), "value");
}

TEST_F(RegistryObj, ClientIpIsTheCallersAddress) {
    start();
    EXPECT_EQ(client().getClientIp().value_or(""), "127.0.0.1");
}

TEST_F(RegistryObj, CallerGroupComesFromTheContextNodeName) {
    GroupRule sz;
    sz.groupName = "sz";
    sz.allowIpRule = "10.0.0.*";
    int szId = store->upsertGroupRule(sz);
    ServerConf grouped;
    grouped.application = "TestApp";
    grouped.serverName = "HelloServer";
    grouped.nodeName = "node-sz";
    grouped.settingState = "active";
    grouped.presentState = "active";
    grouped.enableGroup = "Y";
    grouped.ipGroupName = "sz";
    AdapterConf a;
    a.adapterName = "A";
    a.servant = kHelloObj;
    a.endpoint = "tcp -h 127.0.0.1 -p 20001";
    store->deployServer(grouped, {a}, now());
    seed(*store, "node-other", 20002, "active");
    start();
    auto c = client();

    QueryAnswer fromSz = c.findObjectByIdInSameGroup(kHelloObj, {{"node_name", "10.0.0.8"}});
    EXPECT_EQ(addresses(fromSz.active), Addresses{"127.0.0.1:20001"});
    ASSERT_EQ(fromSz.active.size(), 1u);
    EXPECT_EQ(fromSz.active[0].groupworkid, szId);
    EXPECT_EQ(c.findObjectById4All(kHelloObj, {{"node_name", "10.0.0.8"}}).active.size(), 1u);
    // The loopback caller is in no group: every endpoint.
    EXPECT_EQ(c.findObjectByIdInSameGroup(kHelloObj).active.size(), 2u);
    EXPECT_EQ(c.findObjectByIdInSameStation(kHelloObj, "nowhere").ret, -1);
    EXPECT_EQ(c.findObjectByIdInSameSet(kHelloObj, "bad").ret, -1);
}

TEST_F(RegistryObj, EnterpriseOnlyCallsAnswerMinusOne) {
    start();
    EXPECT_EQ(client().registerChange(), -1);
}

TEST_F(RegistryObj, UnreachableDatabaseStopsTheRegistryNamingTheBackend) {
    int status = registry->runWithDbSection(
        "<db>\n  dbtype = mysql\n  dbhost = 127.0.0.1\n  dbport = 1\n  dbuser = root\n  dbtimeout = 2\n</db>\n");
    EXPECT_EQ(status, 1);
    EXPECT_NE(registry->process().output().find("mysql store: open mysql:root@127.0.0.1:1/db_tars: "),
              std::string::npos)
        << registry->process().output();
}

TEST_F(RegistryObj, MalformedReapValueStopsTheRegistryNamingTheKey) {
    int status = registry->runWithDbSection(db.configSection(), "nodeTimeout = soon");
    EXPECT_EQ(status, 1);
    EXPECT_NE(registry->process().output().find("bad value 'soon' for /tars/reap<nodeTimeout>"), std::string::npos)
        << registry->process().output();
}

// ---------------------------------------------------------------- as a client's locator

TEST(RegistryAsLocator, ClientCallsAServerItFoundThroughTheRegistry) {
    TestDatabase db("sqlite");
    auto store = db.open();
    ReservedPort helloPort, helloAdmin;
    ServerProcess hello(HELLO_SERVER_PATH);
    AdapterSpec adapter;
    adapter.name = "TestApp.HelloServer.HelloObjAdapter";
    adapter.servant = kHelloObj;
    adapter.port = helloPort.port();
    hello.writeConfig(makeConfig("TestApp", "HelloServer", helloAdmin.port(), {adapter}));
    ASSERT_TRUE(hello.start({helloPort.port()})) << hello.output();
    seed(*store, "127.0.0.1", helloPort.port(), "active");
    RegistryProcess registry(db);
    ASSERT_TRUE(registry.start()) << registry.process().output();

    // An ordinary client: only the locator is configured; objects are bare names.
    Communicator comm;
    comm.setProperty("locator", "tars.tarsregistry.QueryObj@" + registry.queryEndpoint());
    auto prx = comm.stringToProxy<TestApp::HelloPrx>(kHelloObj);
    std::string rsp;
    EXPECT_EQ(prx->testHello("through the registry", rsp), 0);
    EXPECT_EQ(rsp, "through the registry");

    // The registry's own QueryObj resolves through itself as well.
    auto query = comm.stringToProxy<QueryFPrx>("tars.tarsregistry.QueryObj");
    EXPECT_EQ(addresses(query->findObjectById(kHelloObj)), Addresses{address(helloPort.port())});
}

// An ssl endpoint in the registry is published with istcp = 2, and a client that resolves
// the object by name connects with TLS (verifying the certificate against its ca).
TEST(RegistryTls, SslEndpointsArePublishedAndCalledWithTls) {
    auto cert = [](const std::string& name) { return std::string(TLS_CERT_DIR) + "/" + name; };
    TestDatabase db("sqlite");
    auto store = db.open();
    ReservedPort helloPort, helloAdmin;
    ServerProcess hello(HELLO_SERVER_PATH);
    AdapterSpec adapter;
    adapter.name = "TestApp.HelloServer.HelloObjAdapter";
    adapter.servant = kHelloObj;
    adapter.port = helloPort.port();
    adapter.transport = "ssl";
    hello.writeConfig(makeConfig("TestApp", "HelloServer", helloAdmin.port(), {adapter},
                                 "cert=" + cert("server.pem") + "\nkey=" + cert("server.key") + "\n"));
    ASSERT_TRUE(hello.start({helloAdmin.port()})) << hello.output();
    seed(*store, "127.0.0.1", helloPort.port(), "active", "HelloServer", "ssl");
    RegistryProcess registry(db);
    ASSERT_TRUE(registry.start()) << registry.process().output();

    Communicator comm;
    comm.setProperty("locator", "tars.tarsregistry.QueryObj@" + registry.queryEndpoint());
    comm.setProperty("ca", cert("ca.pem"));
    auto query = comm.stringToProxy<QueryFPrx>("tars.tarsregistry.QueryObj");
    auto found = query->findObjectById(kHelloObj);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].istcp, 2);
    auto prx = comm.stringToProxy<TestApp::HelloPrx>(kHelloObj);
    std::string rsp;
    EXPECT_EQ(prx->testHello("by name over TLS", rsp), 0);
    EXPECT_EQ(rsp, "by name over TLS");
    EXPECT_GE(waitForStatus(helloAdmin.port(), "TestApp.HelloServer.HelloObjAdapter", "tls.handshakes", 1), 1);
}

}  // namespace
