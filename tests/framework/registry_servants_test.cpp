// QueryImp and RegistryImp in-process, over a RegistryService they are given (as
// RegistryServer's servant factories give it) on an SQLite TestDatabase: no process, no
// network. Also what the servants answer during start-up, when the service has not
// opened its store yet.
#include <gtest/gtest.h>

#include "QueryImp.h"
#include "RegistryImp.h"
#include "RegistryService.h"
#include "TestDatabase.h"
#include "servant/ConnectionState.h"
#include "servant/Current.h"

using namespace tars;
using tars::test::TestDatabase;

namespace {

const std::string kHelloObj = "TestApp.HelloServer.HelloObj";

CurrentPtr currentFrom(const std::string& ip) {
    auto connection = std::make_shared<ConnectionState>();
    connection->ip = ip;
    return std::make_shared<Current>(connection, 0, 0);
}

RegistrySettings settingsFor(const TestDatabase& db) {
    RegistrySettings settings;
    settings.store = db.settings();
    settings.loadObjectsIntervalSeconds = 3600;  // the tests reload by hand
    return settings;
}

std::unique_ptr<RegistryService> makeService(const TestDatabase& db) {
    return std::make_unique<RegistryService>(
        settingsFor(db),
        std::vector<RegistryService::SelfEndpoint>{{"tars.tarsregistry.QueryObj", "tcp -h 127.0.0.1 -p 17890"}},
        "127.0.0.1:17890", "test");
}

class RegistryServantsTest : public ::testing::Test {
protected:
    void SetUp() override {
        service = makeService(db);
        service->start();
    }

    // An active HelloServer instance on node 10.0.0.1 with one adapter.
    void deployHello() {
        ServerConf server;
        server.application = "TestApp";
        server.serverName = "HelloServer";
        server.nodeName = "10.0.0.1";
        server.settingState = "active";
        server.templateName = "tars.default";
        AdapterConf adapter;
        adapter.adapterName = "TestApp.HelloServer.HelloObjAdapter";
        adapter.servant = kHelloObj;
        adapter.endpoint = "tcp -h 10.0.0.1 -p 20001 -t 60000";
        service->store().deployServer(server, {adapter}, RegistryService::now());
        service->store().updateServerState(server.key(), "active", 42, RegistryService::now());
    }

    TestDatabase db{"sqlite"};
    std::unique_ptr<RegistryService> service;
};

TEST_F(RegistryServantsTest, QueryImpAnswersFromTheTableOfTheServiceItWasGiven) {
    deployHello();
    QueryImp query(*service);
    EXPECT_TRUE(query.findObjectById(kHelloObj, currentFrom("10.0.0.9")).empty());  // not reloaded yet

    ASSERT_TRUE(service->refreshNow());
    auto active = query.findObjectById(kHelloObj, currentFrom("10.0.0.9"));
    ASSERT_EQ(active.size(), 1u);
    EXPECT_EQ(active[0].host, "10.0.0.1");
    EXPECT_EQ(active[0].port, 20001);
    std::vector<EndpointF> activeEp;
    std::vector<EndpointF> inactiveEp;
    EXPECT_EQ(query.findObjectById4Any("TestApp.Missing.Obj", activeEp, inactiveEp, currentFrom("10.0.0.9")), 0);
    EXPECT_TRUE(activeEp.empty());
}

TEST_F(RegistryServantsTest, RegistryImpWritesTheNodesReportsToTheServicesStore) {
    deployHello();
    RegistryImp registry(*service);
    NodeInfo info;
    info.nodeObj = "tars.tarsnode.NodeObj@tcp -h 10.0.0.1 -p 19385";
    info.endpointIp = "10.0.0.1";
    info.endpointPort = 19385;
    EXPECT_EQ(registry.registerNode("10.0.0.1", info, LoadInfo(), currentFrom("10.0.0.1")), 0);
    EXPECT_EQ(service->store().getNode("10.0.0.1")->nodeObj, info.nodeObj);
    EXPECT_EQ(registry.keepAlive("10.9.9.9", LoadInfo(), currentFrom("10.9.9.9")), 1);  // unknown: register again

    ServerStateInfo state;
    state.serverState = ServerState::Deactivating;
    state.processId = 7;
    // The stock node's wire order: node name, application, server name.
    EXPECT_EQ(registry.updateServer("10.0.0.1", "TestApp", "HelloServer", state, currentFrom("10.0.0.1")), 0);
    auto server = service->store().getServer({"TestApp", "HelloServer", "10.0.0.1"});
    EXPECT_EQ(server->presentState, "deactivating");
    EXPECT_EQ(server->processId, 7);

    auto servers = registry.getServers("", "", "10.0.0.1", currentFrom("10.0.0.1"));
    ASSERT_EQ(servers.size(), 1u);
    EXPECT_EQ(servers[0].serverName, "HelloServer");
    EXPECT_EQ(servers[0].adapters.count("TestApp.HelloServer.HelloObjAdapter"), 1u);
}

// Servants are registered after RegistryService::start(), so this cannot happen in
// tarsregistry; if it did, they answer as for a failing database instead of crashing.
TEST(RegistryServantsBeforeStart, AnswerLikeAFailingStore) {
    TestDatabase db("sqlite");
    auto service = makeService(db);
    QueryImp query(*service);
    RegistryImp registry(*service);

    EXPECT_TRUE(query.findObjectById(kHelloObj, currentFrom("10.0.0.9")).empty());
    EXPECT_EQ(registry.keepAlive("10.0.0.1", LoadInfo(), currentFrom("10.0.0.1")), -1);
    EXPECT_EQ(registry.destroyNode("10.0.0.1", currentFrom("10.0.0.1")), -1);
    EXPECT_THROW(registry.getServers("", "", "10.0.0.1", currentFrom("10.0.0.1")), std::logic_error);
    EXPECT_FALSE(service->refreshNow());
}

}  // namespace
