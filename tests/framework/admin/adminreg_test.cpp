// AdminRegObj of a real tarsregistry process, called through the generated proxy over
// TCP on loopback, with the store checked directly and a FakeNode standing in for
// tarsnode. The backend-parameterised cases run on the embedded SQLite file and, with
// TARS_TEST_MYSQL, on MariaDB.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <functional>
#include <memory>

#include "AdminReg.h"
#include "AdminTestSupport.h"
#include "RegistryTestSupport.h"

using namespace tars;
using namespace tars::test;

namespace {

const std::string kApp = "TestApp";
const std::string kServer = "HelloServer";
const std::string kHelloObj = "TestApp.HelloServer.HelloObj";

adminreg::ServerConf helloConf(const std::string& node, const std::string& setting = "active") {
    adminreg::ServerConf conf;
    conf.application = kApp;
    conf.serverName = kServer;
    conf.nodeName = node;
    conf.settingState = setting;
    conf.exePath = "/opt/hello/HelloServer";
    return conf;
}

adminreg::AdapterConf helloAdapter(int port, const std::string& host = "127.0.0.1",
                                   const std::string& name = "TestApp.HelloServer.HelloObjAdapter",
                                   const std::string& servant = kHelloObj) {
    adminreg::AdapterConf conf;
    conf.adapterName = name;
    conf.endpoint = "tcp -h " + host + " -p " + std::to_string(port) + " -t 60000";
    conf.servant = servant;
    conf.threadNum = 2;
    return conf;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool hasCall(const FakeNode& node, const std::string& call) {
    auto calls = node.calls();
    return std::find(calls.begin(), calls.end(), call) != calls.end();
}

class AdminRegOnBackend : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db = std::make_unique<TestDatabase>(GetParam());
        if (!db->available()) GTEST_SKIP() << db->skipReason();
        store = db->open();
        registry = std::make_unique<RegistryProcess>(*db);
        ASSERT_TRUE(registry->start()) << registry->process().output();
        communicator = std::make_shared<Communicator>();
        admin = communicator->stringToProxy<adminreg::AdminRegPrx>(registry->adminRegObj());
        admin->tars_set_timeout(30000);
    }
    void TearDown() override {
        admin.reset();
        communicator.reset();
        registry.reset();
        store.reset();
        db.reset();
    }

    // A running FakeNode registered under name.
    FakeNode& startNode(const std::string& name = "127.0.0.1", const std::string& failing = "",
                        const std::string& endpointIp = "127.0.0.1") {
        nodes.push_back(std::make_unique<FakeNode>(name, failing));
        EXPECT_TRUE(nodes.back()->start()) << nodes.back()->process().output();
        nodes.back()->registerIn(*store, endpointIp);
        return *nodes.back();
    }

    int deploy(const adminreg::ServerConf& conf, const std::vector<adminreg::AdapterConf>& adapters,
               std::string& result) {
        return admin->deployServer(conf, adapters, result);
    }

    std::unique_ptr<TestDatabase> db;
    std::unique_ptr<RegistryStore> store;
    std::unique_ptr<RegistryProcess> registry;
    std::vector<std::unique_ptr<FakeNode>> nodes;
    std::shared_ptr<Communicator> communicator;
    adminreg::AdminRegPrx admin;
};

// ---------------------------------------------------------------- deployment

TEST_P(AdminRegOnBackend, DeployServerStoresTheInstanceAndExactlyItsAdapters) {
    ReservedPort a, b;
    std::string result;
    auto second =
        helloAdapter(b.port(), "127.0.0.1", "TestApp.HelloServer.SecondAdapter", "TestApp.HelloServer.SecondObj");
    ASSERT_EQ(deploy(helloConf("node-a"), {helloAdapter(a.port()), second}, result), 0) << result;

    auto server = store->getServer({kApp, kServer, "node-a"});
    ASSERT_TRUE(server);
    EXPECT_EQ(server->settingState, "active");
    EXPECT_EQ(server->templateName, "tars.default");  // none given
    EXPECT_EQ(server->exePath, "/opt/hello/HelloServer");
    EXPECT_EQ(store->listAdapters({kApp, kServer, "node-a"}).size(), 2u);

    // Deployed again with one adapter: the other one is gone.
    ASSERT_EQ(deploy(helloConf("node-a", "inactive"), {helloAdapter(a.port())}, result), 0) << result;
    auto adapters = store->listAdapters({kApp, kServer, "node-a"});
    ASSERT_EQ(adapters.size(), 1u);
    EXPECT_EQ(adapters[0].servant, kHelloObj);
    EXPECT_EQ(adapters[0].threadNum, 2);
    EXPECT_EQ(store->getServer({kApp, kServer, "node-a"})->settingState, "inactive");
}

