// tarsnode as a process: a tarsregistry on its own SQLite file, deployments written into
// the registry's store, a tarsnode that registers, writes the servers' configs and runs
// them (HelloServer, or small scripts), commanded through NodeObj exactly as the registry
// and the admin tools do. Heartbeats come from the servers' own runtime.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>

#include "Hello.h"
#include "NodeF.h"
#include "NodeTestSupport.h"
#include "ObservabilityTestUtil.h"
#include "util/tc_common.h"
#include "util/tc_config.h"
#include "util/tc_file.h"

#ifndef HELLO_SERVER_PATH
#error "HELLO_SERVER_PATH must name the HelloServer executable"
#endif

using namespace tars;
using namespace tars::test;

namespace {

const std::string kApp = "TestApp";
const std::string kHello = "HelloServer";
const std::string kHelloObj = "TestApp.HelloServer.HelloObj";

// A profile (merged by the node over what it generates) setting server keys.
std::string serverProfile(const std::string& lines) {
    return "<tars>\n<application>\n<server>\n" + lines + "\n</server>\n</application>\n</tars>\n";
}

// Polls pred (every 20 ms) for ms milliseconds: false as soon as it does not hold.
template <typename Pred>
bool holdsFor(int ms, Pred pred) {
    int64_t until = nowMs() + ms;
    bool broke = false;
    eventually(
        [&] {
            if (!pred()) {
                broke = true;
                return true;
            }
            return nowMs() >= until;
        },
        ms + 1000);
    return !broke;
}

int countLines(const std::string& text, const std::string& needle) {
    int n = 0;
    for (size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

class NodeTest : public ::testing::Test {
protected:
    void SetUp() override {
        store = db.open();
        registry = std::make_unique<RegistryProcess>(db);
        ASSERT_TRUE(registry->start()) << registry->process().output();
        registryClient = std::make_unique<RegistryClient>(registry->queryPort(), registry->registryPort());
    }

    NodeProcess& startNode(NodeOptions options = {}) {
        node = std::make_unique<NodeProcess>(*registry, std::move(options));
        EXPECT_TRUE(node->start()) << node->process().output();
        return *node;
    }

    // present_state and process_id of the instance in the registry's database.
    std::pair<std::string, int> registryState(const std::string& server, const std::string& nodeName = "node1") {
        auto s = store->getServer({kApp, server, nodeName});
        if (!s) return {"", 0};
        return {s->presentState, s->processId};
    }

    TestDatabase db{"sqlite"};
    std::unique_ptr<RegistryStore> store;
    std::unique_ptr<RegistryProcess> registry;
    std::unique_ptr<RegistryClient> registryClient;
    std::unique_ptr<NodeProcess> node;  // destroyed first: stops its servers, then itself
};

// ---------------------------------------------------------------- registration and start

TEST_F(NodeTest, RegistersWritesTheConfigStartsTheServerAndTheLocatorFindsIt) {
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH);
    NodeOptions options;
    options.registryByName = true;  // RegistryObj found through the locator
    auto& n = startNode(options);

    // t_node_info: the node with its NodeObj.
    ASSERT_TRUE(eventually([&] {
        auto info = store->getNode("node1");
        return info && info->presentState == "active";
    }));
    auto info = store->getNode("node1");
    EXPECT_EQ(info->nodeObj,
              "tars.tarsnode.NodeObj@tcp -h 127.0.0.1 -p " + std::to_string(n.nodeObjPort()) + " -t 60000");
    EXPECT_EQ(info->endpointPort, n.nodeObjPort());
    EXPECT_EQ(info->dataDir, n.dataPath());

    int pid = n.waitActive(kApp, kHello);
    ASSERT_GT(pid, 0) << readFile(n.process().dir() + "/log/tars/tarsnode/tars.tarsnode.log");

    // The config the node wrote.
    TC_Config conf;
    conf.parseFile(n.configFile(kApp, kHello));
    EXPECT_EQ(conf.get("/tars/application/server<app>"), kApp);
    EXPECT_EQ(conf.get("/tars/application/server<server>"), kHello);
    EXPECT_EQ(conf.get("/tars/application/server<node>"),
              "tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p " + std::to_string(n.serverObjPort()) + " -t 60000");
    EXPECT_EQ(conf.get("/tars/application/server<datapath>"), n.serverDir(kApp, kHello) + "/data/");
    EXPECT_EQ(conf.get("/tars/application/server<keepaliveinterval>"), "500");
    EXPECT_EQ(conf.get("/tars/application/client<locator>"), "tars.tarsregistry.QueryObj@" + registry->queryEndpoint());
    EXPECT_EQ(conf.get("/tars/application/server/TestApp.HelloServer.HelloObjAdapter<endpoint>"),
              "tcp -h 127.0.0.1 -p " + std::to_string(hello.port()) + " -t 60000");
    EXPECT_TRUE(conf.get("/tars/application/server<local>").starts_with("tcp -h 127.0.0.1 -p "));
    // The process runs that config, and its pid file names it.
    EXPECT_EQ(processesWith(n.configFile(kApp, kHello)), std::vector<pid_t>{pid});
    EXPECT_EQ(TC_Common::trim(readFile(n.serverDir(kApp, kHello) + "/TestApp.HelloServer.pid")), std::to_string(pid));

    // The registry hears of it and routes to it.
    EXPECT_TRUE(eventually([&] { return registryState(kHello) == std::make_pair(std::string("active"), pid); }));
    EXPECT_TRUE(eventually([&] {
        return addresses(registryClient->findObjectById(kHelloObj)) ==
               std::vector<std::string>{"127.0.0.1:" + std::to_string(hello.port())};
    }));
    auto client = std::make_shared<Communicator>();
    client->setProperty("locator", "tars.tarsregistry.QueryObj@" + registry->queryEndpoint());
    auto hello_prx = client->stringToProxy<TestApp::HelloPrx>(kHelloObj);
    std::string rsp;
    EXPECT_EQ(hello_prx->testHello("through the locator", rsp), 0);
    EXPECT_EQ(rsp, "through the locator");
}

TEST_F(NodeTest, UnsupportedAndUnknownCallsAnswerMinusOneWithAReason) {
    auto& n = startNode();
    std::string result;
    EXPECT_EQ(n.node()->patchPro(PatchRequest(), result), -1);  // no version: refused at once
    EXPECT_NE(result.find("not patched"), std::string::npos) << result;
    EXPECT_EQ(n.node()->delCache("a", "b", "c", result), -1);
    EXPECT_NE(result.find("not supported"), std::string::npos) << result;
    std::vector<std::string> list;
    EXPECT_EQ(n.node()->forceDockerLogin(list), -1);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_NE(list[0].find("not supported"), std::string::npos);
    EXPECT_EQ(n.node()->stopServer(kApp, "Nobody", result), -1);
    EXPECT_NE(result.find("Nobody"), std::string::npos) << result;
    EXPECT_EQ(n.node()->startServer(kApp, "Nobody", result), -1);
    EXPECT_NE(result.find("not deployed"), std::string::npos) << result;
}

TEST_F(NodeTest, ServerObjTellsWhenTheMonitorLoopLastRan) {
    auto& n = startNode();
    Communicator client;
    auto serverObj = client.stringToProxy<ServerFPrx>("tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p " +
                                                      std::to_string(n.serverObjPort()));
    const auto now = static_cast<int64_t>(::time(nullptr));
    int64_t latest = 0;
    // The first round runs as the node starts; allow a round (monitorInterval) to pass.
    for (int i = 0; i < 50 && latest == 0; ++i) {
        latest = serverObj->getLatestKeepAliveTime();
        if (latest == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_GE(latest, now - 15);
    EXPECT_LE(latest, static_cast<int64_t>(::time(nullptr)) + 1);
    client.terminate();
}

// ---------------------------------------------------------------- supervision

TEST_F(NodeTest, KilledServerIsRestartedWithANewPid) {
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH);
    auto& n = startNode();
    int first = n.waitActive(kApp, kHello);
    ASSERT_GT(first, 0);

    ASSERT_EQ(::kill(first, SIGKILL), 0);
    int second = n.waitActive(kApp, kHello, first, 20000);
    ASSERT_GT(second, 0);
    EXPECT_NE(second, first);
    EXPECT_FALSE(processAlive(first));
    EXPECT_EQ(processesWith(n.configFile(kApp, kHello)), std::vector<pid_t>{second});
    EXPECT_TRUE(eventually([&] { return registryState(kHello) == std::make_pair(std::string("active"), second); }));
}

TEST_F(NodeTest, RestartAfterACrashIsReportedToNotify) {
    Sink sink;
    ASSERT_TRUE(sink.start()) << sink.log();
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH);
    NodeOptions options;
    options.extraServer = "      notify = " + sink.notifyObj() + "\n";
    auto& n = startNode(options);
    int first = n.waitActive(kApp, kHello);
    ASSERT_GT(first, 0);
    ASSERT_EQ(::kill(first, SIGKILL), 0);
    ASSERT_GT(n.waitActive(kApp, kHello, first, 20000), 0);
    auto lines = sink.waitFor([](const std::vector<std::string>& got) {
        for (const auto& line : got) {
            if (line.find("[alarm] down") != std::string::npos) return true;
        }
        return false;
    });
    bool found = false;
    for (const auto& line : lines) {
        if (line.starts_with("notify type=0 level=0 app=" + std::string(kApp) + " server=" + kHello + " node=node1") &&
            line.find("msg=[alarm] down, server is inactive (exited on its own") != std::string::npos) {
            found = true;
        }
    }
    EXPECT_TRUE(found) << ::testing::PrintToString(lines);
}

TEST_F(NodeTest, ServerThatExitsAtOnceIsStartedOnlyActivatorMaxCountTimes) {
    // A server that records each start and exits at once.
    std::string script = db.dir() + "/exits-at-once.sh";
    std::string starts = db.dir() + "/starts.txt";
    TC_File::save2file(script, "#!/bin/sh\necho started >> " + starts + "\nexit 1\n");
    ASSERT_EQ(::chmod(script.c_str(), 0755), 0);
    ReservedPort port;
    deployServer(*store, "node1", "Crasher", port.port(), script);
    NodeOptions options;
    options.activatorMaxCount = 3;
    options.activatorTimeIntervalSeconds = 60;
    options.activatorPunishIntervalSeconds = 600;
    auto& n = startNode(options);

    ASSERT_TRUE(eventually([&] { return countLines(readFile(starts), "started") >= 3; }, 20000));
    // Several more monitor rounds (1 s each) start nothing more.
    std::string nodeLog = n.process().dir() + "/log/tars/tarsnode/tars.tarsnode.log";
    ASSERT_TRUE(eventually([&] { return readFile(nodeLog).find("ActivatorMaxCount") != std::string::npos; }, 10000));
    // Four more monitor rounds start nothing.
    EXPECT_TRUE(holdsFor(4000, [&] { return countLines(readFile(starts), "started") == 3; })) << readFile(starts);
    auto s = n.state(kApp, "Crasher");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->serverState, ServerState::Inactive);

    // An operator's start is not throttled.
    std::string result;
    EXPECT_EQ(n.node()->startServer(kApp, "Crasher", result), 0) << result;
    EXPECT_TRUE(eventually([&] { return countLines(readFile(starts), "started") == 4; }, 10000));
}

TEST_F(NodeTest, ServerThatNeverReportsIsStoppedAfterTheActivatingTimeout) {
    // A "TARS server" that starts but never sends a heartbeat (and has no AdminObj).
    std::string script = db.dir() + "/silent.sh";
    std::string starts = db.dir() + "/pids.txt";
    TC_File::save2file(script, "#!/bin/sh\necho $$ >> " + starts + "\nwhile :; do sleep 1; done\n");
    ASSERT_EQ(::chmod(script.c_str(), 0755), 0);
    ReservedPort port;
    deployServer(*store, "node1", "Silent", port.port(), script,
                 serverProfile("activating-timeout = 1500\ndeactivating-timeout = 2000"));
    auto& n = startNode();

    ASSERT_TRUE(eventually([&] { return countLines(readFile(starts), "\n") >= 1; }, 10000));
    int first = TC_Common::strto<int>(TC_Common::sepstr(readFile(starts), "\n")[0]);
    auto s = n.state(kApp, "Silent");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->serverState, ServerState::Activating);
    EXPECT_EQ(s->processId, first);

