// TC_SslContext and TC_SslStream over a socketpair: handshakes, verification outcomes,
// bulk data through EAGAIN, and the start-up errors. Certificates come from
// make_certs.sh (the tls_certs fixture), made with the openssl command line.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "util/tc_openssl.h"

namespace tars {
namespace {

std::string cert(const std::string& name) { return std::string(TLS_CERT_DIR) + "/" + name; }

TC_SslOptions serverOptions(const std::string& name = "server") {
    TC_SslOptions o;
    o.cert = cert(name + ".pem");
    o.key = cert(name + ".key");
    return o;
}

TC_SslOptions clientOptions() {
    TC_SslOptions o;
    o.ca = cert("ca.pem");
    return o;
}

struct Pair {
    int fds[2] = {-1, -1};
    Pair() {
        EXPECT_EQ(0, ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds));
        int small = 8192;  // small buffers: bulk transfers go through EAGAIN many times
        for (int fd : fds) ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    }
    ~Pair() {
        for (int fd : fds) ::close(fd);
    }
};

// Runs both handshakes until each is done or failed; bounded in steps.
void pump(TC_SslStream& a, TC_SslStream& b) {
    for (int i = 0; i < 100; ++i) {
        bool doneA = a.handshake() || a.failed();
        bool doneB = b.handshake() || b.failed();
        if (doneA && doneB) return;
        if (a.failed() || b.failed()) {
            // The other side learns of it from the alert or the close.
            a.handshake();
            b.handshake();
            return;
        }
    }
    FAIL() << "handshake did not finish in 100 steps";
}

std::shared_ptr<TC_SslContext> make(TC_SslContext::Role role, const TC_SslOptions& o) {
    return TC_SslContext::create(role, o);
}

TEST(TlsStream, HandshakeAndEchoBothWays) {
    Pair p;
    auto server = make(TC_SslContext::Role::Server, serverOptions());
    auto client = make(TC_SslContext::Role::Client, clientOptions());
    TC_SslStream s(server, p.fds[0]);
    TC_SslStream c(client, p.fds[1], "127.0.0.1");
    pump(s, c);
    ASSERT_TRUE(s.established()) << s.failureText();
    ASSERT_TRUE(c.established()) << c.failureText();
    EXPECT_EQ("TLSv1.3", c.version());
    EXPECT_FALSE(c.cipher().empty());
    EXPECT_EQ("", s.peerSubject());  // no client certificate asked for
    EXPECT_EQ("CN=tars-test-server", c.peerSubject());

    std::string hello = "hello over tls";
    iovec iov{hello.data(), hello.size()};
    ASSERT_EQ(static_cast<ssize_t>(hello.size()), c.writev(&iov, 1));
    char buffer[256];
    ssize_t n = s.read(buffer, sizeof buffer);
    ASSERT_EQ(static_cast<ssize_t>(hello.size()), n);
    EXPECT_EQ(hello, std::string(buffer, static_cast<size_t>(n)));
    // Nothing more: EAGAIN.
    EXPECT_EQ(-1, s.read(buffer, sizeof buffer));
    EXPECT_EQ(EAGAIN, errno);
}

TEST(TlsStream, BulkDataThroughEagainArrivesWhole) {
    Pair p;
    TC_SslStream s(make(TC_SslContext::Role::Server, serverOptions()), p.fds[0]);
    TC_SslStream c(make(TC_SslContext::Role::Client, clientOptions()), p.fds[1], "localhost");
    pump(s, c);
    ASSERT_TRUE(s.established() && c.established());

    // 1 MB in many iovecs of odd sizes; the caller keeps unaccepted bytes at the head.
    std::string data(1 << 20, '\0');
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 131 + (i >> 8));
    size_t sent = 0;
    std::string received;
    char buffer[7000];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (received.size() < data.size()) {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "transfer stalled at " << received.size();
        if (sent < data.size()) {
            iovec iov[8];
            int count = 0;
            size_t at = sent;
            for (; count < 8 && at < data.size(); ++count) {
                size_t len = std::min<size_t>(1000 + 977 * static_cast<size_t>(count), data.size() - at);
                iov[count] = {data.data() + at, len};
                at += len;
            }
            ssize_t w = c.writev(iov, count);
            if (w > 0) {
                sent += static_cast<size_t>(w);
            } else {
                ASSERT_EQ(EAGAIN, errno) << c.failureText();
            }
        }
        while (true) {
            ssize_t r = s.read(buffer, sizeof buffer);
            if (r > 0) {
                received.append(buffer, static_cast<size_t>(r));
                continue;
            }
            ASSERT_EQ(-1, r);
            ASSERT_EQ(EAGAIN, errno) << s.failureText();
            break;
        }
    }
    EXPECT_EQ(data, received);
}

