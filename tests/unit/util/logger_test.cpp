#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "test_util.h"
#include "util/tc_common.h"
#include "util/tc_file.h"
#include "util/tc_log_throttle.h"
#include "util/tc_logger.h"

using namespace tars;

namespace {
size_t countLines(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }
}  // namespace

TEST(TC_Logger, LevelNamesMapBothWays) {
    for (const char* name : {"NONE", "ERROR", "WARN", "INFO", "DEBUG", "TARS"}) {
        auto level = TC_Logger::parseLevel(name);
        ASSERT_TRUE(level) << name;
        EXPECT_STREQ(TC_Logger::levelName(*level), name);
    }
    EXPECT_EQ(TC_Logger::parseLevel(" debug "), TC_Logger::DEBUG_LOG);
    EXPECT_FALSE(TC_Logger::parseLevel("VERBOSE"));
}

TEST(TC_Logger, LevelDecidesWhatIsWritten) {
    TC_Logger log;
    log.setLogLevel(TC_Logger::DEBUG_LOG);
    EXPECT_TRUE(log.isNeedLog(TC_Logger::ERROR_LOG));
    EXPECT_TRUE(log.isNeedLog(TC_Logger::INFO_LOG));
    EXPECT_TRUE(log.isNeedLog(TC_Logger::DEBUG_LOG));
    EXPECT_FALSE(log.isNeedLog(TC_Logger::TARS_LOG));
    EXPECT_FALSE(log.isNeedLog(TC_Logger::NONE_LOG));
    EXPECT_TRUE(log.setLogLevel("WARN"));
    EXPECT_FALSE(log.isNeedLog(TC_Logger::INFO_LOG));
    EXPECT_FALSE(log.setLogLevel("LOUD"));
    EXPECT_EQ(log.getLogLevel(), TC_Logger::WARN_LOG);
    log.setLogLevel(TC_Logger::NONE_LOG);
    EXPECT_FALSE(log.isNeedLog(TC_Logger::ERROR_LOG));
}

TEST(TC_Logger, RecordFormatAndRuntimeLevelChange) {
    test::TempDir dir;
    std::string path = dir.file("app.log");
    TC_Logger log;
    log.setRollBySize(path, 1 << 20, 3);
    EXPECT_EQ(log.getPath(), path);
    log.setLogLevel("INFO");
    TC_LOG(log, TC_Logger::INFO_LOG, "info " << 1 << std::endl);
    TC_LOG(log, TC_Logger::DEBUG_LOG, "debug hidden");
    log.setLogLevel("TARS");
    log.tars() << "tars " << 2;
    log.debug() << "debug " << 3 << std::endl;
    log.setLogLevel("ERROR");
    log.warn() << "warn hidden";
    log.error() << "error " << 4;
    log.flush();
    std::string text = TC_File::load2str(path);
    auto lines = TC_Common::sepstr(text, "\n");
    ASSERT_EQ(lines.size(), 4u) << text;
    EXPECT_NE(lines[0].find("|INFO|info 1"), std::string::npos) << lines[0];
    EXPECT_NE(lines[1].find("|TARS|tars 2"), std::string::npos) << lines[1];
    EXPECT_NE(lines[2].find("|DEBUG|debug 3"), std::string::npos) << lines[2];
    EXPECT_NE(lines[3].find("|ERROR|error 4"), std::string::npos) << lines[3];
    // "2024-05-01 13:45:10.123|tid|LEVEL|text"
    EXPECT_EQ(lines[0][4], '-');
    EXPECT_EQ(lines[0][19], '.');
    EXPECT_EQ(lines[0][23], '|');
    EXPECT_EQ(text.find("hidden"), std::string::npos);
}

TEST(TC_Logger, ATeeScopeCopiesThisThreadsGlobalRecordsOnly) {
    test::TempDir dir;
    std::string path = dir.file("dyeing.log");
    TC_Logger tee;
    tee.setRollBySize(path, 1 << 20, 2);
    TLOGWARN("tee test: before" << std::endl);
    {
        TC_Logger::TeeScope scope(&tee);
        TLOGWARN("tee test: inside" << std::endl);
        std::thread([] { TLOGWARN("tee test: another thread" << std::endl); }).join();
        TC_Logger::TeeScope none(nullptr);  // opens nothing: the tee stays
        TLOGWARN("tee test: nested" << std::endl);
    }
    TLOGWARN("tee test: after" << std::endl);
    tee.flush();
    std::string text = TC_File::load2str(path);
    EXPECT_NE(text.find("|WARN|tee test: inside"), std::string::npos) << text;
    EXPECT_NE(text.find("tee test: nested"), std::string::npos) << text;
    EXPECT_EQ(text.find("before"), std::string::npos) << text;
    EXPECT_EQ(text.find("another thread"), std::string::npos) << text;
    EXPECT_EQ(text.find("after"), std::string::npos) << text;
}

TEST(TC_Logger, DisabledMessageIsNotEvaluated) {
    TC_Logger log;
    log.setLogLevel(TC_Logger::ERROR_LOG);
    int calls = 0;
    auto expensive = [&] { return ++calls; };
    TC_LOG(log, TC_Logger::DEBUG_LOG, "x" << expensive());
    EXPECT_EQ(calls, 0);
}

