// Objects without endpoints are resolved through the locator (QueryF.findObjectById4Any),
// here a TestServer answering as the registry would.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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

TEST(LocatorTest, UnreachableLocatorEndsCallsWithConnectErrorNamingTheRegistryAndTheCause) {
    TestServer registry(0, "registry");
    registry.start();
    std::string endpoint = registry.endpoint();
    registry.stop();
    Communicator comm;
    comm.setProperty("locator", "tars.tarsregistry.QueryObj@" + endpoint);
    auto prx = comm.stringToProxy<HelloPrx>("TestApp.HelloServer.HelloObj");
    std::string rsp;
    try {
        prx->testHello("x", rsp);
        FAIL() << "the call succeeded";
    } catch (const TarsServerConnectionException& e) {
        // -8, not -10: the object may well exist; the registry could not be asked.
        EXPECT_EQ(e.getErrCode(), TARSPROXYCONNECTERR);
        std::string what = e.what();
        EXPECT_NE(what.find("tars.tarsregistry.QueryObj@" + endpoint), std::string::npos) << what;
        EXPECT_NE(what.find("refused"), std::string::npos) << what;
        EXPECT_NE(what.find("TestApp.HelloServer.HelloObj"), std::string::npos) << what;
    }
}

TEST(LocatorTest, SilentLocatorEndsCallsWithConnectErrorSayingItTimedOut) {
    // A socket that accepts connections (the kernel's backlog) and never answers.
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(listener, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(listener, 16), 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    std::string endpoint = "tcp -h 127.0.0.1 -p " + std::to_string(ntohs(addr.sin_port));

    TC_Config conf;
    conf.parseString("<tars><application><client>\nlocator = tars.tarsregistry.QueryObj@" + endpoint +
                     "\nsync-invoke-timeout = 500\n</client></application></tars>");
    Communicator comm(conf);
    auto prx = comm.stringToProxy<HelloPrx>("TestApp.HelloServer.HelloObj");
    prx->tars_set_timeout(5000);  // longer than the locator query (sync-invoke-timeout)
    std::string rsp;
    try {
        prx->testHello("x", rsp);
        FAIL() << "the call succeeded";
    } catch (const TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), TARSPROXYCONNECTERR) << e.what();
        std::string what = e.what();
        EXPECT_NE(what.find("tars.tarsregistry.QueryObj@" + endpoint), std::string::npos) << what;
        EXPECT_NE(what.find("no response within"), std::string::npos) << what;
    }
    ::close(listener);
}

TEST(LocatorTest, AnObjectTheRegistryDoesNotKnowStaysMinusTen) {
    TestServer registry(0, "registry");
    registry.start();
    Communicator comm;
    comm.setProperty("locator", "tars.tarsregistry.QueryObj@" + registry.endpoint());
    auto prx = comm.stringToProxy<HelloPrx>("TestApp.NoSuch.Obj");
    std::string rsp;
    try {
        prx->testHello("x", rsp);
        FAIL() << "the call succeeded";
    } catch (const TarsAdapterNullException& e) {
        EXPECT_EQ(e.getErrCode(), TARSADAPTERNULL);
        EXPECT_NE(std::string(e.what()).find("knows no active endpoint of TestApp.NoSuch.Obj"), std::string::npos)
            << e.what();
    }
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