TEST(TlsStream, OrderlyCloseReadsAsEndOfStream) {
    Pair p;
    TC_SslStream s(make(TC_SslContext::Role::Server, serverOptions()), p.fds[0]);
    TC_SslStream c(make(TC_SslContext::Role::Client, clientOptions()), p.fds[1], "127.0.0.1");
    pump(s, c);
    ASSERT_TRUE(s.established() && c.established());
    c.shutdown();
    char buffer[64];
    EXPECT_EQ(0, s.read(buffer, sizeof buffer));
}

TEST(TlsStream, ClientRejectsNameMismatchUnlessVerifyHostIsOff) {
    {
        Pair p;
        TC_SslStream s(make(TC_SslContext::Role::Server, serverOptions("mismatch")), p.fds[0]);
        TC_SslStream c(make(TC_SslContext::Role::Client, clientOptions()), p.fds[1], "127.0.0.1");
        pump(s, c);
        EXPECT_FALSE(c.established());
        EXPECT_EQ(TC_SslStream::Failure::Certificate, c.failure());
        EXPECT_NE(std::string::npos, c.failureText().find("mismatch")) << c.failureText();
    }
    {
        Pair p;
        TC_SslStream s(make(TC_SslContext::Role::Server, serverOptions("mismatch")), p.fds[0]);
        TC_SslOptions o = clientOptions();
        o.verifyHost = false;
        TC_SslStream c(make(TC_SslContext::Role::Client, o), p.fds[1], "127.0.0.1");
        pump(s, c);
        EXPECT_TRUE(c.established()) << c.failureText();
    }
}

TEST(TlsStream, CnOnlyCertificateNeedsVerifyHostOffForAnIp) {
    Pair p;
    TC_SslStream s(make(TC_SslContext::Role::Server, serverOptions("cnonly")), p.fds[0]);
    TC_SslStream c(make(TC_SslContext::Role::Client, clientOptions()), p.fds[1], "127.0.0.1");
    pump(s, c);
    EXPECT_EQ(TC_SslStream::Failure::Certificate, c.failure()) << c.failureText();
}

TEST(TlsStream, ClientRejectsUnknownCa) {
    Pair p;
    TC_SslStream s(make(TC_SslContext::Role::Server, serverOptions("other-server")), p.fds[0]);
    TC_SslStream c(make(TC_SslContext::Role::Client, clientOptions()), p.fds[1], "127.0.0.1");
    pump(s, c);
    EXPECT_FALSE(c.established());
    EXPECT_EQ(TC_SslStream::Failure::Certificate, c.failure());
    EXPECT_NE(std::string::npos, c.failureText().find("unable to get local issuer certificate")) << c.failureText();
    // The server hears of it as an alert from the client.
    EXPECT_TRUE(s.failed());
}

TEST(TlsStream, MutualTlsRequiresAClientCertificateAndAnAllowedSubject) {
    TC_SslOptions so = serverOptions();
    so.ca = cert("ca.pem");
    so.verifyPeer = true;
    so.allowedSubjects = {"CN=tars-test-client,O=tars-tests"};
    auto server = make(TC_SslContext::Role::Server, so);
    {  // no certificate
        Pair p;
        TC_SslStream s(server, p.fds[0]);
        TC_SslStream c(make(TC_SslContext::Role::Client, clientOptions()), p.fds[1], "127.0.0.1");
        pump(s, c);
        // TLS 1.3: the client finishes first; its first read sees the alert.
        char b[16];
        c.read(b, sizeof b);
        EXPECT_FALSE(s.established());
        EXPECT_EQ(TC_SslStream::Failure::Certificate, s.failure()) << s.failureText();
    }
    {  // the allowed subject
        Pair p;
        TC_SslStream s(server, p.fds[0]);
        TC_SslOptions co = clientOptions();
        co.cert = cert("client.pem");
        co.key = cert("client.key");
        TC_SslStream c(make(TC_SslContext::Role::Client, co), p.fds[1], "127.0.0.1");
        pump(s, c);
        EXPECT_TRUE(s.established()) << s.failureText();
        EXPECT_EQ("CN=tars-test-client,O=tars-tests", s.peerSubject());
    }
    {  // signed by the same CA, but not in the list
        Pair p;
        TC_SslStream s(server, p.fds[0]);
        TC_SslOptions co = clientOptions();
        co.cert = cert("client2.pem");
        co.key = cert("client2.key");
        TC_SslStream c(make(TC_SslContext::Role::Client, co), p.fds[1], "127.0.0.1");
        pump(s, c);
        EXPECT_FALSE(s.established());
        EXPECT_EQ(TC_SslStream::Failure::Certificate, s.failure());
        EXPECT_NE(std::string::npos, s.failureText().find("CN=tars-other-client,O=tars-tests")) << s.failureText();
    }
}

