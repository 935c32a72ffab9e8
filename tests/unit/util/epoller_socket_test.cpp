#include <gtest/gtest.h>
#include <netinet/in.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "util/tc_epoller.h"
#include "util/tc_socket.h"
#include "util/tc_timeprovider.h"

using namespace tars;

namespace {

constexpr int kMaxRounds = 1000;
constexpr int64_t kDeadlineMs = 5000;

bool ipv6Loopback() {
    try {
        TC_Socket s = TC_Socket::create(AF_INET6, SOCK_STREAM);
        s.bind("::1", 0);
        return true;
    } catch (const TC_Socket_Exception&) {
        return false;
    }
}

const char* loopback(int family) { return family == AF_INET6 ? "::1" : "127.0.0.1"; }

// Runs epoll rounds, handing every event to onEvent, until done() or the bounds run out.
template <typename OnEvent, typename Done>
bool runLoop(TC_Epoller& ep, OnEvent onEvent, Done done) {
    int64_t deadline = TC_TimeProvider::steadyNowMs() + kDeadlineMs;
    for (int round = 0; round < kMaxRounds && !done(); ++round) {
        int64_t left = deadline - TC_TimeProvider::steadyNowMs();
        if (left <= 0) break;
        int n = ep.wait(static_cast<int>(left));
        for (int i = 0; i < n; ++i) onEvent(ep.get(i));
    }
    return done();
}

void tcpExchange(int family) {
    TC_Epoller ep;
    TC_Socket listener = TC_Socket::create(family, SOCK_STREAM);
    listener.setReuseAddr();
    listener.bind(loopback(family), 0);
    listener.listen();
    TC_SockAddr listenAddr = listener.getSockName();
    ASSERT_NE(listenAddr.port(), 0);
    ASSERT_EQ(listenAddr.family(), family);

    TC_Socket client = TC_Socket::create(family, SOCK_STREAM);
    client.setNoDelay();
    client.setKeepAlive();
    client.setCloseOnExec();
    int rc = client.connect(listenAddr);
    ASSERT_TRUE(rc == 0 || rc == EINPROGRESS) << errnoText(rc);

    enum : uint64_t { kListen = 1, kServer = 2, kClient = 3 };
    ep.add(listener.getfd(), kListen, EPOLLIN);
    ep.add(client.getfd(), kClient, EPOLLIN | EPOLLOUT | EPOLLET);

    TC_Socket server;
    TC_SockAddr peer;
    bool connected = false, sentPing = false;
    std::string serverGot, clientGot;
    auto onEvent = [&](const epoll_event& ev) {
        char buf[256];
        switch (TC_Epoller::data(ev)) {
            case kListen:
                if (server.isValid()) break;
                if (listener.accept(server, &peer) == 0) {
                    server.setNoDelay();
                    ep.add(server.getfd(), kServer, EPOLLIN);
                }
                break;
            case kServer: {
                ssize_t n = server.recv(buf, sizeof(buf));
                if (n > 0) {
                    serverGot.append(buf, static_cast<size_t>(n));
                    if (serverGot == "ping") {
                        ASSERT_EQ(server.send("pong", 4), 4);
                    }
                }
                break;
            }
            case kClient:
                if (TC_Epoller::writeEvent(ev) && !connected) {
                    ASSERT_EQ(client.getSockError(), 0);
                    connected = true;
                }
                if (connected && !sentPing) {
                    ASSERT_EQ(client.send("ping", 4), 4);
                    sentPing = true;
                }
                if (TC_Epoller::readEvent(ev)) {
                    ssize_t n;
                    while ((n = client.recv(buf, sizeof(buf))) > 0) clientGot.append(buf, static_cast<size_t>(n));
                    ASSERT_TRUE(n == 0 || errno == EAGAIN);
                }
                break;
        }
    };
    ASSERT_TRUE(runLoop(ep, onEvent, [&] { return clientGot == "pong"; }))
        << "server got '" << serverGot << "', client got '" << clientGot << "'";
    EXPECT_EQ(serverGot, "ping");
    EXPECT_EQ(peer, client.getSockName());
    EXPECT_EQ(server.getPeerName(), client.getSockName());
    EXPECT_EQ(client.getPeerName(), listenAddr);

    // Peer close is seen as readable with recv() == 0.
    ep.del(client.getfd());
    client.close();
    bool closed = false;
    ASSERT_TRUE(runLoop(
        ep,
        [&](const epoll_event& ev) {
            char buf[16];
            if (TC_Epoller::data(ev) == kServer && server.recv(buf, sizeof(buf)) == 0) closed = true;
        },
        [&] { return closed; }));
}

void udpExchange(int family) {
    TC_Epoller ep;
    TC_Socket a = TC_Socket::create(family, SOCK_DGRAM);
    TC_Socket b = TC_Socket::create(family, SOCK_DGRAM);
    a.bind(loopback(family), 0);
    b.bind(loopback(family), 0);
    ep.add(a.getfd(), 1, EPOLLIN);
    ep.add(b.getfd(), 2, EPOLLIN);
    ASSERT_EQ(a.sendto("hello", 5, b.getSockName()), 5);
    std::string aGot, bGot;
    TC_SockAddr from;
    auto onEvent = [&](const epoll_event& ev) {
        char buf[64];
        TC_SockAddr src;
        if (TC_Epoller::data(ev) == 2) {
            ssize_t n = b.recvfrom(buf, sizeof(buf), src);
            ASSERT_GT(n, 0);
            bGot.assign(buf, static_cast<size_t>(n));
            from = src;
            ASSERT_EQ(b.sendto("world", 5, src), 5);
        } else {
            ssize_t n = a.recvfrom(buf, sizeof(buf), src);
            ASSERT_GT(n, 0);
            aGot.assign(buf, static_cast<size_t>(n));
        }
    };
    ASSERT_TRUE(runLoop(ep, onEvent, [&] { return aGot == "world"; }));
    EXPECT_EQ(bGot, "hello");
    EXPECT_EQ(from, a.getSockName());
    char buf[8];
    EXPECT_EQ(a.recv(buf, sizeof(buf)), -1);
    EXPECT_EQ(errno, EAGAIN);
}

}  // namespace

