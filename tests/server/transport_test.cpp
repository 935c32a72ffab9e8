// UDP and Unix-domain socket endpoints, end to end: a real TC_EpollServer serving the Hello
// servant in this process, called through a Communicator's generated proxy.
//
// udp: each datagram is one length-prefixed packet; sync, callback and one-way calls work;
// the reply goes to the sender; oversize requests are refused (client: the call fails with
// a clear error; server: dropped and counted), an oversize reply is refused and counted;
// garbage datagrams are dropped and counted while other clients go on; an adapter made from
// a config file with `udp -h 127.0.0.1 -p 0` serves.
// unix: every call mode; the socket file has mode 0660, a stale file is replaced, a live
// one is never taken over, a file that is not a socket is never removed, and a clean stop
// removes the socket file.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "Hello.h"
#include "servant/BindAdapter.h"
#include "servant/CallException.h"
#include "servant/Communicator.h"
#include "servant/Coroutine.h"
#include "servant/TC_EpollServer.h"
#include "servant/TarsProtocol.h"
#include "tup/Tars.h"
#include "util/tc_config.h"

namespace tars {
namespace {

constexpr const char* kServant = "TestApp.TransportServer.HelloObj";

// testHello: sRsp = sReq; "big:N" answers N bytes; counts every call (one-way ones too).
class EchoHello : public TestApp::Hello {
public:
    explicit EchoHello(std::atomic<int>* calls) : _calls(calls) {}
    int testHello(const std::string& sReq, std::string& sRsp, CurrentPtr) override {
        _calls->fetch_add(1);
        if (sReq.starts_with("big:")) {
            sRsp.assign(static_cast<size_t>(std::stoul(sReq.substr(4))), 'r');
        } else {
            sRsp = sReq;
        }
        return 0;
    }

private:
    std::atomic<int>* _calls;
};

template <typename Pred>
bool waitUntil(Pred pred, int timeoutMs = 10000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!pred()) {
        if (std::chrono::steady_clock::now() >= deadline) return pred();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

class Callback : public TestApp::HelloPrxCallback {
public:
    void callback_testHello(tars::Int32 ret, const std::string& sRsp) override {
        std::lock_guard lock(_mutex);
        ++successes;
        lastRet = ret;
        lastRsp = sRsp;
        _cond.notify_all();
    }
    void callback_testHello_exception(tars::Int32 ret) override {
        std::lock_guard lock(_mutex);
        ++failures;
        lastError = ret;
        _cond.notify_all();
    }
    bool wait(int n) {
        std::unique_lock lock(_mutex);
        return _cond.wait_for(lock, std::chrono::seconds(10), [&] { return successes + failures >= n; });
    }
    int successes = 0;
    int failures = 0;
    int lastRet = 0;
    int lastError = 0;
    std::string lastRsp;

private:
    std::mutex _mutex;
    std::condition_variable _cond;
};

// A Hello server on one adapter, in this process.
class Server {
public:
    explicit Server(std::shared_ptr<BindAdapter> adapter) : _adapter(std::move(adapter)) {
        _adapter->setServantFactory([this] { return std::make_shared<EchoHello>(&calls); });
        _server.addAdapter(_adapter);
    }
    static std::shared_ptr<BindAdapter> adapter(const std::string& endpointText) {
        TC_Endpoint endpoint;
        endpoint.parse(endpointText);
        return std::make_shared<BindAdapter>("TestApp.TransportServer.HelloObjAdapter", endpoint, kServant);
    }
    void start() { _server.start(); }
    void stop() { _server.stop(1000); }
    BindAdapter& adapter() { return *_adapter; }
    std::string object() const {
        TC_Endpoint ep = _adapter->getEndpoint();
        if (!ep.isUnix()) ep.setPort(_adapter->getBoundPort());
        return std::string(kServant) + "@" + ep.toString();
    }

    std::atomic<int> calls{0};

private:
    std::shared_ptr<BindAdapter> _adapter;
    TC_EpollServer _server{1};
};

// ------------------------------------------------------------------ raw packets

std::string encodeRequest(int requestId, const std::string& sReq, int packetType = TARSNORMAL) {
    TarsOutputStream<BufferWriterString> args;
    args.write(sReq, 1);
    RequestPacket req;
    req.iVersion = TARSVERSION;
    req.cPacketType = static_cast<char>(packetType);
    req.iRequestId = requestId;
    req.sServantName = kServant;
    req.sFuncName = "testHello";
    std::string body = args.takeByteBuffer();
    req.sBuffer.assign(body.begin(), body.end());
    TarsOutputStream<BufferWriterString> os;
    uint32_t zero = 0;
    os.writeBuf(&zero, sizeof(zero));
    req.writeTo(os);
    std::string frame = os.takeByteBuffer();
    uint32_t length = htonl(static_cast<uint32_t>(frame.size()));
    std::memcpy(frame.data(), &length, sizeof(length));
    return frame;
}

ResponsePacket decodeResponse(const std::string& datagram) {
    ResponsePacket rsp;
    TarsInputStream<BufferReader> is;
    is.setBuffer(datagram.data() + 4, datagram.size() - 4);
    rsp.readFrom(is);
    return rsp;
}

// A plain UDP socket on the test thread.
class UdpPeer {
public:
    explicit UdpPeer(int port) {
        _fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        _to.sin_family = AF_INET;
        _to.sin_port = htons(static_cast<uint16_t>(port));
        _to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        timeval tv{10, 0};
        ::setsockopt(_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    }
    ~UdpPeer() { ::close(_fd); }
    bool send(const std::string& bytes) {
        return ::sendto(_fd, bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&_to), sizeof(_to)) ==
               static_cast<ssize_t>(bytes.size());
    }
    // One datagram, or "" after 10 s.
    std::string receive() {
        std::string buf(70000, '\0');
        ssize_t n = ::recv(_fd, buf.data(), buf.size(), 0);
        buf.resize(n > 0 ? static_cast<size_t>(n) : 0);
        return buf;
    }

private:
    int _fd = -1;
    sockaddr_in _to{};
};

// ------------------------------------------------------------------ udp

class UdpTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        prx = comm.stringToProxy<TestApp::HelloPrx>(server.object());
    }
    void TearDown() override { server.stop(); }

