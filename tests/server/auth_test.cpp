// TARS authentication (`-e 1`) end to end, with real TestServer processes on loopback:
// our client and our server; a raw client sending TarsCpp 3.x's exact first packet (bytes
// written by hand here, signature made by the openssl command line); a wrong key, a time
// two hours off and a package replayed on a second connection to another object, each
// closed without a reply and counted by code in tars.viewstatus; requests sent before
// authenticating are never served; our client against a server that answers as TarsCpp's
// does; and the configuration mistakes that stop a start.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>

#include "BaseF.h"
#include "Fixtures.h"
#include "servant/CallException.h"
#include "servant/Communicator.h"
#include "tup/Tars.h"
#include "util/tc_config.h"

namespace tars::test {
namespace {

const std::string kEcho2 = "TestApp.TestServer.Echo2Obj";
const std::string kEcho2Adapter = "TestApp.TestServer.Echo2ObjAdapter";
const std::string kAccessKey = "echo-access";
const std::string kSecretKey = "echo-secret-123456";

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The signature bytes of secret at time, from the openssl command line (auth_kat.sh).
std::string opensslSignature(const std::string& secret, int64_t time) {
    std::string command =
        std::string("bash ") + AUTH_KAT_SCRIPT + " " + shellQuote(secret) + " " + std::to_string(time) + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return {};
    std::string output;
    std::array<char, 512> buffer{};
    while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) output += buffer.data();
    if (::pclose(pipe) != 0) {
        ADD_FAILURE() << "auth_kat.sh failed: " << output;
        return {};
    }
    size_t at = output.find("signature=");
    if (at == std::string::npos) return {};
    std::string hex = output.substr(at + 10, output.find_first_of(" \n", at + 10) - at - 10);
    std::string bytes;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return bytes;
}

// ---- TARS encoding by hand (DESIGN.md's rules), to send exactly what TarsCpp sends.
std::string head(int tag, int type) { return std::string(1, static_cast<char>((tag << 4) | type)); }
std::string integer(int tag, int64_t v) {
    std::string out;
    if (v == 0) return head(tag, 12);
    int bytes = v >= -128 && v <= 127 ? 1 : v >= -32768 && v <= 32767 ? 2 : v >= INT32_MIN && v <= INT32_MAX ? 4 : 8;
    out = head(tag, bytes == 1 ? 0 : bytes == 2 ? 1 : bytes == 4 ? 2 : 3);
    for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((static_cast<uint64_t>(v) >> (8 * i)) & 0xff);
    return out;
}
std::string string1(int tag, const std::string& s) { return head(tag, 6) + static_cast<char>(s.size()) + s; }
std::string bytesField(int tag, const std::string& b) { return head(tag, 13) + head(0, 0) + integer(0, b.size()) + b; }
std::string emptyMap(int tag) { return head(tag, 8) + integer(0, 0); }
std::string framed(const std::string& body) {
    uint32_t n = static_cast<uint32_t>(body.size() + 4);
    std::string out(4, '\0');
    for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(n >> (8 * (3 - i)));
    return out + body;
}

// BasicAuthPackage {1 sObjName, 2 sAccessKey, 3 iTime, 5 sSignature} (4 left at "sha1").
std::string tarsCppPackage(const std::string& object, const std::string& accessKey, const std::string& secret,
                           int64_t time) {
    return string1(1, object) + string1(2, accessKey) + integer(3, time) + string1(5, opensslSignature(secret, time));
}

// TarsCpp 3.x's first packet: RequestPacket{iVersion 1, cPacketType 0, iMessageType 0x40,
// iRequestId 1, "authServant", "InnerAuthServer", the package, iTimeout 0, {}, {}}.
std::string tarsCppFirstPacket(const std::string& package) {
    return framed(integer(1, 1) + integer(2, 0) + integer(3, 0x40) + integer(4, 1) + string1(5, "authServant") +
                  string1(6, "InnerAuthServer") + bytesField(7, package) + integer(8, 0) + emptyMap(9) + emptyMap(10));
}

int64_t now() { return static_cast<int64_t>(::time(nullptr)); }

class AuthTest : public TestServerFixture {
protected:
    AdapterSpec authSpec(const std::string& adapter, const std::string& servant, int port) {
        AdapterSpec a;
        a.name = adapter;
        a.servant = servant;
        a.port = port;
        a.endpointOptions = "-e 1";
        a.extra = "accesskey=" + kAccessKey + "\nsecretkey=" + kSecretKey;
        return a;
    }
    void startAuthServer() {
        startServer({authSpec(kEchoAdapter, kEcho, echoPort), authSpec(kEcho2Adapter, kEcho2, otherPort)});
    }
    std::string objectString(const std::string& servant, int port) {
        return servant + "@tcp -h 127.0.0.1 -p " + std::to_string(port) + " -e 1";
    }
    std::string callEcho(const std::shared_ptr<ServantProxy>& prx, const std::string& text) {
        ResponsePacket rsp;
        prx->tars_invoke(TARSNORMAL, "echo", stringArg(text), {}, rsp);
        return readString(rsp.sBuffer, 0);
    }
    // Sends the first packet; true when the server closes without sending anything.
    bool closedWithoutReply(int port, const std::string& firstPacket) {
        RawClient c(port);
        if (!c.sendAll(firstPacket)) return false;
        auto any = c.readExactly(1, 5000);
        if (any) return false;
        return c.waitClosed(100);
    }
};

TEST_F(AuthTest, OurClientAuthenticatesWithKeysFromItsObjectSection) {
    startAuthServer();
    TC_Config conf;
    conf.parseString("<tars><application><client>\n<" + kEcho + ">\naccesskey=" + kAccessKey +
                     "\nsecretkey=" + kSecretKey + "\n</" + kEcho + ">\n</client></application></tars>");
    Communicator comm(conf);
    auto prx = comm.stringToProxy<ServantProxy>(objectString(kEcho, echoPort));
    EXPECT_NO_THROW(prx->tars_ping());
    EXPECT_EQ(callEcho(prx, "after auth"), "after auth");
    EXPECT_EQ(waitForStatus(adminPort, kEchoAdapter, "auth.succ", 1), 1);
    EXPECT_EQ(status(kEchoAdapter, "auth.fail.-102"), "0");
}

TEST_F(AuthTest, TarsCppFirstPacketIsAnsweredAuthSuccAndRequestsFollow) {
    startAuthServer();
    RawClient c(echoPort);
    ASSERT_TRUE(c.sendAll(tarsCppFirstPacket(tarsCppPackage(kEcho, kAccessKey, kSecretKey, now()))));
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp.has_value());
    EXPECT_EQ(rsp->iVersion, 1);
    EXPECT_EQ(rsp->cPacketType, 0);
    EXPECT_EQ(rsp->iRequestId, 1);
    EXPECT_EQ(rsp->iMessageType, 0x40);
    EXPECT_EQ(rsp->iRet, 0);
    EXPECT_EQ(std::string(rsp->sBuffer.begin(), rsp->sBuffer.end()), "AUTH_SUCC");
    EXPECT_EQ(echo(c, "served", 7), "served");
}

