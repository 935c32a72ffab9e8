// A server's heartbeats to its node (Application + NodeReporter), seen by a FakeNode in
// this process: ConfigTestServer processes with node=<the fake> and keepaliveinterval=500.
// Also: a dead or silent node blocks neither start-up, serving nor shutdown, and the
// server creates its basepath and datapath.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "ConfigTestSupport.h"
#include "FakeNode.h"
#include "util/tc_common.h"
#include "util/tc_file.h"

namespace tars::test {
namespace {

const std::string kAdminAdapter = "AdminAdapter";

size_t countCalls(const std::vector<NodeCall>& calls, const std::string& method, const std::string& adapter = "*") {
    return static_cast<size_t>(std::count_if(calls.begin(), calls.end(), [&](const NodeCall& c) {
        return c.method == method && (adapter == "*" || c.adapter == adapter);
    }));
}

// Index of the first call matching, or calls.size().
size_t firstCall(const std::vector<NodeCall>& calls, const std::string& method, const std::string& adapter = "*") {
    for (size_t i = 0; i < calls.size(); ++i) {
        if (calls[i].method == method && (adapter == "*" || calls[i].adapter == adapter)) return i;
    }
    return calls.size();
}

std::string nodeKeys(const std::string& nodeObj, int intervalMs = 500) {
    return "      node = " + nodeObj + "\n      keepaliveinterval = " + std::to_string(intervalMs) + "\n";
}

TEST(NodeHeartbeat, ReportsActivatingVersionAndEveryAdapterWithItsPid) {
    FakeNode node;
    ReservedPort probe, admin;
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe,
                                         .adminPort = admin,
                                         .serverKeys = nodeKeys(node.objectString()),
                                         .testKeys = "initsleepms = 800"}));
    ASSERT_TRUE(server.start({probe, admin})) << server.output();

    // Two rounds of per-adapter beats after the start sequence.
    ASSERT_TRUE(node.waitFor([](const std::vector<NodeCall>& calls) {
        return countCalls(calls, "keepAlive", kProbeAdapter) >= 2 && countCalls(calls, "keepAlive", kAdminAdapter) >= 2;
    })) << server.log();
    std::vector<NodeCall> calls = node.calls();

    for (const NodeCall& c : calls) {
        EXPECT_EQ(c.application, kTestApp) << c.method;
        EXPECT_EQ(c.serverName, kTestServer) << c.method;
        if (c.method != "reportVersion") {
            EXPECT_EQ(c.pid, server.pid()) << c.method;
        }
    }
    size_t activating = firstCall(calls, "keepActiving");
    size_t version = firstCall(calls, "reportVersion");
    size_t wholeServer = firstCall(calls, "keepAlive", "");
    size_t probeBeat = firstCall(calls, "keepAlive", kProbeAdapter);
    ASSERT_LT(activating, calls.size());
    ASSERT_LT(version, calls.size());
    ASSERT_LT(wholeServer, calls.size());
    EXPECT_LT(activating, version);
    EXPECT_LT(version, wholeServer);
    EXPECT_LT(wholeServer, probeBeat);
    EXPECT_FALSE(calls[version].version.empty());
    // keepActiving only while initialize() ran (800 ms < 5 s: once), none after serving.
    EXPECT_EQ(countCalls(calls, "keepActiving"), 1u);
    EXPECT_EQ(countCalls(calls, "reportVersion"), 1u);
    EXPECT_EQ(countCalls(calls, "keepAlive", ""), 1u);
    // The keepActiving came at the start of initialize(), not at its end.
    EXPECT_GE(calls[wholeServer].atMs - calls[activating].atMs, 700);

    EXPECT_EQ(server.stop(), 0) << server.output();
}

TEST(NodeHeartbeat, KeepActivingRepeatsEveryFiveSecondsDuringInitialize) {
    FakeNode node;
    ReservedPort probe;
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig(
        {.probePort = probe, .serverKeys = nodeKeys(node.objectString()), .testKeys = "initsleepms = 5600"}));
    ASSERT_TRUE(server.start({probe}, 20000)) << server.output();
    ASSERT_TRUE(node.waitFor([](const auto& calls) { return countCalls(calls, "keepAlive", "") >= 1; }));
    std::vector<NodeCall> calls = node.calls();
    ASSERT_EQ(countCalls(calls, "keepActiving"), 2u);
    size_t first = firstCall(calls, "keepActiving");
    size_t second =
        first + 1 + firstCall(std::vector<NodeCall>(calls.begin() + first + 1, calls.end()), "keepActiving");
    int64_t gap = calls[second].atMs - calls[first].atMs;
    EXPECT_GE(gap, 4500);
    EXPECT_LE(gap, 6500);
    EXPECT_EQ(server.stop(), 0);
}

