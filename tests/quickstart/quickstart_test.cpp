// The quick start as a TARS user meets it: a server and a client written against the
// TARS C++ API compile unchanged and talk to each other, and the Hello example's client
// gets an answer in every call mode. Real processes on reserved loopback ports.
#include <gtest/gtest.h>

#include <string>

#include "TestSupport.h"

using namespace tars::test;

namespace {

std::string endpoint(int port) { return "tcp -h 127.0.0.1 -p " + std::to_string(port); }

TEST(QuickStart, TarsShapedServerAndClientCompileUnchangedAndTalk) {
    ReservedPort port;
    ServerProcess server(QUICKSTART_SERVER);
    server.writeConfig(helloServerConfig(port));
    ASSERT_TRUE(server.start({port})) << server.output();

    ServerProcess client(QUICKSTART_CLIENT);
    EXPECT_EQ(client.runToExit({endpoint(port)}), 0) << client.output();
    EXPECT_NE(client.output().find("iRet:0 sReq:hello world sRsp:hello world"), std::string::npos) << client.output();
    // waitForShutdown() returns after SIGTERM; the quick start's main() then returns -1.
    EXPECT_EQ(server.stop(), 255) << server.output();
}

TEST(QuickStart, HelloClientGetsAnAnswerInEveryCallMode) {
    ReservedPort port;
    ServerProcess server(HELLO_SERVER);
    server.writeConfig(helloServerConfig(port));
    ASSERT_TRUE(server.start({port})) << server.output();

    ServerProcess client(HELLO_CLIENT);
    const std::string object = "--obj=TestApp.HelloServer.HelloObj@" + endpoint(port);
    ASSERT_EQ(client.runToExit({object}), 0) << client.output();
    const std::string output = client.output();
    for (const char* expected : {"sync     : ret 0, sRsp \"sync\"", "callback : ret 0, sRsp \"callback\"",
                                 "one-way  : sent", "promise  : sRsp \"promise (via then)\"",
                                 "co_await : sRsp \"co_await again\"", "all five call modes answered"}) {
        EXPECT_NE(output.find(expected), std::string::npos) << "missing \"" << expected << "\" in\n" << output;
    }
    EXPECT_EQ(server.stop(), 0) << server.output();
}

TEST(QuickStart, HelloClientFailsClearlyWhenNoServerListens) {
    ReservedPort port;  // bound, never listening: connections are refused
    ServerProcess client(HELLO_CLIENT);
    const std::string object = "--obj=TestApp.HelloServer.HelloObj@" + endpoint(port);
    EXPECT_EQ(client.runToExit({object, "--timeout=1000"}), 1) << client.output();
    EXPECT_NE(client.output().find("call mode(s) failed"), std::string::npos) << client.output();
}

TEST(QuickStart, AServantCallsOutThroughTheServersOwnCommunicator) {
    ReservedPort helloPort;
    ServerProcess hello(HELLO_SERVER);
    hello.writeConfig(helloServerConfig(helloPort));
    ASSERT_TRUE(hello.start({helloPort})) << hello.output();

    ReservedPort relayPort;
    AdapterSpec adapter;
    adapter.name = "TestApp.RelayServer.RelayObjAdapter";
    adapter.servant = "TestApp.RelayServer.RelayObj";
    adapter.port = relayPort;
    // The client section configures the server's communicator.
    const std::string tail =
        "<client>\n sync-invoke-timeout=2000\n</client>\n<relay>\n target=TestApp.HelloServer.HelloObj@" +
        endpoint(helloPort) + "\n</relay>\n";
    ServerProcess relay(RELAY_SERVER);
    relay.writeConfig(makeConfig("TestApp", "RelayServer", 0, {adapter}, "", tail));
    ASSERT_TRUE(relay.start({relayPort})) << relay.output();

    ServerProcess client(HELLO_CLIENT);
    ASSERT_EQ(client.runToExit({"--obj=TestApp.RelayServer.RelayObj@" + endpoint(relayPort)}), 0) << client.output();
    EXPECT_NE(client.output().find("sync     : ret 0, sRsp \"relayed sync\""), std::string::npos) << client.output();

    // With the target gone, the relay answers with the code of its failed call (-8
    // connect error, or -7 timeout) as the return value, and keeps serving.
    EXPECT_EQ(hello.stop(), 0);
    EXPECT_EQ(client.runToExit({"--obj=TestApp.RelayServer.RelayObj@" + endpoint(relayPort)}), 0) << client.output();
    EXPECT_TRUE(client.output().find("sync     : ret -8") != std::string::npos ||
                client.output().find("sync     : ret -7") != std::string::npos)
        << client.output();
    // Shutdown stops the communicator too, and exits cleanly.
    EXPECT_EQ(relay.stop(), 0) << relay.output();
}

}  // namespace
