// Failures: timeouts, refused and lost connections (calls never written go out again), a killed server under load, bad
// replies, isolation and recovery of a failing endpoint, reconnects, shutdown.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "ClientTestUtil.h"
#include "Hello.h"
#include "TestServer.h"
#include "servant/Communicator.h"
#include "util/tc_socket.h"

using namespace tars;
using namespace tars::test;
using TestApp::HelloPrx;

namespace {

// One callback per call, recording how many times and with which code it ended.
class CountingCallback : public TestApp::HelloPrxCallback {
public:
    CountingCallback(std::vector<std::atomic<int>>* ends, std::vector<int>* codes, size_t index,
                     std::atomic<int>* total)
        : _ends(ends), _codes(codes), _index(index), _total(total) {}
    void callback_testHello(tars::Int32, const std::string&) override { end(0); }
    void callback_testHello_exception(tars::Int32 ret) override { end(ret); }

private:
    void end(int code) {
        (*_codes)[_index] = code;
        (*_ends)[_index].fetch_add(1);
        _total->fetch_add(1);
    }
    std::vector<std::atomic<int>>* _ends;
    std::vector<int>* _codes;
    size_t _index;
    std::atomic<int>* _total;
};

// A listening socket on 127.0.0.1 whose connections have a small receive buffer (what they
// accept is never read by the tests); -1 when it cannot be made. port: where it listens.
constexpr int kSilentReceiveBuffer = 8192;
int silentListener(int& port) {
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0) return -1;
    int small = kSilentReceiveBuffer;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)) != 0 ||
        ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || ::listen(listener, 4) != 0) {
        ::close(listener);
        return -1;
    }
    port = ntohs(addr.sin_port);
    return listener;
}

// Copies bytes both ways between an accepted connection and a TCP port on 127.0.0.1, on
// its own thread, until either side closes, stop(), or a minute passes.
class ByteRelay {
public:
    ByteRelay(int accepted, int port) : _a(accepted) {
        _b = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<uint16_t>(port));
        _connected = _b >= 0 && ::connect(_b, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
        if (_connected) _thread = std::thread([this] { run(); });
    }
    ~ByteRelay() {
        _stop = true;
        if (_thread.joinable()) _thread.join();
        if (_b >= 0) ::close(_b);
        ::close(_a);
    }
    bool connected() const { return _connected; }

private:
    void run() {
        const auto end = std::chrono::steady_clock::now() + std::chrono::minutes(1);
        std::vector<char> buffer(64 * 1024);
        while (!_stop && std::chrono::steady_clock::now() < end) {
            pollfd fds[2] = {{_a, POLLIN, 0}, {_b, POLLIN, 0}};
            if (::poll(fds, 2, 100) < 0) return;
            for (int i = 0; i < 2; ++i) {
                if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
                ssize_t got = ::recv(fds[i].fd, buffer.data(), buffer.size(), 0);
                if (got <= 0) return;
                if (!sendAll(fds[1 - i].fd, buffer.data(), static_cast<size_t>(got))) return;
            }
        }
    }
    static bool sendAll(int fd, const char* data, size_t size) {
        while (size > 0) {
            ssize_t put = ::send(fd, data, size, MSG_NOSIGNAL);
            if (put <= 0) return false;
            data += put;
            size -= static_cast<size_t>(put);
        }
        return true;
    }
    int _a;
    int _b = -1;
    bool _connected = false;
    std::atomic<bool> _stop{false};
    std::thread _thread;
};

}  // namespace

TEST(FailureTest, CallPastItsTimeoutEndsWithMinus7AndItsLateResponseIsDropped) {
    TestServer server(1);
    server.start();
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
    prx->tars_set_timeout(100);
    std::string rsp;
    try {
        prx->testHello("sleep:400", rsp);
        FAIL() << "no timeout";
    } catch (const TarsSyncCallTimeoutException& e) {
        EXPECT_EQ(e.getErrCode(), TARSINVOKETIMEOUT);
    }
    prx->tars_set_async_timeout(100);
    auto cb = std::make_shared<RecordingCallback>();
    prx->async_testHello(cb, "sleep:400");
    ASSERT_TRUE(cb->wait(1));
    EXPECT_EQ(cb->lastError, TARSINVOKETIMEOUT);
    // The late replies arrive on the same connection and are dropped; calls go on.
    prx->tars_set_timeout(3000);
    ASSERT_TRUE(waitUntil([&] { return server.requests() >= 2; }));
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(prx->testHello("sleep:100", rsp), 1);
        EXPECT_EQ(rsp, "sleep:100");
    }
    EXPECT_EQ(cb->successes + cb->failures, 1);  // never answered twice
}