TEST_F(AuthTest, OlderTarsCppFirstPacketIsReadWhateverItsNameAndId) {
    startAuthServer();
    std::string package = tarsCppPackage(kEcho, kAccessKey, kSecretKey, now());
    std::string packet =
        framed(integer(1, 1) + integer(2, 0) + integer(3, 0x40) + integer(4, 0) + string1(5, "authServant") +
               string1(6, "tarsInnerAuthServer") + bytesField(7, package) + integer(8, 0) + emptyMap(9) + emptyMap(10));
    RawClient c(echoPort);
    ASSERT_TRUE(c.sendAll(packet));
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp.has_value());
    EXPECT_EQ(rsp->iRequestId, 0);
    EXPECT_EQ(std::string(rsp->sBuffer.begin(), rsp->sBuffer.end()), "AUTH_SUCC");
}

TEST_F(AuthTest, WrongSecretKeyClosesWithoutReply) {
    startAuthServer();
    EXPECT_TRUE(closedWithoutReply(echoPort, tarsCppFirstPacket(tarsCppPackage(kEcho, kAccessKey, "wrong", now()))));
    // A wrong key almost always breaks the padding (-105), else the comparison (-106).
    int64_t deadline = nowMs() + 10000;
    long failures = 0;
    while (nowMs() < deadline) {
        std::string report = adminNotify(adminPort, "tars.viewstatus");
        failures = std::stol("0" + statusValue(report, kEchoAdapter, "auth.fail.-105")) +
                   std::stol("0" + statusValue(report, kEchoAdapter, "auth.fail.-106"));
        if (failures >= 1) break;
    }
    EXPECT_EQ(failures, 1);

    // Our client with the wrong key: the call ends as a connect error naming the reason.
    Communicator comm;
    comm.setObjectProperty(kEcho, "accesskey", kAccessKey);
    comm.setObjectProperty(kEcho, "secretkey", "wrong");
    auto prx = comm.stringToProxy<ServantProxy>(objectString(kEcho, echoPort));
    try {
        prx->tars_ping();
        ADD_FAILURE() << "the call succeeded with a wrong secret key";
    } catch (const TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), TARSPROXYCONNECTERR);
        EXPECT_NE(std::string(e.what()).find("authentication"), std::string::npos) << e.what();
    }
}

