// A real Prometheus scrapes what the framework deployed: /usr/bin/prometheus (Debian's
// prometheus package, which tests/run.sh installs) runs on loopback with one scrape config
// whose http_sd_configs points at the registry's /prometheus/targets; HelloServer is
// deployed with an ops endpoint through tarsadmin, registry and node, and called through
// the locator; Prometheus's own query API then shows HelloServer's testHello counter
// above zero, under the labels the registry gave the target.
//
// Prometheus scrapes and refreshes its targets every second; every wait polls (every
// 200 ms, at most 60 s). Ports are reserved, Prometheus's storage is in the test's own
// temporary directory, and the test stops the Prometheus it started by its pid.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "AdminTestSupport.h"
#include "Hello.h"
#include "NodeTestSupport.h"
#include "servant/Communicator.h"
#include "util/tc_file.h"

#ifndef TARSADMIN_PATH
#error "TARSADMIN_PATH must name the tarsadmin executable"
#endif

using namespace tars;
using namespace tars::test;

namespace {

constexpr const char* kPrometheus = "/usr/bin/prometheus";
constexpr int kWaitMs = 60000;
constexpr int kPollMs = 200;
constexpr const char* kCounter =
    R"(tars_server_requests_total{servant="TestApp.HelloServer.HelloObj",method="testHello"})";

bool pollUntil(const std::function<bool()>& pred, int timeoutMs = kWaitMs) {
    const int64_t deadline = nowMs() + timeoutMs;
    while (!pred()) {
        if (nowMs() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
    }
    return true;
}

// text as one URL query value.
std::string urlEncode(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string describe(const CommandResult& r) {
    return "status " + std::to_string(r.status) + "\nstdout:\n" + r.out + "stderr:\n" + r.err;
}

TEST(PrometheusScrape, PrometheusFindsHelloServerThroughTheRegistryAndCountsItsCalls) {
    ASSERT_EQ(::access(kPrometheus, X_OK), 0)
        << kPrometheus << " is missing: tests/run.sh installs it (Debian's prometheus package, tests/lib/deps.sh)";

    TestDatabase db{"sqlite"};
    RegistryProcess registry(db);
    ASSERT_TRUE(registry.start()) << registry.process().output();
    auto node = std::make_unique<NodeProcess>(registry);  // destroyed first: stops its servers
    ASSERT_TRUE(node->start()) << node->process().output();
    const std::string locator = "tars.tarsregistry.QueryObj@" + registry.queryEndpoint();
    auto admin = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "--locator=" + locator);
        return runCommand(TARSADMIN_PATH, args, db.dir(), 60000);
    };
    ASSERT_TRUE(pollUntil([&] { return admin({"nodes"}).out.find("node1") != std::string::npos; }, 30000));

    // HelloServer with an ops endpoint, as a user's deploy file gives it.
    ReservedPort helloPort, helloOpsPort;
    const std::string deployFile = db.dir() + "/hello.deploy";
    TC_File::save2file(deployFile,
                       "<deploy>\n  app = TestApp\n  server = HelloServer\n  node = node1\n"
                       "  executable = " +
                           std::string(HELLO_SERVER_PATH) +
                           "\n"
                           "  ops = tcp -h localip -p " +
                           std::to_string(helloOpsPort.port()) +
                           " -t 60000\n"
                           "  <adapters>\n    <TestApp.HelloServer.HelloObjAdapter>\n"
                           "      endpoint = tcp -h localip -p " +
                           std::to_string(helloPort.port()) +
                           " -t 60000\n      servant = TestApp.HelloServer.HelloObj\n      threads = 2\n"
                           "    </TestApp.HelloServer.HelloObjAdapter>\n  </adapters>\n</deploy>\n");
    auto deployed = admin({"deploy", deployFile, "--wait=30"});
    ASSERT_EQ(deployed.status, 0) << describe(deployed) << node->process().log();

    // Prometheus, with the scrape config a user copies (short intervals for the test).
    ReservedPort prometheusPort;
    ServerProcess prometheus(kPrometheus);
    const std::string configFile = prometheus.dir() + "/prometheus.yml";
    TC_File::save2file(configFile,
                       "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                       "scrape_configs:\n  - job_name: tars\n    scrape_interval: 1s\n"
                       "    http_sd_configs:\n      - url: http://127.0.0.1:" +
                           std::to_string(registry.opsPort()) + "/prometheus/targets\n        refresh_interval: 1s\n");
    ASSERT_TRUE(
        prometheus.startWithArgs({"--config.file=" + configFile, "--storage.tsdb.path=" + prometheus.dir() + "/data",
                                  "--web.listen-address=127.0.0.1:" + std::to_string(prometheusPort.port())},
                                 {prometheusPort.port()}, 30000))
        << prometheus.output();
    ASSERT_TRUE(pollUntil([&] { return httpRequest(prometheusPort.port(), "GET", "/-/ready").status == 200; }))
        << prometheus.output();

    // Calls by name, through the locator.
    constexpr int kCalls = 5;
    {
        Communicator client;
        client.setProperty("locator", locator);
        auto hello = client.stringToProxy<TestApp::HelloPrx>("TestApp.HelloServer.HelloObj");
        for (int i = 0; i < kCalls; ++i) {
            std::string rsp;
            ASSERT_EQ(hello->testHello("scraped " + std::to_string(i), rsp), 0);
        }
        client.terminate();
    }

    // Prometheus's own query API: the counter, with the target's labels from the registry.
    const std::string query = "/api/v1/query?query=" + urlEncode(kCounter);
    nlohmann::json series;
    double value = 0;
    std::string last;
    bool seen = pollUntil([&] {
        auto answer = httpRequest(prometheusPort.port(), "GET", query);
        last = answer.headers + "\n" + answer.body;
        auto parsed = nlohmann::json::parse(answer.body, nullptr, false);
        if (parsed.is_discarded() || parsed.value("status", "") != "success") return false;
        for (const auto& s : parsed["data"]["result"]) {
            double v = std::stod(s["value"][1].get<std::string>());
            if (v > 0) {
                series = s;
                value = v;
                return true;
            }
        }
        return false;
    });
    ASSERT_TRUE(seen) << "last answer:\n"
                      << last << "\ntargets:\n"
                      << httpRequest(prometheusPort.port(), "GET", "/api/v1/targets").body << "\nprometheus:\n"
                      << prometheus.output();
    EXPECT_GT(value, 0);
    EXPECT_LE(value, kCalls) << series.dump();
    const auto& labels = series["metric"];
    EXPECT_EQ(labels.value("app", ""), "TestApp") << series.dump();
    EXPECT_EQ(labels.value("server", ""), "HelloServer") << series.dump();
    EXPECT_EQ(labels.value("node", ""), "node1") << series.dump();
    EXPECT_EQ(labels.value("instance", ""), "127.0.0.1:" + std::to_string(helloOpsPort.port())) << series.dump();

    EXPECT_EQ(prometheus.stop(SIGTERM, 30000), 0) << prometheus.output();
}

}  // namespace
