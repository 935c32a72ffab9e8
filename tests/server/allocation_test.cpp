// The server's request path allocates nothing per request in steady state, apart from what
// the servant itself does with the payload.
//
// What runs: a real TC_EpollServer (one NetThread, an adapter with two handle threads, or
// merge mode) in this process, serving the servant tars2cpp generates from
// examples/hello/Hello.tars (testHello(sReq, out sRsp): sRsp = sReq). A plain blocking
// socket on the test thread writes pre-encoded RequestPackets (100-byte sReq), 32 in
// flight, and reads the replies.
//
// What is counted: every call of the global operator new (replaced below) made by any
// thread but the test's own, between the end of the warm-up and the last reply of the
// measured requests. Calls made inside the servant's onDispatch (the generated code
// decoding sReq, the user's method filling sRsp, the generated code encoding the result)
// are counted apart as "servant" allocations: they hold the payload and belong to the
// servant. Everything else (reading, framing, the hand-over to the handle threads, the
// Current, decoding the RequestPacket, encoding the ResponsePacket, the hand-back to the
// network thread, writing) is the runtime, and must not allocate.
//
// Growth of a buffer to a size it never needed during the warm-up (a moment of the machine
// being slower than ever before piles more replies up in one loop turn) would be a one-off
// allocation, so the test allows a handful over the 10,240 requests rather than being
// flaky on a busy machine; on a quiet one the count is 0.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "Hello.h"
#include "servant/BindAdapter.h"
#include "servant/TC_EpollServer.h"
#include "tup/Tars.h"