TEST_P(AdminRegOnBackend, DeployOnAnUnknownNodeIsStoredAndTheResultSaysSo) {
    ReservedPort port;
    std::string result;
    EXPECT_EQ(deploy(helloConf("node-x"), {helloAdapter(port.port())}, result), 0);
    EXPECT_TRUE(contains(result, "node node-x is not registered")) << result;
    EXPECT_TRUE(contains(result, "when it registers")) << result;
    EXPECT_TRUE(store->getServer({kApp, kServer, "node-x"}));
}

TEST_P(AdminRegOnBackend, DeployOnAnUnreachableNodeIsStoredAndTheResultSaysSo) {
    ReservedPort nobodyListens, port;
    NodeRecord node;
    node.nodeName = "node-down";
    node.nodeObj = "tars.tarsnode.NodeObj@tcp -h 127.0.0.1 -p " + std::to_string(nobodyListens.port());
    node.endpointIp = "127.0.0.1";
    node.presentState = "active";
    store->upsertNode(node);
    std::string result;
    EXPECT_EQ(deploy(helloConf("node-down"), {helloAdapter(port.port())}, result), 0);
    EXPECT_TRUE(contains(result, "did not answer loadServer")) << result;
    EXPECT_TRUE(store->getServer({kApp, kServer, "node-down"}));
}

TEST_P(AdminRegOnBackend, DeployAsksTheNodeToLoadTheServer) {
    auto& node = startNode("127.0.0.1");
    ReservedPort port;
    std::string result;
    ASSERT_EQ(deploy(helloConf("127.0.0.1"), {helloAdapter(port.port())}, result), 0) << result;
    EXPECT_TRUE(contains(result, "node 127.0.0.1 loaded it")) << result;
    EXPECT_TRUE(hasCall(node, "loadServer TestApp.HelloServer"));
}

TEST_P(AdminRegOnBackend, NodeThatFailsToLoadIsReportedButTheDeploymentStays) {
    startNode("127.0.0.1", "loadServer");
    ReservedPort port;
    std::string result;
    EXPECT_EQ(deploy(helloConf("127.0.0.1"), {helloAdapter(port.port())}, result), -6);
    EXPECT_TRUE(contains(result, "fake failure of loadServer")) << result;
    EXPECT_TRUE(store->getServer({kApp, kServer, "127.0.0.1"}));
}

TEST_P(AdminRegOnBackend, LocalipEndpointsGetTheNodesRegisteredIp) {
    startNode("node-a", "", "10.1.2.3");
    ReservedPort p1, p2, p3;
    std::string result;
    auto second =
        helloAdapter(p2.port(), "${localip}", "TestApp.HelloServer.SecondAdapter", "TestApp.HelloServer.SecondObj");
    ASSERT_EQ(deploy(helloConf("node-a"), {helloAdapter(p1.port(), "localip"), second}, result), 0) << result;
    for (const auto& adapter : store->listAdapters({kApp, kServer, "node-a"})) {
        EXPECT_TRUE(contains(adapter.endpoint, "-h 10.1.2.3 ")) << adapter.endpoint;
    }
    // An unknown node named by its IP: that IP.
    ASSERT_EQ(deploy(helloConf("10.9.9.9"), {helloAdapter(p3.port(), "localip")}, result), 0) << result;
    auto adapters = store->listAdapters({kApp, kServer, "10.9.9.9"});
    ASSERT_EQ(adapters.size(), 1u);
    EXPECT_TRUE(contains(adapters[0].endpoint, "-h 10.9.9.9 ")) << adapters[0].endpoint;
    // An unknown node without an IP for a name: refused, naming the node.
    EXPECT_EQ(deploy(helloConf("node-x"), {helloAdapter(p3.port(), "localip")}, result), -1);
    EXPECT_TRUE(contains(result, "node-x")) << result;
    EXPECT_FALSE(store->getServer({kApp, kServer, "node-x"}));
}

