// TLS end to end: HelloServer (and HttpServer) on ssl endpoints in their own processes,
// called by this process's Communicator in every call mode, by the HelloClient example, and
// by hostile or misconfigured peers. Certificates come from make_certs.sh (tls_certs).
#include <gtest/gtest.h>
#include <poll.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "Hello.h"
#include "../server/TestSupport.h"
#include "servant/Communicator.h"
#include "util/tc_openssl.h"

namespace tars {
namespace {

using test::AdapterSpec;
using test::adminNotify;
using test::RawClient;
using test::ReservedPort;
using test::ServerProcess;
using test::statusValue;
using test::waitForStatus;

const std::string kAdapter = "TestApp.HelloServer.HelloObjAdapter";
const std::string kObj = "TestApp.HelloServer.HelloObj";

std::string cert(const std::string& name) { return std::string(TLS_CERT_DIR) + "/" + name; }

// HelloServer with one ssl adapter (server-level cert/key unless `adapterTls` says otherwise).
struct TlsHello {
    ReservedPort port;
    ReservedPort admin;
    ServerProcess server{HELLO_SERVER};

    std::string config(const std::string& serverTls, const std::string& adapterTls = "", int idleMs = 60000) {
        AdapterSpec a;
        a.name = kAdapter;
        a.servant = kObj;
        a.port = port;
        a.transport = "ssl";
        a.threads = 2;
        a.idleMs = idleMs;
        a.extra = adapterTls;
        return test::makeConfig("TestApp", "HelloServer", admin, {a}, serverTls);
    }
    static std::string defaultTls() { return "cert=" + cert("server.pem") + "\nkey=" + cert("server.key") + "\n"; }