TEST_F(AuthTest, WrongAccessKeyIsCountedAsMinus102) {
    startAuthServer();
    EXPECT_TRUE(closedWithoutReply(echoPort, tarsCppFirstPacket(tarsCppPackage(kEcho, "nobody", kSecretKey, now()))));
    EXPECT_EQ(waitForStatus(adminPort, kEchoAdapter, "auth.fail.-102", 1), 1);
}

TEST_F(AuthTest, TimeTwoHoursOffClosesWithoutReply) {
    startAuthServer();
    EXPECT_TRUE(
        closedWithoutReply(echoPort, tarsCppFirstPacket(tarsCppPackage(kEcho, kAccessKey, kSecretKey, now() - 7200))));
    EXPECT_TRUE(
        closedWithoutReply(echoPort, tarsCppFirstPacket(tarsCppPackage(kEcho, kAccessKey, kSecretKey, now() + 7200))));
    EXPECT_EQ(waitForStatus(adminPort, kEchoAdapter, "auth.fail.-103", 2), 2);
    EXPECT_EQ(status(kEchoAdapter, "auth.succ"), "0");
}

TEST_F(AuthTest, PackageReplayedToAnotherObjectIsRefused) {
    startAuthServer();
    std::string packet = tarsCppFirstPacket(tarsCppPackage(kEcho, kAccessKey, kSecretKey, now()));
    RawClient first(echoPort);
    ASSERT_TRUE(first.sendAll(packet));
    auto rsp = first.readResponse();
    ASSERT_TRUE(rsp.has_value());
    EXPECT_EQ(std::string(rsp->sBuffer.begin(), rsp->sBuffer.end()), "AUTH_SUCC");
    // The same bytes on a second connection, to the adapter of another object (same keys).
    EXPECT_TRUE(closedWithoutReply(otherPort, packet));
    EXPECT_EQ(waitForStatus(adminPort, kEcho2Adapter, "auth.fail.-101", 1), 1);
    EXPECT_EQ(status(kEcho2Adapter, "auth.succ"), "0");
    EXPECT_EQ(echo(first, "first still works", 3), "first still works");
}

