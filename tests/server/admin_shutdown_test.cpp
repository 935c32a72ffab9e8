// Admin commands on the `local` endpoint, graceful shutdown, and start-up errors.
#include <gtest/gtest.h>

#include <signal.h>

#include "BaseF.h"
#include "Fixtures.h"
#include "util/tc_file.h"

namespace tars::test {
namespace {

class AdminTest : public TestServerFixture {
protected:
    void SetUp() override {
        AdapterSpec a = echoSpec();
        a.threads = 2;
        startServer({a});
    }
    void TearDown() override {
        if (server.running()) {
            EXPECT_EQ(server.stop(), 0) << server.output();
        }
    }
};

TEST_F(AdminTest, HelpListsBuiltinAndUserCommands) {
    std::string help = adminNotify(adminPort, "tars.help");
    for (const char* c : {"tars.help", "tars.viewstatus", "tars.setloglevel", "tars.loadconfig", "tars.connection",
                          "tars.viewversion", "test.app", "test.pre*", "test.servant"}) {
        EXPECT_NE(help.find(c), std::string::npos) << c << " missing in " << help;
    }
    EXPECT_EQ(help.rfind("[notify servant object num:1]\n[1]:", 0), 0u) << help;
}

TEST_F(AdminTest, ViewStatusShowsAdapterSettingsAndCounters) {
    RawClient c(echoPort);
    ASSERT_EQ(echo(c, "x"), "x");
    std::string s = adminNotify(adminPort, "tars.viewstatus");
    EXPECT_EQ(statusValue(s, kEchoAdapter, "servant"), kEcho) << s;
    EXPECT_EQ(statusValue(s, kEchoAdapter, "threads"), "2");
    EXPECT_EQ(statusValue(s, kEchoAdapter, "ret.0"), "1");
    EXPECT_EQ(statusValue(s, kEchoAdapter, "conn.current"), "1");
    EXPECT_NE(statusValue(s, kEchoAdapter, "latency.handle").find("n=1"), std::string::npos) << s;
    EXPECT_NE(s.find("[adapter AdminAdapter]"), std::string::npos);
}

TEST_F(AdminTest, SetLogLevelChangesTheLevel) {
    EXPECT_NE(adminNotify(adminPort, "tars.setloglevel WARN").find("set log level [WARN] ok"), std::string::npos);
    EXPECT_NE(adminNotify(adminPort, "tars.viewstatus").find("loglevel=WARN"), std::string::npos);
    EXPECT_NE(adminNotify(adminPort, "tars.setloglevel LOUD").find("error"), std::string::npos);
}

TEST_F(AdminTest, ConnectionListsOpenConnections) {
    RawClient c(echoPort);
    ASSERT_EQ(echo(c, "x"), "x");
    std::string list = adminNotify(adminPort, "tars.connection");
    EXPECT_NE(list.find("adapter " + kEchoAdapter), std::string::npos) << list;
}

TEST_F(AdminTest, ViewVersionAndLoadConfig) {
    EXPECT_NE(adminNotify(adminPort, "tars.viewversion").find("tars version:"), std::string::npos);
    TC_File::save2file(server.dir() + "/extra.conf", "<a>\nb=1\n</a>\n");
    EXPECT_NE(adminNotify(adminPort, "tars.loadconfig extra.conf").find("[succ]"), std::string::npos);
    EXPECT_NE(adminNotify(adminPort, "tars.loadconfig missing.conf").find("[fail]"), std::string::npos);
}

TEST_F(AdminTest, UserCommandsRunPrefixThenNormalHandlers) {
    std::string app = adminNotify(adminPort, "test.app some params");
    EXPECT_EQ(app, "[notify servant object num:1]\n[1]:app test.app params=some params\n");
    // One servant instance per handle thread: two handlers.
    std::string servant = adminNotify(adminPort, "test.servant p");
    EXPECT_NE(servant.find("[notify servant object num:2]"), std::string::npos) << servant;
    EXPECT_NE(servant.find("[2]:servant "), std::string::npos) << servant;
    std::string prefix = adminNotify(adminPort, "test.prefixed");
    EXPECT_EQ(prefix, "[notify prefix object num:1]\n[1]:prefix saw test.prefixed\n");
    std::string stop = adminNotify(adminPort, "test.break");
    EXPECT_EQ(stop, "[notify servant object num:2]\n[1]:stop here\n[notify break...]\n");
    EXPECT_NE(adminNotify(adminPort, "no.such.command").find("no handler"), std::string::npos);
}

TEST_F(AdminTest, GetPidAndShutdownThroughAdminF) {
    RawClient c(adminPort);
    ASSERT_TRUE(c.sendAll(encodeRequest(makeRequest("AdminObj", "getPid", {}, 1))));
    auto pid = c.readResponse();
    ASSERT_TRUE(pid);
    TarsInputStream<BufferReader> is;
    is.setBuffer(pid->sBuffer);
    Int64 value = 0;
    is.read(value, 0, true);
    EXPECT_EQ(value, server.pid());
    ASSERT_TRUE(c.sendAll(encodeRequest(makeRequest("AdminObj", "shutdown", {}, 2))));
    auto done = c.readResponse();
    ASSERT_TRUE(done);
    EXPECT_EQ(done->iRet, 0);
    EXPECT_EQ(server.waitExit(20000), 0) << server.output();
}

class ShutdownTest : public TestServerFixture {};

TEST_F(ShutdownTest, SigtermAnswersEveryRequestAlreadyReadAndExitsZero) {
    AdapterSpec a = echoSpec();
    a.threads = 1;
    startServer({a});
    RawClient c(echoPort);
    // One request in the servant, three waiting in the queue.
    std::string batch = encodeRequest(makeRequest(kEcho, "sleepMs", intArg(500), 1));
    for (int i = 2; i <= 4; ++i) batch += encodeRequest(makeRequest(kEcho, "echo", stringArg("q"), i));
    ASSERT_TRUE(c.sendAll(batch));
    ASSERT_GE(waitForStatus(adminPort, kEchoAdapter, "queue.size", 3), 3);
    ASSERT_EQ(::kill(server.pid(), SIGTERM), 0);
    for (int i = 1; i <= 4; ++i) {
        auto rsp = c.readResponse(10000);
        ASSERT_TRUE(rsp) << "reply " << i;
        EXPECT_EQ(rsp->iRequestId, i);
        EXPECT_EQ(rsp->iRet, 0);
    }
    EXPECT_TRUE(c.waitClosed(10000));
    EXPECT_EQ(server.waitExit(20000), 0) << server.output();
    // New connections are refused once it is gone.
    RawClient late;
    EXPECT_FALSE(late.connect(echoPort, 500));
}

TEST_F(ShutdownTest, SigintAlsoExitsZeroAndFlushesTheLog) {
    startEcho();
    RawClient c(echoPort);
    ASSERT_EQ(echo(c, "x"), "x");
    EXPECT_EQ(server.stop(SIGINT), 0) << server.output();
    EXPECT_NE(server.log().find("stopped in"), std::string::npos);
}

TEST(StartupErrorTest, MissingConfigFileIsNamedAndExitIsNonZero) {
    ServerProcess server(TEST_SERVER);
    int rc = server.runToExit({"--config=/nonexistent/dir/server.conf"});
    EXPECT_NE(rc, 0);
    EXPECT_NE(server.output().find("/nonexistent/dir/server.conf"), std::string::npos) << server.output();
}

TEST(StartupErrorTest, NoConfigArgumentPrintsUsage) {
    ServerProcess server(TEST_SERVER);
    EXPECT_NE(server.runToExit({}), 0);
    EXPECT_NE(server.output().find("--config="), std::string::npos) << server.output();
}

TEST(StartupErrorTest, MalformedConfigNamesFileAndLine) {
    ServerProcess server(TEST_SERVER);
    TC_File::save2file(server.dir() + "/bad.conf", "<tars>\n  <application>\n  </tars>\n");
    EXPECT_NE(server.runToExit({"--config=" + server.dir() + "/bad.conf"}), 0);
    EXPECT_NE(server.output().find("bad.conf:3"), std::string::npos) << server.output();
}

TEST(StartupErrorTest, ServantOutsideAppServerIsRefused) {
    ReservedPort port;
    ServerProcess server(TEST_SERVER);
    AdapterSpec a;
    a.name = "X";
    a.servant = "Other.TestServer.EchoObj";
    a.port = port;
    server.writeConfig(makeConfig("TestApp", "TestServer", 0, {a}));
    EXPECT_NE(server.runToExit({"--config=" + server.dir() + "/server.conf"}), 0);
    EXPECT_NE(server.output().find("must start with TestApp.TestServer."), std::string::npos) << server.output();
}

TEST(StartupErrorTest, BadNumberNamesTheKey) {
    ReservedPort port;
    ServerProcess server(TEST_SERVER);
    AdapterSpec a;
    a.name = kEchoAdapter;
    a.servant = kEcho;
    a.port = port;
    a.extra = "threads=many";
    server.writeConfig(makeConfig("TestApp", "TestServer", 0, {a}));
    EXPECT_NE(server.runToExit({"--config=" + server.dir() + "/server.conf"}), 0);
    EXPECT_NE(server.output().find("<threads>='many'"), std::string::npos) << server.output();
}

TEST(StartupErrorTest, PortInUseIsReported) {
    TC_Socket holder = TC_Socket::create(AF_INET, SOCK_STREAM);
    holder.bind("127.0.0.1", 0);
    holder.listen();
    int port = holder.getSockName().port();
    ServerProcess server(TEST_SERVER);
    AdapterSpec a;
    a.name = kEchoAdapter;
    a.servant = kEcho;
    a.port = port;
    server.writeConfig(makeConfig("TestApp", "TestServer", 0, {a}));
    EXPECT_NE(server.runToExit({"--config=" + server.dir() + "/server.conf"}), 0);
    EXPECT_NE(server.output().find("cannot listen"), std::string::npos) << server.output();
}

TEST(StartupErrorTest, AdapterWithoutServantIsRefused) {
    ReservedPort port;
    ServerProcess server(TEST_SERVER);
    AdapterSpec a;
    a.name = "Unserved";
    a.servant = "TestApp.TestServer.NobodyObj";
    a.port = port;
    server.writeConfig(makeConfig("TestApp", "TestServer", 0, {a}));
    EXPECT_NE(server.runToExit({"--config=" + server.dir() + "/server.conf"}), 0);
    EXPECT_NE(server.output().find("no servant was added"), std::string::npos) << server.output();
}

}  // namespace
}  // namespace tars::test
