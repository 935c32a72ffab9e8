// Day logs (DLOG / FDLOG): local files and the log service, through ObservabilitySink,
// which writes day logs on request and also serves as the log service.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <sstream>

#include "ObservabilityTestUtil.h"
#include "util/tc_file.h"

namespace tars::test {
namespace {

std::string today() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char day[16];
    std::strftime(day, sizeof day, "%Y%m%d", &tm);
    return day;
}

size_t countLines(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

// A sink whose own day logs go to logObj ("" = its own LogObj).
struct LoggingSink {
    ReservedPort admin, stat, property, notify, log;
    ServerProcess process{SINK_SERVER};
    bool start(const std::string& logObj = "") {
        std::string own = "Test.Sink.LogObj@tcp -h 127.0.0.1 -p " + std::to_string(log.port());
        process.writeConfig(makeConfig("Test", "Sink", admin,
                                       {adapter("Test.Sink.StatObjAdapter", "Test.Sink.StatObj", stat),
                                        adapter("Test.Sink.PropertyObjAdapter", "Test.Sink.PropertyObj", property),
                                        adapter("Test.Sink.NotifyObjAdapter", "Test.Sink.NotifyObj", notify),
                                        adapter("Test.Sink.LogObjAdapter", "Test.Sink.LogObj", log)},
                                       "      log=" + (logObj.empty() ? own : logObj) + "\n"));
        return process.start({admin, stat, property, notify, log});
    }
    std::string file(const std::string& name) const {
        return process.dir() + "/log/Test/Sink/Test.Sink" + (name.empty() ? "" : "_" + name) + "_" + today() + ".log";
    }
    std::vector<std::string> logLines() const {
        std::vector<std::string> out;
        std::istringstream in(adminNotify(admin, "sink.dump"));
        std::string line;
        while (std::getline(in, line)) {
            size_t at = line.find("log app=");
            if (at != std::string::npos) out.push_back(line.substr(at));
        }
        return out;
    }
};

TEST(DayLog, LinesGoToTheDayFileAndToTheLogService) {
    LoggingSink sink;
    ASSERT_TRUE(sink.start()) << sink.process.output();
    EXPECT_NE(adminNotify(sink.admin, "sink.writelog - 3").find("wrote 3"), std::string::npos);
    EXPECT_NE(adminNotify(sink.admin, "sink.writelog access 2").find("wrote 2"), std::string::npos);
    int64_t deadline = nowMs() + 15000;
    std::vector<std::string> remote = sink.logLines();
    while (remote.size() < 5 && nowMs() < deadline) {
        ::usleep(100 * 1000);  // polling interval of a bounded wait
        remote = sink.logLines();
    }
    ASSERT_EQ(remote.size(), 5u) << ::testing::PrintToString(remote);
    int dlog = 0, access = 0;
    for (const auto& line : remote) {
        if (line.starts_with("log app=Test server=Sink file= format=%Y%m%d set= line=")) ++dlog;
        if (line.starts_with("log app=Test server=Sink file=access format=%Y%m%d set= line=")) ++access;
        EXPECT_NE(line.find("|line "), std::string::npos) << line;  // "YYYY-MM-DD HH:MM:SS|line i"
    }
    EXPECT_EQ(dlog, 3);
    EXPECT_EQ(access, 2);
    // Local files: flushed within a second by the logger's thread.
    deadline = nowMs() + 10000;
    while (
        (countLines(TC_File::load2str(sink.file(""))) < 3 || countLines(TC_File::load2str(sink.file("access"))) < 2) &&
        nowMs() < deadline) {
        ::usleep(100 * 1000);
    }
    EXPECT_EQ(countLines(TC_File::load2str(sink.file(""))), 3u) << sink.file("");
    EXPECT_EQ(countLines(TC_File::load2str(sink.file("access"))), 2u) << sink.file("access");
    std::string status = adminNotify(sink.admin, "tars.viewstatus");
    EXPECT_NE(status.find("daylog.lines.sent=5"), std::string::npos) << status;
    EXPECT_NE(status.find("daylog.lines.dropped=0"), std::string::npos) << status;
}

TEST(DayLog, EnableDayLogSwitchesRemoteAndLocal) {
    LoggingSink sink;
    ASSERT_TRUE(sink.start()) << sink.process.output();
    EXPECT_NE(adminNotify(sink.admin, "tars.enabledaylog remote|access|false").find("[succ]"), std::string::npos);
    EXPECT_NE(adminNotify(sink.admin, "tars.enabledaylog sideways").find("[fail] usage"), std::string::npos);
    adminNotify(sink.admin, "sink.writelog access 2");
    adminNotify(sink.admin, "sink.writelog other 1");
    int64_t deadline = nowMs() + 15000;
    while (sink.logLines().size() < 1 && nowMs() < deadline) ::usleep(100 * 1000);
    auto remote = sink.logLines();
    ASSERT_EQ(remote.size(), 1u) << ::testing::PrintToString(remote);
    EXPECT_TRUE(remote[0].starts_with("log app=Test server=Sink file=other ")) << remote[0];
    deadline = nowMs() + 10000;
    while (countLines(TC_File::load2str(sink.file("access"))) < 2 && nowMs() < deadline) ::usleep(100 * 1000);
    EXPECT_EQ(countLines(TC_File::load2str(sink.file("access"))), 2u) << "local stays on";
}

TEST(DayLog, LogServiceThatNeverAnswersNeverBlocksAndDropsAreCounted) {
    // A log service that accepts connections (the kernel's backlog) and never answers:
    // every call stays outstanding until its timeout.
    TC_Socket blackHole = TC_Socket::create(AF_INET, SOCK_STREAM, true);
    blackHole.bind("127.0.0.1", 0);
    blackHole.listen(16);
    LoggingSink sink;
    ASSERT_TRUE(sink.start("Test.Sink.LogObj@tcp -h 127.0.0.1 -p " + std::to_string(blackHole.getSockName().port())))
        << sink.process.output();
    int64_t start = nowMs();
    EXPECT_NE(adminNotify(sink.admin, "sink.writelog busy 30000").find("wrote 30000"), std::string::npos);
    EXPECT_LT(nowMs() - start, 10000) << "30000 lines with the log service down";
    std::string status = adminNotify(sink.admin, "tars.viewstatus");
    auto value = [&](const std::string& key) {
        size_t at = status.find(key + "=");
        return at == std::string::npos ? -1L : std::stol(status.substr(at + key.size() + 1));
    };
    EXPECT_EQ(value("daylog.lines.written"), 30000) << status;
    // At most 4 calls of 500 lines outstanding and 10000 lines waiting: the rest is dropped.
    EXPECT_GE(value("daylog.lines.dropped"), 30000 - 10000 - 4 * 500) << status;
    EXPECT_LE(value("daylog.lines.sent"), 4 * 500) << status;
}

}  // namespace
}  // namespace tars::test
