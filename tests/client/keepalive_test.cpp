// Keep-alive (keep-alive-interval): idle connections send tars_ping; a server that answers
// keeps its connection, a peer that accepts but never answers has its connection closed
// and its endpoint isolated, so calls go to the other endpoint.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>

#include "ClientTestUtil.h"
#include "Hello.h"
#include "TestServer.h"
#include "servant/Communicator.h"

using namespace tars;
using namespace tars::test;
using TestApp::HelloPrx;

namespace {

// A loopback listener that accepts one connection and reads from it, never answering.
class SilentPeer {
public:
    SilentPeer() {
        _listen = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::bind(_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        EXPECT_EQ(::listen(_listen, 8), 0);
        socklen_t len = sizeof addr;
        ::getsockname(_listen, reinterpret_cast<sockaddr*>(&addr), &len);
        _port = ntohs(addr.sin_port);
    }
    ~SilentPeer() {
        if (_conn >= 0) ::close(_conn);
        ::close(_listen);
    }
    SilentPeer(const SilentPeer&) = delete;
    SilentPeer& operator=(const SilentPeer&) = delete;

    std::string endpoint() const { return "tcp -h 127.0.0.1 -p " + std::to_string(_port); }

    // Whether a connection is waiting to be accepted within timeoutMs.
    bool pendingConnection(int timeoutMs) {
        pollfd p{_listen, POLLIN, 0};
        return ::poll(&p, 1, timeoutMs) == 1;
    }
    bool accept(int timeoutMs) {
        if (!pendingConnection(timeoutMs)) return false;
        _conn = ::accept(_listen, nullptr, nullptr);
        return _conn >= 0;
    }
    // Reads until `text` has been received (true), EOF or timeoutMs (false).
    bool readUntil(const std::string& text, int timeoutMs) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (_received.find(text) == std::string::npos) {
            if (!readSome(deadline)) return false;
        }
        return true;
    }
    // Reads until the peer closes (true) or timeoutMs passes (false).
    bool waitClosed(int timeoutMs) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (!_eof) {
            if (!readSome(deadline)) return _eof;
        }
        return true;
    }

private:
    bool readSome(std::chrono::steady_clock::time_point deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || _eof) return false;
        pollfd p{_conn, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) != 1) return false;
        char buffer[4096];
        ssize_t n = ::recv(_conn, buffer, sizeof buffer, 0);
        if (n <= 0) {
            _eof = true;
            return false;
        }
        _received.append(buffer, static_cast<size_t>(n));
        return true;
    }

    int _listen = -1;
    int _conn = -1;
    int _port = 0;
    bool _eof = false;
    std::string _received;
};

}  // namespace

TEST(KeepAliveTest, IdleConnectionPingsAndStaysOpenWhileTheServerAnswers) {
    TestServer server(1);
    server.start();
    Communicator comm;
    // The floor (100 ms); the ping reply may take up to sync-invoke-timeout (3 s), so a
    // loaded machine delays pings but does not close the connection.
    comm.setProperty("keep-alive-interval", "100");
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
    std::string rsp;
    EXPECT_EQ(prx->testHello("x", rsp), 1);
    ASSERT_TRUE(waitUntil([&] { return server.pings() >= 3; }, 10000)) << server.pings();
    EXPECT_EQ(server.connectionsAccepted(), 1u);  // the answered pings kept the one connection
    EXPECT_EQ(prx->testHello("y", rsp), 1);
    EXPECT_EQ(rsp, "y");
    EXPECT_EQ(server.connectionsAccepted(), 1u);
}

// A busy server answers the ping late (here: never), but answers calls: any reply after
// the ping shows it alive, so the connection stays and no call fails.
TEST(KeepAliveTest, AnyReplyAfterThePingKeepsTheConnection) {
    TestServer server(1);
    server.start();
    server.setAnswerPings(false);
    Communicator comm;
    comm.setProperty("keep-alive-interval", "100");
    comm.setProperty("sync-invoke-timeout", "5000");  // how long a ping waits for a reply
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
    std::string rsp;
    ASSERT_EQ(prx->testHello("x", rsp), 1);
    for (uint64_t ping = 1; ping <= 3; ++ping) {
        ASSERT_TRUE(waitUntil([&] { return server.pings() >= ping; }, 10000)) << server.pings();
        EXPECT_EQ(prx->testHello("y", rsp), 1);  // its reply stands for the unanswered ping
        EXPECT_EQ(rsp, "y");
    }
    EXPECT_EQ(server.connectionsAccepted(), 1u);
}

TEST(KeepAliveTest, PeerThatStopsAnsweringIsClosedAndIsolated) {
    TestServer good(1);
    good.start();
    SilentPeer silent;
    Communicator comm;
    comm.setProperty("keep-alive-interval", "100");
    comm.setProperty("sync-invoke-timeout", "1000");  // how long the ping waits
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + good.endpoint() + ":" + silent.endpoint());
    // One-way calls end once written: round robin connects to both endpoints without a
    // call waiting on the silent one.
    prx->async_testHello(nullptr, "a");
    prx->async_testHello(nullptr, "b");
    ASSERT_TRUE(silent.accept(10000));
    ASSERT_TRUE(silent.readUntil("tars_ping", 10000)) << "no tars_ping arrived on the idle connection";
    EXPECT_TRUE(silent.waitClosed(10000)) << "the unanswered peer's connection stayed open";

    // Isolated: every call goes to the good server, nothing reconnects to the silent peer.
    std::string rsp;
    for (int i = 0; i < 10; ++i) EXPECT_EQ(prx->testHello("x", rsp), 1);
    EXPECT_FALSE(silent.pendingConnection(0));
    EXPECT_GE(good.pings(), 1u);
    EXPECT_EQ(good.connectionsAccepted(), 1u);
}
