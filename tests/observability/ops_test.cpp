// The HTTP ops endpoint of a server (`ops`): /metrics checked by Prometheus's own promtool,
// /health, /status, and what it refuses.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <thread>

#include "Hello.h"
#include "ObservabilityTestUtil.h"
#include "internal/HttpCompression.h"
#include "servant/Communicator.h"

namespace tars::test {
namespace {

// The value of the one sample line that starts with `series` ("" if none).
std::string sampleValue(const std::string& text, const std::string& series) {
    size_t at = text.find("\n" + series + " ");
    if (at == std::string::npos) return "";
    size_t begin = at + series.size() + 2;
    return text.substr(begin, text.find('\n', begin) - begin);
}

std::string promtool() {
    for (const char* path : {"/usr/bin/promtool", "/usr/local/bin/promtool"}) {
        if (std::ifstream(path).good()) return path;
    }
    return "";
}

class OpsEndpointTest : public ::testing::Test {
protected:
    // HelloServer, and RelayServer (which calls it) with the ops endpoint and extraServer.
    void startServers(const std::string& extraServer) {
        hello.writeConfig(helloServerConfig(helloPort));
        ASSERT_TRUE(hello.start({helloPort})) << hello.output();
        const std::string tail = "  <relay>\n    target=TestApp.HelloServer.HelloObj@tcp -h 127.0.0.1 -p " +
                                 std::to_string(helloPort.port()) + "\n  </relay>\n";
        relay.writeConfig(
            makeConfig("TestApp", "RelayServer", adminPort,
                       {adapter("TestApp.RelayServer.RelayObjAdapter", "TestApp.RelayServer.RelayObj", relayPort)},
                       extraServer, tail));
        ASSERT_TRUE(relay.start({relayPort, adminPort, opsPort})) << relay.output();
        // The adapters accept a moment before the server says it serves: wait for that.
        int status = 0;
        for (int i = 0; i < 200 && status != 200; ++i) {  // at most 10 s
            status = httpRequest(opsPort.port(), "GET", "/health").status;
            if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        ASSERT_EQ(status, 200) << relay.output();
    }

    ReservedPort helloPort, relayPort, adminPort, opsPort;
    ServerProcess hello{HELLO_SERVER};
    ServerProcess relay{RELAY_SERVER};
};

TEST_F(OpsEndpointTest, MetricsHealthAndStatusOfAServingServer) {
    // Tracing configured too (it starts the server's communicator early; the call totals
    // must be kept all the same). Nothing listens on its collector port, and nothing is
    // sampled.
    ReservedPort collector;
    ASSERT_NO_FATAL_FAILURE(
        startServers("    ops=tcp -h 127.0.0.1 -p " + std::to_string(opsPort.port()) +
                     " -t 60000\n    tracing-endpoint=http://127.0.0.1:" + std::to_string(collector.port()) +
                     "/v1/traces\n    tracing-sample-ratio=0\n"));
    Communicator comm;
    auto prx = comm.stringToProxy<TestApp::HelloPrx>("TestApp.RelayServer.RelayObj@tcp -h 127.0.0.1 -p " +
                                                     std::to_string(relayPort.port()));
    std::string rsp;
    for (int i = 0; i < 5; ++i) ASSERT_EQ(prx->testHello("ops", rsp), 0);

    HttpAnswer health = httpRequest(opsPort.port(), "GET", "/health");
    EXPECT_EQ(health.status, 200) << health.headers;
    EXPECT_EQ(health.body, "serving\n");

    HttpAnswer metrics = httpRequest(opsPort.port(), "GET", "/metrics");
    ASSERT_EQ(metrics.status, 200) << metrics.headers;
    EXPECT_NE(metrics.headers.find("text/plain; version=0.0.4"), std::string::npos) << metrics.headers;
    const std::string& text = metrics.body;
    const std::string served = "servant=\"TestApp.RelayServer.RelayObj\",method=\"testHello\"";
    EXPECT_EQ(sampleValue(text, "tars_server_requests_total{" + served + ",code=\"0\"}"), "5") << text;
    EXPECT_EQ(sampleValue(text, "tars_server_request_duration_seconds_count{" + served + "}"), "5") << text;
    EXPECT_EQ(sampleValue(text, "tars_server_request_duration_seconds_bucket{" + served + ",le=\"+Inf\"}"), "5");
    // The relay's own calls to HelloServer.
    const std::string made = "callee=\"TestApp.HelloServer\",method=\"testHello\"";
    EXPECT_EQ(sampleValue(text, "tars_client_requests_total{" + made + ",code=\"0\"}"), "5") << text;
    EXPECT_EQ(sampleValue(text, "tars_client_request_duration_seconds_count{" + made + "}"), "5") << text;
    EXPECT_EQ(sampleValue(text, "tars_adapter_connections{adapter=\"TestApp.RelayServer.RelayObjAdapter\"}"), "1");
    for (const char* family :
         {"tars_server_requests_total counter", "tars_server_request_duration_seconds histogram",
          "tars_client_requests_total counter", "tars_client_request_duration_seconds histogram", "tars_property gauge",
          "tars_adapter_connections gauge", "tars_adapter_queue_depth gauge",
          "tars_adapter_queue_wait_seconds histogram", "process_cpu_seconds_total counter",
          "process_resident_memory_bytes gauge", "process_open_fds gauge", "process_start_time_seconds gauge"}) {
        EXPECT_NE(text.find(std::string("\n# TYPE ") + family + "\n"), std::string::npos) << family;
    }
    double started = std::stod(sampleValue(text, "process_start_time_seconds"));
    double now = static_cast<double>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    EXPECT_GT(started, now - 120);
    EXPECT_LE(started, now + 1);

    // Prometheus's own checker accepts the exposition.
    std::string tool = promtool();
    ASSERT_FALSE(tool.empty()) << "promtool is missing: tests/run.sh installs Debian's prometheus package";
    std::string file = relay.dir() + "/metrics.txt";
    std::ofstream(file) << text;
    std::string command = tool + " check metrics < " + file + " 2>&1";
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buffer[512];
    while (size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) out.append(buffer, n);
    EXPECT_EQ(::pclose(pipe), 0) << out;

    // A scraper that takes gzip (Prometheus does) gets the same exposition compressed.
    HttpAnswer zipped = httpRequest(opsPort.port(), "GET", "/metrics", "Accept-Encoding: gzip\r\n");
    ASSERT_EQ(zipped.status, 200) << zipped.headers;
    EXPECT_NE(zipped.headers.find("\r\nContent-Encoding: gzip"), std::string::npos) << zipped.headers;
    EXPECT_LT(zipped.body.size(), text.size() / 2);
    std::string unzipped = http::gunzip(zipped.body);
    EXPECT_EQ(sampleValue(unzipped, "tars_server_requests_total{" + served + ",code=\"0\"}"), "5") << unzipped;

    HttpAnswer status = httpRequest(opsPort.port(), "GET", "/status");
    ASSERT_EQ(status.status, 200);
    auto json = nlohmann::json::parse(status.body);
    EXPECT_EQ(json["app"], "TestApp");
    EXPECT_EQ(json["server"], "RelayServer");
    bool found = false;
    for (const auto& a : json["adapters"]) {
        if (a["name"] != "TestApp.RelayServer.RelayObjAdapter") continue;
        found = true;
        EXPECT_EQ(a["servant"], "TestApp.RelayServer.RelayObj");
        EXPECT_EQ(a["req.total"], 5);
        EXPECT_EQ(a["port"], relayPort.port());
    }
    EXPECT_TRUE(found) << status.body;
}

TEST_F(OpsEndpointTest, RefusesUnknownPathsAndMethodsAndAnswersHeadWithoutABody) {
    ASSERT_NO_FATAL_FAILURE(startServers("    ops=tcp -p " + std::to_string(opsPort.port()) + "\n"));
    EXPECT_EQ(httpRequest(opsPort.port(), "GET", "/nothing").status, 404);
    EXPECT_EQ(httpRequest(opsPort.port(), "GET", "/metrics/../admin").status, 404);
    HttpAnswer post = httpRequest(opsPort.port(), "POST", "/metrics");
    EXPECT_EQ(post.status, 405);
    EXPECT_NE(post.headers.find("Allow: GET, HEAD"), std::string::npos) << post.headers;
    EXPECT_EQ(httpRequest(opsPort.port(), "DELETE", "/health").status, 405);
    HttpAnswer head = httpRequest(opsPort.port(), "HEAD", "/health");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    // Garbage on one connection closes that one only.
    RawClient bad(opsPort.port());
    ASSERT_TRUE(bad.sendAll("\x01\x02 not http at all\r\n\r\n"));
    EXPECT_TRUE(bad.waitClosed());
    EXPECT_EQ(httpRequest(opsPort.port(), "GET", "/health").status, 200);
}

TEST(OpsEndpointConfig, AnEndpointThatCannotBeUsedStopsTheStartNamingTheKey) {
    ReservedPort helloPort, adminPort;
    ServerProcess hello(HELLO_SERVER);
    hello.writeConfig(
        makeConfig("TestApp", "HelloServer", adminPort,
                   {adapter("TestApp.HelloServer.HelloObjAdapter", "TestApp.HelloServer.HelloObj", helloPort)},
                   "    ops=udp -h 127.0.0.1 -p 1\n"));
    EXPECT_NE(hello.runToExit({"--config=" + hello.dir() + "/server.conf"}), 0);
    EXPECT_NE(hello.output().find("<ops>"), std::string::npos) << hello.output();
    EXPECT_NE(hello.output().find("only tcp"), std::string::npos) << hello.output();
}

}  // namespace
}  // namespace tars::test