    Server server{Server::adapter("udp -h 127.0.0.1 -p 0 -t 60000")};
    Communicator comm;
    TestApp::HelloPrx prx;
};

TEST_F(UdpTest, SyncCallsGoOneDatagramEachWay) {
    EXPECT_GT(server.adapter().getBoundPort(), 0);
    for (int i = 0; i < 20; ++i) {
        std::string rsp;
        EXPECT_EQ(prx->testHello("udp" + std::to_string(i), rsp), 0);
        EXPECT_EQ(rsp, "udp" + std::to_string(i));
    }
    // A reply that fills most of a datagram still fits.
    std::string rsp;
    EXPECT_EQ(prx->testHello("big:60000", rsp), 0);
    EXPECT_EQ(rsp.size(), 60000u);
    EXPECT_EQ(server.adapter().getConnectionCount(), 0u);
}

TEST_F(UdpTest, TheSocketAsksForAReceiveBufferLargerThanTheDefault) {
    // The kernel reports twice what was set; it caps what may be set at net.core.rmem_max.
    int rmemMax = 0;
    std::ifstream("/proc/sys/net/core/rmem_max") >> rmemMax;
    if (rmemMax <= 0) GTEST_SKIP() << "net.core.rmem_max is not readable here";
    int have = server.adapter().listenSocket().getRecvBufferSize();
    EXPECT_GE(have, 2 * std::min(BindAdapter::kDatagramRecvBuffer, rmemMax));
}

TEST_F(UdpTest, CallbackPromiseAndOneWayCallsWork) {
    auto cb = std::make_shared<Callback>();
    prx->async_testHello(cb, "async");
    ASSERT_TRUE(cb->wait(1));
    EXPECT_EQ(cb->successes, 1);
    EXPECT_EQ(cb->lastRsp, "async");

    EXPECT_EQ(prx->promise_async_testHello("promise").get()->sRsp, "promise");

    int before = server.calls.load();
    prx->async_testHello(nullptr, "oneway");
    EXPECT_TRUE(waitUntil([&] { return server.calls.load() == before + 1; }));
    EXPECT_EQ(server.adapter().stats().oneway.load(), 1u);
}

TEST_F(UdpTest, TooLargeRequestFailsTheCallWithAClearError) {
    std::string rsp;
    try {
        prx->testHello(std::string(TarsProtocol::kMaxDatagramSize, 'q'), rsp);
        FAIL() << "a request larger than a datagram was sent";
    } catch (const TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), -13);
        EXPECT_NE(std::string(e.what()).find("UDP datagram"), std::string::npos) << e.what();
    }
    EXPECT_EQ(server.calls.load(), 0);
    // The proxy goes on.
    EXPECT_EQ(prx->testHello("after", rsp), 0);
    EXPECT_EQ(rsp, "after");
}

