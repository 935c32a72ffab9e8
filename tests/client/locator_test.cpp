// Objects without endpoints are resolved through the locator (QueryF.findObjectById4Any),
// here a TestServer answering as the registry would.
#include <gtest/gtest.h>

#include <map>

#include "Hello.h"
#include "TestServer.h"
#include "servant/Communicator.h"
#include "internal/EndpointManager.h"

using namespace tars;
using namespace tars::test;
using TestApp::HelloPrx;

namespace {

EndpointF endpointOf(const TestServer& server, int weight = 0, int weightType = 0) {
    EndpointF ep;
    ep.host = "127.0.0.1";
    ep.port = server.port();
    ep.timeout = 60000;
    ep.istcp = 1;
    ep.weight = weight;
    ep.weightType = weightType;
    return ep;
}

}  // namespace

TEST(LocatorTest, BareObjectNameIsResolvedThroughTheLocator) {
    TestServer registry(0, "registry");
    TestServer a(1, "a");
    TestServer b(2, "b");
    registry.start();
    a.start();
    b.start();
    registry.setLocatorAnswer({endpointOf(a), endpointOf(b)});

    TC_Config conf;
    conf.parseString("<tars><application><client>\nlocator = tars.tarsregistry.QueryObj@" + registry.endpoint() +
                     "\nsync-invoke-timeout = 2000\n</client></application></tars>");
    Communicator comm(conf);
    HelloPrx prx;
    comm.stringToProxy("TestApp.HelloServer.HelloObj", prx);
    std::map<int, int> hits;
    std::string rsp;
    for (int i = 0; i < 10; ++i) ++hits[prx->testHello("x", rsp)];
    EXPECT_EQ(hits[1], 5);
    EXPECT_EQ(hits[2], 5);
    EXPECT_EQ(registry.locatorQueries(), 1u);  // one query, then the list is reused
}

TEST(LocatorTest, NoActiveEndpointEndsCallsWithAdapterNull) {
    TestServer registry(0, "registry");
    registry.start();
    Communicator comm;
    comm.setProperty("locator", "tars.tarsregistry.QueryObj@" + registry.endpoint());
    auto prx = comm.stringToProxy<HelloPrx>("TestApp.HelloServer.HelloObj");
    std::string rsp;
    try {
        prx->testHello("x", rsp);
        FAIL();
    } catch (const TarsAdapterNullException& e) {
        EXPECT_EQ(e.getErrCode(), TARSADAPTERNULL);
    }
}

TEST(LocatorTest, UnreachableLocatorEndsCallsWithAdapterNull) {
    TestServer registry(0, "registry");
    registry.start();
    std::string endpoint = registry.endpoint();
    registry.stop();
    Communicator comm;
    comm.setProperty("locator", "tars.tarsregistry.QueryObj@" + endpoint);
    auto prx = comm.stringToProxy<HelloPrx>("TestApp.HelloServer.HelloObj");
    std::string rsp;
    EXPECT_THROW(prx->testHello("x", rsp), TarsAdapterNullException);
}

TEST(LocatorTest, EndpointsAreRefreshedAfterTheInterval) {
    TestServer registry(0, "registry");
    TestServer a(1, "a");
    TestServer b(2, "b");
    registry.start();
    a.start();
    b.start();
    registry.setLocatorAnswer({endpointOf(a)});
    Communicator comm;
    comm.setProperty("locator", "tars.tarsregistry.QueryObj@" + registry.endpoint());
    comm.setProperty("refresh-endpoint-interval", "5000");  // the smallest TARS allows
    auto prx = comm.stringToProxy<HelloPrx>("TestApp.HelloServer.HelloObj");
    std::string rsp;
    EXPECT_EQ(prx->testHello("x", rsp), 1);
    registry.setLocatorAnswer({endpointOf(b)});
    // Lazily, on a call after the interval, the list becomes {b}.
    EXPECT_TRUE(waitUntil([&] { return prx->testHello("x", rsp) == 2; }, 15000));
    EXPECT_GE(registry.locatorQueries(), 2u);
}

TEST(LocatorTest, EndpointFBecomesTheSameTcEndpoint) {
    EndpointF ep;
    ep.host = "10.1.2.3";
    ep.port = 9000;
    ep.timeout = 5000;
    ep.istcp = 1;
    ep.weight = 30;
    ep.weightType = 1;
    TC_Endpoint out = EndpointManager::toEndpoint(ep);
    EXPECT_EQ(out.toString(), TC_Endpoint("tcp -h 10.1.2.3 -p 9000 -t 5000 -w 30 -v 1").toString());
}
