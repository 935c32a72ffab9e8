// async_response_<method>() sends the same bytes as the synchronous answer.
// Its reply goes through Current::sendResponse() to the connection's network
// thread, so this test runs the generated servants in a real TC_EpollServer on
// a loopback port of the kernel's choosing (parallel-safe), and calls each
// method twice over one connection: answered at once, and answered later from
// another thread (request context "async" = "1").
#include "LoopbackServer.h"
#include "ServantImps.h"
#include "ServantTestSupport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tars2cpp::test {
namespace {

using Bytes = std::vector<char>;

// A blocking client with a receive timeout, over one connection.
class Client {
public:
    explicit Client(int port) {
        _fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        timeval timeout{10, 0};
        ::setsockopt(_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        _connected = ::connect(_fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
    }
    ~Client() { ::close(_fd); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    bool connected() const { return _connected; }

    // Sends one request and returns the sBuffer of its reply, checking its iRet.
    Bytes call(const tars::RequestPacket& request, int expectedRet = tars::TARSSERVERSUCCESS) {
        tars::TarsOutputStream<tars::BufferWriterVector> os;
        const std::uint32_t lengthPrefix = 0;  // patched once the body is written
        os.writeBuf(&lengthPrefix, sizeof(lengthPrefix));
        request.writeTo(os);
        Bytes packet = os.getByteBuffer();
        const std::uint32_t length = htonl(static_cast<std::uint32_t>(packet.size()));
        std::memcpy(packet.data(), &length, sizeof(length));
        if (!sendAll(packet)) {
            ADD_FAILURE() << "send failed";
            return {};
        }
        const std::optional<Bytes> reply = readPacket();
        if (!reply) {
            ADD_FAILURE() << "no reply to " << request.sFuncName;
            return {};
        }
        tars::TarsInputStream<tars::BufferReader> is;
        is.setBuffer(reply->data() + 4, reply->size() - 4);
        if (request.iVersion == tars::TUPVERSION || request.iVersion == tars::TUP_VERSION_COMPLEX) {
            tars::RequestPacket response;
            response.readFrom(is);
            EXPECT_EQ(response.iRequestId, request.iRequestId);
            EXPECT_EQ(response.status["STATUS_RESULT_CODE"], std::to_string(expectedRet));
            return response.sBuffer;
        }
        tars::ResponsePacket response;
        response.readFrom(is);
        EXPECT_EQ(response.iRequestId, request.iRequestId);
        EXPECT_EQ(response.iVersion, request.iVersion);
        EXPECT_EQ(response.iRet, expectedRet) << response.sResultDesc;
        return response.sBuffer;
    }

private:
    bool sendAll(const Bytes& bytes) {
        std::size_t sent = 0;
        while (sent < bytes.size()) {
            const ssize_t n = ::send(_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return false;
            sent += static_cast<std::size_t>(n);
        }
        return true;
    }

    bool readExactly(char* into, std::size_t length) {
        std::size_t got = 0;
        while (got < length) {
            const ssize_t n = ::recv(_fd, into + got, length - got, 0);
            if (n <= 0) return false;
            got += static_cast<std::size_t>(n);
        }
        return true;
    }

    std::optional<Bytes> readPacket() {
        Bytes packet(4);
        if (!readExactly(packet.data(), 4)) return std::nullopt;
        std::uint32_t length = 0;
        std::memcpy(&length, packet.data(), 4);
        length = ntohl(length);
        if (length < 4 || length > (1u << 26)) return std::nullopt;
        packet.resize(length);
        if (!readExactly(packet.data() + 4, length - 4)) return std::nullopt;
        return packet;
    }

    int _fd = -1;
    bool _connected = false;
};

class AsyncResponse : public ::testing::TestWithParam<short> {
protected:
    tars::RequestPacket request(const std::string& servant, const std::string& func, const Arguments& args,
                                bool later) {
        tars::RequestPacket packet;
        packet.iVersion = GetParam();
        packet.iRequestId = ++_requestId;
        packet.sServantName = servant;
        packet.sFuncName = func;
        packet.sBuffer = args.bytes();
        packet.iTimeout = 10000;
        if (later) packet.context["async"] = "1";
        return packet;
    }

    // The result of func answered at once, and answered later: the same bytes.
    void expectSameAnswer(Client& client, const std::string& servant, const std::string& func, const Arguments& args,
                          bool nonEmpty = true) {
        const Bytes now = client.call(request(servant, func, args, false));
        const int answeredLater = laterCount().load();
        const Bytes later = client.call(request(servant, func, args, true));
        EXPECT_EQ(laterCount().load(), answeredLater + 1) << func << " did not answer through async_response_";
        EXPECT_EQ(toHex(later), toHex(now)) << func;
        if (nonEmpty) {
            EXPECT_FALSE(now.empty()) << func;
        }
    }

    Arguments args() const { return Arguments(GetParam()); }

    int _requestId = 0;
};

constexpr const char* kInterop = "Test.InteropServer.InteropObj";
constexpr const char* kCatalog = "Shop.CatalogServer.CatalogObj";

TEST_P(AsyncResponse, InteropMethodsAnswerTheSameLater) {
    const auto server = LoopbackServer::start<InteropImp>(kInterop);
    Client client(server->port());
    ASSERT_TRUE(client.connected());

    expectSameAnswer(client, kInterop, "echo", args().add("s", 1, std::string("hello")));
    expectSameAnswer(client, kInterop, "add", args().add("a", 1, 1).add("b", 2, 2));
    ::Test::AllTypes all;
    all.bin = {'\0', '\x7f'};
    all.vs = {"v"};
    all.inner.id = 3;
    all.vi = {-1};
    expectSameAnswer(client, kInterop, "roundTrip", args().add("req", 1, all));

    // The synchronous echo is node's exact answer (tests/vectors/golden.json).
    if (GetParam() == tars::TARSVERSION) {
        EXPECT_EQ(toHex(client.call(request(kInterop, "echo", args().add("s", 1, std::string("hello")), true))),
                  goldenField("TARS v1 response to echo: return \"hello\"", "sBuffer_hex"));
    }
}

TEST_P(AsyncResponse, CatalogMethodsAnswerTheSameLater) {
    const auto server = LoopbackServer::start<CatalogImp>(kCatalog);
    Client client(server->port());
    ASSERT_TRUE(client.connected());

    Shop::Item item;
    item.name = "pear";
    item.price = -7;
    expectSameAnswer(client, kCatalog, "ping", args(), GetParam() != tars::TARSVERSION);
    expectSameAnswer(client, kCatalog, "find", args().add("name", 1, std::string("apple")));
    expectSameAnswer(client, kCatalog, "total",
                     args()
                         .add("items", 1, std::vector<Shop::Item>{item, item})
                         .add("extras", 2, std::map<std::string, tars::Int64>{{"x", 1LL << 40}}));
    expectSameAnswer(client, kCatalog, "check",
                     args()
                         .add("status", 1, Shop::BLOCKED)
                         .add("level", 2, tars::Char(1))
                         .add("small", 3, tars::Short(2))
                         .add("big", 4, tars::UInt32(3))
                         .add("ratio", 5, tars::Float(4))
                         .add("precise", 6, tars::Double(5)));
    expectSameAnswer(client, kCatalog, "digest", args().add("data", 1, std::vector<tars::Char>{'a', '\0', '\x80'}));

    // store and clear change the servant: compare each against the same state.
    const Bytes storedNow = client.call(request(kCatalog, "store", args().add("item", 1, item), false));
    const Bytes clearedNow = client.call(request(kCatalog, "clear", args(), false));
    const int answeredLater = laterCount().load();
    const Bytes storedLater = client.call(request(kCatalog, "store", args().add("item", 1, item), true));
    const Bytes clearedLater = client.call(request(kCatalog, "clear", args(), true));
    EXPECT_EQ(laterCount().load(), answeredLater + 2);
    EXPECT_EQ(toHex(storedLater), toHex(storedNow));
    EXPECT_EQ(toHex(clearedLater), toHex(clearedNow));
    EXPECT_EQ(Result(GetParam(), clearedNow).get<tars::Int32>("removed", 1), 1);
}

TEST_P(AsyncResponse, ErrorsReachTheClient) {
    const auto server = LoopbackServer::start<InteropImp>(kInterop);
    Client client(server->port());
    ASSERT_TRUE(client.connected());
    client.call(request(kInterop, "noSuchMethod", args(), false), tars::TARSSERVERNOFUNCERR);
    client.call(request(kInterop, "echo", args(), false), tars::TARSSERVERDECODEERR);
    client.call(request(kInterop, "fail", args().add("code", 1, -77), false), -77);
    // The connection still serves.
    client.call(request(kInterop, "add", args().add("a", 1, 1).add("b", 2, 2), false));
}

INSTANTIATE_TEST_SUITE_P(Versions, AsyncResponse,
                         ::testing::Values(tars::TARSVERSION, tars::TUP_VERSION_COMPLEX, tars::TUPVERSION,
                                           tars::JSONVERSION),
                         versionName);

}  // namespace
}  // namespace tars2cpp::test
