// Server events and alarms to the notify service, as ObservabilitySink receives them.
#include <gtest/gtest.h>

#include "ObservabilityTestUtil.h"
#include "servant/Communicator.h"
#include "servant/RemoteNotify.h"

namespace tars::test {
namespace {

bool hasLine(const std::vector<std::string>& lines, const std::string& prefix, const std::string& text) {
    for (const std::string& line : lines) {
        if (line.starts_with(prefix) && line.find(text) != std::string::npos) return true;
    }
    return false;
}

std::string helloConfig(const Sink& sink, int helloPort, int adminPort, const std::string& servant) {
    return makeConfig("TestApp", "HelloServer", adminPort,
                      {adapter("TestApp.HelloServer.HelloObjAdapter", servant, helloPort)},
                      "      notify=" + sink.notifyObj() + "\n      nodename=node-7\n");
}

TEST(Notify, MacrosSendNotifyTypeWithTheirLevel) {
    Sink sink;
    ASSERT_TRUE(sink.start()) << sink.log();
    auto comm = std::make_shared<Communicator>();
    RemoteNotify::getInstance().setNotifyInfo(comm, sink.notifyObj(), "Test", "Notifier", "", "node-1");
    TARS_NOTIFY_NORMAL("all good");
    TARS_NOTIFY_WARN("disk at 80%");
    TARS_NOTIFY_ERROR("cache lost");
    auto lines = sink.waitFor([](const std::vector<std::string>& got) {
        return hasLine(got, "notify ", "cache lost") && hasLine(got, "notify ", "all good") &&
               hasLine(got, "notify ", "disk at 80%");
    });
    RemoteNotify::getInstance().shutdown();
    comm->terminate();
    EXPECT_TRUE(hasLine(lines, "notify type=1 level=0 app=Test server=Notifier node=node-1", "msg=all good"));
    EXPECT_TRUE(hasLine(lines, "notify type=1 level=1 app=Test server=Notifier node=node-1", "msg=disk at 80%"));
    EXPECT_TRUE(hasLine(lines, "notify type=1 level=2 app=Test server=Notifier node=node-1", "msg=cache lost"));
    TARS_NOTIFY_ERROR("after shutdown");  // a no-op, not a crash
}

TEST(Notify, ServerReportsStartAndStop) {
    Sink sink;
    ASSERT_TRUE(sink.start()) << sink.log();
    ReservedPort helloPort, adminPort;
    ServerProcess hello(HELLO_SERVER);
    hello.writeConfig(helloConfig(sink, helloPort, adminPort, "TestApp.HelloServer.HelloObj"));
    ASSERT_TRUE(hello.start({helloPort, adminPort})) << hello.output();
    auto lines =
        sink.waitFor([](const std::vector<std::string>& got) { return hasLine(got, "notify ", "msg=restart"); });
    EXPECT_TRUE(hasLine(lines, "notify type=0 level=0 app=TestApp server=HelloServer node=node-7", "msg=restart"))
        << hello.log();
    EXPECT_EQ(hello.stop(), 0);
    lines = sink.lines();  // the stop event is answered before the process exits
    EXPECT_TRUE(hasLine(lines, "notify type=0 level=0 app=TestApp server=HelloServer node=node-7", "msg=stop"));
}

TEST(Notify, StartFailureIsReportedBeforeExit) {
    Sink sink;
    ASSERT_TRUE(sink.start()) << sink.log();
    ReservedPort helloPort, adminPort;
    ServerProcess hello(HELLO_SERVER);
    hello.writeConfig(helloConfig(sink, helloPort, adminPort, "TestApp.HelloServer.NoSuchObj"));
    EXPECT_FALSE(hello.start({helloPort, adminPort}, 10000));
    EXPECT_EQ(hello.waitExit(10000), 1);
    auto lines = sink.lines();
    EXPECT_TRUE(hasLine(lines, "notify type=0 level=0 app=TestApp server=HelloServer", "msg=[fail] start failed: "))
        << hello.output();
}

TEST(Notify, NotifyServiceDownNeverBlocks) {
    ReservedPort dead;  // bound, never listening: connections are refused
    auto comm = std::make_shared<Communicator>();
    RemoteNotify::getInstance().setNotifyInfo(
        comm, "Test.Sink.NotifyObj@tcp -h 127.0.0.1 -p " + std::to_string(dead.port()), "Test", "Notifier", "", "");
    uint64_t failedBefore = RemoteNotify::getInstance().counters().failed;
    int64_t start = nowMs();
    for (int i = 0; i < 100; ++i) TARS_NOTIFY_WARN("nobody listens");
    EXPECT_LT(nowMs() - start, 1000);
    int64_t deadline = nowMs() + 10000;
    while (RemoteNotify::getInstance().counters().failed - failedBefore < 100 && nowMs() < deadline) {
        ::usleep(20 * 1000);  // polling interval of a bounded wait
    }
    EXPECT_EQ(RemoteNotify::getInstance().counters().failed - failedBefore, 100u);
    RemoteNotify::getInstance().shutdown();
}

}  // namespace
}  // namespace tars::test