TEST_P(AdminRegOnBackend, InvalidDeploymentsAreRefusedWithTheReasonAndChangeNothing) {
    ReservedPort port, other;
    struct Case {
        const char* name;
        std::function<void(adminreg::ServerConf&, std::vector<adminreg::AdapterConf>&)> spoil;
        const char* reason;
    };
    const std::vector<Case> cases = {
        {"empty application", [](auto& s, auto&) { s.application = ""; }, "application is empty"},
        {"dotted server", [](auto& s, auto&) { s.serverName = "Hello.Server"; }, "server name 'Hello.Server'"},
        {"empty node", [](auto& s, auto&) { s.nodeName = ""; }, "node name is empty"},
        {"bad setting", [](auto& s, auto&) { s.settingState = "running"; }, "setting state 'running'"},
        {"unknown template", [](auto& s, auto&) { s.templateName = "no.such"; }, "template 'no.such' does not exist"},
        {"relative exe", [](auto& s, auto&) { s.exePath = "bin/HelloServer"; }, "exePath 'bin/HelloServer'"},
        {"bad server type", [](auto& s, auto&) { s.serverType = "cobol"; }, "server type 'cobol'"},
        {"servant of another server", [](auto&, auto& a) { a[0].servant = "TestApp.Other.HelloObj"; },
         "must start with 'TestApp.HelloServer.'"},
        {"bad endpoint", [](auto&, auto& a) { a[0].endpoint = "tcp -h 127.0.0.1"; }, "missing -p port"},
        {"no threads", [](auto&, auto& a) { a[0].threadNum = 0; }, "threadNum 0"},
        {"bad adapter name", [](auto&, auto& a) { a[0].adapterName = "a b"; }, "adapter name 'a b'"},
        {"same port twice",
         [&](auto&, auto& a) {
             a.push_back(helloAdapter(port.port(), "127.0.0.1", "Second", "TestApp.HelloServer.Second"));
         },
         "both listen on port"},
        {"same servant twice", [&](auto&, auto& a) { a.push_back(helloAdapter(other.port(), "127.0.0.1", "Second")); },
         "both serve TestApp.HelloServer.HelloObj"},
    };
    for (const auto& c : cases) {
        auto conf = helloConf("node-a");
        std::vector<adminreg::AdapterConf> adapters = {helloAdapter(port.port())};
        c.spoil(conf, adapters);
        std::string result;
        EXPECT_EQ(deploy(conf, adapters, result), -1) << c.name;
        EXPECT_TRUE(contains(result, c.reason)) << c.name << ": " << result;
    }
    EXPECT_TRUE(store->listServers().empty());
}

TEST_P(AdminRegOnBackend, APortAnotherInstanceOfTheNodeListensOnIsRefused) {
    ReservedPort port;
    std::string result;
    ASSERT_EQ(deploy(helloConf("node-a"), {helloAdapter(port.port())}, result), 0) << result;
    auto other = helloConf("node-a");
    other.serverName = "OtherServer";
    EXPECT_EQ(deploy(other, {helloAdapter(port.port(), "0.0.0.0", "OtherAdapter", "TestApp.OtherServer.Obj")}, result),
              -1);
    EXPECT_TRUE(contains(result, "is used by TestApp.HelloServer.HelloObj")) << result;
    // Another node may use it.
    other.nodeName = "node-b";
    EXPECT_EQ(
        deploy(other, {helloAdapter(port.port(), "127.0.0.1", "OtherAdapter", "TestApp.OtherServer.Obj")}, result), 0)
        << result;
}

TEST_P(AdminRegOnBackend, InsertServerConfAndAdapterConfHonourReplace) {
    std::map<std::string, std::string> context;
    ASSERT_EQ(admin->insertServerConf(helloConf("node-a"), false, {}, &context), 0) << context["result"];
    EXPECT_EQ(admin->insertServerConf(helloConf("node-a"), false, {}, &context), -3);
    EXPECT_TRUE(contains(context["result"], "exists")) << context["result"];

    ReservedPort port;
    EXPECT_EQ(admin->insertAdapterConf(kApp, "NoServer", "node-a", helloAdapter(port.port()), false, {}, &context), -2);
    EXPECT_TRUE(contains(context["result"], "TestApp.NoServer on node-a is not deployed")) << context["result"];
    ASSERT_EQ(admin->insertAdapterConf(kApp, kServer, "node-a", helloAdapter(port.port()), false, {}, &context), 0)
        << context["result"];
    EXPECT_EQ(admin->insertAdapterConf(kApp, kServer, "node-a", helloAdapter(port.port()), false, {}, &context), -3);

    auto changed = helloAdapter(port.port());
    changed.threadNum = 7;
    ASSERT_EQ(admin->insertAdapterConf(kApp, kServer, "node-a", changed, true, {}, &context), 0) << context["result"];
    // Replacing the server's row keeps its adapters.
    auto conf = helloConf("node-a", "inactive");
    ASSERT_EQ(admin->insertServerConf(conf, true, {}, &context), 0) << context["result"];
    EXPECT_EQ(store->getServer({kApp, kServer, "node-a"})->settingState, "inactive");
    auto adapters = store->listAdapters({kApp, kServer, "node-a"});
    ASSERT_EQ(adapters.size(), 1u);
    EXPECT_EQ(adapters[0].threadNum, 7);
}