    // activating-timeout, then the stop (SIGTERM: its AdminF.shutdown fails), then a new start.
    int64_t begin = nowMs();
    EXPECT_TRUE(eventually([&] { return !processAlive(first); }, 15000));
    EXPECT_GE(nowMs() - begin, 1000) << "stopped before its activating-timeout";
    EXPECT_TRUE(eventually([&] { return countLines(readFile(starts), "\n") >= 2; }, 10000)) << readFile(starts);
}

TEST_F(NodeTest, StopServerShutsItDownThroughAdminFAndKeepsItStopped) {
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH);
    auto& n = startNode();
    int pid = n.waitActive(kApp, kHello);
    ASSERT_GT(pid, 0);

    std::string result;
    EXPECT_EQ(n.node()->stopServer(kApp, kHello, result), 0) << result;
    EXPECT_FALSE(processAlive(pid));
    EXPECT_EQ(result.find("SIGKILL"), std::string::npos) << result;
    EXPECT_NE(readFile(n.serverLog(kApp, kHello)).find("shutdown requested"), std::string::npos)
        << "the server did not exit through AdminF.shutdown";
    auto s = n.state(kApp, kHello);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->serverState, ServerState::Inactive);
    EXPECT_EQ(s->settingState, ServerState::Inactive);
    EXPECT_TRUE(eventually([&] { return registryState(kHello) == std::make_pair(std::string("inactive"), 0); }));

    // Several monitor rounds later it is still stopped.
    EXPECT_TRUE(holdsFor(3000, [&] { return processesWith(n.configFile(kApp, kHello)).empty(); }));
    s = n.state(kApp, kHello);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->serverState, ServerState::Inactive);

    // startServer brings it back.
    EXPECT_EQ(n.node()->startServer(kApp, kHello, result), 0) << result;
    EXPECT_GT(n.waitActive(kApp, kHello, pid), 0);
}

