// The text and arithmetic rules of tarsadmin's log, stat and property commands
// (framework/admin/ObserveText.h).
#include <gtest/gtest.h>

#include "ObserveText.h"

using namespace tars::admin;

TEST(ObserveText, DurationsTakeSecondsMinutesHoursAndDays) {
    EXPECT_EQ(parseDuration("30s"), 30);
    EXPECT_EQ(parseDuration("10m"), 600);
    EXPECT_EQ(parseDuration("2h"), 7200);
    EXPECT_EQ(parseDuration("1d"), 86400);
    for (const char* bad : {"", "s", "10", "0m", "-5m", "1.5h", "10x", "m10", "401d", "99999999999999999999s"}) {
        EXPECT_FALSE(parseDuration(bad).has_value()) << bad;
    }
}

TEST(ObserveText, LogFileNamesMeanTheMainLogADayLogOrAnExactFile) {
    std::vector<std::string> files{"TestApp.HelloServer.log",
                                   "TestApp.HelloServer.stdout.log",
                                   "TestApp.HelloServer_20261205.log",
                                   "TestApp.HelloServer_20261206.log",
                                   "TestApp.HelloServer_access_20261206.log",
                                   "TestApp.HelloServer_access_20261207.log"};
    std::string chosen;
    EXPECT_EQ(chooseLogFile("TestApp", "HelloServer", "", files, chosen), "");
    EXPECT_EQ(chosen, "TestApp.HelloServer.log");
    EXPECT_EQ(chooseLogFile("TestApp", "HelloServer", "stdout", files, chosen), "");
    EXPECT_EQ(chosen, "TestApp.HelloServer.stdout.log");
    EXPECT_EQ(chooseLogFile("TestApp", "HelloServer", "access", files, chosen), "");
    EXPECT_EQ(chosen, "TestApp.HelloServer_access_20261207.log");
    EXPECT_EQ(chooseLogFile("TestApp", "HelloServer", "day", files, chosen), "");
    EXPECT_EQ(chosen, "TestApp.HelloServer_20261206.log");
    EXPECT_EQ(chooseLogFile("TestApp", "HelloServer", "TestApp.HelloServer_20261205.log", files, chosen), "");
    EXPECT_EQ(chosen, "TestApp.HelloServer_20261205.log");

    std::string problem = chooseLogFile("TestApp", "HelloServer", "nosuch", files, chosen);
    EXPECT_NE(problem.find("'nosuch' is not among the log files of TestApp.HelloServer"), std::string::npos) << problem;
    EXPECT_NE(problem.find("TestApp.HelloServer.stdout.log"), std::string::npos) << problem;
    problem = chooseLogFile("TestApp", "HelloServer", "", {}, chosen);
    EXPECT_NE(problem.find("(it has none yet)"), std::string::npos) << problem;
}

TEST(ObserveText, LastLinesCountLineEndsAndCanDropACutFirstLine) {
    EXPECT_EQ(lastLines("a\nb\nc\n", 2, false), "b\nc\n");
    EXPECT_EQ(lastLines("a\nb\nc", 2, false), "b\nc");
    EXPECT_EQ(lastLines("a\nb\nc\n", 10, false), "a\nb\nc\n");
    EXPECT_EQ(lastLines("a\nb\nc\n", 0, false), "");
    EXPECT_EQ(lastLines("t of a cut line\nb\nc\n", 10, true), "b\nc\n");
    EXPECT_EQ(lastLines("only a cut line", 3, true), "");
    EXPECT_EQ(lastLines("", 3, false), "");
}