// ---------------------------------------------------------------- listing and state

TEST_P(AdminRegOnBackend, ListsEveryInstanceAndNode) {
    auto& node = startNode("127.0.0.1");
    ReservedPort a, b;
    std::string result;
    ASSERT_EQ(deploy(helloConf("127.0.0.1"), {helloAdapter(a.port())}, result), 0) << result;
    ASSERT_EQ(deploy(helloConf("node-b", "inactive"), {helloAdapter(b.port())}, result), 0) << result;
    ASSERT_TRUE(store->updateServerState({kApp, kServer, "127.0.0.1"}, "active", 777, ::time(nullptr)));

    auto ids = admin->getAllServerIds(result);
    std::sort(ids.begin(), ids.end());
    ASSERT_EQ(ids.size(), 2u);
    // TARS's five columns, then the patch version and the set (extensions).
    EXPECT_EQ(ids[0],
              (std::vector<std::string>{"TestApp.HelloServer", "127.0.0.1", "active", "active", "777", "", ""}));
    EXPECT_EQ(ids[1], (std::vector<std::string>{"TestApp.HelloServer", "node-b", "inactive", "inactive", "0", "", ""}));
    EXPECT_EQ(admin->getAllNodeNames(result), std::vector<std::string>{node.name()});
}

TEST_P(AdminRegOnBackend, ListNodesGivesStateHeartbeatLoadAndVersion) {
    auto& node = startNode("127.0.0.1");
    const int64_t before = static_cast<int64_t>(::time(nullptr));
    ASSERT_TRUE(store->nodeHeartbeat(node.name(), before, 0.5, 0.25, 0.125));
    NodeRecord idle;
    idle.nodeName = "node-idle";
    idle.nodeObj = "tars.tarsnode.NodeObj@tcp -h 127.0.0.2 -p 19385";
    idle.endpointIp = "127.0.0.2";
    idle.endpointPort = 19385;
    idle.tarsVersion = "1.2.3";
    idle.lastHeartbeat = before - 3600;
    store->upsertNode(idle);

    std::vector<adminreg::NodeDesc> nodes;
    std::string result;
    ASSERT_EQ(admin->listNodes(nodes, result), 0) << result;
    EXPECT_EQ(result, "2 nodes");
    ASSERT_EQ(nodes.size(), 2u);
    auto byName = [&](const std::string& name) {
        auto it = std::find_if(nodes.begin(), nodes.end(), [&](const auto& n) { return n.nodeName == name; });
        return it == nodes.end() ? adminreg::NodeDesc{} : *it;
    };
    auto live = byName(node.name());
    EXPECT_EQ(live.presentState, "active");
    EXPECT_EQ(live.lastHeartbeat, before);
    EXPECT_DOUBLE_EQ(live.loadAvg1, 0.5);
    EXPECT_DOUBLE_EQ(live.loadAvg5, 0.25);
    EXPECT_DOUBLE_EQ(live.loadAvg15, 0.125);
    EXPECT_EQ(live.endpointIp, "127.0.0.1");
    EXPECT_EQ(live.nodeObj, node.nodeObj());
    EXPECT_GE(live.now, before);
    auto other = byName("node-idle");
    EXPECT_EQ(other.presentState, "inactive");
    EXPECT_EQ(other.tarsVersion, "1.2.3");
    EXPECT_EQ(other.endpointPort, 19385);
    EXPECT_EQ(other.lastHeartbeat, before - 3600);
    // The TARS-compatible listing is unchanged.
    auto names = admin->getAllNodeNames(result);
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{node.name(), "node-idle"}));
}

