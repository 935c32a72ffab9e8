// In-process tests of the server's protocol pieces: TARS framing and replies (byte-exact
// against the golden vectors of another implementation), the HTTP parser, the admin
// command format, and the config key table against docs/config.md.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include <fstream>

#include "servant/Communicator.h"
#include "servant/HttpProtocol.h"
#include "servant/NotifyObserver.h"
#include "servant/ServerConfig.h"
#include "servant/TarsProtocol.h"
#include "util/tc_common.h"
#include "util/tc_file.h"

namespace tars {
namespace {

std::string golden(const std::string& name) {
    static const nlohmann::json all = nlohmann::json::parse(std::ifstream(GOLDEN_VECTORS));
    const nlohmann::json& list = all.is_array() ? all : all["vectors"];
    for (const auto& v : list) {
        if (v["name"].get<std::string>().rfind(name, 0) == 0) return TC_Common::str2bin(v["hex"].get<std::string>());
    }
    ADD_FAILURE() << "no golden vector " << name;
    return "";
}

std::string frame(uint32_t length, const std::string& body) {
    std::string s(4, '\0');
    s[0] = static_cast<char>(length >> 24);
    s[1] = static_cast<char>(length >> 16);
    s[2] = static_cast<char>(length >> 8);
    s[3] = static_cast<char>(length);
    return s + body;
}

TEST(TarsProtocolTest, CutsCompletePacketsAndWaitsForPartialOnes) {
    TC_NetWorkBuffer in;
    std::string packet = golden("TARS v1 request echo(\"hello\") id=1");
    in.addBuffer(packet + packet.substr(0, 10));
    std::vector<char> out;
    EXPECT_EQ(TarsProtocol::parse(in, out, TarsProtocol::kMaxPacketSize), PACKET_FULL);
    EXPECT_EQ(std::string(out.begin(), out.end()), packet);
    EXPECT_EQ(TarsProtocol::parse(in, out, TarsProtocol::kMaxPacketSize), PACKET_LESS);
    in.addBuffer(packet.substr(10));
    EXPECT_EQ(TarsProtocol::parse(in, out, TarsProtocol::kMaxPacketSize), PACKET_FULL);
    EXPECT_TRUE(in.empty());
}

TEST(TarsProtocolTest, RejectsLengthsOutsideFiveToMaximum) {
    for (uint32_t bad : {0u, 4u, 1025u, 0xffffffffu}) {
        TC_NetWorkBuffer in;
        in.addBuffer(frame(bad, "x"));
        std::vector<char> out;
        EXPECT_EQ(TarsProtocol::parse(in, out, 1024), PACKET_ERR) << bad;
    }
    TC_NetWorkBuffer in;
    in.addBuffer(frame(5, "x"));
    std::vector<char> out;
    EXPECT_EQ(TarsProtocol::parse(in, out, 1024), PACKET_FULL);
}

RequestPacket decoded(const std::string& framed) {
    RequestPacket req;
    TarsProtocol::decodeRequest(framed.data(), framed.size(), req);
    return req;
}

TEST(TarsProtocolTest, TupRepliesMatchTheGoldenBytes) {
    struct Case {
        const char* request;
        const char* response;
        int iRet;
    } cases[] = {
        {"TUP v3 request echo(\"hello\") id=1", "TUP v3 response echo", 0},
        {"TUP v3 request add(1,2) id=2", "TUP v3 response add", 0},
        {"TUP v3 request noSuchMethod() id=3", "TUP v3 error response STATUS_RESULT_CODE=-3", -3},
        {"TUP v2 (complex) request echo(\"hello\") id=1", "TUP v2 response echo", 0},
    };
    for (const Case& c : cases) {
        RequestPacket req = decoded(golden(c.request));
        std::string expected = golden(c.response);
        RequestPacket expectedPacket = decoded(expected);
        std::vector<char> body = c.iRet == 0 ? expectedPacket.sBuffer : std::vector<char>();
        EXPECT_EQ(TC_Common::bin2str(TarsProtocol::encodeResponse(req, c.iRet, body, {}, "", {})),
                  TC_Common::bin2str(expected))
            << c.response;
    }
}

TEST(TarsProtocolTest, TarsRepliesDecodeToTheGoldenValues) {
    // Node writes the optional sResultDesc and context even when empty; we leave them out
    // (as TarsCpp does), so compare decoded values.
    RequestPacket req = decoded(golden("TARS v1 request getContext"));
    std::string expected = golden("TARS v1 response getContext");
    ResponsePacket want;
    TarsInputStream<BufferReader> is;
    is.setBuffer(expected.data() + 4, expected.size() - 4);
    want.readFrom(is);
    std::string ours = TarsProtocol::encodeResponse(req, 0, want.sBuffer, {}, "", {{"srv-echo-key", "k1"}});
    ResponsePacket got;
    is.setBuffer(ours.data() + 4, ours.size() - 4);
    got.readFrom(is);
    EXPECT_EQ(got.iVersion, want.iVersion);
    EXPECT_EQ(got.iRequestId, want.iRequestId);
    EXPECT_EQ(got.iRet, want.iRet);
    EXPECT_EQ(got.sBuffer, want.sBuffer);
    EXPECT_EQ(got.context, want.context);
    EXPECT_EQ(got.status, want.status);
}

TEST(TarsProtocolTest, PushHasRequestIdZeroAndFunctionName) {
    std::string push = TarsProtocol::encodePush("onEvent", {1, 2, 3});
    ResponsePacket rsp;
    TarsInputStream<BufferReader> is;
    is.setBuffer(push.data() + 4, push.size() - 4);
    rsp.readFrom(is);
    EXPECT_EQ(rsp.iRequestId, 0);
    EXPECT_EQ(rsp.status["TARS_FUNC"], "onEvent");
}

PACKET_TYPE parseHttp(const std::string& text, std::string& packet, size_t* left = nullptr) {
    TC_NetWorkBuffer in;
    in.addBuffer(text);
    std::vector<char> out;
    PACKET_TYPE t = HttpProtocol::parse(in, out);
    packet.assign(out.begin(), out.end());
    if (left) *left = in.getBufferLength();
    return t;
}

TEST(HttpProtocolTest, ParsesContentLengthAndLeavesTheNextRequest) {
    std::string packet;
    size_t left = 0;
    EXPECT_EQ(parseHttp("POST /a?x=1 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\n", packet, &left),
              PACKET_FULL);
    EXPECT_EQ(left, 16u);
    HttpRequest req;
    ASSERT_TRUE(req.decode(packet.data(), packet.size()));
    EXPECT_EQ(req.getMethod(), "POST");
    EXPECT_EQ(req.getPath(), "/a");
    EXPECT_EQ(req.getQuery(), "x=1");
    EXPECT_EQ(req.getContent(), "abc");
    EXPECT_EQ(req.getHeader("content-length"), "3");
    EXPECT_TRUE(req.isKeepAlive());
}

TEST(HttpProtocolTest, WaitsForTheWholeBody) {
    std::string packet;
    EXPECT_EQ(parseHttp("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", packet), PACKET_LESS);
    EXPECT_EQ(parseHttp("GET / HTTP/1.1\r\nHost: x\r\n", packet), PACKET_LESS);
    EXPECT_EQ(parseHttp("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", packet), PACKET_LESS);
}

TEST(HttpProtocolTest, JoinsChunksIntoContentLength) {
    std::string packet;
    ASSERT_EQ(parseHttp("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\nA\r\n0123456789\r\n0\r\n\r\n",
                        packet),
              PACKET_FULL);
    HttpRequest req;
    ASSERT_TRUE(req.decode(packet.data(), packet.size()));
    EXPECT_EQ(req.getContent(), "ab0123456789");
    EXPECT_EQ(req.getHeader("Transfer-Encoding"), "");
    EXPECT_EQ(req.getHeader("Content-Length"), "12");
}

TEST(HttpProtocolTest, RejectsMalformedRequests) {
    std::string packet;
    EXPECT_EQ(parseHttp("GET / HTTP/2.0\r\n\r\n", packet), PACKET_ERR);
    EXPECT_EQ(parseHttp("GET /\r\n\r\n", packet), PACKET_ERR);
    EXPECT_EQ(parseHttp("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", packet), PACKET_ERR);
    EXPECT_EQ(parseHttp("POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n", packet), PACKET_ERR);
    EXPECT_EQ(parseHttp("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", packet), PACKET_ERR);
    EXPECT_EQ(parseHttp("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", packet), PACKET_ERR);
    EXPECT_EQ(parseHttp("GET / HTTP/1.1\r\nBad Header\r\n\r\n", packet), PACKET_ERR);
    EXPECT_EQ(parseHttp("GET / HTTP/1.1\r\n" + std::string(70000, 'a'), packet), PACKET_ERR);
}

TEST(HttpProtocolTest, KeepAliveFollowsVersionAndConnectionHeader) {
    HttpRequest r10;
    std::string t = "GET / HTTP/1.0\r\n\r\n";
    ASSERT_TRUE(r10.decode(t.data(), t.size()));
    EXPECT_FALSE(r10.isKeepAlive());
    HttpRequest r11;
    t = "GET / HTTP/1.1\r\nConnection: Close\r\n\r\n";
    ASSERT_TRUE(r11.decode(t.data(), t.size()));
    EXPECT_FALSE(r11.isKeepAlive());
    HttpResponse rsp;
    rsp.setStatus(404);
    rsp.setContent("no");
    EXPECT_EQ(rsp.encode(), "HTTP/1.1 404 Not Found\r\nServer: tars\r\nContent-Length: 2\r\n\r\nno");
}

TEST(NotifyObserverTest, PrefixHandlersRunFirstAndFalseBreaksTheChain) {
    NotifyObserver& n = NotifyObserver::getInstance();
    n.clear();
    n.registerPrefix("unit.", [](const std::string& c, const std::string&, std::string& r) {
        r = "p:" + c;
        return true;
    });
    n.registerNormal("unit.cmd", [](const std::string&, const std::string& p, std::string& r) {
        r = "n:" + p;
        return true;
    });
    EXPECT_EQ(n.notify("unit.cmd a b"),
              "[notify prefix object num:1]\n[1]:p:unit.cmd\n[notify servant object num:1]\n[1]:n:a b\n");
    n.registerPrefix("unit.stop", [](const std::string&, const std::string&, std::string& r) {
        r = "halt";
        return false;
    });
    EXPECT_EQ(n.notify("unit.stop"), "[notify prefix object num:2]\n[1]:p:unit.stop\n[2]:halt\n[notify break...]\n");
    n.clear();
}

// The `key` of each row of the first markdown table after heading (until the next "## ").
std::set<std::string> documentedKeys(const std::string& doc, const std::string& heading) {
    std::set<std::string> keys;
    size_t at = doc.find("\n" + heading + "\n");
    if (at == std::string::npos) return keys;
    size_t end = doc.find("\n## ", at + 1);
    std::string part = doc.substr(at, end == std::string::npos ? std::string::npos : end - at);
    for (const std::string& line : TC_Common::sepstr(part, "\n")) {
        if (!line.starts_with("| `")) continue;
        size_t close = line.find('`', 3);
        if (close != std::string::npos) keys.insert(line.substr(3, close - 3));
    }
    return keys;
}

std::set<std::string> declaredKeys(const char* scope) {
    std::set<std::string> keys;
    for (const ConfigKeyInfo& key : serverConfigKeys()) {
        if (std::string_view(key.scope) == scope) keys.insert(key.name);
    }
    return keys;
}

TEST(ServerConfigTest, TheConfigDocListsExactlyTheDeclaredServerAndAdapterKeys) {
    std::string doc = TC_File::load2str(CONFIG_DOC);
    EXPECT_EQ(documentedKeys(doc, "## `/tars/application/server`"), declaredKeys("server"))
        << "docs/config.md's server table and serverConfigKeys() differ";
    EXPECT_EQ(documentedKeys(doc, "## Adapter sections"), declaredKeys("adapter"))
        << "docs/config.md's adapter table and serverConfigKeys() differ";
}

TEST(ServerConfigTest, TheClientDocListsExactlyTheCommunicatorsKeys) {
    std::set<std::string> declared;
    for (const auto& key : Communicator::keys()) declared.insert(key.key);
    EXPECT_EQ(documentedKeys(TC_File::load2str(CLIENT_DOC), "## Configuration: `/tars/application/client`"), declared)
        << "docs/client.md's table and Communicator::keys() differ";
}

TEST(ServerConfigTest, TheDocumentedTolerantKeysAreTheTolerated) {
    // docs/config.md names the adapter keys accepted and ignored; they are the code's.
    std::string doc = TC_File::load2str(CONFIG_DOC);
    for (const std::string& key : toleratedConfigKeys("adapter")) {
        if (declaredKeys("server").count(key)) continue;  // checkset: a server key as well
        EXPECT_NE(doc.find("`" + key + "`"), std::string::npos) << key;
    }
    for (const char* key : {"closecout", "deactivating-timeout", "sample-rate"}) {
        EXPECT_TRUE(toleratedConfigKeys("server").count(key)) << key;
    }
}

TEST(ServerConfigTest, DefaultsAndErrors) {
    TC_Config conf;
    conf.parseString(
        "<tars><application><server>\napp=A\nserver=B\nnetthread=3\nlogsize=1M\n</server></application></tars>");
    loadServerConfig(conf, "x.conf", "exe");
    EXPECT_EQ(ServerConfig::Application, "A");
    EXPECT_EQ(ServerConfig::NetThread, 3);
    EXPECT_EQ(ServerConfig::LogSize, 1024u * 1024u);
    EXPECT_EQ(ServerConfig::BackPacketLimit, 100u * 1024u * 1024u);
    conf.parseString("<tars><application><server>\nnetthread=0\n</server></application></tars>");
    EXPECT_THROW(loadServerConfig(conf, "x.conf", "exe"), ServerConfig_Exception);
    conf.parseString("<tars><application><server>\nlogsize=big\n</server></application></tars>");
    EXPECT_THROW(loadServerConfig(conf, "x.conf", "exe"), ServerConfig_Exception);
}

}  // namespace
}  // namespace tars