TEST_F(NodeTest, StopDrainsTheServerOutOfTheRegistryBeforeShuttingItDown) {
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH);
    NodeOptions options;
    options.drainWaitMs = 3000;
    auto& n = startNode(options);
    int pid = n.waitActive(kApp, kHello);
    ASSERT_GT(pid, 0);
    const std::vector<std::string> serving{"127.0.0.1:" + std::to_string(hello.port())};
    ASSERT_TRUE(eventually([&] { return addresses(registryClient->findObjectById(kHelloObj)) == serving; }));

    std::string result;
    int ret = -1;
    int64_t begin = nowMs();
    std::thread stopper([&] { ret = n.node()->stopServer(kApp, kHello, result); });
    // The registry stops naming the endpoint while the process still runs and answers.
    bool dropped = eventually([&] { return registryClient->findObjectById(kHelloObj).empty(); }, 2500);
    bool aliveAfterDrop = processAlive(pid);
    std::string rsp;
    int direct = -1;
    if (dropped && aliveAfterDrop) {
        auto client = std::make_shared<Communicator>();
        auto prx = client->stringToProxy<TestApp::HelloPrx>(kHelloObj + "@tcp -h 127.0.0.1 -p " +
                                                            std::to_string(hello.port()));
        try {
            direct = prx->testHello("while draining", rsp);
        } catch (const std::exception& e) {
            rsp = e.what();
        }
    }
    stopper.join();
    int64_t took = nowMs() - begin;

    EXPECT_TRUE(dropped) << "the registry still returns the endpoint of a server being stopped";
    EXPECT_TRUE(aliveAfterDrop) << "the server was stopped before the registry dropped its endpoint";
    EXPECT_EQ(direct, 0) << "a draining server must still answer: " << rsp;
    EXPECT_EQ(ret, 0) << result;
    EXPECT_GE(took, 2900) << "stopped before drainWait passed";
    EXPECT_FALSE(processAlive(pid));
    EXPECT_EQ(result.find("SIGKILL"), std::string::npos) << result;
    EXPECT_NE(readFile(n.serverLog(kApp, kHello)).find("shutdown requested"), std::string::npos)
        << "the server did not exit through AdminF.shutdown";
    EXPECT_TRUE(eventually([&] { return registryState(kHello) == std::make_pair(std::string("inactive"), 0); }));
}