TEST_P(AdminRegOnBackend, ServerStateCombinesTheStoreAndTheNode) {
    startNode("127.0.0.1");
    ReservedPort a, b;
    std::string result;
    ASSERT_EQ(deploy(helloConf("127.0.0.1"), {helloAdapter(a.port())}, result), 0) << result;
    adminreg::ServerStateDesc state;
    ASSERT_EQ(admin->getServerState(kApp, kServer, "127.0.0.1", state, result), 0) << result;
    EXPECT_EQ(state.settingStateInReg, "active");
    EXPECT_EQ(state.presentStateInReg, "inactive");
    EXPECT_EQ(state.presentStateInNode, "active");
    EXPECT_EQ(state.processId, 4242);

    // No node: its part is unknown, and the result says why.
    ASSERT_EQ(deploy(helloConf("node-x"), {helloAdapter(b.port())}, result), 0) << result;
    ASSERT_EQ(admin->getServerState(kApp, kServer, "node-x", state, result), 0) << result;
    EXPECT_EQ(state.presentStateInNode, "unknown");
    EXPECT_TRUE(contains(result, "node node-x is not registered")) << result;

    EXPECT_EQ(admin->getServerState(kApp, "NoServer", "node-x", state, result), -2);
}

// ---------------------------------------------------------------- commands

TEST_P(AdminRegOnBackend, StartAndStopSetTheSettingStateAndForwardToTheNode) {
    auto& node = startNode("127.0.0.1");
    ReservedPort port;
    std::string result;
    ASSERT_EQ(deploy(helloConf("127.0.0.1", "inactive"), {helloAdapter(port.port())}, result), 0) << result;

    ASSERT_EQ(admin->startServer(kApp, kServer, "127.0.0.1", result), 0) << result;
    EXPECT_EQ(store->getServer({kApp, kServer, "127.0.0.1"})->settingState, "active");
    EXPECT_TRUE(hasCall(node, "startServer TestApp.HelloServer"));
    EXPECT_EQ(result, "fake startServer done");

    ASSERT_EQ(admin->stopServer(kApp, kServer, "127.0.0.1", result), 0) << result;
    EXPECT_EQ(store->getServer({kApp, kServer, "127.0.0.1"})->settingState, "inactive");
    EXPECT_TRUE(hasCall(node, "stopServer TestApp.HelloServer"));

    ASSERT_EQ(admin->loadServer(kApp, kServer, "127.0.0.1", result), 0) << result;
    EXPECT_TRUE(hasCall(node, "loadServer TestApp.HelloServer"));
}

TEST_P(AdminRegOnBackend, RestartStopsThenStarts) {
    auto& node = startNode("127.0.0.1");
    ReservedPort port;
    std::string result;
    ASSERT_EQ(deploy(helloConf("127.0.0.1"), {helloAdapter(port.port())}, result), 0) << result;
    ASSERT_EQ(admin->restartServer(kApp, kServer, "127.0.0.1", result), 0) << result;
    auto calls = node.calls();
    auto stop = std::find(calls.begin(), calls.end(), "stopServer TestApp.HelloServer");
    auto start = std::find(calls.begin(), calls.end(), "startServer TestApp.HelloServer");
    ASSERT_NE(stop, calls.end());
    ASSERT_NE(start, calls.end());
    EXPECT_LT(stop - calls.begin(), start - calls.begin());
    EXPECT_EQ(store->getServer({kApp, kServer, "127.0.0.1"})->settingState, "active");
}

TEST_P(AdminRegOnBackend, ANodesFailureAndAnUnknownInstanceAreReported) {
    startNode("127.0.0.1", "stopServer");
    ReservedPort port;
    std::string result;
    ASSERT_EQ(deploy(helloConf("127.0.0.1"), {helloAdapter(port.port())}, result), 0) << result;
    EXPECT_EQ(admin->stopServer(kApp, kServer, "127.0.0.1", result), -6);
    EXPECT_TRUE(contains(result, "fake failure of stopServer")) << result;
    // The operator's wish is recorded all the same: the node must not restart it.
    EXPECT_EQ(store->getServer({kApp, kServer, "127.0.0.1"})->settingState, "inactive");

    EXPECT_EQ(admin->startServer(kApp, "NoServer", "127.0.0.1", result), -2);
    EXPECT_TRUE(contains(result, "TestApp.NoServer on 127.0.0.1 is not deployed")) << result;
    EXPECT_EQ(admin->startServer("", kServer, "127.0.0.1", result), -1);
    EXPECT_TRUE(contains(result, "application is empty")) << result;

    // A deployed instance whose node is unknown: unreachable.
    ASSERT_EQ(deploy(helloConf("node-x"), {helloAdapter(port.port())}, result), 0) << result;
    EXPECT_EQ(admin->startServer(kApp, kServer, "node-x", result), -5);
    EXPECT_TRUE(contains(result, "node node-x is not registered")) << result;
}

