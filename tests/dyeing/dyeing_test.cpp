// Dyeing (issue 23 point 5): tars.setdyeing marks requests whose routing key matches, the
// dye travels with the calls they make (message type 0x04, STATUS_DYED_KEY), and their log
// lines also go to <logpath>/tars_dyeing/dyeing.log. DyeServer is a real process; its Relay
// calls its Hop, which answers what dyeing it got.
#include <gtest/gtest.h>

#include <unistd.h>

#include <string>

#include "Dye.h"
#include "TestSupport.h"
#include "servant/CallContext.h"
#include "servant/Communicator.h"
#include "util/tc_file.h"

using namespace tars;
using namespace tars::test;

namespace {

const std::string kRelayObj = "Test.DyeServer.RelayObj";
const std::string kHopObj = "Test.DyeServer.HopObj";

class Dyeing : public ::testing::Test {
protected:
    void SetUp() override {
        AdapterSpec relay;
        relay.name = "Test.DyeServer.RelayObjAdapter";
        relay.servant = kRelayObj;
        relay.port = relayPort.port();
        relay.threads = 2;
        AdapterSpec hop;
        hop.name = "Test.DyeServer.HopObjAdapter";
        hop.servant = kHopObj;
        hop.port = hopPort.port();
        server.writeConfig(makeConfig("Test", "DyeServer", admin.port(), {relay, hop}));
        ASSERT_TRUE(server.start({relayPort.port(), hopPort.port(), admin.port()})) << server.output();
        prx = comm.stringToProxy<DyeTest::RelayPrx>(kRelayObj + "@tcp -h 127.0.0.1 -p " +
                                                    std::to_string(relayPort.port()));
    }

    std::string hop() const { return kHopObj + "@tcp -h 127.0.0.1 -p " + std::to_string(hopPort.port()); }
    // What the hop saw of a relay(key) call.
    std::string relaySeen(const std::string& key, bool viaCallback = false) {
        std::string seen;
        EXPECT_EQ(prx->relay(key, hop(), viaCallback, seen), 0);
        return seen;
    }
    std::string dyeingLog() const { return TC_File::load2str(server.dir() + "/log/tars_dyeing/dyeing.log"); }
    // Polls (bounded: 10 s) until read() has text: logs reach their files a moment later.
    template <typename Read>
    static bool has(Read read, const std::string& text) {
        for (int i = 0; i < 500; ++i) {
            if (read().find(text) != std::string::npos) return true;
            ::usleep(20 * 1000);
        }
        return false;
    }
    bool dyeingLogHas(const std::string& text) const {
        return has([this] { return dyeingLog(); }, text);
    }

    ReservedPort relayPort, hopPort, admin;
    ServerProcess server{DYE_SERVER};
    Communicator comm;
    DyeTest::RelayPrx prx;
};

}  // namespace

TEST_F(Dyeing, ARuleDyesMatchingRoutingKeysAndTheCallsTheyMake) {
    EXPECT_EQ(relaySeen("user42"), "type=0,dyed=-");  // no rule yet
    std::string answer = adminNotify(admin.port(), "tars.setdyeing user42 " + kRelayObj);
    EXPECT_NE(answer.find("DyeingKey=user42"), std::string::npos) << answer;

    EXPECT_EQ(relaySeen("user42"), "type=4,dyed=user42");
    EXPECT_EQ(relaySeen("user42", true), "type=4,dyed=user42");  // an async call made while dyed
    EXPECT_EQ(relaySeen("user7"), "type=0,dyed=-");

    EXPECT_TRUE(dyeingLogHas("relay user42")) << dyeingLog();
    EXPECT_TRUE(dyeingLogHas("hop ")) << dyeingLog();  // the downstream request, dyed by its 0x04
    EXPECT_TRUE(dyeingLogHas("dyed, key 'user42'")) << dyeingLog();
    EXPECT_EQ(dyeingLog().find("relay user7"), std::string::npos) << dyeingLog();
    // The ordinary log has every line.
    EXPECT_TRUE(has([this] { return server.log(); }, "relay user7"));
}

TEST_F(Dyeing, AnInterfaceRuleDyesOnlyThatMethodAndOffStopsIt) {
    std::string answer = adminNotify(admin.port(), "tars.setdyeing user42 " + kRelayObj + " notRelay");
    EXPECT_NE(answer.find("DyeingInterface=notRelay"), std::string::npos) << answer;
    EXPECT_EQ(relaySeen("user42"), "type=0,dyed=-");

    adminNotify(admin.port(), "tars.setdyeing user42 " + kRelayObj + " relay");
    EXPECT_EQ(relaySeen("user42"), "type=4,dyed=user42");
    adminNotify(admin.port(), "tars.setdyeing user42 " + kHopObj);  // one rule at a time
    EXPECT_EQ(relaySeen("user42"), "type=0,dyed=-");

    answer = adminNotify(admin.port(), "tars.setdyeing off");
    EXPECT_NE(answer.find("dyeing off"), std::string::npos) << answer;
    EXPECT_EQ(relaySeen("user42"), "type=0,dyed=-");
    answer = adminNotify(admin.port(), "tars.setdyeing justakey");
    EXPECT_NE(answer.find("usage: tars.setdyeing <key> <servant> [interface]"), std::string::npos) << answer;
}

TEST_F(Dyeing, ACallerThatIsDyedDyesTheServerWithoutARule) {
    CallContext dyed;
    dyed.dyed = true;
    dyed.dyeingKey = "k9";
    {
        CallContext::Scope scope(&dyed);
        EXPECT_EQ(relaySeen("whatever"), "type=4,dyed=k9");
    }
    EXPECT_EQ(relaySeen("whatever"), "type=0,dyed=-");
    EXPECT_TRUE(dyeingLogHas("relay whatever")) << dyeingLog();
}