TEST_F(NodeTest, ServerThatDoesNotAnswerShutdownIsKilledAfterTheDeactivatingTimeout) {
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH,
                 serverProfile("deactivating-timeout = 2000\nhearttimeout = 60"));
    auto& n = startNode();
    int pid = n.waitActive(kApp, kHello);
    ASSERT_GT(pid, 0);

    ASSERT_EQ(::kill(pid, SIGSTOP), 0);
    std::string result;
    int64_t begin = nowMs();
    EXPECT_EQ(n.node()->stopServer(kApp, kHello, result), 0) << result;
    int64_t took = nowMs() - begin;
    EXPECT_GE(took, 1900) << "killed before the deactivating timeout";
    EXPECT_LT(took, 15000);
    EXPECT_NE(result.find("SIGKILL"), std::string::npos) << result;
    EXPECT_FALSE(processAlive(pid));
    EXPECT_TRUE(processesWith(n.configFile(kApp, kHello)).empty());
}

TEST_F(NodeTest, StoppedServerWithoutHeartbeatsIsKilledAndRestarted) {
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH, serverProfile("hearttimeout = 3"));
    auto& n = startNode();  // the node's own heartTimeout is 10 s: the server's 3 s must win
    int first = n.waitActive(kApp, kHello);
    ASSERT_GT(first, 0);

    ASSERT_EQ(::kill(first, SIGSTOP), 0);
    int64_t begin = nowMs();
    int second = n.waitActive(kApp, kHello, first, 20000);
    ASSERT_GT(second, 0);
    EXPECT_LT(nowMs() - begin, 9000) << "the server's hearttimeout was not used";
    EXPECT_FALSE(processAlive(first));
    EXPECT_EQ(processesWith(n.configFile(kApp, kHello)), std::vector<pid_t>{second});
}