TEST_F(UdpTest, TooLargeReplyIsRefusedAndCounted) {
    prx->tars_set_timeout(500);
    std::string rsp;
    try {
        prx->testHello("big:70000", rsp);
        FAIL() << "a reply larger than a datagram arrived";
    } catch (const TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), -7);  // nothing comes back: the call times out
    }
    EXPECT_TRUE(waitUntil([&] { return server.adapter().stats().responsesTooLarge.load() == 1; }));
    prx->tars_set_timeout(10000);
    EXPECT_EQ(prx->testHello("small", rsp), 0);
    EXPECT_EQ(rsp, "small");
}

TEST_F(UdpTest, EachReplyGoesToItsSender) {
    UdpPeer a(server.adapter().getBoundPort());
    UdpPeer b(server.adapter().getBoundPort());
    ASSERT_TRUE(a.send(encodeRequest(5, "from-a")));
    ASSERT_TRUE(b.send(encodeRequest(5, "from-b")));
    std::string ra = a.receive();
    std::string rb = b.receive();
    ASSERT_GT(ra.size(), 4u);
    ASSERT_GT(rb.size(), 4u);
    // One packet per datagram: its length prefix is the datagram's size.
    EXPECT_EQ(ntohl(*reinterpret_cast<const uint32_t*>(ra.data())), ra.size());
    ResponsePacket pa = decodeResponse(ra);
    ResponsePacket pb = decodeResponse(rb);
    EXPECT_EQ(pa.iRequestId, 5);
    EXPECT_EQ(pb.iRequestId, 5);
    EXPECT_NE(std::string(pa.sBuffer.begin(), pa.sBuffer.end()).find("from-a"), std::string::npos);
    EXPECT_NE(std::string(pb.sBuffer.begin(), pb.sBuffer.end()).find("from-b"), std::string::npos);
}

TEST_F(UdpTest, GarbageDatagramsAreDroppedAndCountedWhileOthersAreServed) {
    UdpPeer bad(server.adapter().getBoundPort());
    const AdapterStats& stats = server.adapter().stats();
    ASSERT_TRUE(bad.send("not a tars packet at all"));
    ASSERT_TRUE(bad.send(std::string("\0\0\0", 3)));
    std::string twoPackets = encodeRequest(1, "x") + encodeRequest(2, "y");
    ASSERT_TRUE(bad.send(twoPackets));  // one datagram, one packet
    std::string lying = encodeRequest(3, "z");
    lying[3] = static_cast<char>(lying[3] + 1);  // the prefix says one byte more than there is
    ASSERT_TRUE(bad.send(lying));
    EXPECT_TRUE(waitUntil([&] { return stats.datagramsBad.load() == 4; }));
    // A right-sized packet whose body does not decode: answered or dropped, never a crash.
    std::string body(16, '\x7f');
    uint32_t length = htonl(static_cast<uint32_t>(body.size() + 4));
    ASSERT_TRUE(bad.send(std::string(reinterpret_cast<const char*>(&length), 4) + body));

    for (int i = 0; i < 5; ++i) {
        std::string rsp;
        EXPECT_EQ(prx->testHello("still " + std::to_string(i), rsp), 0);
        EXPECT_EQ(rsp, "still " + std::to_string(i));
    }
    EXPECT_EQ(server.calls.load(), 5);
}

