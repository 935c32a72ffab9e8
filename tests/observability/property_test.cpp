// Properties end to end: user properties of a client and the framework's own properties
// of a server, as ObservabilitySink receives them.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "Hello.h"
#include "ObservabilityTestUtil.h"
#include "servant/Communicator.h"

namespace tars::test {
namespace {

std::string findLine(const std::vector<std::string>& lines, const std::string& prefix) {
    for (const std::string& line : lines) {
        if (line.starts_with(prefix)) return line;
    }
    return "";
}

TEST(Property, UserPropertyArrivesWithEveryPolicy) {
    Sink sink;
    ASSERT_TRUE(sink.start()) << sink.log();
    Communicator comm;
    comm.setProperty("property", sink.propertyObj());
    comm.setProperty("report-interval", "1000");
    comm.setProperty("modulename", "obs_test");
    auto p = comm.getStatReport()->createPropertyReport("orders", PropertyReport::sum(), PropertyReport::avg(),
                                                        PropertyReport::distr({10, 100}), PropertyReport::max(),
                                                        PropertyReport::min(), PropertyReport::count());
    EXPECT_EQ(comm.getStatReport()->createPropertyReport("orders", PropertyReport::sum()), p) << "one per name";
    for (int v : {5, 20, 200}) p->report(v);
    // (the client's own asyncqueue property arrives beside it)
    auto lines =
        sink.waitFor([](const auto& got) { return !findLine(got, "prop module=obs_test ip= name=orders ").empty(); });
    EXPECT_EQ(findLine(lines, "prop module=obs_test ip= name=orders "),
              "prop module=obs_test ip= name=orders Sum=225 Avg=75 Distr=10|1,100|2 Max=200 Min=5 Count=3");
}

// A callback that blocks its callback thread until released: the calls answered meanwhile
// wait in the async queue.
class GatedCallback : public TestApp::HelloPrxCallback {
public:
    void callback_testHello(tars::Int32, const std::string&) override { pass(); }
    void callback_testHello_exception(tars::Int32) override { pass(); }
    void release() {
        std::lock_guard lock(_mutex);
        _open = true;
        _cond.notify_all();
    }
    bool waitDone(int n) {
        std::unique_lock lock(_mutex);
        return _cond.wait_for(lock, std::chrono::seconds(20), [&] { return _done >= n; });
    }

private:
    void pass() {
        std::unique_lock lock(_mutex);
        _cond.wait_for(lock, std::chrono::seconds(30), [this] { return _open; });
        ++_done;
        _cond.notify_all();
    }
    std::mutex _mutex;
    std::condition_variable _cond;
    bool _open = false;
    int _done = 0;
};

// The communicator's own property: the callbacks waiting for its callback threads.
TEST(Property, AsyncQueueCountsTheCallbacksWaiting) {
    Sink sink;
    ASSERT_TRUE(sink.start()) << sink.log();
    ReservedPort helloPort, adminPort;
    ServerProcess hello(HELLO_SERVER);
    hello.writeConfig(
        makeConfig("TestApp", "HelloServer", adminPort,
                   {adapter("TestApp.HelloServer.HelloObjAdapter", "TestApp.HelloServer.HelloObj", helloPort)}));
    ASSERT_TRUE(hello.start({helloPort, adminPort})) << hello.output();
    Communicator comm;
    comm.setProperty("property", sink.propertyObj());
    comm.setProperty("report-interval", "1000");
    comm.setProperty("modulename", "obs_test");
    comm.setProperty("asyncthread", "1");
    auto prx = comm.stringToProxy<TestApp::HelloPrx>("TestApp.HelloServer.HelloObj@tcp -h 127.0.0.1 -p " +
                                                     std::to_string(helloPort));
    auto gate = std::make_shared<GatedCallback>();
    for (int i = 0; i < 5; ++i) prx->async_testHello(gate, "queued");
    // The first callback holds the only callback thread; the other four answers wait.
    const std::string expected = "prop module=obs_test ip= name=asyncqueue Avg=4";
    auto lines = sink.waitFor([&](const auto& got) { return !findLine(got, expected).empty(); });
    EXPECT_EQ(findLine(lines, expected), expected);
    gate->release();
    EXPECT_TRUE(gate->waitDone(5));
}

TEST(Property, ServerReportsItsAdapterProperties) {
    Sink sink;
    ASSERT_TRUE(sink.start()) << sink.log();
    ReservedPort helloPort, adminPort;
    ServerProcess hello(HELLO_SERVER);
    std::string client =
        "    <client>\n      property=" + sink.propertyObj() + "\n      report-interval=1000\n    </client>\n";
    hello.writeConfig(makeConfig(
        "TestApp", "HelloServer", adminPort,
        {adapter("TestApp.HelloServer.HelloObjAdapter", "TestApp.HelloServer.HelloObj", helloPort)}, "", client));
    ASSERT_TRUE(hello.start({helloPort, adminPort})) << hello.output();
    Communicator comm;
    auto prx = comm.stringToProxy<TestApp::HelloPrx>("TestApp.HelloServer.HelloObj@tcp -h 127.0.0.1 -p " +
                                                     std::to_string(helloPort));
    std::string rsp;
    for (int i = 0; i < 4; ++i) ASSERT_EQ(prx->testHello("p", rsp), 0);
    const std::string head = "prop module=TestApp.HelloServer ip=127.0.0.1 name=TestApp.HelloServer.HelloObjAdapter";
    auto lines = sink.waitFor([&](const auto& got) {
        return !findLine(got, head + ".servantHandleTime ").empty() && !findLine(got, head + ".queue ").empty() &&
               !findLine(got, head + ".connectRate ").empty();
    });
    std::string handle = findLine(lines, head + ".servantHandleTime ");
    EXPECT_NE(handle.find(" Count=4"), std::string::npos) << handle;
    EXPECT_NE(handle.find(" Distr=5|"), std::string::npos) << handle;
    std::string wait = findLine(lines, head + ".queueWaitTime ");
    EXPECT_NE(wait.find(" Count=4"), std::string::npos) << wait;
    // Connections accepted per interval: the readiness probe of ServerProcess::start and
    // the test's own connection, in whichever intervals they fell.
    auto accepted = [&](const std::vector<std::string>& got) {
        long sum = 0;
        for (const auto& line : got) {
            if (line.starts_with(head + ".connectRate ")) sum += std::stol(line.substr(line.rfind("Avg=") + 4));
        }
        return sum;
    };
    lines = sink.waitFor([&](const auto& got) { return accepted(got) >= 2; });
    EXPECT_EQ(accepted(lines), 2) << ::testing::PrintToString(lines);
    EXPECT_EQ(hello.stop(), 0);
}

}  // namespace
}  // namespace tars::test
