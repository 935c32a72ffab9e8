// Call statistics end to end: a client Communicator and a HelloServer process report to
// ObservabilitySink, and the rows it received are checked field by field.
#include <gtest/gtest.h>

#include <chrono>

#include "ClientTestUtil.h"
#include "Hello.h"
#include "ObservabilityTestUtil.h"
#include "TestServer.h"
#include "internal/StatCollector.h"
#include "servant/Communicator.h"

namespace tars::test {
namespace {

std::shared_ptr<Communicator> reportingCommunicator(const Sink& sink, const std::string& extra = "") {
    auto comm = std::make_shared<Communicator>();
    comm->setProperty("stat", sink.statObj());
    comm->setProperty("report-interval", "1000");
    comm->setProperty("modulename", "obs_test");
    if (!extra.empty()) comm->setProperty("max-report-size", extra);
    return comm;
}

TEST(StatReport, ClientRowsCarryHeadBodyAndBuckets) {
    Sink sink;
    ASSERT_TRUE(sink.start()) << sink.log();
    TestServer callee;
    callee.start();
    auto comm = reportingCommunicator(sink);
    auto prx = comm->stringToProxy<TestApp::HelloPrx>("Test.Callee.HelloObj@" + callee.endpoint());

    std::string rsp;
    for (int i = 0; i < 3; ++i) ASSERT_EQ(prx->testHello("sync", rsp), 0);
    auto callback = std::make_shared<RecordingCallback>();
    prx->async_testHello(callback, "async");
    prx->async_testHello(callback, "async");
    ASSERT_TRUE(callback->wait(2));
    prx->async_testHello(nullptr, "one-way");
    EXPECT_THROW(prx->testHello("ret:-99", rsp), TarsCallException);
    prx->tars_set_timeout(100);
    EXPECT_THROW(prx->testHello("sleep:1500", rsp), TarsCallException);

    const std::string master = "obs_test@";
    auto lines = sink.waitFor([&](const std::vector<std::string>& got) {
        auto sums = sumStats(got);
        long ok = 0, timeouts = 0, exec = 0;
        for (auto& [key, s] : sums) {
            ok += s.count;
            timeouts += s.timeout;
            exec += s.exec;
        }
        return ok >= 6 && timeouts >= 1 && exec >= 1;
    });
    auto sums = sumStats(lines);
    std::string masterName;
    for (const std::string& line : lines) {
        if (line.starts_with("stat ")) masterName = fields(line)["master"];
    }
    ASSERT_TRUE(masterName.starts_with(master)) << masterName;
    ASSERT_GT(masterName.size(), master.size());  // the version follows the @

    auto ok = sums[statKey(1, masterName, "", "Test.Callee", "testHello", "127.0.0.1", callee.port(), 0)];
    EXPECT_EQ(ok.count, 6);  // 3 sync + 2 async + 1 one-way
    EXPECT_EQ(ok.timeout, 0);
    EXPECT_EQ(ok.exec, 0);
    long bucketed = 0;
    for (auto& [point, n] : ok.buckets) bucketed += n;
    EXPECT_EQ(bucketed, 5);  // the one-way call has no time
    EXPECT_EQ(ok.buckets.size(), 9u);
    for (int point : {5, 10, 50, 100, 200, 500, 1000, 2000, 3000}) EXPECT_TRUE(ok.buckets.count(point)) << point;
    EXPECT_GE(ok.max, ok.min);
    EXPECT_LE(ok.max, ok.total);

    auto failed = sums[statKey(1, masterName, "", "Test.Callee", "testHello", "127.0.0.1", callee.port(), -99)];
    EXPECT_EQ(failed.exec, 1);
    EXPECT_EQ(failed.count, 0);
    auto timedOut = sums[statKey(1, masterName, "", "Test.Callee", "testHello", "127.0.0.1", callee.port(), -7)];
    EXPECT_EQ(timedOut.timeout, 1);
    EXPECT_EQ(timedOut.count, 0);
    EXPECT_EQ(sums.size(), 3u) << "only the three rows; reporting never reports itself";
}

TEST(StatReport, ServerReportsServedCallsFromItsSide) {
    Sink sink;
    ASSERT_TRUE(sink.start()) << sink.log();
    ReservedPort helloPort, adminPort;
    ServerProcess hello(HELLO_SERVER);
    std::string client = "    <client>\n      stat=" + sink.statObj() + "\n      report-interval=1000\n    </client>\n";
    hello.writeConfig(makeConfig(
        "TestApp", "HelloServer", adminPort,
        {adapter("TestApp.HelloServer.HelloObjAdapter", "TestApp.HelloServer.HelloObj", helloPort)}, "", client));
    ASSERT_TRUE(hello.start({helloPort, adminPort})) << hello.output();

    Communicator comm;  // no stat key: only the server reports
    auto prx = comm.stringToProxy<TestApp::HelloPrx>("TestApp.HelloServer.HelloObj@tcp -h 127.0.0.1 -p " +
                                                     std::to_string(helloPort));
    std::string rsp;
    for (int i = 0; i < 4; ++i) ASSERT_EQ(prx->testHello("served", rsp), 0);
    prx->async_testHello(nullptr, "one-way");

    std::string key =
        statKey(0, "127.0.0.1", "127.0.0.1", "TestApp.HelloServer", "testHello", "127.0.0.1", helloPort, 0);
    auto lines = sink.waitFor([&](const std::vector<std::string>& got) { return sumStats(got)[key].count >= 5; });
    auto sums = sumStats(lines);
    EXPECT_EQ(sums[key].count, 5) << hello.log();
    long bucketed = 0;
    for (auto& [point, n] : sums[key].buckets) bucketed += n;
    EXPECT_EQ(bucketed, 4);
    for (auto& [k, s] : sums) EXPECT_TRUE(k.starts_with("0|")) << "no client rows: " << k;
    std::string status = adminNotify(adminPort, "tars.viewstatus");
    EXPECT_NE(status.find("stat.rows.sent="), std::string::npos) << status;
    EXPECT_EQ(hello.stop(), 0);
}

TEST(StatReport, ReportsAreSplitAtMaxReportSize) {
    Sink sink;
    ASSERT_TRUE(sink.start()) << sink.log();
    TestServer callee;
    callee.start();
    auto comm = reportingCommunicator(sink, "500");
    auto prx = comm->stringToProxy<TestApp::HelloPrx>("Test.Callee.HelloObj@" + callee.endpoint());
    // 40 functions the callee does not have (-3): 40 rows in one interval.
    for (int i = 0; i < 40; ++i) {
        ResponsePacket rsp;
        EXPECT_THROW(prx->tars_invoke(TARSNORMAL, "function" + std::to_string(i), {}, {}, rsp), TarsCallException);
    }
    auto lines = sink.waitFor([&](const std::vector<std::string>& got) {
        long exec = 0;
        for (auto& [k, s] : sumStats(got)) exec += s.exec;
        return exec >= 40;
    });
    int batches = 0;
    long rows = 0;
    for (const std::string& line : lines) {
        if (!line.starts_with("batch=")) continue;
        auto f = fields("x " + line);
        ++batches;
        rows += std::stol(f["rows"]);
        EXPECT_LE(std::stol(f["rows"]), 20) << "a 500-byte batch holds far fewer than 40 rows";
    }
    EXPECT_EQ(rows, 40);
    EXPECT_GE(batches, 3);
}

// The rows of the last, partial interval go when the Communicator terminates: a client that
// makes its calls and exits long before its report interval ends loses none of them.
TEST(StatReport, TerminateSendsTheLastPartialInterval) {
    Sink sink;
    ASSERT_TRUE(sink.start()) << sink.log();
    TestServer callee;
    callee.start();
    auto comm = reportingCommunicator(sink);
    comm->setProperty("report-interval", "3600000");
    auto prx = comm->stringToProxy<TestApp::HelloPrx>("Test.Callee.HelloObj@" + callee.endpoint());
    std::string rsp;
    for (int i = 0; i < 4; ++i) ASSERT_EQ(prx->testHello("last", rsp), 0);
    auto start = std::chrono::steady_clock::now();
    comm->terminate();
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count(),
              2500)
        << "waits for the final report's answer only, never for the interval";
    EXPECT_EQ(comm->getStatReport()->counters().reportsSent, 1u);
    EXPECT_EQ(comm->getStatReport()->counters().reportsFailed, 0u) << "answered before terminate() returned";
    auto lines = sink.waitFor([](const std::vector<std::string>& got) {
        long calls = 0;
        for (auto& [key, s] : sumStats(got)) calls += s.count;
        return calls >= 4;
    });
    long calls = 0;
    for (auto& [key, s] : sumStats(lines)) calls += s.count;
    EXPECT_EQ(calls, 4);
}

TEST(StatReport, StatServiceDownLeavesCallsUnaffected) {
    DeadPort dead;
    TestServer callee;
    callee.start();
    auto comm = std::make_shared<Communicator>();
    comm->setProperty("stat", "Test.Sink.StatObj@" + dead.endpoint());
    comm->setProperty("report-interval", "1000");
    auto prx = comm->stringToProxy<TestApp::HelloPrx>("Test.Callee.HelloObj@" + callee.endpoint());
    int64_t deadline = nowMs() + 20000;
    int calls = 0;
    std::string rsp;
    // Keep calling across several report intervals: every call succeeds while the reports fail.
    while (comm->getStatReport()->counters().reportsFailed < 2 && nowMs() < deadline) {
        auto start = std::chrono::steady_clock::now();
        ASSERT_EQ(prx->testHello("call", rsp), 0);
        auto tookMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        EXPECT_LT(tookMs, 1000);
        ++calls;
    }
    EXPECT_GE(comm->getStatReport()->counters().reportsFailed, 2u);
    EXPECT_GT(calls, 0);
    auto start = std::chrono::steady_clock::now();
    comm->terminate();
    EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count(),
              3000);
}

}  // namespace
}  // namespace tars::test