TEST(TC_Socket, TcpExchangeThroughEpollerIPv4) { tcpExchange(AF_INET); }

TEST(TC_Socket, TcpExchangeThroughEpollerIPv6) {
    if (!ipv6Loopback()) GTEST_SKIP() << "::1 is not available";
    tcpExchange(AF_INET6);
}

TEST(TC_Socket, UdpExchangeThroughEpollerIPv4) { udpExchange(AF_INET); }

TEST(TC_Socket, UdpExchangeThroughEpollerIPv6) {
    if (!ipv6Loopback()) GTEST_SKIP() << "::1 is not available";
    udpExchange(AF_INET6);
}

TEST(TC_Socket, ConnectToClosedPortReportsRefused) {
    // Take a free port, then close it so nothing listens there.
    TC_SockAddr addr;
    {
        TC_Socket s = TC_Socket::create(AF_INET, SOCK_STREAM);
        s.bind("127.0.0.1", 0);
        addr = s.getSockName();
    }
    TC_Epoller ep;
    TC_Socket c = TC_Socket::create(AF_INET, SOCK_STREAM);
    int rc = c.connect(addr);
    if (rc == EINPROGRESS) {
        ep.add(c.getfd(), 7, EPOLLOUT);
        ASSERT_EQ(ep.wait(static_cast<int>(kDeadlineMs)), 1);
        EXPECT_TRUE(TC_Epoller::errorEvent(ep.get(0)) || TC_Epoller::writeEvent(ep.get(0)));
        rc = c.getSockError();
    }
    EXPECT_EQ(rc, ECONNREFUSED) << errnoText(rc);
}

TEST(TC_Socket, AcceptWithNothingPendingSaysEagain) {
    TC_Socket l = TC_Socket::create(AF_INET, SOCK_STREAM);
    l.bind("127.0.0.1", 0);
    l.listen();
    TC_Socket c;
    EXPECT_EQ(l.accept(c), EAGAIN);
    EXPECT_FALSE(c.isValid());
}