TEST(TlsStream, PlainBytesToAServerAreNotTls) {
    for (std::string plain : {std::string("\x00\x00\x00\x30\x10\x01\x2c\x3c\x40\x01", 10),
                              std::string("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), std::string(64, '\x7f')}) {
        Pair p;
        TC_SslStream s(make(TC_SslContext::Role::Server, serverOptions()), p.fds[0]);
        ASSERT_EQ(static_cast<ssize_t>(plain.size()), ::send(p.fds[1], plain.data(), plain.size(), 0));
        char buffer[64];
        EXPECT_EQ(-1, s.read(buffer, sizeof buffer));
        EXPECT_EQ(EPROTO, errno);
        EXPECT_EQ(TC_SslStream::Failure::NotTls, s.failure()) << s.failureText();
    }
}

TEST(TlsStream, PeerClosingInTheHandshakeIsClosed) {
    Pair p;
    TC_SslStream s(make(TC_SslContext::Role::Server, serverOptions()), p.fds[0]);
    ::shutdown(p.fds[1], SHUT_WR);
    char buffer[64];
    EXPECT_EQ(-1, s.read(buffer, sizeof buffer));
    EXPECT_EQ(TC_SslStream::Failure::Closed, s.failure()) << s.failureText();
}

void expectCreateError(TC_SslContext::Role role, const TC_SslOptions& o, const std::string& part) {
    try {
        TC_SslContext::create(role, o);
        ADD_FAILURE() << "no error, expected one with '" << part << "'";
    } catch (const TC_SslException& e) {
        EXPECT_NE(std::string::npos, std::string(e.what()).find(part)) << e.what();
    }
}

TEST(TlsContext, StartUpErrorsNameTheFileAndTheReason) {
    using R = TC_SslContext::Role;
    TC_SslOptions o = serverOptions();
    o.cert = cert("missing.pem");
    expectCreateError(R::Server, o, "cert " + cert("missing.pem") + ": cannot read: No such file");
    o = serverOptions();
    o.cert = cert("garbage.pem");
    expectCreateError(R::Server, o, "cert " + cert("garbage.pem") + ": ");
    o = serverOptions();
    o.key = cert("client.key");
    expectCreateError(R::Server, o, "key " + cert("client.key") + " does not match cert " + cert("server.pem"));
    o = serverOptions("expired");
    expectCreateError(R::Server, o, "certificate expired on Feb  1 00:00:00 2020 GMT");
    o = serverOptions();
    o.ciphers = "ECDHE-RSA-AES128-GCM-SHA256:NOT-A-CIPHER";
    expectCreateError(R::Server, o, "unknown cipher 'NOT-A-CIPHER'");
    o = serverOptions();
    o.ciphers = "TLS_AES_128_GCM_SHA256:TLS_NO_SUCH_SUITE";
    expectCreateError(R::Server, o, "unknown TLS 1.3 cipher suite 'TLS_NO_SUCH_SUITE'");
    o = serverOptions();
    o.verifyPeer = true;
    expectCreateError(R::Server, o, "verifyclient=1 needs ca");
    expectCreateError(R::Server, TC_SslOptions{}, "a TLS server needs cert and key");
    TC_SslOptions c = clientOptions();
    c.ca = cert("nope.pem");
    expectCreateError(R::Client, c, "ca " + cert("nope.pem") + ": cannot read");
    c = clientOptions();
    c.cert = cert("client.pem");
    expectCreateError(R::Client, c, "is set but key is not");
}

TEST(TlsContext, CipherListsThatExistAreTaken) {
    TC_SslOptions o = serverOptions();
    o.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:!aNULL:TLS_AES_256_GCM_SHA384";
    EXPECT_NO_THROW(TC_SslContext::create(TC_SslContext::Role::Server, o));
}

}  // namespace
}  // namespace tars