TEST_F(AuthTest, RequestBeforeAuthenticationIsNeverServed) {
    startAuthServer();
    RawClient c(echoPort);
    // A request first, then (pipelined) another: neither is answered, the connection closes.
    ASSERT_TRUE(c.sendAll(encodeRequest(makeRequest(kEcho, "echo", stringArg("sneak"), 1)) +
                          encodeRequest(makeRequest(kEcho, "echo", stringArg("sneak"), 2))));
    EXPECT_FALSE(c.readExactly(1, 5000).has_value());
    EXPECT_EQ(waitForStatus(adminPort, kEchoAdapter, "auth.fail.-100", 1), 1);
    EXPECT_EQ(status(kEchoAdapter, "req.total"), "0");
}

TEST_F(AuthTest, ClientWithoutKeysForAnAuthEndpointFailsNamingTheReason) {
    startAuthServer();
    Communicator comm;
    auto prx = comm.stringToProxy<ServantProxy>(objectString(kEcho, echoPort));
    try {
        prx->tars_ping();
        ADD_FAILURE() << "the call succeeded without keys";
    } catch (const TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), TARSPROXYCONNECTERR);
        EXPECT_NE(std::string(e.what()).find("no accesskey and secretkey"), std::string::npos)
            << "[" << e.what() << "]";
    }
}

TEST_F(AuthTest, HalfAKeyPairStopsTheServerAndTheClient) {
    AdapterSpec a = authSpec(kEchoAdapter, kEcho, echoPort);
    a.extra = "accesskey=" + kAccessKey;
    server.writeConfig(makeConfig("TestApp", "TestServer", adminPort, {a}));
    EXPECT_FALSE(server.start({adminPort, echoPort}, 10000));
    EXPECT_NE((server.output() + server.log()).find("accesskey is set without secretkey"), std::string::npos)
        << server.output();

    TC_Config conf;
    conf.parseString("<tars><application><client>\n<" + kEcho + ">\nsecretkey=x\n</" + kEcho +
                     ">\n</client></application></tars>");
    EXPECT_THROW(Communicator{conf}, Communicator_Exception);
}

TEST_F(AuthTest, AuthEndpointWithoutKeysStopsTheServer) {
    AdapterSpec a = authSpec(kEchoAdapter, kEcho, echoPort);
    a.extra.clear();
    server.writeConfig(makeConfig("TestApp", "TestServer", adminPort, {a}));
    EXPECT_FALSE(server.start({adminPort, echoPort}, 10000));
    EXPECT_NE((server.output() + server.log()).find("-e 1 (authentication) but accesskey and secretkey are not set"),
              std::string::npos)
        << server.output();
}