// ---------------------------------------------------------------- commands

TEST_F(NodeTest, NotifyServerReturnsTheServersAnswer) {
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH);
    auto& n = startNode();
    int pid = n.waitActive(kApp, kHello);
    ASSERT_GT(pid, 0);

    std::string result;
    EXPECT_EQ(n.node()->notifyServer(kApp, kHello, "tars.viewstatus", result), 0) << result;
    EXPECT_NE(result.find("pid=" + std::to_string(pid)), std::string::npos) << result;
    EXPECT_NE(result.find("TestApp.HelloServer.HelloObjAdapter"), std::string::npos) << result;
}

TEST_F(NodeTest, LoadServerStartsANewDeploymentAndDestroyServerStopsAndForgetsIt) {
    auto& n = startNode();
    ASSERT_TRUE(eventually([&] {
        auto info = store->getNode("node1");
        return info && info->presentState == "active";
    }));
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH);
    std::string result;
    EXPECT_EQ(n.node()->loadServer(kApp, kHello, result), 0) << result;
    int pid = n.waitActive(kApp, kHello);
    ASSERT_GT(pid, 0);

    std::vector<std::string> files;
    EXPECT_EQ(n.node()->getLogFileList(kApp, kHello, files), 0);
    EXPECT_NE(std::find(files.begin(), files.end(), "TestApp.HelloServer.log"), files.end());
    std::string data;
    EXPECT_EQ(n.node()->getLogData(kApp, kHello, "TestApp.HelloServer.stdout.log", "tail -5", data), 0) << data;
    EXPECT_NE(data.find("tarsnode starts"), std::string::npos) << data;
    EXPECT_EQ(n.node()->getLogData(kApp, kHello, "../x", "tail -5", data), -1);

    // A log service's tree below the directory: listed by relative path and readable, with
    // size and from OFFSET; nothing outside it, not even through a symbolic link.
    const std::string logDir = n.logPath() + "TestApp/HelloServer/";
    TC_File::makeDirRecursive(logDir + "remote/TestApp/Other");
    TC_File::save2file(logDir + "remote/TestApp/Other/TestApp.Other_20261207.log", "line1\nline2\n");
    ASSERT_EQ(::symlink("/etc", (logDir + "escape").c_str()), 0);
    EXPECT_EQ(n.node()->getLogFileList(kApp, kHello, files), 0);
    EXPECT_NE(std::find(files.begin(), files.end(), "remote/TestApp/Other/TestApp.Other_20261207.log"), files.end());
    const std::string remote = "remote/TestApp/Other/TestApp.Other_20261207.log";
    EXPECT_EQ(n.node()->getLogData(kApp, kHello, remote, "tail -1", data), 0) << data;
    EXPECT_EQ(data, "line2\n");
    EXPECT_EQ(n.node()->getLogData(kApp, kHello, remote, "size", data), 0) << data;
    EXPECT_EQ(data, "12");
    EXPECT_EQ(n.node()->getLogData(kApp, kHello, remote, "from 6", data), 0) << data;
    EXPECT_EQ(data, "line2\n");
    EXPECT_EQ(n.node()->getLogData(kApp, kHello, remote, "from 13", data), 1) << data;
    EXPECT_EQ(n.node()->getLogData(kApp, kHello, remote, "from -1", data), -1) << data;
    EXPECT_EQ(n.node()->getLogData(kApp, kHello, "escape/passwd", "head -1", data), -1) << data;
    EXPECT_EQ(n.node()->getLogData(kApp, kHello, "remote/../../x", "head -1", data), -1) << data;
    EXPECT_EQ(n.node()->getLogData(kApp, kHello, "/etc/passwd", "head -1", data), -1) << data;

    EXPECT_EQ(n.node()->destroyServer(kApp, kHello, result), 0) << result;
    EXPECT_FALSE(processAlive(pid));
    EXPECT_FALSE(n.state(kApp, kHello).has_value());
}

