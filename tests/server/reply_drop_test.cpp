// A reply for a connection that is gone is dropped, counted in the adapter's
// droppedResponses (rsp.dropped of tars.viewstatus), and reported to the sender as false,
// whichever way it goes: Current::sendResponse (copied or moved bytes, TARS or raw), the
// NetThread's send on its own loop thread, or a reply queued from another thread that the
// loop finds without a connection.
//
// What runs: a real TC_EpollServer (one NetThread, one handle) in this process; a servant
// keeps the Current of a request and answers later (setResponse(false)), as an async
// servant does; a plain socket on the test thread is the client.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "servant/BindAdapter.h"
#include "servant/Current.h"
#include "internal/NetThread.h"
#include "servant/Servant.h"
#include "servant/TC_EpollServer.h"
#include "tup/Tars.h"
#include "util/tc_timeprovider.h"

namespace tars {
namespace {

constexpr const char* kServant = "TestApp.DropServer.HoldObj";

// Hands the Current of its first request to the test and answers nothing by itself (an
// async servant).
class HoldingServant : public Servant {
public:
    explicit HoldingServant(std::shared_ptr<std::promise<CurrentPtr>> held) : _held(std::move(held)) {}
    int onDispatch(CurrentPtr current, std::vector<char>&) override {
        current->setResponse(false);
        if (_held) _held->set_value(current);
        _held.reset();
        return 0;
    }

private:
    std::shared_ptr<std::promise<CurrentPtr>> _held;
};

std::string encodeRequest(int requestId) {
    RequestPacket req;
    req.iVersion = TARSVERSION;
    req.cPacketType = TARSNORMAL;
    req.iRequestId = requestId;
    req.sServantName = kServant;
    req.sFuncName = "hold";
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
        _connected = ::connect(_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    }
    ~Client() { close(); }
    bool connected() const { return _connected; }
    bool sendAll(const std::string& bytes) {
        size_t sent = 0;
        while (sent < bytes.size()) {
            ssize_t w = ::send(_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (w <= 0) return false;
            sent += static_cast<size_t>(w);
        }
        return true;
    }
    // The length of the next reply frame (its first 4 bytes), 0 on error.
    uint32_t readFrameLength() {
        char header[4];
        size_t got = 0;
        while (got < sizeof(header)) {
            ssize_t r = ::recv(_fd, header + got, sizeof(header) - got, 0);
            if (r <= 0) return 0;
            got += static_cast<size_t>(r);
        }
        uint32_t length;
        std::memcpy(&length, header, sizeof(length));
        return ntohl(length);
    }
    void close() {
        if (_fd >= 0) ::close(_fd);
        _fd = -1;
    }

private:
    int _fd = -1;
    bool _connected = false;
};

// A started server whose servant holds the Current of the first request.
class ReplyDropTest : public ::testing::Test {
protected:
    void SetUp() override {
        TC_Endpoint endpoint;
        endpoint.parse("tcp -h 127.0.0.1 -p 0 -t 60000");
        adapter = std::make_shared<BindAdapter>("TestApp.DropServer.HoldObjAdapter", endpoint, kServant);
        adapter->setHandleNum(1);
        auto held = std::make_shared<std::promise<CurrentPtr>>();
        heldCurrent = held->get_future();
        adapter->setServantFactory([held] { return std::make_shared<HoldingServant>(held); });
        server.addAdapter(adapter);
        server.start();
    }
    void TearDown() override { server.stop(5000); }

    // Sends a request from client and returns its Current, held by the servant.
    CurrentPtr hold(Client& client) {
        EXPECT_TRUE(client.connected());
        if (!client.sendAll(encodeRequest(1))) return nullptr;
        if (heldCurrent.wait_for(std::chrono::seconds(10)) != std::future_status::ready) return nullptr;
        return heldCurrent.get();
    }

    // Waits (bounded) until the server has seen the client's close.
    static bool waitClosed(const CurrentPtr& current) {
        int64_t deadline = TC_TimeProvider::steadyNowMs() + 10000;
        while (current->isConnectionOpen()) {
            if (TC_TimeProvider::steadyNowMs() > deadline) return false;
            std::this_thread::yield();
        }
        return true;
    }

    // Runs f on the connection's network thread and waits for it.
    template <typename F>
    static bool onLoop(const std::shared_ptr<NetThread>& owner, F f) {
        auto done = std::make_shared<std::promise<void>>();
        std::future<void> finished = done->get_future();
        if (!owner->runInLoop([f, done] {
                f();
                done->set_value();
            })) {
            return false;
        }
        return finished.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    }

    uint64_t dropped() const { return adapter->stats().droppedResponses.load(); }

    std::shared_ptr<BindAdapter> adapter;
    std::future<CurrentPtr> heldCurrent;
    TC_EpollServer server{1};
};

TEST_F(ReplyDropTest, AReplyToAnOpenConnectionIsSentAndNotCounted) {
    Client client(adapter->getBoundPort());
    CurrentPtr current = hold(client);
    ASSERT_NE(current, nullptr);
    EXPECT_TRUE(current->sendResponse(0, std::vector<char>{'o', 'k'}));
    EXPECT_GT(client.readFrameLength(), 4u);
    EXPECT_EQ(dropped(), 0u);
}

TEST_F(ReplyDropTest, SendResponseToAClosedConnectionReturnsFalseAndCountsTheDrop) {
    Client client(adapter->getBoundPort());
    CurrentPtr current = hold(client);
    ASSERT_NE(current, nullptr);
    client.close();
    ASSERT_TRUE(waitClosed(current));

    EXPECT_FALSE(current->sendResponse(0, std::vector<char>{'x'}));
    EXPECT_EQ(dropped(), 1u) << "a small (copied) reply";
    EXPECT_FALSE(current->sendResponse(0, std::vector<char>(NetThread::kMoveThreshold + 1, 'y')));
    EXPECT_EQ(dropped(), 2u) << "a large (moved) reply";
    EXPECT_FALSE(current->sendResponse("raw", 3));
    EXPECT_EQ(dropped(), 3u) << "raw bytes";
    current->close();  // a close alone is no reply
    EXPECT_EQ(dropped(), 3u);
}

TEST_F(ReplyDropTest, NetThreadSendOnItsLoopToAClosedConnectionReturnsFalseAndCountsTheDrop) {
    Client client(adapter->getBoundPort());
    CurrentPtr current = hold(client);
    ASSERT_NE(current, nullptr);
    std::shared_ptr<NetThread> owner = current->connection()->owner.lock();
    ASSERT_NE(owner, nullptr);
    const uint64_t uid = current->getUId();
    client.close();
    ASSERT_TRUE(waitClosed(current));

    bool copied = true, moved = true, closeOnly = true;
    ASSERT_TRUE(onLoop(owner, [&] {
        copied = owner->send(uid, adapter.get(), 0, "copied", nullptr, false);
        std::string big(NetThread::kMoveThreshold, 'm');
        moved = owner->send(uid, adapter.get(), 0, {}, &big, false);
        closeOnly = owner->send(uid, adapter.get(), 0, {}, nullptr, true);
    }));
    EXPECT_FALSE(copied);
    EXPECT_FALSE(moved);
    EXPECT_FALSE(closeOnly);
    EXPECT_EQ(dropped(), 2u) << "the two replies; the close alone is not one";
}

TEST_F(ReplyDropTest, AReplyQueuedFromAnotherThreadIsCountedWhenTheLoopFindsNoConnection) {
    Client client(adapter->getBoundPort());
    CurrentPtr current = hold(client);
    ASSERT_NE(current, nullptr);
    std::shared_ptr<NetThread> owner = current->connection()->owner.lock();
    ASSERT_NE(owner, nullptr);
    const uint64_t uid = current->getUId();
    client.close();
    ASSERT_TRUE(waitClosed(current));

    // From this thread the reply is only queued: the loop finds out.
    EXPECT_TRUE(owner->send(uid, adapter.get(), 0, "late", nullptr, false));
    std::string big(NetThread::kMoveThreshold, 'm');
    EXPECT_TRUE(owner->send(uid, adapter.get(), 0, {}, &big, false));
    // The loop takes a batch's replies before its tasks: once this task ran, both were seen.
    ASSERT_TRUE(onLoop(owner, [] {}));
    EXPECT_EQ(dropped(), 2u);
}

}  // namespace
}  // namespace tars