TEST(FailureTest, ConnectRefusedEndsWithMinus8) {
    DeadPort dead;
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + dead.endpoint());
    std::string rsp;
    try {
        prx->testHello("x", rsp);
        FAIL();
    } catch (const TarsServerConnectionException& e) {
        EXPECT_EQ(e.getErrCode(), TARSPROXYCONNECTERR);
    }
    auto cb = std::make_shared<RecordingCallback>();
    prx->async_testHello(cb, "x");
    ASSERT_TRUE(cb->wait(1));
    EXPECT_EQ(cb->lastError, TARSPROXYCONNECTERR);
}

TEST(FailureTest, ConnectThatDoesNotCompleteEndsWithMinus8AfterConnectTimeout) {
    // A listener that never accepts, its backlog filled: the kernel drops further SYNs,
    // so a connect stays in progress.
    TC_Socket listener = TC_Socket::create(AF_INET, SOCK_STREAM, true);
    listener.bind("127.0.0.1", 0);
    listener.listen(0);
    int port = listener.getSockName().port();
    std::vector<TC_Socket> fillers;
    for (int i = 0; i < 4; ++i) {
        fillers.push_back(TC_Socket::create(AF_INET, SOCK_STREAM, true));
        fillers.back().connect(TC_SockAddr::parse("127.0.0.1", static_cast<uint16_t>(port)));
    }
    Communicator comm;
    comm.setProperty("connect-timeout", "200");
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@tcp -h 127.0.0.1 -p " + std::to_string(port));
    prx->tars_set_timeout(10000);
    auto start = std::chrono::steady_clock::now();
    std::string rsp;
    try {
        prx->testHello("x", rsp);
        FAIL() << "the call succeeded";
    } catch (const TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), TARSPROXYCONNECTERR) << e.what();
    }
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    EXPECT_LT(took.count(), 5000);
}

TEST(FailureTest, ConnectionClosedByServerFailsItsOutstandingCalls) {
    TestServer server(1);
    server.start();
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
    auto cb = std::make_shared<RecordingCallback>();
    for (int i = 0; i < 10; ++i) prx->async_testHello(cb, "sleep:5000");
    ASSERT_TRUE(waitUntil([&] { return server.requests() == 10; }));
    std::string rsp;
    EXPECT_THROW(prx->testHello("close", rsp), TarsServerConnectionException);
    ASSERT_TRUE(cb->wait(10));
    EXPECT_EQ(cb->failures, 10);
    EXPECT_EQ(cb->lastError, TARSPROXYCONNECTERR);
    // The next call reconnects.
    EXPECT_EQ(prx->testHello("again", rsp), 1);
}

TEST(FailureTest, KilledServerEndsEachOf10000OutstandingAsyncCallsExactlyOnce) {
    TestServerProcess server(3);
    Communicator comm;
    comm.setProperty("async-invoke-timeout", "60000");
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
    std::string rsp;
    ASSERT_EQ(prx->testHello("warm-up", rsp), 3);

    constexpr size_t kCalls = 10000;
    std::vector<std::atomic<int>> ends(kCalls);
    std::vector<int> codes(kCalls, 1);
    std::atomic<int> total{0};
    for (size_t i = 0; i < kCalls; ++i) {
        prx->async_testHello(std::make_shared<CountingCallback>(&ends, &codes, i, &total), "sleep:600000");
    }
    // One connection, answered in order: when this reply comes, the server has read all
    // 10,000 requests, which it will never answer. Then it dies.
    ASSERT_EQ(prx->testHello("marker", rsp), 3);
    server.kill();
    ASSERT_TRUE(waitUntil([&] { return total.load() >= static_cast<int>(kCalls); }, 30000))
        << total.load() << " of " << kCalls << " ended";
    for (size_t i = 0; i < kCalls; ++i) {
        ASSERT_EQ(ends[i].load(), 1) << "call " << i;
        EXPECT_TRUE(codes[i] == TARSPROXYCONNECTERR || codes[i] == TARSSENDREQUESTERR) << codes[i];
    }
    // Nothing more arrives later.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(total.load(), static_cast<int>(kCalls));
}

TEST(FailureTest, ResponseWithAnotherVersionIsAClientDecodeError) {
    TestServer server(1);
    server.start();
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
    std::string rsp;
    EXPECT_THROW(prx->testHello("badversion", rsp), TarsClientDecodeException);
    // iRet below -99 is not a TARS code: rejected the same way.
    EXPECT_THROW(prx->testHello("ret:-150", rsp), TarsClientDecodeException);
    EXPECT_EQ(prx->testHello("fine", rsp), 1);
}