TEST_F(NodeTest, StopAllServersStopsEveryServer) {
    ReservedPort one, two;
    deployServer(*store, "node1", kHello, one.port(), HELLO_SERVER_PATH);
    deployServer(*store, "node1", "HelloTwo", two.port(), HELLO_SERVER_PATH);
    auto& n = startNode();
    int first = n.waitActive(kApp, kHello);
    int second = n.waitActive(kApp, "HelloTwo");
    ASSERT_GT(first, 0);
    ASSERT_GT(second, 0);

    std::string result;
    EXPECT_EQ(n.node()->stopAllServers(result), 0) << result;
    EXPECT_FALSE(processAlive(first));
    EXPECT_FALSE(processAlive(second));
    for (const std::string& server : {kHello, std::string("HelloTwo")}) {
        auto s = n.state(kApp, server);
        ASSERT_TRUE(s) << server;
        EXPECT_EQ(s->serverState, ServerState::Inactive) << server;
    }
    EXPECT_TRUE(holdsFor(2500, [&] {
        return processesWith(n.configFile(kApp, kHello)).empty() &&
               processesWith(n.configFile(kApp, "HelloTwo")).empty();
    })) << "stopped servers must not be restarted";
}

TEST_F(NodeTest, ShutdownEndsTheNodeAndLeavesItsServersRunning) {
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH);
    auto& n = startNode();
    int pid = n.waitActive(kApp, kHello);
    ASSERT_GT(pid, 0);

    std::string result;
    EXPECT_EQ(n.node()->shutdown(result), 0) << result;
    EXPECT_EQ(n.process().waitExit(15000), 0) << n.process().output();
    EXPECT_TRUE(processAlive(pid));
    EXPECT_EQ(processesWith(n.configFile(kApp, kHello)), std::vector<pid_t>{pid});
}