TEST_P(AdminRegOnBackend, NotifyReturnsTheNodesText) {
    auto& node = startNode("127.0.0.1");
    ReservedPort port;
    std::string result;
    ASSERT_EQ(deploy(helloConf("127.0.0.1"), {helloAdapter(port.port())}, result), 0) << result;
    ASSERT_EQ(admin->notifyServer(kApp, kServer, "127.0.0.1", "tars.setloglevel INFO", result), 0) << result;
    EXPECT_EQ(result, "fake notified: tars.setloglevel INFO");
    EXPECT_TRUE(hasCall(node, "notifyServer TestApp.HelloServer tars.setloglevel INFO"));
    EXPECT_EQ(admin->notifyServer(kApp, kServer, "127.0.0.1", "  ", result), -1);
    EXPECT_TRUE(contains(result, "command is empty")) << result;
}

TEST_P(AdminRegOnBackend, UndeployStopsDestroysAndDeletesWithALogOfEachStep) {
    auto& node = startNode("127.0.0.1");
    ReservedPort port;
    std::string result;
    ASSERT_EQ(deploy(helloConf("127.0.0.1"), {helloAdapter(port.port())}, result), 0) << result;
    std::string log;
    ASSERT_EQ(admin->undeploy(kApp, kServer, "127.0.0.1", "tester", log), 0) << log;
    EXPECT_TRUE(contains(log, "setting state: inactive")) << log;
    EXPECT_TRUE(contains(log, "stop on node: ok")) << log;
    EXPECT_TRUE(contains(log, "destroy on node: ok")) << log;
    EXPECT_TRUE(contains(log, "deleted from the store with 1 adapter")) << log;
    EXPECT_TRUE(hasCall(node, "stopServer TestApp.HelloServer"));
    EXPECT_TRUE(hasCall(node, "destroyServer TestApp.HelloServer"));
    EXPECT_FALSE(store->getServer({kApp, kServer, "127.0.0.1"}));
    EXPECT_TRUE(store->listAdapters({kApp, kServer, "127.0.0.1"}).empty());

    EXPECT_EQ(admin->undeploy(kApp, kServer, "127.0.0.1", "tester", log), -2);
}

// ---------------------------------------------------------------- config files

TEST_P(AdminRegOnBackend, ConfigFilesAreStoredPerApplicationServerAndHost) {
    std::map<std::string, std::string> context;
    ASSERT_EQ(admin->insertConfigFile("TestApp", "app.conf", "a=1", "", 1, false, {}, &context), 0)
        << context["result"];
    ASSERT_EQ(admin->insertConfigFile("TestApp.HelloServer", "hello.conf", "b=2", "", 2, false, {}, &context), 0)
        << context["result"];
    ASSERT_EQ(admin->insertConfigFile("TestApp.HelloServer", "hello.conf", "b=3", "node-a", 3, false, {}, &context), 0)
        << context["result"];

    auto app = store->listConfigFiles({"TestApp", "app.conf", "", 1});
    ASSERT_EQ(app.size(), 1u);
    EXPECT_EQ(app[0].config, "a=1");
    auto server = store->listConfigFiles({"TestApp.HelloServer", "hello.conf", "", 0});
    ASSERT_EQ(server.size(), 2u);
    auto host = std::find_if(server.begin(), server.end(), [](const ConfigFile& f) { return f.level == 3; });
    ASSERT_NE(host, server.end());
    EXPECT_EQ(host->host, "node-a");
    EXPECT_EQ(host->config, "b=3");

    // replace = false keeps what is there; true replaces it.
    EXPECT_EQ(admin->insertConfigFile("TestApp.HelloServer", "hello.conf", "b=4", "", 2, false, {}, &context), -3);
    ASSERT_EQ(admin->insertConfigFile("TestApp.HelloServer", "hello.conf", "b=4", "", 2, true, {}, &context), 0);
    auto replaced = store->listConfigFiles({"TestApp.HelloServer", "hello.conf", "", 2});
    ASSERT_FALSE(replaced.empty());
    EXPECT_EQ(std::count_if(replaced.begin(), replaced.end(), [](const ConfigFile& f) { return f.config == "b=4"; }),
              1);

    EXPECT_EQ(admin->insertConfigFile("TestApp", "x.conf", "", "", 4, true, {}, &context), -1);
    EXPECT_TRUE(contains(context["result"], "level 4")) << context["result"];
    EXPECT_EQ(admin->insertConfigFile("TestApp", "x.conf", "", "", 2, true, {}, &context), -1);
    EXPECT_TRUE(contains(context["result"], "needs App.Server")) << context["result"];
    EXPECT_EQ(admin->insertConfigFile("TestApp.HelloServer", "x.conf", "", "", 3, true, {}, &context), -1);
    EXPECT_TRUE(contains(context["result"], "node name is empty")) << context["result"];
    EXPECT_EQ(admin->insertConfigFile("TestApp.HelloServer", "../x.conf", "", "", 2, true, {}, &context), -1);
}

