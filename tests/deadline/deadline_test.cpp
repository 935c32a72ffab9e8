// Deadline propagation end to end (docs/client.md, "Deadline propagation"): the test is A,
// it sends B (a DeadlineServer's RelayObj) a request with an iTimeout of its choosing over a
// raw connection, so it can wait for B's answer longer than that; B works, then calls C
// (another DeadlineServer's HopObj) in the call mode the request names and answers how that
// call ended. C counts what it receives and the iTimeout each call carried.
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <string>

#include "Deadline.h"
#include "TestSupport.h"
#include "servant/Communicator.h"
#include "tup/Tars.h"

namespace tars::test {
namespace {

constexpr int kInvokeTimeout = TARSINVOKETIMEOUT;

// One DeadlineServer process with both objects on reserved ports.
class DeadlineProcess {
public:
    explicit DeadlineProcess(const std::string& serverExtra = "") : _serverExtra(serverExtra) {}

    bool start() {
        AdapterSpec relay;
        relay.name = "Test.DeadlineServer.RelayObjAdapter";
        relay.servant = "Test.DeadlineServer.RelayObj";
        relay.port = _relayPort;
        relay.threads = 4;
        AdapterSpec hop = relay;
        hop.name = "Test.DeadlineServer.HopObjAdapter";
        hop.servant = "Test.DeadlineServer.HopObj";
        hop.port = _hopPort;
        _process.writeConfig(makeConfig("Test", "DeadlineServer", 0, {relay, hop}, _serverExtra));
        return _process.start({_relayPort, _hopPort});
    }
    int relayPort() const { return _relayPort; }
    std::string hopObj() const {
        return "Test.DeadlineServer.HopObj@tcp -h 127.0.0.1 -p " + std::to_string(_hopPort.port()) + " -t 60000";
    }
    std::string output() const { return _process.output() + _process.log(); }

private:
    std::string _serverExtra;
    ReservedPort _relayPort;
    ReservedPort _hopPort;
    ServerProcess _process{DEADLINE_SERVER};
};

struct Relayed {
    int iRet = 0;  // B's answer to A
    DeadlineTest::RelayResult result;
};

class DeadlineChainTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(c.start()) << c.output();
        ASSERT_TRUE(b.start()) << b.output();
        hop = comm.stringToProxy<DeadlineTest::HopPrx>(c.hopObj());
    }

    // A's request to relayer, carrying iTimeout = timeoutMs; B's answer (waited for up to
    // 10 s, whatever timeoutMs says).
    std::optional<Relayed> relay(const DeadlineProcess& relayer, DeadlineTest::RelayRequest req, int timeoutMs) {
        if (req.next.empty()) req.next = c.hopObj();
        TarsOutputStream<BufferWriterVector> os;
        os.write(req, 1);
        RequestPacket packet = makeRequest("Test.DeadlineServer.RelayObj", "relay", os.takeByteBuffer(), ++_id);
        packet.iTimeout = timeoutMs;
        RawClient client(relayer.relayPort());
        if (!client.sendAll(encodeRequest(packet))) return std::nullopt;
        auto rsp = client.readResponse(10000);
        if (!rsp) return std::nullopt;
        Relayed out;
        out.iRet = rsp->iRet;
        if (rsp->iRet == 0) {
            TarsInputStream<BufferReader> is;
            is.setBuffer(rsp->sBuffer);
            is.read(out.result, 2, true);
        }
        return out;
    }

    struct HopStats {
        int received = 0;
        int lastSeenTimeout = 0;
    };
    HopStats hopStats() {
        HopStats s;
        hop->stats(s.received, s.lastSeenTimeout);
        return s;
    }
    // Polls C until it received at least n calls (at most 10 s).
    HopStats waitForHops(int n) {
        int64_t deadline = nowMs() + 10000;
        HopStats s = hopStats();
        while (s.received < n && nowMs() < deadline) {
            ::usleep(1000);  // polling interval of a bounded wait
            s = hopStats();
        }
        return s;
    }
    // B calls C once more, synchronously: on the same connection, after anything B sent
    // before. Returns what C received then.
    int receivedAfterOneMoreCall(const DeadlineProcess& relayer) {
        auto got = relay(relayer, request(DeadlineTest::SYNC, 0, 0), 5000);
        EXPECT_TRUE(got && got->iRet == 0 && got->result.ret == 0);
        return hopStats().received;
    }