TEST(TC_Socket, BindErrorNamesAddressAndErrno) {
    TC_Socket a = TC_Socket::create(AF_INET, SOCK_STREAM);
    a.bind("127.0.0.1", 0);
    a.listen();
    TC_SockAddr taken = a.getSockName();
    TC_Socket b = TC_Socket::create(AF_INET, SOCK_STREAM);
    try {
        b.bind(taken);
        FAIL();
    } catch (const TC_Socket_Exception& e) {
        EXPECT_EQ(e.getErrCode(), EADDRINUSE);
        EXPECT_NE(std::string(e.what()).find("bind " + taken.toString()), std::string::npos) << e.what();
    }
}

TEST(TC_Socket, OptionsAndOwnership) {
    TC_Socket s = TC_Socket::create(AF_INET, SOCK_STREAM, false);
    s.setReuseAddr();
    s.setReusePort();
    s.setLinger(true, 0);
    s.setLinger(false, 0);
    s.setNonBlock(true);
    s.setRecvBufferSize(64 * 1024);
    s.setSendBufferSize(64 * 1024);
    int fd = s.getfd();
    TC_Socket moved(std::move(s));
    EXPECT_FALSE(s.isValid());
    EXPECT_EQ(moved.getfd(), fd);
    int raw = moved.release();
    EXPECT_FALSE(moved.isValid());
    TC_Socket adopt(raw);
    EXPECT_EQ(adopt.getfd(), fd);
}

TEST(TC_SockAddr, ParsesAndFormats) {
    auto a = TC_SockAddr::parse("127.0.0.1", 80);
    EXPECT_EQ(a.toString(), "127.0.0.1:80");
    EXPECT_EQ(a.family(), AF_INET);
    auto b = TC_SockAddr::parse("[::1]", 8080);
    EXPECT_EQ(b.toString(), "[::1]:8080");
    EXPECT_TRUE(b.isIPv6());
    EXPECT_EQ(TC_SockAddr::parse("*", 1).ip(), "0.0.0.0");
    EXPECT_FALSE(TC_SockAddr::parseNumeric("not-an-ip", 1));
    EXPECT_THROW(TC_SockAddr::parse("no-such-host.invalid", 1), TC_Socket_Exception);
}

TEST(TC_Epoller, NotifyWakesTheLoopFromAnotherThread) {
    TC_Epoller ep;
    TC_Epoller::NotifyInfo notify;
    notify.init(&ep, 42);
    EXPECT_EQ(ep.wait(0), 0);
    std::thread t([&] { notify.notify(); });
    int n = ep.wait(static_cast<int>(kDeadlineMs));
    t.join();
    ASSERT_EQ(n, 1);
    EXPECT_EQ(TC_Epoller::data(ep.get(0)), 42u);
    notify.clear();
    EXPECT_EQ(ep.wait(0), 0);  // cleared: level-triggered event gone
    notify.notify();
    notify.notify();
    EXPECT_EQ(ep.wait(0), 1);  // several notifies, one wake-up
}

TEST(TC_Epoller, ModAndDel) {
    TC_Epoller ep;
    TC_Socket a = TC_Socket::create(AF_INET, SOCK_DGRAM);
    a.bind("127.0.0.1", 0);
    ep.add(a.getfd(), 1, EPOLLOUT);
    ASSERT_EQ(ep.wait(0), 1);
    EXPECT_EQ(TC_Epoller::data(ep.get(0)), 1u);
    ep.mod(a.getfd(), 9, EPOLLIN);
    EXPECT_EQ(ep.wait(0), 0);
    ep.mod(a.getfd(), 9, EPOLLOUT);
    ASSERT_EQ(ep.wait(0), 1);
    EXPECT_EQ(TC_Epoller::data(ep.get(0)), 9u);
    EXPECT_TRUE(ep.del(a.getfd()));
    EXPECT_FALSE(ep.del(a.getfd()));
    EXPECT_EQ(ep.wait(0), 0);
    EXPECT_THROW(ep.mod(a.getfd(), 1, EPOLLIN), TC_Epoller_Exception);
}