TEST(ObserveText, PercentilesAreEstimatedWithinTheirBucketAndCappedByTheMaximum) {
    StatFigures f;
    // 100 calls: 50 within 5 ms, 40 in (5, 10], 10 in (10, 50]; the slowest took 30 ms.
    f.succ = 100;
    f.buckets[0] = 50;
    f.buckets[1] = 40;
    f.buckets[2] = 10;
    f.maxMs = 30;
    f.totalMs = 600;
    EXPECT_DOUBLE_EQ(f.averageMs(), 6.0);
    EXPECT_DOUBLE_EQ(f.percentileMs(0.50), 5.0);
    EXPECT_DOUBLE_EQ(f.percentileMs(0.90), 10.0);
    EXPECT_DOUBLE_EQ(f.percentileMs(0.99), 30.0);  // 46 ms by the bucket, capped by the maximum
    EXPECT_DOUBLE_EQ(f.percentileMs(0.95), 30.0);  // (10, 50] at its middle: 30
    // Calls that all took under a millisecond: the maximum is 0, and so every percentile.
    StatFigures fast;
    fast.succ = 6;
    fast.buckets[0] = 6;
    EXPECT_EQ(fast.percentileMs(0.5), 0);
    EXPECT_EQ(fast.percentileMs(0.99), 0);
    StatFigures none;
    EXPECT_EQ(none.percentileMs(0.5), 0);
    EXPECT_EQ(none.averageMs(), 0);

    // The overflow bucket reaches up to the maximum.
    StatFigures slow;
    slow.succ = 2;
    slow.buckets[kStatBucketBounds.size()] = 2;
    slow.maxMs = 5000;
    EXPECT_DOUBLE_EQ(slow.percentileMs(0.5), 4000.0);
}

TEST(ObserveText, StatRowsAddUpInTheOrderOfTheIndexes) {
    ASSERT_EQ(statIndexes().size(), 5 + kStatBucketBounds.size() + 1);
    EXPECT_EQ(statIndexes()[0], "succ_count");
    EXPECT_EQ(statIndexes()[5], "interv_5");
    EXPECT_EQ(statIndexes().back(), "interv_over");
    std::vector<double> row(statIndexes().size(), 0);
    row[0] = 8;   // succ
    row[1] = 1;   // timeouts
    row[2] = 1;   // exceptions
    row[3] = 80;  // total ms
    row[4] = 20;  // max ms
    row[6] = 8;   // (5, 10]
    StatFigures sum = statFiguresOf(row);
    row[4] = 40;
    sum.add(statFiguresOf(row));
    EXPECT_EQ(sum.calls(), 20);
    EXPECT_EQ(sum.timeouts, 2);
    EXPECT_DOUBLE_EQ(sum.averageMs(), 10.0);
    EXPECT_DOUBLE_EQ(sum.maxMs, 40.0);
    EXPECT_EQ(sum.buckets[1], 16);
    EXPECT_EQ(statFiguresOf({}).calls(), 0);  // a short row counts as zeros
}

TEST(ObserveText, PropertySlicesCombineByTheirPolicy) {
    auto combine = [](const std::string& policy, std::vector<double> values) {
        PropertyFigures f;
        for (double v : values) f.add(policy, v);
        return f.value;
    };
    EXPECT_DOUBLE_EQ(combine("Sum", {1, 2, 3}), 6);
    EXPECT_DOUBLE_EQ(combine("Count", {4, 4}), 8);
    EXPECT_DOUBLE_EQ(combine("Distr", {3, 4}), 7);  // a Distr row's value is its count
    EXPECT_DOUBLE_EQ(combine("Max", {1, 7, 3}), 7);
    EXPECT_DOUBLE_EQ(combine("Min", {5, 2, 9}), 2);
    EXPECT_DOUBLE_EQ(combine("Avg", {2, 4, 9}), 5);
    EXPECT_EQ(notifyLevelName(0), "normal");
    EXPECT_EQ(notifyLevelName(2), "error");
    EXPECT_EQ(notifyLevelName(7), "7");
}

TEST(ObserveText, RemoteLogsAreFoundUnderTheirApplicationAndServerWithOrWithoutASet) {
    auto found = remoteLogFiles("TestApp", "HelloServer",
                                {"TestApp.tarslog.log", "remote/TestApp/HelloServer/TestApp.HelloServer_20261207.log",
                                 "remote/TestApp/app1sz1/HelloServer/TestApp.HelloServer_access_20261207.log",
                                 "remote/TestApp/OtherServer/TestApp.OtherServer_20261207.log",
                                 "remote/Other/HelloServer/Other.HelloServer_20261207.log"});
    ASSERT_EQ(found.size(), 2u);
    EXPECT_EQ(found["TestApp.HelloServer_20261207.log"], "remote/TestApp/HelloServer/TestApp.HelloServer_20261207.log");
    EXPECT_EQ(found["TestApp.HelloServer_access_20261207.log"],
              "remote/TestApp/app1sz1/HelloServer/TestApp.HelloServer_access_20261207.log");
}