TEST(TC_Logger, RollsBySizeKeepingMaxNumFiles) {
    test::TempDir dir;
    std::string path = dir.file("logs/roll.log");  // parent created on demand
    TC_Logger log;
    log.setRollBySize(path, 1000, 3);
    std::string payload(70, 'x');
    for (int i = 0; i < 200; ++i) log.info() << i << " " << payload;
    log.flush();
    std::vector<std::string> files = TC_File::listDirectory(dir.file("logs"));
    EXPECT_EQ(files, (std::vector<std::string>{dir.file("logs/roll.1.log"), dir.file("logs/roll.2.log"),
                                               dir.file("logs/roll.log")}));
    size_t lines = 0;
    for (const std::string& f : files) {
        EXPECT_LE(TC_File::getFileSize(f), 1000) << f;
        EXPECT_GT(TC_File::getFileSize(f), 0) << f;
        lines += countLines(TC_File::load2str(f));
    }
    // The newest records survive in the current file.
    EXPECT_NE(TC_File::load2str(path).find("199 " + payload), std::string::npos);
    EXPECT_LT(lines, 200u);
}

TEST(TC_Logger, RollByDayNamesFileWithTheDate) {
    test::TempDir dir;
    TC_Logger log;
    log.setRollByDay(dir.file("App.Server_biz.log"));
    std::string expected = dir.file("App.Server_biz_" + TC_Common::tm2date(::time(nullptr)) + ".log");
    // Around midnight the date may move between the two calls: accept the sink's name.
    std::string path = log.getPath();
    EXPECT_TRUE(path == expected || path.find("App.Server_biz_") != std::string::npos) << path;
    log.info() << "day record";
    log.flush();
    EXPECT_NE(TC_File::load2str(path).find("|INFO|day record"), std::string::npos);
}

TEST(TC_Logger, UnwritablePathThrowsAndKeepsOldDestination) {
    test::TempDir dir;
    TC_File::save2file(dir.file("file"), "x");
    TC_Logger log;
    std::string good = dir.file("good.log");
    log.setRollBySize(good, 1 << 20, 2);
    EXPECT_THROW(log.setRollBySize(dir.file("file/sub/x.log"), 1 << 20, 2), TC_Logger_Exception);
    EXPECT_THROW(log.setRollBySize(good, 0, 2), TC_Logger_Exception);
    EXPECT_EQ(log.getPath(), good);
    log.info() << "still here";
    log.flush();
    EXPECT_NE(TC_File::load2str(good).find("still here"), std::string::npos);
}

TEST(TC_Logger, ConcurrentWritersProduceWholeLines) {
    test::TempDir dir;
    std::string path = dir.file("mt.log");
    TC_Logger log;
    log.setRollBySize(path, 64 << 20, 2);
    constexpr int kThreads = 4, kPerThread = 500;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                log.info() << "thread " << t << " record " << i << " end";
                if (i == kPerThread / 2 && t == 0) log.setLogLevel("DEBUG");  // runtime change while writing
            }
        });
    }
    for (auto& th : threads) th.join();
    log.flush();
    std::string text = TC_File::load2str(path);
    auto lines = TC_Common::sepstr(text, "\n");
    ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kPerThread));
    for (const std::string& l : lines) ASSERT_TRUE(TC_Common::endsWith(l, " end")) << l;
}

TEST(TC_Logger, GlobalLoggerMacros) {
    test::TempDir dir;
    TC_Logger& g = TC_Logger::global();
    std::string path = dir.file("global.log");
    g.setRollBySize(path, 1 << 20, 2);
    g.setLogLevel("DEBUG");
    TLOGERROR("err " << 1 << std::endl);
    TLOGWARN("warn " << 2);
    TLOGINFO("info " << 3);
    TLOGDEBUG("debug " << 4);
    TLOGTARS("tars hidden");
    TLOG_DEBUG("located");
    g.flush();
    std::string text = TC_File::load2str(path);
    g.setConsole();  // leave the process log as found
    EXPECT_EQ(countLines(text), 5u) << text;
    EXPECT_NE(text.find("|ERROR|err 1\n"), std::string::npos);
    EXPECT_NE(text.find("|WARN|warn 2"), std::string::npos);
    EXPECT_NE(text.find("[logger_test.cpp:"), std::string::npos) << text;
    EXPECT_NE(text.find(":TestBody] located"), std::string::npos) << text;
    EXPECT_EQ(text.find("hidden"), std::string::npos);
}

namespace tars {
namespace {

TEST(TC_LogThrottle, LetsOneLineThroughPerIntervalAndCountsTheRest) {
    TC_LogThrottle throttle(50);
    uint64_t held = 99;
    ASSERT_TRUE(throttle.allow(held));
    EXPECT_EQ(held, 0u);
    // Within the interval (the clock is read once per call; 5 calls take far less than
    // 50 ms unless the machine stalls, in which case one may pass: counted either way).
    int passed = 0;
    for (int i = 0; i < 5; ++i) passed += throttle.allow(held) ? 1 : 0;
    EXPECT_LE(passed, 1);
    // After the interval the next one passes and says how many were held back.
    bool through = false;
    for (int i = 0; i < 400 && !through; ++i) {  // at most 2 s
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        through = throttle.allow(held);
    }
    ASSERT_TRUE(through);
    if (passed == 0) {
        EXPECT_GE(held, 5u);  // the 5, and the waiting loop's own tries
    }
    EXPECT_EQ(TC_LogThrottle::heldText(0), "");
    EXPECT_EQ(TC_LogThrottle::heldText(3), " (3 more like it not logged)");
}

}  // namespace
}  // namespace tars