// A server that answers the way TarsCpp 3.x's does: it reads the first packet whatever it
// is, answers AUTH_SUCC echoing id and message type, then answers every request iRet 0.
class TarsCppLikeServer {
public:
    TarsCppLikeServer() {
        _listen = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(_listen, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
        ::listen(_listen, 4);
        socklen_t len = sizeof(addr);
        ::getsockname(_listen, reinterpret_cast<sockaddr*>(&addr), &len);
        _port = ntohs(addr.sin_port);
        _thread = std::thread([this] { serve(); });
    }
    ~TarsCppLikeServer() {
        _stop = true;
        _thread.join();
        ::close(_listen);
    }
    int port() const { return _port; }
    RequestPacket firstPacket() {
        std::lock_guard lock(_mutex);
        return _first;
    }

private:
    // Waits up to 100 ms for fd to be readable.
    static bool readable(int fd) {
        pollfd p{fd, POLLIN, 0};
        return ::poll(&p, 1, 100) > 0;
    }
    bool readPacket(int fd, std::string& out) {
        out.clear();
        int64_t deadline = nowMs() + 10000;
        size_t want = 4;
        while (out.size() < want && nowMs() < deadline && !_stop) {
            if (!readable(fd)) continue;
            char buf[4096];
            ssize_t n = ::recv(fd, buf, std::min(sizeof(buf), want - out.size()), 0);
            if (n <= 0) return false;
            out.append(buf, static_cast<size_t>(n));
            if (out.size() == 4) {
                want = (static_cast<uint8_t>(out[0]) << 24) | (static_cast<uint8_t>(out[1]) << 16) |
                       (static_cast<uint8_t>(out[2]) << 8) | static_cast<uint8_t>(out[3]);
            }
        }
        return out.size() == want && want > 4;
    }
    static RequestPacket decode(const std::string& packet) {
        RequestPacket req;
        TarsInputStream<BufferReader> is;
        is.setBuffer(packet.data() + 4, packet.size() - 4);
        req.readFrom(is);
        return req;
    }
    static std::string answer(const RequestPacket& req, const std::string& body) {
        ResponsePacket rsp;
        rsp.iVersion = 1;
        rsp.cPacketType = req.cPacketType;
        rsp.iRequestId = req.iRequestId;
        rsp.iMessageType = req.iMessageType;
        rsp.iRet = 0;
        rsp.sBuffer.assign(body.begin(), body.end());
        TarsOutputStream<BufferWriterString> os;
        rsp.writeTo(os);
        return framed(os.getByteBuffer());
    }
    void serve() {
        int64_t deadline = nowMs() + 20000;
        while (!_stop && nowMs() < deadline) {
            if (!readable(_listen)) continue;
            int fd = ::accept(_listen, nullptr, nullptr);
            if (fd < 0) continue;
            std::string packet;
            if (readPacket(fd, packet)) {
                RequestPacket first = decode(packet);
                {
                    std::lock_guard lock(_mutex);
                    _first = first;
                }
                std::string reply = answer(first, "AUTH_SUCC");
                ::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
                while (readPacket(fd, packet)) {
                    std::string r = answer(decode(packet), "");
                    ::send(fd, r.data(), r.size(), MSG_NOSIGNAL);
                }
            }
            ::close(fd);
        }
    }

    int _listen = -1;
    int _port = 0;
    std::atomic<bool> _stop{false};
    std::mutex _mutex;
    RequestPacket _first;
    std::thread _thread;
};

TEST(AuthAgainstTarsCppServer, OurClientSendsTarsCppsFirstPacketAndCallsAfterAuthSucc) {
    TarsCppLikeServer server;
    Communicator comm;
    comm.setObjectProperty(kEcho, "accesskey", kAccessKey);
    comm.setObjectProperty(kEcho, "secretkey", kSecretKey);
    auto prx =
        comm.stringToProxy<ServantProxy>(kEcho + "@tcp -h 127.0.0.1 -p " + std::to_string(server.port()) + " -e 1");
    int64_t before = now();
    EXPECT_NO_THROW(prx->tars_ping());
    RequestPacket first = server.firstPacket();
    EXPECT_EQ(first.iVersion, 1);
    EXPECT_EQ(first.cPacketType, 0);
    EXPECT_EQ(first.iMessageType, 0x40);
    EXPECT_EQ(first.iRequestId, 1);
    EXPECT_EQ(first.sServantName, "authServant");
    EXPECT_EQ(first.sFuncName, "InnerAuthServer");
    // The package, read by hand: its time is now, and its signature is openssl's.
    TarsInputStream<BufferReader> is;
    is.setBuffer(first.sBuffer.data(), first.sBuffer.size());
    std::string object, accessKey, signature;
    int64_t time = 0;
    is.read(object, 1, true);
    is.read(accessKey, 2, true);
    is.read(time, 3, true);
    is.read(signature, 5, true);
    EXPECT_EQ(object, kEcho);
    EXPECT_EQ(accessKey, kAccessKey);
    EXPECT_GE(time, before);
    EXPECT_LE(time, now());
    EXPECT_EQ(signature, opensslSignature(kSecretKey, time));
}

}  // namespace
}  // namespace tars::test