TEST_P(AdminRegOnBackend, ConfigFilesAreListedReadAndDeletedByLevel) {
    std::map<std::string, std::string> context;
    ASSERT_EQ(admin->insertConfigFile("TestApp", "app.conf", "a=1", "", 1, false, {}, &context), 0);
    ASSERT_EQ(admin->insertConfigFile("TestApp.HelloServer", "hello.conf", "b=2", "", 2, false, {}, &context), 0);
    ASSERT_EQ(admin->insertConfigFile("TestApp.HelloServer", "hello.conf", "b=3", "node-a", 3, false, {}, &context), 0);

    std::vector<adminreg::ConfigFileDesc> files;
    std::string result;
    ASSERT_EQ(admin->listConfigFiles("TestApp.HelloServer", "", 0, files, result), 0) << result;
    ASSERT_EQ(files.size(), 2u);  // the server's file and the host's copy, not the application's
    EXPECT_EQ(files[0].level + files[1].level, 5);
    for (const auto& f : files) EXPECT_EQ(f.size, 3);
    files.clear();
    ASSERT_EQ(admin->listConfigFiles("TestApp", "", 0, files, result), 0) << result;
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].fileName, "app.conf");
    files.clear();
    ASSERT_EQ(admin->listConfigFiles("TestApp.HelloServer", "node-a", 3, files, result), 0) << result;
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].host, "node-a");

    std::string content;
    ASSERT_EQ(admin->getConfigFile("TestApp.HelloServer", "hello.conf", "node-a", 3, content, result), 0) << result;
    EXPECT_EQ(content, "b=3");
    ASSERT_EQ(admin->getConfigFile("TestApp.HelloServer", "hello.conf", "", 2, content, result), 0) << result;
    EXPECT_EQ(content, "b=2");
    EXPECT_EQ(admin->getConfigFile("TestApp.HelloServer", "nope.conf", "", 2, content, result), -2);
    EXPECT_EQ(admin->getConfigFile("TestApp", "app.conf", "", 2, content, result), -1);  // level 2 needs App.Server
    EXPECT_TRUE(contains(result, "needs App.Server")) << result;

    ASSERT_EQ(admin->deleteConfigFile("TestApp.HelloServer", "hello.conf", "", 2, result), 0) << result;
    EXPECT_TRUE(store->listConfigFiles({"TestApp.HelloServer", "hello.conf", "", 2}).empty());
    EXPECT_EQ(store->listConfigFiles({"TestApp.HelloServer", "hello.conf", "node-a", 3}).size(), 1u);
    EXPECT_EQ(admin->deleteConfigFile("TestApp.HelloServer", "hello.conf", "", 2, result), -2);
}

// ---------------------------------------------------------------- the registry around it

TEST_P(AdminRegOnBackend, DefaultTemplatesAreSeeded) {
    auto server = store->getTemplate("tars.default");
    ASSERT_TRUE(server);
    EXPECT_TRUE(contains(server->profile, "locator = ${locator}")) << server->profile;
    EXPECT_TRUE(contains(server->profile, "sync-invoke-timeout = 3000")) << server->profile;
    auto node = store->getTemplate("tars.tarsnode");
    ASSERT_TRUE(node);
    EXPECT_TRUE(contains(node->profile, "<keepalive>")) << node->profile;
}

TEST_P(AdminRegOnBackend, AdminRegObjIsFoundThroughTheLocator) {
    RegistryClient client(registry->queryPort(), registry->registryPort());
    EXPECT_TRUE(eventually([&] {
        auto found = addresses(client.findObjectById("tars.tarsregistry.AdminRegObj"));
        return found == std::vector<std::string>{"127.0.0.1:" + std::to_string(registry->adminRegPort())};
    }));
}

// ---------------------------------------------------------------- versions

