// tarslog's file layout (LogWriter): TARS's names for logger() and loggerbyInfo(), sets,
// LogInfo's options and sLogType periods, and the refusal of names that would leave the
// log directory.
#include <gtest/gtest.h>

#include <ctime>

#include "LogWriter.h"
#include "TestDatabase.h"
#include "util/tc_file.h"

namespace tars::test {
namespace {

// 2026-03-04 13:27:45 local time.
time_t sampleTime() {
    struct tm t {};
    t.tm_year = 126;
    t.tm_mon = 2;
    t.tm_mday = 4;
    t.tm_hour = 13;
    t.tm_min = 27;
    t.tm_sec = 45;
    t.tm_isdst = -1;
    return mktime(&t);
}

LogInfo info(const std::string& file) {
    LogInfo i = plainLogInfo("Shop", "Cart", file, "%Y%m%d");
    return i;
}

TEST(LogLayoutTest, FollowsTarsNamesForFilesSetsAndOptions) {
    const time_t now = sampleTime();
    EXPECT_EQ(logFilePath("/r", info("access"), now), "/r/Shop/Cart/Shop.Cart_access_20260304.log");
    EXPECT_EQ(logFilePath("/r", info(""), now), "/r/Shop/Cart/Shop.Cart_20260304.log");
    LogInfo set = info("access");
    set.setdivision = "sz.a.1";
    EXPECT_EQ(logFilePath("/r", set, now), "/r/Shop/sza1/Cart/Shop.Cart_access_20260304.log");
    set.setdivision = "sz.a.*";
    EXPECT_EQ(logFilePath("/r", set, now), "/r/Shop/sza/Cart/Shop.Cart_access_20260304.log");
    LogInfo options = info("biz");
    options.bHasAppNamePrefix = false;
    options.bHasSufix = false;
    options.bHasSquareBracket = true;
    options.sConcatStr = "-";
    EXPECT_EQ(logFilePath("/r", options, now), "/r/Shop/Cart/biz-[20260304]");
}

TEST(LogLayoutTest, LogTypeCutsByDayHourAndMinutes) {
    const time_t now = sampleTime();
    LogInfo i = info("x");
    i.sFormat = "";
    i.sLogType = "day";
    EXPECT_EQ(logFilePath("/r", i, now), "/r/Shop/Cart/Shop.Cart_x_20260304.log");
    i.sLogType = "hour";
    EXPECT_EQ(logFilePath("/r", i, now), "/r/Shop/Cart/Shop.Cart_x_2026030413.log");
    i.sLogType = "2hour";
    EXPECT_EQ(logFilePath("/r", i, now), "/r/Shop/Cart/Shop.Cart_x_2026030412.log");
    i.sLogType = "minute";  // 10 minutes
    EXPECT_EQ(logFilePath("/r", i, now), "/r/Shop/Cart/Shop.Cart_x_202603041320.log");
    i.sLogType = "5 minute";
    EXPECT_EQ(logFilePath("/r", i, now), "/r/Shop/Cart/Shop.Cart_x_202603041325.log");
    i.sFormat = "%Y-%m-%d_%H";
    i.sLogType = "hour";
    EXPECT_EQ(logFilePath("/r", i, now), "/r/Shop/Cart/Shop.Cart_x_2026-03-04_13.log");
    i.sLogType = "fortnight";
    EXPECT_THROW(logFilePath("/r", i, now), LogRequestError);
}

TEST(LogLayoutTest, RefusesNamesThatLeaveTheDirectory) {
    const time_t now = sampleTime();
    auto refused = [&](LogInfo i) {
        try {
            logFilePath("/r", i, now);
        } catch (const LogRequestError&) {
            return true;
        }
        return false;
    };
    EXPECT_TRUE(refused(plainLogInfo("..", "Cart", "", "%Y%m%d")));
    EXPECT_TRUE(refused(plainLogInfo("Shop", "a/b", "", "%Y%m%d")));
    EXPECT_TRUE(refused(plainLogInfo("Shop", "Cart", "../../etc/passwd", "%Y%m%d")));
    EXPECT_TRUE(refused(plainLogInfo("Shop", "", "x", "%Y%m%d")));
    EXPECT_TRUE(refused(plainLogInfo("Shop", "Cart", "x", "%m/%d")));
    EXPECT_TRUE(refused(plainLogInfo("Shop", "Cart", std::string("a\0b", 3), "%Y%m%d")));
    LogInfo concat = info("x");
    concat.sConcatStr = "/../";
    EXPECT_TRUE(refused(concat));
    LogInfo set = info("x");
    set.setdivision = "sz.a/...1";
    EXPECT_TRUE(refused(set));
    set.setdivision = "sz..1";  // an empty part
    EXPECT_TRUE(refused(set));
}

TEST(LogWriterTest, AppendsLinesWithOneNewlineAndTheIpPrefix) {
    TestDatabase scratch("sqlite");  // for its temporary directory
    const std::string root = scratch.dir() + "/remote";
    LogWriter writer(root, true);
    LogInfo i = info("a");
    i.sSepar = "#";
    writer.write(i, {"one\n", "two"}, "10.0.0.9", sampleTime());
    writer.write(i, {"three"}, "10.0.0.9", sampleTime());
    EXPECT_EQ(TC_File::load2str(root + "/Shop/Cart/Shop.Cart_a_20260304.log"),
              "10.0.0.9#one\n10.0.0.9#two\n10.0.0.9#three\n");
}

}  // namespace
}  // namespace tars::test
