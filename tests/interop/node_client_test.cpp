// The node client (node/client.js, on @tars/rpc and @tars/stream) calls InteropServer, our
// C++ server, over TARS (iVersion 1) and TUP (iVersion 3): every value of every type,
// contexts, a one-way call, an unknown method and framework error codes. client.js makes
// the checks and exits 0 when all passed; this test runs it against a fresh server on a
// reserved loopback port and also checks that the one-way call reached the servant.
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include "InteropTestSupport.h"
#include "TestSupport.h"

namespace {

using tars::test::ReservedPort;
using tars::test::ServerProcess;

class NodeClientCallsCppServer : public ::testing::TestWithParam<int> {};

TEST_P(NodeClientCallsCppServer, EveryValueRoundTripsAndEveryErrorArrives) {
    if (auto reason = interop::nodeSkipReason()) GTEST_SKIP() << *reason;
    const int version = GetParam();

    ReservedPort port;
    ServerProcess server(INTEROP_SERVER);
    server.writeConfig(interop::serverConfig(port));
    ASSERT_TRUE(server.start({port}, 15000)) << server.output();

    ServerProcess client(interop::nodeDir() + "/client.js");
    const int status =
        client.runToExit({"--endpoint", interop::endpoint(port), "--version", std::to_string(version)}, 50000);
    EXPECT_EQ(status, 0) << "client.js exit status " << status << ", its output:\n" << client.output();

    // The server logs every one-way request it served; the log is complete once it stopped.
    EXPECT_EQ(server.stop(SIGTERM, 20000), 0) << server.output();
    const std::string marker = "oneway echo: oneway-marker-v" + std::to_string(version);
    EXPECT_NE(server.log().find(marker), std::string::npos) << "no \"" << marker << "\" in the server log";
}

// The same over a udp endpoint (TARS over UDP, a packet per datagram): client.js leaves
// out the checks whose packets exceed one datagram. The server also serves an admin port
// on TCP, which says when it is up (its adapters bind together).
TEST(NodeClientCallsCppServerOverUdp, ValuesErrorsAndOneWayCallsCrossDatagrams) {
    if (auto reason = interop::nodeSkipReason()) GTEST_SKIP() << *reason;
    ReservedPort port;
    ReservedPort admin;
    ServerProcess server(INTEROP_SERVER);
    server.writeConfig(interop::serverConfig(port, "udp", admin));
    ASSERT_TRUE(server.start({admin}, 15000)) << server.output();

    ServerProcess client(interop::nodeDir() + "/client.js");
    const std::string endpoint = "udp -h 127.0.0.1 -p " + std::to_string(port) + " -t 60000";
    const int status = client.runToExit({"--endpoint", endpoint, "--version", "1"}, 50000);
    EXPECT_EQ(status, 0) << "client.js exit status " << status << ", its output:\n" << client.output();
    EXPECT_NE(client.output().find("over UDP"), std::string::npos) << client.output();

    EXPECT_EQ(server.stop(SIGTERM, 20000), 0) << server.output();
    EXPECT_NE(server.log().find("oneway echo: oneway-marker-v1"), std::string::npos) << "no one-way call in the log";
}

INSTANTIATE_TEST_SUITE_P(Versions, NodeClientCallsCppServer, ::testing::Values(1, 3),
                         [](const ::testing::TestParamInfo<int>& info) {
                             return std::string(info.param == 3 ? "Tup" : "Tars");
                         });

}  // namespace