namespace {

std::atomic<bool> g_counting{false};
std::atomic<size_t> g_allocations{0};
std::atomic<size_t> g_servantAllocations{0};
thread_local bool t_notCounted = false;  // the test thread (the client)
thread_local int t_inServant = 0;

void* allocate(std::size_t size) {
    if (g_counting.load(std::memory_order_relaxed) && !t_notCounted) {
        g_allocations.fetch_add(1, std::memory_order_relaxed);
        if (t_inServant > 0) g_servantAllocations.fetch_add(1, std::memory_order_relaxed);
    }
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace tars;

constexpr const char* kServant = "TestApp.AllocServer.HelloObj";
constexpr size_t kInFlight = 32;
constexpr size_t kWarmupRounds = 2000;
constexpr size_t kRounds = 320;  // x kInFlight = 10,240 measured requests
constexpr size_t kSlack = 8;     // one-off growth allowed over all of them (see above)

class CountingHello : public TestApp::Hello {
public:
    int onDispatch(CurrentPtr current, std::vector<char>& response) override {
        struct InServant {
            InServant() { ++t_inServant; }
            ~InServant() { --t_inServant; }
        } inServant;
        return TestApp::Hello::onDispatch(std::move(current), response);
    }
    int testHello(const std::string& sReq, std::string& sRsp, CurrentPtr) override {
        sRsp = sReq;
        return 0;
    }
};

std::string encodeFrame(const std::string& payload, int requestId) {
    TarsOutputStream<BufferWriterVector> args;
    args.write(payload, 1);
    RequestPacket req;
    req.iVersion = TARSVERSION;
    req.cPacketType = TARSNORMAL;
    req.iRequestId = requestId;
    req.sServantName = kServant;
    req.sFuncName = "testHello";
    req.sBuffer = args.takeByteBuffer();
    TarsOutputStream<BufferWriterString> os;
    uint32_t zero = 0;
    os.writeBuf(&zero, sizeof(zero));
    req.writeTo(os);
    std::string frame = os.takeByteBuffer();
    uint32_t length = htonl(static_cast<uint32_t>(frame.size()));
    std::memcpy(frame.data(), &length, sizeof(length));
    return frame;
}

class Client {
public:
    explicit Client(int port) {
        _fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) std::abort();
        int one = 1;
        ::setsockopt(_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    ~Client() { ::close(_fd); }

    void sendAll(const std::string& bytes) {
        size_t sent = 0;
        while (sent < bytes.size()) {
            ssize_t w = ::send(_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            ASSERT_GT(w, 0);
            sent += static_cast<size_t>(w);
        }
    }
    // Reads exactly n bytes into out (sized by the caller).
    void readExactly(char* out, size_t n) {
        size_t got = 0;
        while (got < n) {
            ssize_t r = ::recv(_fd, out + got, n - got, 0);
            ASSERT_GT(r, 0);
            got += static_cast<size_t>(r);
        }
    }

private:
    int _fd = -1;
};

struct Counts {
    size_t runtime = 0;
    size_t servant = 0;
};

Counts measure(bool merge) {
    TC_Endpoint endpoint;
    endpoint.parse("tcp -h 127.0.0.1 -p 0 -t 60000");
    auto adapter = std::make_shared<BindAdapter>("TestApp.AllocServer.HelloObjAdapter", endpoint, kServant);
    adapter->setHandleNum(2);
    adapter->setQueueCapacity(100000);
    adapter->setMerge(merge);
    adapter->setServantFactory([] { return std::make_shared<CountingHello>(); });
    TC_EpollServer server(1);
    server.addAdapter(adapter);
    server.start();

    Counts counts;
    {
        t_notCounted = true;
        Client client(adapter->getBoundPort());
        const std::string payload(100, 'x');
        std::string batch;
        for (size_t i = 0; i < kInFlight; ++i) batch += encodeFrame(payload, static_cast<int>(i + 1));

        // The first reply, decoded: the call works and tells the reply size.
        client.sendAll(batch.substr(0, batch.size() / kInFlight));
        char header[4];
        client.readExactly(header, 4);
        uint32_t length = 0;
        std::memcpy(&length, header, 4);
        length = ntohl(length);
        std::vector<char> first(length);
        std::memcpy(first.data(), header, 4);
        client.readExactly(first.data() + 4, length - 4);
        ResponsePacket rsp;
        TarsInputStream<BufferReader> is;
        is.setBuffer(first.data() + 4, first.size() - 4);
        rsp.readFrom(is);
        EXPECT_EQ(rsp.iRet, 0);
        TarsInputStream<BufferReader> body;
        body.setBuffer(rsp.sBuffer);
        int ret = -1;
        std::string echoed;
        body.read(ret, 0, true);
        body.read(echoed, 2, true);
        EXPECT_EQ(echoed, payload);

        // Every reply has the length of the first (same payload, ids of equal width).
        std::vector<char> replies(length * kInFlight);
        auto round = [&] {
            client.sendAll(batch);
            client.readExactly(replies.data(), replies.size());
        };
        for (size_t i = 0; i < kWarmupRounds; ++i) round();

        g_allocations = 0;
        g_servantAllocations = 0;
        g_counting = true;
        for (size_t i = 0; i < kRounds; ++i) round();
        g_counting = false;
        counts.servant = g_servantAllocations.load();
        counts.runtime = g_allocations.load() - counts.servant;
        t_notCounted = false;
    }
    server.stop(5000);
    return counts;
}

void report(const char* mode, const Counts& counts) {
    const double requests = static_cast<double>(kRounds * kInFlight);
    std::printf(
        "%s: %zu requests; runtime allocations %zu (%.4f per request); servant allocations %zu "
        "(%.2f per request: the argument and result strings)\n",
        mode, kRounds * kInFlight, counts.runtime, static_cast<double>(counts.runtime) / requests, counts.servant,
        static_cast<double>(counts.servant) / requests);
}

TEST(ServerAllocation, RequestPathAllocatesNothingBeyondThePayload) {
    Counts counts = measure(false);
    report("handle threads", counts);
    EXPECT_LE(counts.runtime, kSlack);
    // The servant's own work on the payload does allocate, and the counting sees it: the two
    // strings testHello's signature asks for (sReq decoded, sRsp assigned). The generated
    // encoder writes the reply into the handle's kept buffer, so nothing more.
    EXPECT_GE(counts.servant, kRounds * kInFlight);
    EXPECT_LE(counts.servant, 2 * kRounds * kInFlight + kSlack);
}

TEST(ServerAllocation, MergeModeAllocatesNothingBeyondThePayload) {
    Counts counts = measure(true);
    report("merge mode", counts);
    EXPECT_LE(counts.runtime, kSlack);
    EXPECT_GE(counts.servant, kRounds * kInFlight);
    EXPECT_LE(counts.servant, 2 * kRounds * kInFlight + kSlack);
}

}  // namespace
