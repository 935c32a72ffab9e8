// Dyeing between @tars/rpc (node) and us (issue 23 points 5 and 7). @tars/rpc supports
// dyeing as far as the wire goes: its client sends a call with the `dyeing` property as
// message type 0x04 with STATUS_DYED_KEY, and its server reads both (current.getDyeingObj());
// it has no tars.setdyeing rules and does not pass the dye on by itself. So:
//   - node/dyeing_client.js makes a dyed and a plain echo call to InteropServer: the dyed
//     one's log line reaches our dyeing log, the plain one's does not;
//   - our client, dyed (a CallContext with dyed set, as a dyed request being served has),
//     calls node/server.js, whose getContext("@dyeing") answers what @tars/rpc saw.
#include <gtest/gtest.h>

#include <unistd.h>

#include <csignal>
#include <string>

#include "interop.h"
#include "InteropTestSupport.h"
#include "TestSupport.h"
#include "servant/CallContext.h"
#include "servant/Communicator.h"
#include "util/tc_file.h"

namespace {

using tars::test::ReservedPort;
using tars::test::ServerProcess;

TEST(InteropDyeing, NodeClientsDyedCallIsDyedInOurServer) {
    if (auto reason = interop::nodeSkipReason()) GTEST_SKIP() << *reason;
    ReservedPort port;
    ServerProcess server(INTEROP_SERVER);
    server.writeConfig(interop::serverConfig(port));
    ASSERT_TRUE(server.start({port}, 15000)) << server.output();

    ServerProcess client(interop::nodeDir() + "/dyeing_client.js");
    const int status = client.runToExit({"--endpoint", interop::endpoint(port), "--key", "node42"}, 40000);
    ASSERT_EQ(status, 0) << "dyeing_client.js exit status " << status << ", its output:\n" << client.output();

    // The logs are complete once the server stopped.
    EXPECT_EQ(server.stop(SIGTERM, 20000), 0) << server.output();
    const std::string dyeing = tars::TC_File::load2str(server.dir() + "/log/tars_dyeing/dyeing.log");
    EXPECT_NE(dyeing.find("echo dyed-probe-node42"), std::string::npos) << dyeing;
    EXPECT_NE(dyeing.find("dyed, key 'node42'"), std::string::npos) << dyeing;
    EXPECT_EQ(dyeing.find("plain-probe"), std::string::npos) << dyeing;
    EXPECT_NE(server.log().find("echo plain-probe-node42"), std::string::npos);
}

TEST(InteropDyeing, OurDyedCallIsSeenDyedByTheNodeServer) {
    if (auto reason = interop::nodeSkipReason()) GTEST_SKIP() << *reason;
    ReservedPort port;
    ServerProcess server(interop::nodeDir() + "/server.js");
    server.writeConfig(interop::serverConfig(port));
    ASSERT_TRUE(server.start({port}, 15000)) << server.output();
    {
        tars::Communicator comm;
        auto prx = comm.stringToProxy<::Test::InteropPrx>(interop::objectString(port));
        prx->tars_set_timeout(10000);
        EXPECT_EQ(prx->getContext("@dyeing"), "not dyed");
        tars::CallContext dyed;
        dyed.dyed = true;
        dyed.dyeingKey = "cpp7";
        tars::CallContext::Scope scope(&dyed);
        EXPECT_EQ(prx->getContext("@dyeing"), "dyed:cpp7");
        // The async path carries it as well.
        EXPECT_EQ(prx->promise_async_getContext("@dyeing").get()->_ret, "dyed:cpp7");
    }
    EXPECT_EQ(server.stop(SIGTERM, 10000), 0) << server.output();
}

}  // namespace
