// The registry's Prometheus service discovery end to end, with nothing faked: a
// tarsregistry (own SQLite file, its ops endpoint on a reserved port) and a tarsnode;
// HelloServer deployed with the real `tarsadmin deploy`, with or without the deploy
// file's `ops` key. GET /prometheus/targets on the registry's ops endpoint lists an
// active server with an ops endpoint (its address after the node replaced localip, and
// app, server, node, set labels), and leaves out one without ops and one stopped.
//
// Every wait polls a condition (every 100 ms, at most 30 s). Ports are reserved
// (ReservedPort) and each test has its own temporary directories, so the tests run in
// parallel with any other.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "AdminTestSupport.h"
#include "NodeTestSupport.h"
#include "util/tc_config.h"
#include "util/tc_file.h"

#ifndef TARSADMIN_PATH
#error "TARSADMIN_PATH must name the tarsadmin executable"
#endif

using namespace tars;
using namespace tars::test;

namespace {

constexpr int kWaitMs = 30000;
constexpr int kPollMs = 100;

bool pollUntil(const std::function<bool()>& pred, int timeoutMs = kWaitMs) {
    const int64_t deadline = nowMs() + timeoutMs;
    while (!pred()) {
        if (nowMs() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
    }
    return true;
}

std::string describe(const CommandResult& r) {
    return "status " + std::to_string(r.status) + "\nstdout:\n" + r.out + "stderr:\n" + r.err;
}

class PrometheusDiscovery : public ::testing::Test {
protected:
    void SetUp() override {
        registry = std::make_unique<RegistryProcess>(db);
        ASSERT_TRUE(registry->start()) << registry->process().output();
        node = std::make_unique<NodeProcess>(*registry);
        ASSERT_TRUE(node->start()) << node->process().output();
        ASSERT_TRUE(pollUntil([&] { return admin({"nodes"}).out.find("node1") != std::string::npos; }));
    }

    CommandResult admin(std::vector<std::string> args) {
        args.insert(args.begin(), "--locator=tars.tarsregistry.QueryObj@" + registry->queryEndpoint());
        return runCommand(TARSADMIN_PATH, args, db.dir(), 60000);
    }

    // HelloServer on node1 (whose localip is 127.0.0.1); opsLine: "" or an `ops = ...` line.
    void deployHello(const std::string& opsLine) {
        std::string text = "<deploy>\n  app = TestApp\n  server = HelloServer\n  node = node1\n  executable = " +
                           std::string(HELLO_SERVER_PATH) + "\n" + opsLine +
                           "  <adapters>\n    <TestApp.HelloServer.HelloObjAdapter>\n"
                           "      endpoint = tcp -h localip -p " +
                           std::to_string(helloPort.port()) +
                           " -t 60000\n      servant = TestApp.HelloServer.HelloObj\n      threads = 2\n"
                           "    </TestApp.HelloServer.HelloObjAdapter>\n  </adapters>\n</deploy>\n";
        std::string path = db.dir() + "/hello.deploy";
        TC_File::save2file(path, text);
        auto r = admin({"deploy", path, "--wait=30"});
        ASSERT_EQ(r.status, 0) << describe(r) << node->process().log();
    }

    // The parsed answer of /prometheus/targets; null when it was not a 200 JSON array.
    nlohmann::json targets() {
        auto answer = httpRequest(registry->opsPort(), "GET", "/prometheus/targets");
        if (answer.status != 200) return nullptr;
        auto parsed = nlohmann::json::parse(answer.body, nullptr, false);
        return parsed.is_array() ? parsed : nlohmann::json(nullptr);
    }

    // Polls /prometheus/targets until done(answer) holds (bounded); the last answer.
    nlohmann::json pollTargets(const std::function<bool(const nlohmann::json&)>& done) {
        nlohmann::json last;
        pollUntil([&] {
            last = targets();
            return last.is_array() && done(last);
        });
        return last;
    }

    TestDatabase db{"sqlite"};
    std::unique_ptr<RegistryProcess> registry;
    std::unique_ptr<NodeProcess> node;  // destroyed first: stops its servers, then itself
    ReservedPort helloPort, helloOpsPort;
};

TEST_F(PrometheusDiscovery, AnActiveServerWithAnOpsEndpointIsListedWithItsLabels) {
    deployHello("  ops = tcp -h localip -p " + std::to_string(helloOpsPort.port()) + " -t 60000\n");

    // The node wrote the endpoint, localip replaced, where the server reads it.
    TC_Config written;
    written.parseString(readFile(node->configFile("TestApp", "HelloServer")));
    EXPECT_EQ(written.get("/tars/application/server<ops>"),
              "tcp -h 127.0.0.1 -p " + std::to_string(helloOpsPort.port()) + " -t 60000");

    auto answer = pollTargets([](const nlohmann::json& a) { return !a.empty(); });
    auto expected = nlohmann::json::array(
        {{{"targets", nlohmann::json::array({"127.0.0.1:" + std::to_string(helloOpsPort.port())})},
          {"labels", {{"app", "TestApp"}, {"server", "HelloServer"}, {"node", "node1"}, {"set", ""}}}}});
    EXPECT_EQ(answer, expected) << answer.dump();

    auto raw = httpRequest(registry->opsPort(), "GET", "/prometheus/targets");
    EXPECT_NE(raw.headers.find("Content-Type: application/json"), std::string::npos) << raw.headers;

    // The target is the server's own ops endpoint: it serves /metrics there.
    auto metrics = httpRequest(helloOpsPort.port(), "GET", "/metrics");
    EXPECT_EQ(metrics.status, 200) << metrics.headers;
    EXPECT_NE(metrics.body.find("tars_server_requests_total"), std::string::npos);
}

TEST_F(PrometheusDiscovery, AServerWithoutAnOpsEndpointIsNotListed) {
    deployHello("");
    // The registry has it active, and the answer stays empty.
    ASSERT_TRUE(pollUntil([&] {
        auto r = admin({"list", "--json"});
        return r.out.find("\"present\":\"active\"") != std::string::npos;
    })) << admin({"list", "--json"}).out;
    auto answer = targets();
    ASSERT_TRUE(answer.is_array()) << "no JSON array from /prometheus/targets";
    EXPECT_TRUE(answer.empty()) << answer.dump();
}

TEST_F(PrometheusDiscovery, AStoppedServerIsNotListed) {
    deployHello("  ops = tcp -h localip -p " + std::to_string(helloOpsPort.port()) + " -t 60000\n");
    auto listed = pollTargets([](const nlohmann::json& a) { return a.size() == 1; });
    ASSERT_EQ(listed.size(), 1u) << listed.dump();

    auto r = admin({"stop", "TestApp.HelloServer"});
    ASSERT_EQ(r.status, 0) << describe(r);
    auto answer = pollTargets([](const nlohmann::json& a) { return a.empty(); });
    EXPECT_TRUE(answer.is_array() && answer.empty()) << answer.dump();
}

}  // namespace