TEST(FailureTest, FailingEndpointIsIsolatedThenProbedAndRecovers) {
    TestServer good(1, "good");
    TestServer bad(2, "bad");
    good.start();
    bad.start();
    bad.setMode("noreply");
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + good.endpoint() + ":" + bad.endpoint());
    CheckTimeoutInfo info;
    info.frequenceFailInvoke = 3;
    info.minTimeoutInvoke = 1000;  // only the consecutive-failure rule here
    // Wide enough that a loaded machine (good's replies late, the loop slow) does not add
    // timeouts or a probe of its own to the counts below.
    info.tryTimeInterval = 2000;
    prx->tars_set_check_timeout(info);
    prx->tars_set_timeout(250);

    std::string rsp;
    int timeouts = 0;
    for (int i = 0; i < 20; ++i) {
        try {
            prx->testHello("x", rsp);
        } catch (const TarsSyncCallTimeoutException&) {
            ++timeouts;
        }
    }
    // Round robin sends every other call to "bad" until it is isolated after 3 failures.
    EXPECT_EQ(timeouts, 3);
    uint64_t badBefore = bad.requests();
    for (int i = 0; i < 20; ++i) EXPECT_EQ(prx->testHello("x", rsp), 1);
    EXPECT_EQ(bad.requests(), badBefore);  // isolated: no calls meanwhile

    // It recovers; after tryTimeInterval it is probed and takes calls again.
    bad.setMode("");
    ASSERT_TRUE(waitUntil([&] { return prx->testHello("x", rsp) == 2; }, 10000));
    int fromBad = 0;
    for (int i = 0; i < 20; ++i) fromBad += prx->testHello("x", rsp) == 2;
    EXPECT_EQ(fromBad, 10);
}

TEST(FailureTest, ReconnectsAfterTheServerComesBack) {
    auto server = std::make_unique<TestServer>(1);
    server->start();
    int port = server->port();
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server->endpoint());
    CheckTimeoutInfo info;
    info.minReconnectMs = 10;
    info.maxReconnectMs = 50;
    prx->tars_set_check_timeout(info);
    std::string rsp;
    EXPECT_EQ(prx->testHello("x", rsp), 1);
    server->stop();
    EXPECT_THROW(prx->testHello("x", rsp), TarsServerConnectionException);
    server = std::make_unique<TestServer>(1);
    server->start(port);
    EXPECT_TRUE(waitUntil(
        [&] {
            try {
                return prx->testHello("x", rsp) == 1;
            } catch (const TarsCallException&) {
                return false;
            }
        },
        5000));
}

TEST(FailureTest, DestroyingTheCommunicatorEndsEveryOutstandingCall) {
    TestServer server(1);
    server.start();
    auto cb = std::make_shared<RecordingCallback>();
    std::atomic<int> futureErrors{0};
    {
        Communicator comm;
        auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
        for (int i = 0; i < 100; ++i) prx->async_testHello(cb, "sleep:60000");
        auto future = prx->promise_async_testHello("sleep:60000");
        future.then([&futureErrors](const auto& f) {
            if (f.hasException()) ++futureErrors;
        });
        ASSERT_TRUE(waitUntil([&] { return server.requests() == 101; }));
    }
    EXPECT_EQ(cb->failures, 100);
    EXPECT_EQ(cb->successes, 0);
    EXPECT_EQ(futureErrors.load(), 1);
}

TEST(FailureTest, CallsAfterTerminateThrowSendRequestError) {
    TestServer server(1);
    server.start();
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
    comm.terminate();
    std::string rsp;
    EXPECT_THROW(prx->testHello("x", rsp), TarsSendRequestException);
    EXPECT_THROW(prx->async_testHello(nullptr, "x"), TarsSendRequestException);
}

TEST(FailureTest, ObjectWithoutEndpointsNeedsALocator) {
    Communicator comm;
    EXPECT_THROW(comm.stringToProxy<HelloPrx>("A.B.Obj"), Communicator_Exception);
    EXPECT_THROW(comm.stringToProxy<HelloPrx>("A.B.Obj@tcp -h 127.0.0.1 -p nope"), Communicator_Exception);
}