TEST(NodeHeartbeat, PeriodFollowsKeepAliveInterval) {
    FakeNode node;
    ReservedPort probe;
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe, .serverKeys = nodeKeys(node.objectString(), 700)}));
    ASSERT_TRUE(server.start({probe})) << server.output();
    ASSERT_TRUE(node.waitFor([](const auto& calls) { return countCalls(calls, "keepAlive", kProbeAdapter) >= 4; }));
    std::vector<int64_t> times;
    for (const NodeCall& c : node.calls()) {
        if (c.method == "keepAlive" && c.adapter == kProbeAdapter) times.push_back(c.atMs);
    }
    // A late beat is followed by one on time (the schedule does not drift): judge the mean.
    double mean = static_cast<double>(times.back() - times.front()) / static_cast<double>(times.size() - 1);
    EXPECT_GE(mean, 550) << times.size() << " beats";
    EXPECT_LE(mean, 1000) << times.size() << " beats";
    for (size_t i = 1; i < times.size(); ++i) EXPECT_GE(times[i] - times[i - 1], 100) << "no burst, beat " << i;
    EXPECT_EQ(server.stop(), 0);
}

TEST(NodeHeartbeat, KeepAliveIntervalBelowMinimumIsAStartError) {
    ReservedPort probe;
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig(
        {.probePort = probe, .serverKeys = nodeKeys("tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p 1", 100)}));
    EXPECT_EQ(server.runToExit({"--config=" + server.dir() + "/server.conf"}), 1);
    EXPECT_NE(server.output().find("keepaliveinterval"), std::string::npos) << server.output();
}

TEST(NodeHeartbeat, MalformedNodeObjectIsAStartErrorNamingTheKey) {
    ReservedPort probe;
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig(
        {.probePort = probe, .serverKeys = nodeKeys("tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p x")}));
    EXPECT_EQ(server.runToExit({"--config=" + server.dir() + "/server.conf"}), 1);
    EXPECT_NE(server.output().find("<node>"), std::string::npos) << server.output();
}

// An adapter whose handle is stuck (requests queued, none taken) stops beating; the
// others go on; it beats again once its handle moves.
TEST(NodeHeartbeat, StalledAdapterStopsBeatingUntilItMovesAgain) {
    FakeNode node;
    ReservedPort probe, admin;
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(
        testServerConfig({.probePort = probe, .adminPort = admin, .serverKeys = nodeKeys(node.objectString())}));
    ASSERT_TRUE(server.start({probe, admin})) << server.output();
    ASSERT_TRUE(node.waitFor([](const auto& calls) { return countCalls(calls, "keepAlive", kProbeAdapter) >= 1; }));

    ProbeClient client(probe);
    client.proxy()->tars_set_async_timeout(10000);
    int64_t start = nowMs();
    auto busy = client.proxy()->promise_async_sleepMs(3000);  // takes the only handle
    auto queued = client.proxy()->promise_async_sleepMs(1);   // waits behind it
    // From the second beat after the stall began until it ends: no beat of the probe adapter.
    std::this_thread::sleep_for(std::chrono::milliseconds(2600));  // the stall under observation
    std::vector<NodeCall> during = node.calls();
    size_t probeBeats = 0, adminBeats = 0;
    for (const NodeCall& c : during) {
        if (c.method != "keepAlive" || c.atMs < start + 1300) continue;
        if (c.adapter == kProbeAdapter) ++probeBeats;
        if (c.adapter == kAdminAdapter) ++adminBeats;
    }
    EXPECT_EQ(probeBeats, 0u);
    EXPECT_GE(adminBeats, 2u);
    EXPECT_EQ(busy.get()->_ret, 0);
    EXPECT_EQ(queued.get()->_ret, 0);
    int64_t resumed = nowMs();
    EXPECT_TRUE(node.waitFor(
        [&](const std::vector<NodeCall>& calls) {
            return std::any_of(calls.begin(), calls.end(), [&](const NodeCall& c) {
                return c.method == "keepAlive" && c.adapter == kProbeAdapter && c.atMs > resumed;
            });
        },
        3000));
    EXPECT_EQ(server.stop(), 0);  // flushes the log
    EXPECT_NE(server.log().find("none taken"), std::string::npos);
    EXPECT_NE(server.log().find("moves again"), std::string::npos);
}

// The node's port refuses connections: start-up, serving and shutdown are as fast as
// without a node, and the failures are logged once, not per beat.
TEST(NodeHeartbeat, DeadNodeBlocksNothingAndIsLoggedOnce) {
    ReservedPort deadNode, probe, admin;  // nothing listens on deadNode
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig(
        {.probePort = probe,
         .adminPort = admin,
         .serverKeys = nodeKeys("tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p " + std::to_string(deadNode.port()))}));
    int64_t begin = nowMs();
    ASSERT_TRUE(server.start({probe, admin}, 5000)) << server.output();
    EXPECT_LT(nowMs() - begin, 3000);
    ProbeClient client(probe);
    EXPECT_EQ(client.readFile("nothing-here"), std::nullopt);  // a real answer (-1), not a timeout
    EXPECT_EQ(client.proxy()->sleepMs(1), 0);
    // Several beats fail meanwhile (every 500 ms).
    std::this_thread::sleep_for(std::chrono::milliseconds(2000));  // let beats fail; nothing to wait for
    EXPECT_EQ(client.proxy()->sleepMs(1), 0);
    int64_t stopBegin = nowMs();
    EXPECT_EQ(server.stop(), 0);
    EXPECT_LT(nowMs() - stopBegin, 3000);
    std::string log = server.log();
    size_t warnings = 0;
    for (const std::string& line : TC_Common::sepstr(log, "\n")) {
        if (line.find("[node]") != std::string::npos && line.find("failed") != std::string::npos) ++warnings;
    }
    EXPECT_EQ(warnings, 1u) << log;
}