TEST_P(AdminRegOnBackend, VersionsAreRecordedCheckedAndListedNewestFirst) {
    adminreg::ServerPatchDesc v1;
    v1.application = "TestApp";
    v1.serverName = "HelloServer";
    v1.version = "v1";
    v1.tgz = "tars.upload/TestApp.HelloServer/v1.tgz";
    v1.md5 = std::string(32, 'A');
    v1.size = 1234;
    v1.comment = "first";
    v1.uploadUser = "alice";
    std::string result;
    ASSERT_EQ(admin->addServerPatch(v1, result), 0) << result;
    EXPECT_TRUE(contains(result, "recorded version v1 of TestApp.HelloServer")) << result;
    adminreg::ServerPatchDesc v2 = v1;
    v2.version = "v2";
    v2.tgz = "tars.upload/TestApp.HelloServer/v2.tgz";
    v2.comment = "";
    v2.uploadUser = "";
    ASSERT_EQ(admin->addServerPatch(v2, result), 0) << result;

    std::vector<adminreg::ServerPatchDesc> listed;
    ASSERT_EQ(admin->listServerPatches("TestApp", "HelloServer", listed, result), 0) << result;
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].version, "v2");  // newest first (the same second: the later id)
    EXPECT_EQ(listed[1].version, "v1");
    EXPECT_EQ(listed[1].md5, std::string(32, 'a'));
    EXPECT_EQ(listed[1].size, 1234);
    EXPECT_EQ(listed[1].comment, "first");
    EXPECT_EQ(listed[1].uploadUser, "alice");
    EXPECT_EQ(listed[1].tgz, v1.tgz);
    EXPECT_EQ(listed[1].uploadTime.size(), 19u) << listed[1].uploadTime;
    EXPECT_TRUE(contains(listed[0].uploadUser, "adminreg")) << listed[0].uploadUser;
    EXPECT_EQ(store->listPatches("TestApp.HelloServer").size(), 2u);

    // The same package under its version again is fine; another package under it is refused.
    EXPECT_EQ(admin->addServerPatch(v1, result), 0) << result;
    adminreg::ServerPatchDesc other = v1;
    other.md5 = std::string(32, 'b');
    other.comment = "another build";
    EXPECT_EQ(admin->addServerPatch(other, result), -3) << result;
    EXPECT_TRUE(
        contains(result, "version v1 of TestApp.HelloServer is recorded already with MD5 " + std::string(32, 'a')))
        << result;
    EXPECT_TRUE(contains(result, "publish it under another version")) << result;
    EXPECT_EQ(store->getPatch("TestApp.HelloServer", "v1")->comment, "first");

    std::vector<adminreg::ServerPatchDesc> none;
    ASSERT_EQ(admin->listServerPatches("TestApp", "Other", none, result), 0) << result;
    EXPECT_TRUE(none.empty());

    // Bad fields are refused, naming the field; nothing is stored.
    auto refused = [&](adminreg::ServerPatchDesc bad, const std::string& text) {
        std::string why;
        EXPECT_EQ(admin->addServerPatch(bad, why), -1) << why;
        EXPECT_TRUE(contains(why, text)) << why;
    };
    adminreg::ServerPatchDesc bad = v1;
    bad.version = "../v3";
    refused(bad, "version '../v3'");
    bad = v1;
    bad.md5 = "xyz";
    refused(bad, "md5 'xyz'");
    bad = v1;
    bad.tgz = "";
    refused(bad, "tgz");
    bad = v1;
    bad.size = 0;
    refused(bad, "size 0");
    bad = v1;
    bad.comment = std::string(1025, 'c');
    refused(bad, "comment of 1025 bytes");
    bad = v1;
    bad.application = "Bad App";
    refused(bad, "application");
    EXPECT_EQ(store->listPatches("TestApp.HelloServer").size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdminRegOnBackend, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

TEST(AdminRegTemplates, AnExistingTemplateIsNotOverwrittenAtStart) {
    TestDatabase db("sqlite");
    auto store = db.open();
    ProfileTemplate custom;
    custom.templateName = "tars.default";
    custom.profile = "<tars>\n<application>\n<server>\nlogLevel = ERROR\n</server>\n</application>\n</tars>\n";
    store->upsertTemplate(custom);
    RegistryProcess registry(db);
    ASSERT_TRUE(registry.start()) << registry.process().output();
    EXPECT_EQ(store->getTemplate("tars.default")->profile, custom.profile);
    EXPECT_TRUE(store->getTemplate("tars.tarsnode"));  // the missing one is seeded
}

}  // namespace
