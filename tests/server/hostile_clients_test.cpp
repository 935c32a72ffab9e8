// Hostile and greedy clients change nothing for the others: bad framing and undecodable
// packets close that one connection (and are counted), overload answers -9, queue waits
// answer -6, maxconns refuses, idle connections close, a client that never reads is cut
// off at backpacketlimit, and a flood of pipelined requests is answered completely.
// Reading: bytes dribbled one at a time, bytes followed at once by the close, and TCP
// urgent data (a read stops short at its mark) all get read to the end.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "BaseF.h"
#include "Fixtures.h"

namespace tars::test {
namespace {

class HostileClientTest : public TestServerFixture {
protected:
    // A well-behaved connection opened before the hostile one, checked after it.
    void expectOthersUnaffected(RawClient& bystander) {
        EXPECT_EQ(echo(bystander, "still here", 99), "still here");
        RawClient fresh(echoPort);
        EXPECT_EQ(echo(fresh, "fresh", 1), "fresh");
    }
    std::string lengthPrefix(uint32_t length) {
        std::string s(4, '\0');
        s[0] = static_cast<char>(length >> 24);
        s[1] = static_cast<char>(length >> 16);
        s[2] = static_cast<char>(length >> 8);
        s[3] = static_cast<char>(length);
        return s;
    }
};

TEST_F(HostileClientTest, GarbageBytesCloseOnlyThatConnection) {
    startEcho();
    RawClient bystander(echoPort);
    EXPECT_EQ(echo(bystander, "before"), "before");
    RawClient bad(echoPort);
    ASSERT_TRUE(bad.sendAll("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_TRUE(bad.waitClosed());
    expectOthersUnaffected(bystander);
    EXPECT_GE(waitForStatus(adminPort, kEchoAdapter, "conn.closed.badpacket", 1), 1);
}

TEST_F(HostileClientTest, LengthBelowFiveClosesTheConnection) {
    startEcho();
    RawClient bystander(echoPort);
    RawClient bad(echoPort);
    ASSERT_TRUE(bad.sendAll(lengthPrefix(4)));
    EXPECT_TRUE(bad.waitClosed());
    expectOthersUnaffected(bystander);
    EXPECT_GE(waitForStatus(adminPort, kEchoAdapter, "conn.closed.badpacket", 1), 1);
}

TEST_F(HostileClientTest, LengthAboveMaximumClosesBeforeTheBodyArrives) {
    AdapterSpec a = echoSpec();
    a.extra = "maxpacketsize=1M";
    startServer({a});
    RawClient bystander(echoPort);
    RawClient bad(echoPort);
    ASSERT_TRUE(bad.sendAll(lengthPrefix(2 * 1024 * 1024) + "abc"));
    EXPECT_TRUE(bad.waitClosed());
    RawClient huge(echoPort);
    ASSERT_TRUE(huge.sendAll(lengthPrefix(0xFFFFFFF0u)));
    EXPECT_TRUE(huge.waitClosed());
    expectOthersUnaffected(bystander);
    EXPECT_GE(waitForStatus(adminPort, kEchoAdapter, "conn.closed.badpacket", 2), 2);
}

TEST_F(HostileClientTest, TruncatedPacketThenCloseLeavesOthersServed) {
    startEcho();
    RawClient bystander(echoPort);
    {
        RawClient bad(echoPort);
        std::string packet = encodeRequest(makeRequest(kEcho, "echo", stringArg("cut"), 1));
        ASSERT_TRUE(bad.sendAll(packet.substr(0, packet.size() / 2)));
        bad.close();
    }
    expectOthersUnaffected(bystander);
    EXPECT_GE(waitForStatus(adminPort, kEchoAdapter, "conn.closed.peer", 1), 1);
}

TEST_F(HostileClientTest, UndecodableRequestPacketClosesTheConnection) {
    startEcho();
    RawClient bystander(echoPort);
    RawClient bad(echoPort);
    // A well-framed packet whose body is not a RequestPacket.
    ASSERT_TRUE(bad.sendAll(lengthPrefix(12) + std::string("\x10\x01\x2c\xff\xff\xff\xff\xff", 8)));
    EXPECT_TRUE(bad.waitClosed());
    expectOthersUnaffected(bystander);
    EXPECT_GE(waitForStatus(adminPort, kEchoAdapter, "conn.closed.badpacket", 1), 1);
}

TEST_F(HostileClientTest, QueueFullAnswersMinusNine) {
    AdapterSpec a = echoSpec();
    a.threads = 1;
    a.queuecap = 2;
    startServer({a});
    RawClient c(echoPort);
    std::string batch = encodeRequest(makeRequest(kEcho, "sleepMs", intArg(300), 1));
    for (int i = 2; i <= 8; ++i) batch += encodeRequest(makeRequest(kEcho, "echo", stringArg("x"), i));
    ASSERT_TRUE(c.sendAll(batch));
    int overloaded = 0;
    int ok = 0;
    for (int i = 0; i < 8; ++i) {
        auto rsp = c.readResponse(10000);
        ASSERT_TRUE(rsp) << "reply " << i;
        if (rsp->iRet == TARSSERVEROVERLOAD) ++overloaded;
        if (rsp->iRet == 0) ++ok;
    }
    EXPECT_GE(overloaded, 4);
    EXPECT_EQ(overloaded + ok, 8);
    EXPECT_GE(std::stol(status(kEchoAdapter, "ret.-9")), 4);
}

TEST_F(HostileClientTest, QueueTimeoutAnswersMinusSixWithoutCallingTheServant) {
    AdapterSpec a = echoSpec();
    a.threads = 1;
    a.queuetimeout = 100;
    startServer({a});
    RawClient c(echoPort);
    ASSERT_TRUE(c.sendAll(encodeRequest(makeRequest(kEcho, "sleepMs", intArg(400), 1)) +
                          encodeRequest(makeRequest(kEcho, "sleepMs", intArg(1), 2))));
    auto first = c.readResponse();
    auto second = c.readResponse();
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->iRet, 0);
    EXPECT_EQ(second->iRequestId, 2);
    EXPECT_EQ(second->iRet, TARSSERVERQUEUETIMEOUT);
    auto started = call(c, "started", {}, 3);
    ASSERT_TRUE(started);
    EXPECT_EQ(readInt(started->sBuffer), 1);  // the second sleepMs never ran
}

TEST_F(HostileClientTest, RequestTimeoutShorterThanQueueTimeoutAnswersMinusSix) {
    AdapterSpec a = echoSpec();
    a.threads = 1;
    startServer({a});
    RawClient c(echoPort);
    RequestPacket second = makeRequest(kEcho, "echo", stringArg("late"), 2);
    second.iTimeout = 100;
    ASSERT_TRUE(c.sendAll(encodeRequest(makeRequest(kEcho, "sleepMs", intArg(400), 1)) + encodeRequest(second)));
    ASSERT_TRUE(c.readResponse());
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iRet, TARSSERVERQUEUETIMEOUT);
}

TEST_F(HostileClientTest, PastMaxConnsNewConnectionsAreRefused) {
    AdapterSpec a = echoSpec();
    a.maxconns = 2;
    startServer({a});
    // The readiness probe's connection counts until the server has seen it close.
    int64_t settle = nowMs() + 10000;
    while (status(kEchoAdapter, "conn.current") != "0" && nowMs() < settle) {
    }
    RawClient one(echoPort);
    RawClient two(echoPort);
    EXPECT_EQ(echo(one, "1"), "1");
    EXPECT_EQ(echo(two, "2"), "2");
    RawClient three(echoPort);
    EXPECT_TRUE(three.waitClosed());
    EXPECT_EQ(echo(one, "1 again"), "1 again");
    EXPECT_GE(waitForStatus(adminPort, kEchoAdapter, "conn.refused.maxconns", 1), 1);
    // A freed slot is usable again.
    one.close();
    int64_t deadline = nowMs() + 10000;
    bool served = false;
    while (!served && nowMs() < deadline) {
        RawClient again(echoPort);
        served = echo(again, "back") == "back";
    }
    EXPECT_TRUE(served);
}

TEST_F(HostileClientTest, IdleConnectionIsClosedAfterEndpointTimeout) {
    AdapterSpec a = echoSpec();
    a.idleMs = 300;
    startServer({a});
    RawClient idle(echoPort);
    EXPECT_EQ(echo(idle, "hi"), "hi");
    int64_t begin = nowMs();
    EXPECT_TRUE(idle.waitClosed(5000));
    EXPECT_GE(nowMs() - begin, 250);
    EXPECT_GE(waitForStatus(adminPort, kEchoAdapter, "conn.closed.idle", 1), 1);
}

TEST_F(HostileClientTest, DeniedAddressIsClosedAtAccept) {
    AdapterSpec a = echoSpec();
    a.extra = "deny=127.0.0.1\norder=deny,allow";
    startServer({a});
    RawClient denied(echoPort);
    EXPECT_TRUE(denied.waitClosed());
    EXPECT_GE(waitForStatus(adminPort, kEchoAdapter, "conn.refused.denied", 1), 1);
}

TEST_F(HostileClientTest, ClientThatNeverReadsIsCutOffAtBackPacketLimit) {
    startEcho("backpacketlimit=1M");
    RawClient greedy(echoPort);
    // 400 replies of 64 KiB = 25 MiB the client never reads.
    std::string batch;
    for (int i = 1; i <= 400; ++i) batch += encodeRequest(makeRequest(kEcho, "bigReply", intArg(65536), i));
    greedy.sendAll(batch, 20000);  // may fail once the server closes: fine
    EXPECT_GE(waitForStatus(adminPort, kEchoAdapter, "conn.closed.sendlimit", 1, 20000), 1);
    RawClient other(echoPort);
    EXPECT_EQ(echo(other, "fine"), "fine");
}

TEST_F(HostileClientTest, TenThousandPipelinedRequestsInOneWriteAreAllAnswered) {
    AdapterSpec a = echoSpec();
    a.queuecap = 20000;
    startServer({a});
    RawClient c(echoPort);
    std::string batch;
    const int n = 10000;
    for (int i = 1; i <= n; ++i)
        batch += encodeRequest(makeRequest(kEcho, "echo", stringArg("m" + std::to_string(i)), i));
    ASSERT_TRUE(c.sendAll(batch, 30000));
    for (int i = 1; i <= n; ++i) {
        auto rsp = c.readResponse(30000);
        ASSERT_TRUE(rsp) << "reply " << i;
        ASSERT_EQ(rsp->iRequestId, i);  // one handle thread: in order
        ASSERT_EQ(rsp->iRet, 0);
        ASSERT_EQ(readString(rsp->sBuffer), "m" + std::to_string(i));
    }
}

TEST_F(HostileClientTest, RequestsDribbledOneByteAtATimeAreAnswered) {
    // The server stops reading a connection at a short read and relies on the next edge:
    // every byte sent on its own (TCP_NODELAY, one segment each) must still get there.
    startEcho();
    RawClient slow(echoPort);
    int one = 1;
    ASSERT_EQ(setsockopt(slow.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), 0);
    std::string two = encodeRequest(makeRequest(kEcho, "echo", stringArg("first"), 1)) +
                      encodeRequest(makeRequest(kEcho, "echo", stringArg("second"), 2));
    for (char byte : two) ASSERT_TRUE(slow.sendAll(std::string(1, byte)));
    for (int id = 1; id <= 2; ++id) {
        auto rsp = slow.readResponse(10000);
        ASSERT_TRUE(rsp) << "reply " << id;
        EXPECT_EQ(rsp->iRequestId, id);
        EXPECT_EQ(readString(rsp->sBuffer), id == 1 ? "first" : "second");
    }
}

TEST_F(HostileClientTest, BytesAndCloseInOneGoCloseTheConnectionAtOnce) {
    // Bytes and the peer's FIN read in one turn: the server reads on past the bytes to the
    // end instead of waiting for an edge that will not come, so it sees the close without
    // the idle timeout (here 10 minutes). Part of a packet only, so that no reply makes
    // the client's side answer with a reset.
    AdapterSpec a = echoSpec();
    a.idleMs = 600000;
    startServer({a});
    std::string packet = encodeRequest(makeRequest(kEcho, "echo", stringArg("bye"), 1));
    for (int i = 0; i < 20; ++i) {
        RawClient quick(echoPort);
        ASSERT_TRUE(quick.sendAll(packet.substr(0, 10)));
        quick.close();
    }
    EXPECT_GE(waitForStatus(adminPort, kEchoAdapter, "conn.closed.peer", 20, 10000), 20);
    RawClient other(echoPort);
    EXPECT_EQ(echo(other, "fine"), "fine");
}

TEST_F(HostileClientTest, UrgentDataInTheMiddleOfARequestDoesNotStallTheConnection) {
    // A read stops at the urgent mark although more bytes wait behind it, and no new edge
    // comes for them: the server must read on. The urgent byte itself leaves the stream
    // (no SO_OOBINLINE), so what remains is one whole request, which is answered.
    startEcho();
    std::string packet = encodeRequest(makeRequest(kEcho, "echo", stringArg("urgent"), 7));
    for (int i = 0; i < 10; ++i) {
        RawClient c(echoPort);
        std::string head = packet.substr(0, 8) + "U";  // "U" is sent as urgent data
        ASSERT_EQ(::send(c.fd(), head.data(), head.size(), MSG_OOB | MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
        ASSERT_TRUE(c.sendAll(packet.substr(8)));
        auto rsp = c.readResponse(5000);
        ASSERT_TRUE(rsp) << "round " << i << ": no reply";
        EXPECT_EQ(rsp->iRequestId, 7);
        EXPECT_EQ(readString(rsp->sBuffer), "urgent");
    }
}

}  // namespace
}  // namespace tars::test
