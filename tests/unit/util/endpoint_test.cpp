#include <gtest/gtest.h>

#include "util/tc_endpoint.h"

using namespace tars;

namespace {
std::string parseError(const std::string& desc) {
    try {
        TC_Endpoint ep(desc);
    } catch (const TC_Endpoint_Exception& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(TC_Endpoint, ParsesTcpWithDefaults) {
    TC_Endpoint ep("tcp -h 127.0.0.1 -p 20001");
    EXPECT_EQ(ep.getType(), TC_Endpoint::TCP);
    EXPECT_TRUE(ep.isTcp());
    EXPECT_EQ(ep.getHost(), "127.0.0.1");
    EXPECT_EQ(ep.getPort(), 20001);
    EXPECT_EQ(ep.getTimeout(), 3000);
    EXPECT_EQ(ep.getGrid(), 0);
    EXPECT_EQ(ep.getQos(), 0);
    EXPECT_EQ(ep.getWeight(), -1);
    EXPECT_EQ(ep.getWeightType(), 0);
    EXPECT_EQ(ep.getAuthType(), 0);
    EXPECT_FALSE(ep.isIPv6());
}

TEST(TC_Endpoint, ParsesEveryOption) {
    TC_Endpoint ep("ssl  -h host.example -p 443 -t 60000 -g 2 -q 3 -w 50 -v 1 -e 1 -s app.sz.1");
    EXPECT_TRUE(ep.isSSL());
    EXPECT_TRUE(ep.isTcp());
    EXPECT_EQ(ep.getHost(), "host.example");
    EXPECT_EQ(ep.getTimeout(), 60000);
    EXPECT_EQ(ep.getGrid(), 2);
    EXPECT_EQ(ep.getQos(), 3);
    EXPECT_EQ(ep.getWeight(), 50);
    EXPECT_EQ(ep.getWeightType(), 1);
    EXPECT_EQ(ep.getAuthType(), 1);
    EXPECT_EQ(ep.getSetId(), "app.sz.1");
    TC_Endpoint udp("UDP -h 10.0.0.1 -p 9");
    EXPECT_TRUE(udp.isUdp());
}

TEST(TC_Endpoint, WeightRules) {
    EXPECT_EQ(TC_Endpoint("tcp -h a -p 1 -v 1").getWeight(), 100);         // weighted, no -w
    EXPECT_EQ(TC_Endpoint("tcp -h a -p 1 -v 2 -w 300").getWeight(), 100);  // capped
    EXPECT_EQ(TC_Endpoint("tcp -h a -p 1 -w 30 -v 1").getWeight(), 30);    // order free
    EXPECT_EQ(TC_Endpoint("tcp -h a -p 1 -w 30").getWeight(), 30);
}

TEST(TC_Endpoint, StarHostMeansAnyAddress) { EXPECT_EQ(TC_Endpoint("tcp -h * -p 1").getHost(), "0.0.0.0"); }

TEST(TC_Endpoint, IPv6Hosts) {
    TC_Endpoint ep("tcp -h ::1 -p 20001 -t 10");
    EXPECT_EQ(ep.getHost(), "::1");
    EXPECT_TRUE(ep.isIPv6());
    EXPECT_EQ(TC_Endpoint("udp -h [fe80::1:2] -p 5").getHost(), "fe80::1:2");
}

TEST(TC_Endpoint, UnknownOptionsAreIgnored) {
    TC_Endpoint ep("tcp -h 1.2.3.4 -x something -p 80 --long -z -1 -t 5");
    EXPECT_EQ(ep.getHost(), "1.2.3.4");
    EXPECT_EQ(ep.getPort(), 80);
    EXPECT_EQ(ep.getTimeout(), 5);
}

TEST(TC_Endpoint, ToStringRoundTrips) {
    for (const char* s : {"tcp -h 127.0.0.1 -p 20001 -t 60000", "udp -h ::1 -p 1 -t 3000",
                          "ssl -h h -p 2 -t 3 -g 1 -q 2 -w 40 -v 1 -e 1 -s a.b.c", "tcp -h localip -p 0 -t 0"}) {
        TC_Endpoint ep(s);
        EXPECT_EQ(ep.toString(), s);
        EXPECT_EQ(TC_Endpoint(ep.toString()), ep);
    }
    EXPECT_EQ(TC_Endpoint("tcp -p 5 -h x").toString(), "tcp -h x -p 5 -t 3000");
}

TEST(TC_Endpoint, BadInputsNameTheProblem) {
    EXPECT_NE(parseError("").find("empty endpoint"), std::string::npos);
    EXPECT_NE(parseError("http -h a -p 1").find("protocol must be tcp, udp, ssl or unix"), std::string::npos);
    EXPECT_NE(parseError("tcp -p 1").find("missing -h"), std::string::npos);
    EXPECT_NE(parseError("tcp -h a").find("missing -p"), std::string::npos);
    EXPECT_NE(parseError("tcp -h a -p 70000").find("out of range"), std::string::npos);
    EXPECT_NE(parseError("tcp -h a -p x1").find("-p needs an integer, got 'x1'"), std::string::npos);
    EXPECT_NE(parseError("tcp -h a -p 1 -t").find("-t has no value"), std::string::npos);
    EXPECT_NE(parseError("tcp -h a -p 1 -t -5").find("must not be negative"), std::string::npos);
    EXPECT_NE(parseError("tcp a -p 1").find("expected an option"), std::string::npos);
    std::string e = parseError("tcp -h a -p 70000");
    EXPECT_NE(e.find("'tcp -h a -p 70000'"), std::string::npos) << e;
}

TEST(TC_Endpoint, FailedParseLeavesObjectUnchanged) {
    TC_Endpoint ep("tcp -h a -p 1");
    EXPECT_THROW(ep.parse("tcp -h b"), TC_Endpoint_Exception);
    EXPECT_EQ(ep.getHost(), "a");
}

TEST(TC_Endpoint, SplitsListsOnProtocolWordsKeepingIPv6Colons) {
    auto parts =
        TC_Endpoint::sepEndpoint("tcp -h 127.0.0.1 -p 1:udp -h ::1 -p 2 : ssl -h fe80::a:b -p 3:tcp -h x -p 4");
    ASSERT_EQ(parts.size(), 4u);
    EXPECT_EQ(parts[0], "tcp -h 127.0.0.1 -p 1");
    EXPECT_EQ(parts[1], "udp -h ::1 -p 2");
    EXPECT_EQ(parts[2], "ssl -h fe80::a:b -p 3");
    EXPECT_EQ(parts[3], "tcp -h x -p 4");
    EXPECT_TRUE(TC_Endpoint::sepEndpoint("  ").empty());
    auto eps = TC_Endpoint::parseEndpoints("tcp -h ::1 -p 1:tcp -h ::2 -p 2");
    ASSERT_EQ(eps.size(), 2u);
    EXPECT_EQ(eps[1].getHost(), "::2");
}

TEST(TC_Endpoint, UnixSocketPathsRoundTrip) {
    TC_Endpoint ep("unix -h /run/app/hello.sock");
    EXPECT_TRUE(ep.isUnix());
    EXPECT_FALSE(ep.isTcp());
    EXPECT_FALSE(ep.isUdp());
    EXPECT_FALSE(ep.isIPv6());
    EXPECT_EQ(ep.getType(), TC_Endpoint::UNIX);
    EXPECT_EQ(ep.getHost(), "/run/app/hello.sock");
    EXPECT_EQ(ep.getPort(), 0);
    EXPECT_EQ(ep.toString(), "unix -h /run/app/hello.sock -t 3000");
    EXPECT_EQ(TC_Endpoint(ep.toString()), ep);
    TC_Endpoint withOptions("UNIX -h ./a:b.sock -p 0 -t 0 -e 1");
    EXPECT_EQ(withOptions.getHost(), "./a:b.sock");
    EXPECT_EQ(withOptions.getTimeout(), 0);
    EXPECT_EQ(TC_Endpoint(withOptions.toString()), withOptions);

    EXPECT_NE(parseError("unix -h /a.sock -p 5").find("no port"), std::string::npos);
    EXPECT_NE(parseError("unix -t 5").find("missing -h"), std::string::npos);
    EXPECT_NE(parseError("unix -h /" + std::string(200, 'x')).find("more than 107"), std::string::npos);

    auto parts = TC_Endpoint::sepEndpoint("tcp -h 127.0.0.1 -p 1:unix -h /tmp/a:b.sock:udp -h ::1 -p 2");
    ASSERT_EQ(parts.size(), 3u);
    EXPECT_EQ(parts[1], "unix -h /tmp/a:b.sock");
    auto o = TC_ObjectEndpoints::parse("A.B.Obj@unix -h /run/app/hello.sock -t 60000");
    ASSERT_EQ(o.endpoints.size(), 1u);
    EXPECT_TRUE(o.endpoints[0].isUnix());
}

TEST(TC_ObjectEndpoints, ParsesNameAndEndpoints) {
    auto o = TC_ObjectEndpoints::parse(
        "TestApp.HelloServer.HelloObj@tcp -h 127.0.0.1 -p 20001 -t 60000:tcp -h ::1 -p 20002#comment:tcp -h z -p 1");
    EXPECT_EQ(o.name, "TestApp.HelloServer.HelloObj");
    ASSERT_EQ(o.endpoints.size(), 2u);
    EXPECT_EQ(o.endpoints[0].getPort(), 20001);
    EXPECT_EQ(o.endpoints[1].getHost(), "::1");

    auto bare = TC_ObjectEndpoints::parse("tars.tarsregistry.QueryObj");
    EXPECT_EQ(bare.name, "tars.tarsregistry.QueryObj");
    EXPECT_TRUE(bare.endpoints.empty());

    EXPECT_THROW(TC_ObjectEndpoints::parse("@tcp -h a -p 1"), TC_Endpoint_Exception);
    EXPECT_THROW(TC_ObjectEndpoints::parse("A.B.C@"), TC_Endpoint_Exception);
    EXPECT_THROW(TC_ObjectEndpoints::parse("A.B.C@tcp -h a"), TC_Endpoint_Exception);
}