    static DeadlineTest::RelayRequest request(DeadlineTest::CallMode mode, int sleepMs, int hopSleepMs) {
        DeadlineTest::RelayRequest req;
        req.mode = mode;
        req.sleepMs = sleepMs;
        req.hopSleepMs = hopSleepMs;
        req.proxyTimeoutMs = 3000;
        return req;
    }

    DeadlineProcess c;
    DeadlineProcess b;
    Communicator comm;
    DeadlineTest::HopPrx hop;

private:
    int _id = 0;
};

// The example: A gives B 100 ms, B spends 80, so its call to C gets at most 20 ms
// (not its proxy's 3000): it ends with -7 about 20 ms later, and C saw iTimeout <= 20.
TEST_F(DeadlineChainTest, DownstreamCallGetsOnlyTheTimeLeft) {
    auto got = relay(b, request(DeadlineTest::SYNC, 80, 500), 100);
    ASSERT_TRUE(got) << b.output();
    ASSERT_EQ(got->iRet, 0);
    EXPECT_EQ(got->result.ret, kInvokeTimeout) << got->result.desc;
    EXPECT_LT(got->result.elapsedMs, 150);
    HopStats s = hopStats();
    if (s.received > 0) {  // on a slow machine the 20 ms may be gone before B's call
        EXPECT_GE(s.lastSeenTimeout, 1);
        EXPECT_LE(s.lastSeenTimeout, 20);
        EXPECT_NE(got->result.desc.find("time left"), std::string::npos) << got->result.desc;
    }
}

// The capped timeout is what goes out as iTimeout, so the next hop can cap its own calls.
TEST_F(DeadlineChainTest, CalleeReceivesTheCappedTimeout) {
    auto got = relay(b, request(DeadlineTest::SYNC, 200, 0), 300);
    ASSERT_TRUE(got) << b.output();
    ASSERT_EQ(got->iRet, 0);
    EXPECT_EQ(got->result.ret, 0) << got->result.desc;
    EXPECT_GE(got->result.seenTimeout, 1);
    EXPECT_LE(got->result.seenTimeout, 100);
}

// With time to spare, the proxy's own timeout stands.
TEST_F(DeadlineChainTest, ShorterProxyTimeoutIsKept) {
    DeadlineTest::RelayRequest req = request(DeadlineTest::SYNC, 0, 0);
    req.proxyTimeoutMs = 700;
    auto got = relay(b, req, 5000);
    ASSERT_TRUE(got) << b.output();
    EXPECT_EQ(got->result.ret, 0) << got->result.desc;
    EXPECT_EQ(got->result.seenTimeout, 700);
}

// A call made once the deadline has passed fails at once with -7, in every call mode, and
// is never sent.
class DeadlinePassedTest : public DeadlineChainTest, public ::testing::WithParamInterface<DeadlineTest::CallMode> {};

TEST_P(DeadlinePassedTest, CallFailsAtOnceAndIsNotSent) {
    int before = hopStats().received;
    auto got = relay(b, request(GetParam(), 120, 0), 100);
    ASSERT_TRUE(got) << b.output();
    ASSERT_EQ(got->iRet, 0);
    EXPECT_EQ(got->result.ret, kInvokeTimeout) << got->result.desc;
    EXPECT_LT(got->result.elapsedMs, 50);
    if (GetParam() != DeadlineTest::CALLBACK) {  // a callback gets the code only
        EXPECT_NE(got->result.desc.find("not sent"), std::string::npos) << got->result.desc;
    }
    EXPECT_EQ(receivedAfterOneMoreCall(b), before + 1);
}

INSTANTIATE_TEST_SUITE_P(Modes, DeadlinePassedTest,
                         ::testing::Values(DeadlineTest::SYNC, DeadlineTest::CALLBACK, DeadlineTest::PROMISE,
                                           DeadlineTest::COROUTINE),
                         [](const ::testing::TestParamInfo<DeadlineTest::CallMode>& info) {
                             return DeadlineTest::etos(info.param);
                         });