TEST(UdpConfigTest, AnAdapterFromTheConfigServesUdp) {
    TC_Config conf;
    conf.parseString(
        "<tars><application><server>\n"
        "<TestApp.TransportServer.HelloObjAdapter>\n"
        "endpoint = udp -h 127.0.0.1 -p 0\n"
        "servant = TestApp.TransportServer.HelloObj\n"
        "maxpacketsize = 2048\n"
        "</TestApp.TransportServer.HelloObjAdapter>\n"
        "</server></application></tars>\n");
    auto adapter = BindAdapter::fromConfig(conf, "TestApp.TransportServer.HelloObjAdapter", "127.0.0.1", false);
    ASSERT_TRUE(adapter->getEndpoint().isUdp());
    Server server(adapter);
    server.start();
    Communicator comm;
    auto prx = comm.stringToProxy<TestApp::HelloPrx>(server.object());
    std::string rsp;
    EXPECT_EQ(prx->testHello("configured", rsp), 0);
    EXPECT_EQ(rsp, "configured");

    // Above the adapter's maxpacketsize: dropped unread and counted; others go on.
    UdpPeer big(adapter->getBoundPort());
    ASSERT_TRUE(big.send(encodeRequest(9, std::string(3000, 'b'))));
    EXPECT_TRUE(waitUntil([&] { return adapter->stats().datagramsTooLarge.load() == 1; }));
    EXPECT_EQ(prx->testHello("again", rsp), 0);
    EXPECT_EQ(server.calls.load(), 2);
    server.stop();
}

TEST(UdpConfigTest, UdpRefusesAuthenticationAndOtherProtocols) {
    auto make = [](const std::string& extra, const std::string& endpoint) {
        TC_Config conf;
        conf.parseString("<tars><application><server>\n<A>\nendpoint = " + endpoint + "\nservant = App.S.Obj\n" +
                         extra + "</A>\n</server></application></tars>\n");
        return BindAdapter::fromConfig(conf, "A", "127.0.0.1", false);
    };
    EXPECT_THROW(make("protocol = http\n", "udp -h 127.0.0.1 -p 0"), BindAdapter_Exception);
    EXPECT_THROW(make("accesskey = a\nsecretkey = b\n", "udp -h 127.0.0.1 -p 0 -e 1"), BindAdapter_Exception);
    EXPECT_NO_THROW(make("", "udp -h 127.0.0.1 -p 0"));
}

// ------------------------------------------------------------------ unix

// A fresh short directory for socket files (a socket path holds at most 107 bytes).
class TempDir {
public:
    TempDir() {
        std::string pattern = "/tmp/tars-unix-XXXXXX";
        if (::mkdtemp(pattern.data()) != nullptr) _path = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        if (!_path.empty()) std::filesystem::remove_all(_path, ec);
    }
    std::string file(const std::string& name) const { return _path + "/" + name; }

private:
    std::string _path;
};

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

Task<std::string> coroutineCall(TestApp::HelloPrx prx) {
    auto first = co_await prx->co_testHello("co");
    co_return first->sRsp;
}