// ---------------------------------------------------------------- restarts and outages

TEST_F(NodeTest, RestartedNodeAdoptsItsRunningServer) {
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH);
    auto& n = startNode();
    int pid = n.waitActive(kApp, kHello);
    ASSERT_GT(pid, 0);

    // The node writes a line into the server's stdout log before each start.
    const std::string output = n.logPath() + "TestApp/HelloServer/TestApp.HelloServer.stdout.log";
    ASSERT_EQ(countLines(readFile(output), "tarsnode starts"), 1);

    EXPECT_EQ(n.process().stop(SIGKILL), 128 + SIGKILL);
    EXPECT_TRUE(processAlive(pid)) << "the server must outlive its node";
    ASSERT_TRUE(n.start()) << n.process().output();

    EXPECT_EQ(n.waitActive(kApp, kHello), pid);
    // Heartbeats keep it active for longer than a few monitor rounds; nothing else starts.
    EXPECT_TRUE(holdsFor(4000, [&] {
        auto s = n.state(kApp, kHello);
        return s && s->serverState == ServerState::Active && s->processId == pid &&
               processesWith(n.configFile(kApp, kHello)) == std::vector<pid_t>{pid};
    }));
    EXPECT_EQ(countLines(readFile(output), "tarsnode starts"), 1) << "no second start: " << readFile(output);
}

TEST_F(NodeTest, NodeKeepsItsServersWhileTheRegistryIsDownAndCatchesUp) {
    ReservedPort hello;
    deployServer(*store, "node1", kHello, hello.port(), HELLO_SERVER_PATH);
    auto& n = startNode();
    int first = n.waitActive(kApp, kHello);
    ASSERT_GT(first, 0);
    ASSERT_TRUE(eventually([&] { return registryState(kHello) == std::make_pair(std::string("active"), first); }));

    ASSERT_EQ(registry->process().stop(SIGKILL), 128 + SIGKILL);
    ASSERT_EQ(::kill(first, SIGKILL), 0);
    int second = n.waitActive(kApp, kHello, first, 20000);
    ASSERT_GT(second, 0) << "the node must restart servers without its registry";

    ASSERT_TRUE(registry->start()) << registry->process().output();
    EXPECT_TRUE(
        eventually([&] { return registryState(kHello) == std::make_pair(std::string("active"), second); }, 20000));
    EXPECT_TRUE(eventually([&] {
        return addresses(registryClient->findObjectById(kHelloObj)) ==
               std::vector<std::string>{"127.0.0.1:" + std::to_string(hello.port())};
    }));
}

TEST_F(NodeTest, BadNodeConfigStopsTheNodeWithTheKeyNamed) {
    NodeOptions options;
    options.monitorIntervalSeconds = 0;
    NodeProcess bad(*registry, options);
    bad.process().writeConfig(bad.configText());
    EXPECT_EQ(bad.process().runToExit({"--config=" + bad.process().dir() + "/server.conf"}, 20000), 1);
    EXPECT_NE(bad.process().output().find("/tars/node/keepalive<monitorInterval>"), std::string::npos)
        << bad.process().output();
}

}  // namespace