// One-way: capped while there is time, dropped once it has passed.
TEST_F(DeadlineChainTest, OnewayIsCappedOrDropped) {
    auto sent = relay(b, request(DeadlineTest::ONEWAY, 0, 0), 1000);
    ASSERT_TRUE(sent) << b.output();
    HopStats s = waitForHops(1);
    ASSERT_EQ(s.received, 1);
    EXPECT_GE(s.lastSeenTimeout, 1);
    EXPECT_LE(s.lastSeenTimeout, 1000);

    auto dropped = relay(b, request(DeadlineTest::ONEWAY, 120, 0), 100);
    ASSERT_TRUE(dropped) << b.output();
    EXPECT_EQ(receivedAfterOneMoreCall(b), 2);
}

// A call made from the callback of an earlier call (on a callback thread) still has only
// the request's time left: 100 ms less the first call's 60.
TEST_F(DeadlineChainTest, CallFromCallbackKeepsTheDeadline) {
    int before = hopStats().received;
    DeadlineTest::RelayRequest req = request(DeadlineTest::CALLBACK, 0, 500);
    req.firstHopSleepMs = 60;
    auto got = relay(b, req, 100);
    ASSERT_TRUE(got) << b.output();
    ASSERT_EQ(got->iRet, 0);
    EXPECT_EQ(got->result.ret, kInvokeTimeout);
    EXPECT_LT(got->result.elapsedMs, 150);
    HopStats s = hopStats();
    if (s.received == before + 2) {  // the second call was sent
        EXPECT_LE(s.lastSeenTimeout, 40);
    }
}

// The same after a co_await: the coroutine resumes on a callback thread.
TEST_F(DeadlineChainTest, CallAfterCoAwaitKeepsTheDeadline) {
    int before = hopStats().received;
    DeadlineTest::RelayRequest req = request(DeadlineTest::COROUTINE, 0, 500);
    req.firstHopSleepMs = 60;
    auto got = relay(b, req, 100);
    ASSERT_TRUE(got) << b.output();
    ASSERT_EQ(got->iRet, 0);
    EXPECT_EQ(got->result.ret, kInvokeTimeout) << got->result.desc;
    EXPECT_LT(got->result.elapsedMs, 150);
    HopStats s = hopStats();
    if (s.received == before + 2) {
        EXPECT_LE(s.lastSeenTimeout, 40);
    }
}

// Work a servant does after it replied is not cut: the call B makes 150 ms after answering
// a 100 ms request keeps its proxy's timeout.
TEST_F(DeadlineChainTest, WorkAfterTheReplyIsNotCut) {
    auto got = relay(b, request(DeadlineTest::REPLY_FIRST, 150, 0), 100);
    ASSERT_TRUE(got) << b.output();
    HopStats s = waitForHops(1);
    EXPECT_EQ(s.received, 1);
    EXPECT_EQ(s.lastSeenTimeout, 3000);
}

// Nor is a callback that runs after the reply: B answers at once, its first call (capped,
// C works 150 ms) times out at the deadline, and the call made from that callback gets the
// proxy's timeout.
TEST_F(DeadlineChainTest, CallbackAfterTheReplyIsNotCut) {
    DeadlineTest::RelayRequest req = request(DeadlineTest::CALLBACK_AFTER_REPLY, 0, 0);
    req.firstHopSleepMs = 150;
    auto got = relay(b, req, 100);
    ASSERT_TRUE(got) << b.output();
    HopStats s = waitForHops(2);
    EXPECT_EQ(s.received, 2);
    EXPECT_EQ(s.lastSeenTimeout, 3000);
}

// propagate-deadline=0 (as in TARS): B's call keeps its proxy timeout (300 ms).
TEST_F(DeadlineChainTest, PropagateDeadlineOffKeepsTheProxyTimeout) {
    DeadlineProcess tarsLike("      propagate-deadline=0\n");
    ASSERT_TRUE(tarsLike.start()) << tarsLike.output();
    DeadlineTest::RelayRequest req = request(DeadlineTest::SYNC, 80, 500);
    req.proxyTimeoutMs = 300;
    auto got = relay(tarsLike, req, 100);
    ASSERT_TRUE(got) << tarsLike.output();
    ASSERT_EQ(got->iRet, 0);
    EXPECT_EQ(got->result.ret, kInvokeTimeout);
    EXPECT_GE(got->result.elapsedMs, 250);
    EXPECT_EQ(hopStats().lastSeenTimeout, 300);
    EXPECT_EQ(tarsLike.output().find("unknown key"), std::string::npos);
}

}  // namespace
}  // namespace tars::test