TEST(UnixSocketTest, EveryCallModeWorksAndTheFileIsMode0660) {
    TempDir dir;
    const std::string path = dir.file("hello.sock");
    Server server(Server::adapter("unix -h " + path));
    server.start();
    struct stat st {};
    ASSERT_EQ(::lstat(path.c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0660u);
    EXPECT_EQ(server.object(), std::string(kServant) + "@unix -h " + path + " -t 3000");

    Communicator comm;
    auto prx = comm.stringToProxy<TestApp::HelloPrx>(server.object());
    std::string rsp;
    EXPECT_EQ(prx->testHello("sync", rsp), 0);
    EXPECT_EQ(rsp, "sync");

    auto cb = std::make_shared<Callback>();
    prx->async_testHello(cb, "callback");
    ASSERT_TRUE(cb->wait(1));
    EXPECT_EQ(cb->lastRsp, "callback");

    EXPECT_EQ(prx->promise_async_testHello("promise").get()->sRsp, "promise");
    EXPECT_EQ(coroutineCall(prx).get(), "co");

    int before = server.calls.load();
    prx->async_testHello(nullptr, "oneway");
    EXPECT_TRUE(waitUntil([&] { return server.calls.load() == before + 1; }));

    // A large request and reply cross the stream like over TCP.
    EXPECT_EQ(prx->testHello(std::string(200000, 'u'), rsp), 0);
    EXPECT_EQ(rsp.size(), 200000u);

    server.stop();
    EXPECT_FALSE(exists(path)) << "a clean stop removes the socket file";
}

TEST(UnixSocketTest, AStaleSocketFileIsReplaced) {
    TempDir dir;
    const std::string path = dir.file("stale.sock");
    {
        // A server that died: its file stays, nothing accepts on it.
        int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
        ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
        ::close(fd);
    }
    ASSERT_TRUE(exists(path));
    Server server(Server::adapter("unix -h " + path));
    server.start();
    Communicator comm;
    std::string rsp;
    EXPECT_EQ(comm.stringToProxy<TestApp::HelloPrx>(server.object())->testHello("fresh", rsp), 0);
    EXPECT_EQ(rsp, "fresh");
    server.stop();
}

TEST(UnixSocketTest, ALiveSocketIsNeverTakenOver) {
    TempDir dir;
    const std::string path = dir.file("live.sock");
    Server first(Server::adapter("unix -h " + path));
    first.start();

    Server second(Server::adapter("unix -h " + path));
    try {
        second.start();
        FAIL() << "a second server took over a live socket";
    } catch (const BindAdapter_Exception& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
    }
    // The first one still serves, through its own file.
    Communicator comm;
    std::string rsp;
    EXPECT_EQ(comm.stringToProxy<TestApp::HelloPrx>(first.object())->testHello("still mine", rsp), 0);
    EXPECT_EQ(rsp, "still mine");
    first.stop();
    EXPECT_FALSE(exists(path));
}

// Two servers starting on one path at once: the `<path>.lock` flock makes one of them win
// and the other fail; the winner's socket is the one on the path (it accepts).
TEST(UnixSocketTest, TwoServersBindingAtOnceNeverBothSucceed) {
    TempDir dir;
    const std::string path = dir.file("race.sock");
    for (int round = 0; round < 20; ++round) {
        auto a = Server::adapter("unix -h " + path);
        auto b = Server::adapter("unix -h " + path);
        std::atomic<int> succeeded{0};
        auto bindOne = [&](BindAdapter& adapter) {
            try {
                adapter.bind();
                ++succeeded;
            } catch (const BindAdapter_Exception&) {
            }
        };
        std::thread ta([&] { bindOne(*a); });
        std::thread tb([&] { bindOne(*b); });
        ta.join();
        tb.join();
        ASSERT_EQ(succeeded.load(), 1) << "round " << round;
        int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
        EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0) << "round " << round;
        ::close(fd);
        a->closeListen();
        b->closeListen();
        ASSERT_FALSE(exists(path)) << "round " << round;
    }
    EXPECT_TRUE(exists(path + ".lock")) << "the lock file stays";
}

// A server that cannot get the lock (another holds it for too long) fails naming the file.
TEST(UnixSocketTest, AHeldLockFileFailsTheStartNamingIt) {
    TempDir dir;
    const std::string path = dir.file("locked.sock");
    int fd = ::open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX), 0);
    auto adapter = Server::adapter("unix -h " + path);
    try {
        adapter->bind();
        FAIL() << "bound although the lock was held";
    } catch (const BindAdapter_Exception& e) {
        EXPECT_NE(std::string(e.what()).find(path + ".lock"), std::string::npos) << e.what();
    }
    ::close(fd);  // released: the next start works
    EXPECT_NO_THROW(adapter->bind());
    adapter->closeListen();
}

TEST(UnixSocketTest, AFileThatIsNoSocketIsNeverRemoved) {
    TempDir dir;
    const std::string path = dir.file("data.sock");
    std::ofstream(path) << "precious";
    Server server(Server::adapter("unix -h " + path));
    try {
        server.start();
        FAIL() << "bound over a regular file";
    } catch (const BindAdapter_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("not a socket"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(exists(path));
}

TEST(UnixSocketTest, ACallToAMissingSocketFailsWithTheReason) {
    TempDir dir;
    Communicator comm;
    auto prx = comm.stringToProxy<TestApp::HelloPrx>(std::string(kServant) + "@unix -h " + dir.file("none.sock"));
    std::string rsp;
    try {
        prx->testHello("anyone?", rsp);
        FAIL() << "a call without a server succeeded";
    } catch (const TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), -8);
    }
}

}  // namespace
}  // namespace tars
