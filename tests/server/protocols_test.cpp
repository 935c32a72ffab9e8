// Non-TARS protocols: HTTP/1.1 (keep-alive, pipelining, chunked bodies, limits), a custom
// protocol with pushes to saved Currents, and the push and http examples.
#include <gtest/gtest.h>

#include "Fixtures.h"
#include "internal/HttpCompression.h"

namespace tars::test {
namespace {

class HttpTest : public TestServerFixture {
protected:
    void SetUp() override { startServer({httpSpec()}); }
    AdapterSpec httpSpec() {
        AdapterSpec a;
        a.name = kHttpAdapter;
        a.servant = kHttp;
        a.protocol = "http";
        a.port = otherPort;
        a.threads = 3;  // replies must still come back in request order
        return a;
    }
    // One response: head and body (by Content-Length).
    std::optional<std::pair<std::string, std::string>> readHttp(RawClient& c) {
        auto head = c.readUntil("\r\n\r\n");
        if (!head) return std::nullopt;
        size_t pos = head->find("Content-Length: ");
        size_t length = pos == std::string::npos ? 0 : std::stoul(head->substr(pos + 16));
        auto body = c.readExactly(length);
        if (!body) return std::nullopt;
        return std::make_pair(*head, *body);
    }
};

TEST_F(HttpTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    RawClient c(otherPort);
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(c.sendAll("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
        auto rsp = readHttp(c);
        ASSERT_TRUE(rsp);
        EXPECT_EQ(rsp->first.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
        EXPECT_EQ(rsp->second, "hello");
    }
}

TEST_F(HttpTest, PipelinedRequestsAreAnsweredInOrder) {
    RawClient c(otherPort);
    std::string batch;
    for (int i = 0; i < 50; ++i) {
        std::string body = "body-" + std::to_string(i);
        batch += "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    }
    ASSERT_TRUE(c.sendAll(batch));
    for (int i = 0; i < 50; ++i) {
        auto rsp = readHttp(c);
        ASSERT_TRUE(rsp);
        EXPECT_EQ(rsp->second, "body-" + std::to_string(i));
    }
}

// A full queue answers an HTTP request 503 (with Retry-After) and closes the connection
// once the replies before it are out; the server goes on serving. (queuecap 2: the close
// of the start-up probe's connection may still sit in the queue as the servant's doClose.)
class HttpOverloadTest : public HttpTest {
protected:
    void SetUp() override {
        AdapterSpec a = httpSpec();
        a.threads = 1;
        a.queuecap = 2;
        startServer({a});
    }
};

TEST_F(HttpOverloadTest, FullQueueAnswers503ThenCloses) {
    RawClient c(otherPort);
    std::string batch = "GET /sleep HTTP/1.1\r\nHost: x\r\n\r\n";
    for (int i = 0; i < 6; ++i) batch += "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_TRUE(c.sendAll(batch));
    auto first = readHttp(c);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->second, "slept") << first->first;
    std::optional<std::pair<std::string, std::string>> rsp;
    int answered = 0;
    while ((rsp = readHttp(c)) && rsp->first.rfind("HTTP/1.1 200", 0) == 0 && answered < 6) ++answered;
    ASSERT_TRUE(rsp) << "no 503 after " << answered << " answers";
    EXPECT_EQ(rsp->first.rfind("HTTP/1.1 503 Service Unavailable\r\n", 0), 0u) << rsp->first;
    EXPECT_NE(rsp->first.find("Retry-After: 1\r\n"), std::string::npos);
    EXPECT_NE(rsp->first.find("Connection: close\r\n"), std::string::npos);
    EXPECT_FALSE(readHttp(c)) << "nothing after the 503: the requests behind it are not read";
    EXPECT_TRUE(c.waitClosed());
    RawClient next(otherPort);
    ASSERT_TRUE(next.sendAll("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto after = readHttp(next);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->second, "hello");
}

TEST_F(HttpTest, ChunkedRequestBodyIsJoined) {
    RawClient c(otherPort);
    ASSERT_TRUE(
        c.sendAll("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"));
    auto rsp = readHttp(c);
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->second, "hello, world");
    EXPECT_NE(rsp->first.find("X-Method: POST"), std::string::npos);
}

TEST_F(HttpTest, ChunkedBodyArrivingInPiecesIsJoined) {
    RawClient c(otherPort);
    ASSERT_TRUE(c.sendAll("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab"));
    EXPECT_FALSE(c.readUntil("\r\n\r\n", 200));
    ASSERT_TRUE(c.sendAll("c\r\n0\r\n\r\n"));
    auto rsp = readHttp(c);
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->second, "abc");
}

TEST_F(HttpTest, ConnectionCloseClosesAfterTheReply) {
    RawClient c(otherPort);
    ASSERT_TRUE(c.sendAll("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    auto rsp = readHttp(c);
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->second, "hello");
    EXPECT_TRUE(c.waitClosed());
}

TEST_F(HttpTest, MalformedOrOversizedRequestsCloseTheConnection) {
    RawClient bad(otherPort);
    ASSERT_TRUE(bad.sendAll("NOT HTTP AT ALL\r\n\r\n"));
    EXPECT_TRUE(bad.waitClosed());
    RawClient both(otherPort);
    ASSERT_TRUE(both.sendAll("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc"));
    EXPECT_TRUE(both.waitClosed());
    RawClient huge(otherPort);
    huge.sendAll("GET / HTTP/1.1\r\nX: " + std::string(70 * 1024, 'a'));
    EXPECT_TRUE(huge.waitClosed());
    RawClient good(otherPort);
    ASSERT_TRUE(good.sendAll("GET /hello HTTP/1.1\r\n\r\n"));
    auto rsp = readHttp(good);
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->second, "hello");
}

// Replies are gzip'd for a client that takes gzip, and only when worth it: text of 1 KiB
// or more, not HEAD, not a type that is compressed already. Every form says Vary.
TEST_F(HttpTest, TextRepliesAreGzipdForAClientThatTakesIt) {
    RawClient c(otherPort);
    std::string expected;
    for (size_t line = 0; expected.size() < 20000; ++line)
        expected += "line " + std::to_string(line) + " of the reply\n";
    expected.resize(20000);

    ASSERT_TRUE(c.sendAll("GET /text/20000 HTTP/1.1\r\nAccept-Encoding: br;q=1.0, gzip;q=0.8\r\n\r\n"));
    auto zipped = readHttp(c);
    ASSERT_TRUE(zipped);
    EXPECT_NE(zipped->first.find("\r\nContent-Encoding: gzip\r\n"), std::string::npos) << zipped->first;
    EXPECT_NE(zipped->first.find("\r\nVary: Accept-Encoding\r\n"), std::string::npos) << zipped->first;
    EXPECT_NE(zipped->first.find("\r\nETag: W/\"v1\"\r\n"), std::string::npos) << zipped->first;
    EXPECT_LT(zipped->second.size(), expected.size() / 4);
    EXPECT_EQ(http::gunzip(zipped->second), expected);

    // The same connection, a client that does not take gzip: the text as it is.
    for (const char* accept : {"", "Accept-Encoding: identity\r\n", "Accept-Encoding: gzip;q=0, *\r\n",
                               "Accept-Encoding: deflate, br\r\n"}) {
        ASSERT_TRUE(c.sendAll(std::string("GET /text/20000 HTTP/1.1\r\n") + accept + "\r\n"));
        auto plain = readHttp(c);
        ASSERT_TRUE(plain) << accept;
        EXPECT_EQ(plain->first.find("Content-Encoding"), std::string::npos) << accept << plain->first;
        EXPECT_NE(plain->first.find("\r\nVary: Accept-Encoding\r\n"), std::string::npos) << accept;
        EXPECT_NE(plain->first.find("\r\nETag: \"v1\"\r\n"), std::string::npos) << accept;
        EXPECT_EQ(plain->second, expected) << accept;
    }

    // Not worth it or not allowed: small text, an image type, HEAD.
    for (const char* request : {"GET /text/100 HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n",
                                "GET /png/20000 HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n",
                                "GET /hello HTTP/1.1\r\nAccept-Encoding: *\r\n\r\n"}) {
        ASSERT_TRUE(c.sendAll(request));
        auto rsp = readHttp(c);
        ASSERT_TRUE(rsp) << request;
        EXPECT_EQ(rsp->first.find("Content-Encoding"), std::string::npos) << request << rsp->first;
    }
}

class LineProtocolTest : public TestServerFixture {
protected:
    void SetUp() override {
        AdapterSpec a;
        a.name = kLineAdapter;
        a.servant = kLine;
        a.protocol = "not_tars";
        a.port = otherPort;
        a.threads = 2;
        startServer({a}, "", "    <test>\n      pushms=50\n    </test>\n");
    }
};

TEST_F(LineProtocolTest, SavedCurrentReceivesPushesUntilItCloses) {
    RawClient echoer(otherPort);
    ASSERT_TRUE(echoer.sendAll("abc\n"));
    EXPECT_EQ(echoer.readUntil("\n"), "abc\n");

    RawClient a(otherPort);
    ASSERT_TRUE(a.sendAll("sub\n"));
    EXPECT_EQ(a.readUntil("\n"), "subscribed 1\n");
    {
        RawClient b(otherPort);
        ASSERT_TRUE(b.sendAll("sub\n"));
        EXPECT_EQ(b.readUntil("\n"), "subscribed 2\n");
        auto push = b.readUntil("\n");
        ASSERT_TRUE(push);
        EXPECT_EQ(push->rfind("push ", 0), 0u);
    }
    // b closed: the server forgets it (doClose or a failed push), a keeps receiving.
    int64_t deadline = nowMs() + 10000;
    std::string subs;
    while (nowMs() < deadline) {
        ASSERT_TRUE(echoer.sendAll("subs\n"));
        auto line = echoer.readUntil("\n");
        ASSERT_TRUE(line);
        subs = *line;
        if (subs == "subs 1\n") break;
    }
    EXPECT_EQ(subs, "subs 1\n");
    for (int i = 0; i < 3; ++i) {
        auto push = a.readUntil("\n");
        ASSERT_TRUE(push);
        EXPECT_EQ(push->rfind("push ", 0), 0u);
    }
}

TEST(PushExampleTest, ClientReceivesPushesAndServerForgetsIt) {
    ReservedPort pushPort;
    ReservedPort adminPort;
    ServerProcess server(PUSH_SERVER);
    AdapterSpec a;
    a.name = "TestApp.PushServer.PushObjAdapter";
    a.servant = "TestApp.PushServer.PushObj";
    a.protocol = "not_tars";
    a.port = pushPort;
    server.writeConfig(
        makeConfig("TestApp", "PushServer", adminPort, {a}, "", "    <push>\n      intervalms=50\n    </push>\n"));
    ASSERT_TRUE(server.start({pushPort, adminPort})) << server.output();
    ServerProcess client(PUSH_CLIENT);
    EXPECT_EQ(client.runToExit({std::to_string(pushPort.port()), "3"}), 0) << client.output();
    std::string out = client.output();
    EXPECT_NE(out.find("OK 1"), std::string::npos) << out;
    EXPECT_NE(out.find("PUSH "), std::string::npos) << out;
    EXPECT_EQ(server.stop(), 0);
    EXPECT_NE(server.log().find("forgot client"), std::string::npos);
}

TEST(HttpExampleTest, AnswersHello) {
    ReservedPort httpPort;
    ServerProcess server(HTTP_SERVER);
    AdapterSpec a;
    a.name = "TestApp.HttpServer.HttpObjAdapter";
    a.servant = "TestApp.HttpServer.HttpObj";
    a.protocol = "http";
    a.port = httpPort;
    server.writeConfig(makeConfig("TestApp", "HttpServer", 0, {a}));
    ASSERT_TRUE(server.start({httpPort})) << server.output();
    RawClient c(httpPort);
    ASSERT_TRUE(c.sendAll("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    auto head = c.readUntil("\r\n\r\n");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->rfind("HTTP/1.1 200 OK", 0), 0u);
    EXPECT_EQ(c.readExactly(16), "Hello from TARS\n");
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace tars::test