// A connection that closes while calls queued on it were never written: those go out again
// on another endpoint; the one that was written (in part) fails, and is never sent twice.
TEST(FailureTest, CallsNeverWrittenWhenTheConnectionClosesGoToAnotherEndpoint) {
    // A peer that accepts and never reads: the client's writes stall after a few megabytes
    // and the rest stays queued on the client side.
    int silentPort = 0;
    const int listener = silentListener(silentPort);
    ASSERT_GE(listener, 0);

    TestServer server(2);
    server.start();
    Communicator comm;
    comm.setProperty("async-invoke-timeout", "30000");
    // Round robin over the two: half of the calls go to the silent peer.
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@tcp -h 127.0.0.1 -p " + std::to_string(silentPort) +
                                            " -t 60000:" + server.endpoint());
    const std::string big(4 << 20, 'x');
    constexpr int kCalls = 8;
    auto cb = std::make_shared<RecordingCallback>();
    for (int i = 0; i < kCalls; ++i) prx->async_testHello(cb, big);

    pollfd pfd{listener, POLLIN, 0};
    ASSERT_EQ(::poll(&pfd, 1, 10000), 1) << "the client never connected to the silent peer";
    int accepted = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    ASSERT_GE(accepted, 0);
    // The calls of the other endpoint end; the silent peer holds the rest.
    ASSERT_TRUE(waitUntil([&] { return server.requests() >= kCalls / 2; }, 20000)) << server.requests();
    // It goes away: refused from now on, and its connection reset (it read nothing).
    ::close(listener);
    linger reset{1, 0};
    ::setsockopt(accepted, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    ::close(accepted);

    ASSERT_TRUE(cb->wait(kCalls, 25000)) << cb->successes << " succeeded, " << cb->failures << " failed";
    // At most 4 MiB + a little fits in the kernel's buffers: of the four 4 MiB calls of the
    // silent peer, at least two were never written.
    EXPECT_GE(cb->successes, kCalls / 2 + 2);
    EXPECT_GE(cb->failures, 1) << "the call written to the silent peer must fail, not go out twice";
    EXPECT_EQ(cb->lastError, TARSPROXYCONNECTERR);
    // Every call the other endpoint received succeeded: nothing written was sent again.
    EXPECT_EQ(server.requests(), static_cast<uint64_t>(cb->successes));
}

// The same with a single endpoint: the calls never written go out again over a new
// connection to that endpoint, made at once while the old one's close is still being
// handled (the close must not take the new connection down with it).
TEST(FailureTest, CallsNeverWrittenWhenTheOnlyConnectionClosesGoOutOnTheNextOne) {
    int port = 0;
    const int listener = silentListener(port);
    ASSERT_GE(listener, 0);

    TestServer server(2);
    server.start();
    Communicator comm;
    comm.setProperty("async-invoke-timeout", "30000");
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@tcp -h 127.0.0.1 -p " + std::to_string(port) + " -t 60000");
    const std::string big(4 << 20, 'x');
    constexpr int kCalls = 6;
    auto cb = std::make_shared<RecordingCallback>();
    for (int i = 0; i < kCalls; ++i) prx->async_testHello(cb, big);

    pollfd pfd{listener, POLLIN, 0};
    ASSERT_EQ(::poll(&pfd, 1, 10000), 1) << "the client never connected";
    int first = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    ASSERT_GE(first, 0);
    // Let the client's writes stall: its first connection takes what fits, no more.
    ASSERT_TRUE(waitUntil(
        [&] {
            int queued = 0;
            return ::ioctl(first, FIONREAD, &queued) == 0 && queued >= kSilentReceiveBuffer;
        },
        10000));
    // The first connection is reset; the listener stays, so the client's new connection
    // is accepted by the kernel at once. That one is relayed to a real server.
    linger reset{1, 0};
    ::setsockopt(first, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    ::close(first);
    ASSERT_EQ(::poll(&pfd, 1, 10000), 1) << "the client did not connect again";
    int second = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
    ASSERT_GE(second, 0);
    ByteRelay relay(second, server.port());
    ASSERT_TRUE(relay.connected());

    ASSERT_TRUE(cb->wait(kCalls, 25000)) << cb->successes << " succeeded, " << cb->failures << " failed";
    ::close(listener);
    // Of 24 MiB, a few MiB at most sat in the kernel's buffers of the first connection.
    EXPECT_GE(cb->successes, kCalls - 2) << cb->failures << " failed, last error " << cb->lastError;
    EXPECT_GE(cb->failures, 1) << "the call written to the first connection must fail, not go out twice";
    EXPECT_EQ(server.requests(), static_cast<uint64_t>(cb->successes));
}