    bool start(const std::string& serverTls = defaultTls(), const std::string& adapterTls = "", int idleMs = 60000) {
        server.writeConfig(config(serverTls, adapterTls, idleMs));
        return server.start({admin});  // the plain admin port: a probe of the ssl port would count as a failure
    }
    std::string endpoint() const { return kObj + "@ssl -h 127.0.0.1 -p " + std::to_string(port.port()) + " -t 10000"; }
    long status(const std::string& key) {
        return std::atol(statusValue(adminNotify(admin, "tars.viewstatus"), kAdapter, key).c_str());
    }
};

std::unique_ptr<Communicator> client(const std::map<std::string, std::string>& properties) {
    auto comm = std::make_unique<Communicator>();
    comm->setProperty("connect-timeout", "3000");
    comm->setProperty("sync-invoke-timeout", "5000");
    for (const auto& [key, value] : properties) comm->setProperty(key, value);
    return comm;
}

// One sync call: "" on success, else the exception's text.
std::string callOnce(Communicator& comm, const std::string& object) {
    try {
        auto prx = comm.stringToProxy<TestApp::HelloPrx>(object);
        std::string rsp;
        int ret = prx->testHello("tls", rsp);
        if (ret != 0 || rsp != "tls") return "unexpected answer " + std::to_string(ret) + " '" + rsp + "'";
        return "";
    } catch (const std::exception& e) {
        return e.what();
    }
}

TEST(TlsServer, HelloClientAnswersInEveryCallModeOverTls) {
    TlsHello hello;
    ASSERT_TRUE(hello.start()) << hello.server.output();
    ServerProcess helloClient(HELLO_CLIENT);
    std::ofstream(helloClient.dir() + "/client.conf")
        << "<tars><application><client>\nca=" << cert("ca.pem") << "\n</client></application></tars>\n";
    int status = helloClient.runToExit(
        {"--obj=" + hello.endpoint(), "--config=" + helloClient.dir() + "/client.conf", "--timeout=5000"}, 30000);
    EXPECT_EQ(0, status) << helloClient.output();
    EXPECT_NE(std::string::npos, helloClient.output().find("all five call modes answered")) << helloClient.output();
    EXPECT_GE(hello.status("tls.handshakes"), 1);
    EXPECT_EQ(0, hello.status("tls.failed.nottls"));
}

TEST(TlsServer, PlainTarsAndGarbageAreClosedAndCountedWhileTlsClientsGoOn) {
    TlsHello hello;
    ASSERT_TRUE(hello.start()) << hello.server.output();
    auto comm = client({{"ca", cert("ca.pem")}});
    ASSERT_EQ("", callOnce(*comm, hello.endpoint()));

    RawClient plain(hello.port);
    ASSERT_TRUE(plain.sendAll(test::encodeRequest(test::makeRequest(kObj, "testHello", test::stringArg("x"), 1))));
    EXPECT_TRUE(plain.waitClosed());
    RawClient garbage(hello.port);
    ASSERT_TRUE(garbage.sendAll(std::string(300, '\x16')));
    EXPECT_TRUE(garbage.waitClosed());
    RawClient http(hello.port);
    ASSERT_TRUE(http.sendAll("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_TRUE(http.waitClosed());

    EXPECT_GE(waitForStatus(hello.admin, kAdapter, "tls.failed.nottls", 2), 2);
    EXPECT_EQ("", callOnce(*comm, hello.endpoint()));  // the TLS connection is untouched
    EXPECT_EQ(1, hello.status("tls.handshakes"));
}

TEST(TlsServer, StalledHandshakeIsClosedAtTheEndpointTimeoutAndHoldsUpNoOne) {
    TlsHello hello;
    ASSERT_TRUE(hello.start(TlsHello::defaultTls(), "", 1500)) << hello.server.output();
    RawClient silent(hello.port);     // connects and says nothing
    RawClient halfHello(hello.port);  // starts a record and stalls
    ASSERT_TRUE(halfHello.sendAll(std::string("\x16\x03\x01\x02\x00\x01", 6)));
    auto comm = client({{"ca", cert("ca.pem")}});
    int64_t start = test::nowMs();
    EXPECT_EQ("", callOnce(*comm, hello.endpoint()));
    EXPECT_LT(test::nowMs() - start, 1000) << "a stalled peer held up another handshake";
    EXPECT_TRUE(silent.waitClosed(6000));
    EXPECT_TRUE(halfHello.waitClosed(6000));
    EXPECT_EQ(2, waitForStatus(hello.admin, kAdapter, "tls.failed.timeout", 2));
}

TEST(TlsClient, WrongCaAndNameMismatchFailAsConnectErrorsNamingTheReason) {
    {
        TlsHello hello;
        ASSERT_TRUE(hello.start()) << hello.server.output();
        auto comm = client({{"ca", cert("other-ca.pem")}});
        std::string error = callOnce(*comm, hello.endpoint());
        EXPECT_NE(std::string::npos, error.find("-8")) << error;
        EXPECT_NE(std::string::npos, error.find("unable to get local issuer certificate")) << error;
        EXPECT_GE(waitForStatus(hello.admin, kAdapter, "tls.failed.certificate", 1), 1);
    }
    {
        TlsHello hello;
        ASSERT_TRUE(hello.start("cert=" + cert("mismatch.pem") + "\nkey=" + cert("mismatch.key") + "\n"))
            << hello.server.output();
        auto comm = client({{"ca", cert("ca.pem")}});
        std::string error = callOnce(*comm, hello.endpoint());
        EXPECT_NE(std::string::npos, error.find("IP address mismatch")) << error;
        // verifyhost=0 for this object only.
        auto relaxed = client({{"ca", cert("ca.pem")}});
        relaxed->setObjectProperty(kObj, "verifyhost", "0");
        EXPECT_EQ("", callOnce(*relaxed, hello.endpoint()));
    }
}

// Our server refuses to start with an expired certificate, so an independent one serves it:
// openssl s_server. The call fails as a connect error whose message says "expired".
TEST(TlsClient, ExpiredServerCertificateFailsAsAConnectErrorSayingSo) {
    ReservedPort port;
    ServerProcess server("/usr/bin/openssl");
    ASSERT_TRUE(server.startWithArgs({"s_server", "-accept", "127.0.0.1:" + std::to_string(port.port()), "-cert",
                                      cert("expired.pem"), "-key", cert("expired.key"), "-quiet"},
                                     {port}))
        << server.output();
    auto comm = client({{"ca", cert("ca.pem")}});
    std::string error = callOnce(*comm, kObj + "@ssl -h 127.0.0.1 -p " + std::to_string(port.port()) + " -t 10000");
    EXPECT_NE(std::string::npos, error.find("-8")) << error;
    EXPECT_NE(std::string::npos, error.find("certificate has expired")) << error;
}

TEST(TlsServer, MutualTlsNeedsACertificateFromTheCaWithAnAllowedSubject) {
    TlsHello hello;
    ASSERT_TRUE(hello.start(TlsHello::defaultTls() + "ca=" + cert("ca.pem") +
                            "\nverifyclient=1\nallowsubjects=CN=tars-test-client,O=tars-tests\n"))
        << hello.server.output();
    auto anonymous = client({{"ca", cert("ca.pem")}});
    std::string error = callOnce(*anonymous, hello.endpoint());
    EXPECT_NE(std::string::npos, error.find("-8")) << error;

    auto allowed = client({{"ca", cert("ca.pem")}});
    allowed->setObjectProperty(kObj, "cert", cert("client.pem"));
    allowed->setObjectProperty(kObj, "key", cert("client.key"));
    EXPECT_EQ("", callOnce(*allowed, hello.endpoint()));

    auto other = client({{"ca", cert("ca.pem")}, {"cert", cert("client2.pem")}, {"key", cert("client2.key")}});
    error = callOnce(*other, hello.endpoint());
    EXPECT_NE(std::string::npos, error.find("-8")) << error;
    EXPECT_GE(waitForStatus(hello.admin, kAdapter, "tls.failed.certificate", 2), 2);
    // The server's log names the refused subject (the log is written asynchronously).
    bool named = false;
    for (int64_t deadline = test::nowMs() + 10000; !named && test::nowMs() < deadline;) {
        named =
            hello.server.log().find("'CN=tars-other-client,O=tars-tests' is not in allowsubjects") != std::string::npos;
        if (!named) ::poll(nullptr, 0, 50);
    }
    EXPECT_TRUE(named) << hello.server.log();
}

TEST(TlsServer, ReloadCertTakesNewFilesForNewConnectionsOnly) {
    TlsHello hello;
    std::string dir = hello.server.dir();
    std::filesystem::copy_file(cert("server.pem"), dir + "/live.pem");
    std::filesystem::copy_file(cert("server.key"), dir + "/live.key");
    ASSERT_TRUE(hello.start("cert=" + dir + "/live.pem\nkey=" + dir + "/live.key\n")) << hello.server.output();
    auto before = client({{"ca", cert("ca.pem")}});
    ASSERT_EQ("", callOnce(*before, hello.endpoint()));

    // A broken file is refused and the old one stays.
    std::filesystem::copy_file(cert("garbage.pem"), dir + "/live.pem",
                               std::filesystem::copy_options::overwrite_existing);
    std::string answer = adminNotify(hello.admin, "tars.reloadcert");
    EXPECT_NE(std::string::npos, answer.find("[fail]")) << answer;
    EXPECT_NE(std::string::npos, answer.find("live.pem")) << answer;
    auto stillGood = client({{"ca", cert("ca.pem")}});
    EXPECT_EQ("", callOnce(*stillGood, hello.endpoint()));

    // Now a certificate for another name: new connections get it, the open one goes on.
    std::filesystem::copy_file(cert("mismatch.pem"), dir + "/live.pem",
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::copy_file(cert("mismatch.key"), dir + "/live.key",
                               std::filesystem::copy_options::overwrite_existing);
    answer = adminNotify(hello.admin, "tars.reloadcert");
    EXPECT_NE(std::string::npos, answer.find("[succ]")) << answer;
    EXPECT_NE(std::string::npos, answer.find("CN=other.example")) << answer;
    auto after = client({{"ca", cert("ca.pem")}});
    EXPECT_NE(std::string::npos, callOnce(*after, hello.endpoint()).find("IP address mismatch"));
    EXPECT_EQ("", callOnce(*before, hello.endpoint()));
}

TEST(TlsServer, BadTlsSettingsStopTheServerAtStartNamingTheFileOrKey) {
    struct Case {
        std::string tls;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {"cert=" + cert("missing.pem") + "\nkey=" + cert("server.key") + "\n", cert("missing.pem") + ": cannot read"},
        {"cert=" + cert("server.pem") + "\nkey=" + cert("client.key") + "\n", "does not match cert"},
        {"cert=" + cert("expired.pem") + "\nkey=" + cert("expired.key") + "\n", "certificate expired on"},
        {TlsHello::defaultTls() + "ciphers=ECDHE-ECDSA-AES128-GCM-SHA256:NOPE-CIPHER\n",
         "unknown cipher 'NOPE-CIPHER'"},
        {TlsHello::defaultTls() + "verifyclient=1\n", "verifyclient=1 needs ca"},
        {"", "a TLS server needs cert and key"},
    };
    for (const Case& c : cases) {
        TlsHello hello;
        hello.server.writeConfig(hello.config(c.tls));
        int status = hello.server.runToExit({"--config=" + hello.server.dir() + "/server.conf"}, 15000);
        EXPECT_NE(0, status) << c.tls;
        EXPECT_NE(std::string::npos, hello.server.output().find(c.expected)) << hello.server.output();
        EXPECT_NE(std::string::npos, hello.server.output().find(kAdapter)) << hello.server.output();
    }
}

// Server pushes over TLS: the push example (a custom protocol) on an ssl endpoint.
TEST(TlsServer, PushesReachTheClientOverTls) {
    ReservedPort port, admin;
    ServerProcess server(PUSH_SERVER);
    AdapterSpec a;
    a.name = "TestApp.PushServer.PushObjAdapter";
    a.servant = "TestApp.PushServer.PushObj";
    a.protocol = "not_tars";
    a.transport = "ssl";
    a.port = port;
    server.writeConfig(test::makeConfig("TestApp", "PushServer", admin, {a}, TlsHello::defaultTls(),
                                        "    <push>\n      intervalms=50\n    </push>\n"));
    ASSERT_TRUE(server.start({admin})) << server.output();
    ServerProcess client(PUSH_CLIENT);
    EXPECT_EQ(0, client.runToExit({std::to_string(port.port()), "3", "127.0.0.1", "--ssl-ca=" + cert("ca.pem")}))
        << client.output();
    EXPECT_NE(std::string::npos, client.output().find("PUSH ")) << client.output();
}

// HTTPS: the HTTP example servant behind an ssl endpoint, read with a bare TLS stream.
TEST(TlsServer, HttpServantsServeHttps) {
    ReservedPort port, admin;
    ServerProcess server(HTTP_SERVER);
    AdapterSpec a;
    a.name = "TestApp.HttpServer.HttpObjAdapter";
    a.servant = "TestApp.HttpServer.HttpObj";
    a.port = port;
    a.transport = "ssl";
    a.protocol = "http";
    server.writeConfig(test::makeConfig("TestApp", "HttpServer", admin, {a}, TlsHello::defaultTls()));
    ASSERT_TRUE(server.start({admin})) << server.output();

    RawClient tcp(port);
    ASSERT_TRUE(tcp.isConnected());
    TC_SslOptions options;
    options.ca = cert("ca.pem");
    TC_SslStream tls(TC_SslContext::create(TC_SslContext::Role::Client, options), tcp.fd(), "127.0.0.1");
    std::string request = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    std::string response;
    bool sent = false;
    int64_t deadline = test::nowMs() + 10000;
    while (test::nowMs() < deadline && response.find("\r\n\r\n") == std::string::npos) {
        if (!sent) {
            iovec iov{request.data(), request.size()};
            sent = tls.writev(&iov, 1) == static_cast<ssize_t>(request.size());
        }
        char buffer[4096];
        ssize_t n = tls.read(buffer, sizeof buffer);
        if (n > 0) response.append(buffer, static_cast<size_t>(n));
        if (n == 0 || tls.failed()) break;
        pollfd p{tcp.fd(), POLLIN, 0};
        ::poll(&p, 1, 100);
    }
    EXPECT_TRUE(response.starts_with("HTTP/1.1 ")) << response << tls.failureText();
}

}  // namespace
}  // namespace tars