// The node accepts connections (the kernel's backlog) but never answers.
TEST(NodeHeartbeat, SilentNodeBlocksNothing) {
    TC_Socket silent = TC_Socket::create(AF_INET, SOCK_STREAM);
    silent.setReuseAddr(true);
    silent.bind("127.0.0.1", 0);
    silent.listen(128);
    int silentPort = silent.getSockName().port();
    ReservedPort probe, admin;
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig(
        {.probePort = probe,
         .adminPort = admin,
         .serverKeys = nodeKeys("tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p " + std::to_string(silentPort))}));
    int64_t begin = nowMs();
    ASSERT_TRUE(server.start({probe, admin}, 5000)) << server.output();
    EXPECT_LT(nowMs() - begin, 3000);
    ProbeClient client(probe);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // beats time out meanwhile
    int64_t callBegin = nowMs();
    EXPECT_EQ(client.proxy()->sleepMs(1), 0);
    EXPECT_LT(nowMs() - callBegin, 1000);
    EXPECT_NE(adminNotify(admin, "tars.viewversion").find("tars version"), std::string::npos);
    int64_t stopBegin = nowMs();
    EXPECT_EQ(server.stop(), 0);
    EXPECT_LT(nowMs() - stopBegin, 3000);
}

TEST(NodeHeartbeat, NoNodeConfiguredSendsNothing) {
    FakeNode node;  // listening, but not configured
    ReservedPort probe;
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe}));
    ASSERT_TRUE(server.start({probe})) << server.output();
    ProbeClient client(probe);
    EXPECT_EQ(client.proxy()->sleepMs(600), 0);
    EXPECT_TRUE(node.calls().empty());
    EXPECT_EQ(server.stop(), 0);
}

TEST(ServerDirectories, BasePathAndDataPathAreCreated) {
    ReservedPort probe;
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(
        testServerConfig({.probePort = probe, .basePath = "@DIR@/app/bin", .dataPath = "@DIR@/app/data/deep"}));
    ASSERT_FALSE(TC_File::isDirectory(server.dir() + "/app"));
    ASSERT_TRUE(server.start({probe})) << server.output();
    EXPECT_TRUE(TC_File::isDirectory(server.dir() + "/app/bin"));
    EXPECT_TRUE(TC_File::isDirectory(server.dir() + "/app/data/deep"));
    EXPECT_EQ(server.stop(), 0);
}

TEST(ServerDirectories, UncreatableDataPathIsAStartErrorNamingTheKey) {
    ReservedPort probe;
    ServerProcess server(CONFIG_TEST_SERVER);
    TC_File::save2file(server.dir() + "/afile", "x");
    server.writeConfig(testServerConfig({.probePort = probe, .dataPath = "@DIR@/afile/data"}));
    EXPECT_EQ(server.runToExit({"--config=" + server.dir() + "/server.conf"}), 1);
    EXPECT_NE(server.output().find("<datapath>"), std::string::npos) << server.output();
}

}  // namespace
}  // namespace tars::test

namespace tars::test {
namespace {

// The ops endpoint listens before initialize(): /health says 503 while it runs, then 200.
TEST(OpsHealth, StartingUntilInitializeEndsThenServing) {
    ReservedPort probe, ops;
    ServerProcess server(CONFIG_TEST_SERVER);
    server.writeConfig(testServerConfig({.probePort = probe,
                                         .serverKeys = "ops = tcp -h 127.0.0.1 -p " + std::to_string(ops.port()),
                                         .testKeys = "initsleepms = 1500"}));
    ASSERT_TRUE(server.start({ops}, 20000)) << server.output();
    HttpAnswer starting = httpRequest(ops.port(), "GET", "/health");
    EXPECT_EQ(starting.status, 503) << starting.headers;
    EXPECT_EQ(starting.body, "starting\n");
    EXPECT_EQ(httpRequest(ops.port(), "GET", "/metrics").status, 200);  // the process metrics already
    HttpAnswer serving;
    for (int i = 0; i < 200 && serving.status != 200; ++i) {  // at most 20 s
        serving = httpRequest(ops.port(), "GET", "/health");
        if (serving.status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(serving.status, 200);
    EXPECT_EQ(serving.body, "serving\n");
    EXPECT_EQ(server.stop(), 0);
}

}  // namespace
}  // namespace tars::test
