// The aggregation and formatting of call statistics, in-process.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "StatF.h"
#include "internal/StatCollector.h"
#include "servant/StatReport.h"

namespace tars {
namespace {

using Outcome = StatCollector::Outcome;

TEST(StatCollector, BucketsFollowTheTarsPoints) {
    StatCollector c;
    for (int ms : {0, 5, 6, 10, 11, 50, 99, 100, 200, 499, 1000, 2000, 3000, 3001, 100000}) {
        c.record("App.Server", "f", "1.2.3.4", 80, 0, Outcome::Success, ms);
    }
    auto rows = c.take();
    ASSERT_EQ(rows.size(), 1u);
    const StatRowBody& b = rows.begin()->second;
    // 5: {0,5}; 10: {6,10}; 50: {11,50}; 100: {99,100}; 200: {200}; 500: {499};
    // 1000: {1000}; 2000: {2000}; 3000: {3000, 3001, 100000}
    std::array<int64_t, 9> expected = {2, 2, 2, 2, 1, 1, 1, 1, 3};
    EXPECT_EQ(b.buckets, expected);
    EXPECT_EQ(b.count, 15);
    EXPECT_EQ(b.minMs, 0);
    EXPECT_EQ(b.maxMs, 100000);
    EXPECT_EQ(b.totalMs, 0 + 5 + 6 + 10 + 11 + 50 + 99 + 100 + 200 + 499 + 1000 + 2000 + 3000 + 3001 + 100000);
}

TEST(StatCollector, OutcomesCountApartAndOneWayHasNoTime) {
    StatCollector c;
    c.record("A.B", "f", "ip", 1, 0, Outcome::OneWay, 999);
    c.record("A.B", "f", "ip", 1, -7, Outcome::Timeout, 3000);
    c.record("A.B", "f", "ip", 1, -8, Outcome::Exception, 1);
    auto rows = c.take();
    ASSERT_EQ(rows.size(), 3u);
    const StatRowBody& oneway = rows.at(StatRowKey{"A.B", "f", "ip", 1, 0});
    EXPECT_EQ(oneway.count, 1);
    EXPECT_EQ(oneway.timed, 0);
    EXPECT_EQ(oneway.totalMs, 0);
    EXPECT_EQ(rows.at(StatRowKey{"A.B", "f", "ip", 1, -7}).timeouts, 1);
    EXPECT_EQ(rows.at(StatRowKey{"A.B", "f", "ip", 1, -8}).exceptions, 1);
}

TEST(StatCollector, ThreadsMergeAndTakeStartsAFreshInterval) {
    StatCollector c;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&c, t] {
            for (int i = 0; i < 1000; ++i) c.record("A.B", "f", "ip", 1, 0, Outcome::Success, t);
        });
    }
    for (auto& t : threads) t.join();
    auto rows = c.take();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows.begin()->second.count, 4000);
    EXPECT_EQ(rows.begin()->second.minMs, 0);
    EXPECT_EQ(rows.begin()->second.maxMs, 3);
    EXPECT_TRUE(c.take().empty()) << "nothing recorded since";
    c.record("A.B", "f", "ip", 1, 0, Outcome::Success, 7);
    rows = c.take();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows.begin()->second.count, 1);
    EXPECT_EQ(rows.begin()->second.minMs, 7);
}

// Rows differ by any one byte of any of their strings, whatever the strings' lengths (the
// compare and the hash read short strings a word at a time), and a row seen just before
// (the thread's one-row cache) is told apart from its neighbours too.
TEST(StatCollector, RowsThatDifferInOneByteAreApart) {
    StatCollector c;
    int expectedRows = 0;
    for (size_t n = 1; n <= 24; ++n) {
        const std::string base(n, 'a');
        for (size_t at = 0; at < n; ++at) {
            std::string other = base;
            other[at] = 'b';
            for (int field = 0; field < 3; ++field) {
                auto rec = [&](const std::string& s) {
                    c.record(field == 0 ? s : "P", field == 1 ? s : "f", field == 2 ? s : "ip", 1, 0, Outcome::Success,
                             1);
                };
                rec(base);
                rec(other);
                rec(base);
            }
        }
        expectedRows += 3 * (static_cast<int>(n) + 1);  // base and n variants, in each of 3 fields
    }
    auto rows = c.take();
    EXPECT_EQ(rows.size(), static_cast<size_t>(expectedRows));
    for (size_t n = 1; n <= 24; ++n) {
        std::string other(n, 'a');
        other[n / 2] = 'b';
        EXPECT_EQ(rows.at(StatRowKey{"P", other, "ip", 1, 0}).count, 1) << n;
        EXPECT_EQ(rows.at(StatRowKey{"P", std::string(n, 'a'), "ip", 1, 0}).count, static_cast<int64_t>(2 * n)) << n;
    }
}

// take() from another thread while callers record: every call is in exactly one interval.
TEST(StatCollector, TakesDuringRecordsLoseNothing) {
    StatCollector c;
    std::atomic<bool> done{false};
    int64_t taken = 0;
    std::thread reporter([&] {
        while (!done.load()) {
            for (auto& [key, body] : c.take()) taken += body.count;
        }
    });
    std::vector<std::thread> callers;
    for (int t = 0; t < 3; ++t) {
        callers.emplace_back([&c, t] {
            for (int i = 0; i < 20000; ++i) c.record("A.B", i % 2 ? "f" : "g", "ip", t, 0, Outcome::Success, 1);
        });
    }
    for (auto& t : callers) t.join();
    done = true;
    reporter.join();
    for (auto& [key, body] : c.take()) taken += body.count;
    EXPECT_EQ(taken, 60000);
}

TEST(StatReport, MasterNameIsModuleSetAndVersion) {
    StatReport::Settings s;
    s.moduleName = "TestApp.HelloClient";
    std::string name = StatReport::masterName(s);
    EXPECT_TRUE(name.starts_with("TestApp.HelloClient@")) << name;
    s.setDivision = "mtt.s.1";
    EXPECT_TRUE(StatReport::masterName(s).starts_with("TestApp.HelloClient.mtts1@")) << StatReport::masterName(s);
}

TEST(StatReport, BodyCarriesEveryBucketPoint) {
    StatRowBody row;
    row.count = 2;
    row.addTime(3);
    row.addTime(700);
    StatMicMsgBody body = StatReport::toBody(row);
    EXPECT_EQ(body.count, 2);
    EXPECT_EQ(body.intervalCount.size(), 9u);
    EXPECT_EQ(body.intervalCount[5], 1);
    EXPECT_EQ(body.intervalCount[1000], 1);
    EXPECT_EQ(body.intervalCount[3000], 0);
    EXPECT_EQ(body.totalRspTime, 703);
    EXPECT_EQ(body.minRspTime, 3);
    EXPECT_EQ(body.maxRspTime, 700);
}

TEST(StatReport, BatchesStayUnderTheSizeAndKeepEveryRow) {
    std::map<StatMicMsgHead, StatMicMsgBody> rows;
    for (int i = 0; i < 100; ++i) {
        StatMicMsgHead head;
        head.masterName = "client@1";
        head.slaveName = "App.Server";
        head.interfaceName = "function" + std::to_string(i);
        head.slaveIp = "10.0.0.1";
        head.slavePort = 1000;
        rows[head] = StatReport::toBody(StatRowBody{});
    }
    auto batches = StatReport::batches(rows, 500);
    size_t total = 0;
    for (const auto& batch : batches) {
        total += batch.size();
        TarsOutputStream<BufferWriterString> os;
        os.write(batch, 0);
        EXPECT_LE(os.getLength(), 500u + 8u);  // the map's own head and length
        EXPECT_FALSE(batch.empty());
    }
    EXPECT_EQ(total, rows.size());
    EXPECT_GT(batches.size(), 5u);
    EXPECT_EQ(StatReport::batches(rows, 1400).size() < batches.size(), true);
}

}  // namespace
}  // namespace tars

namespace tars {
namespace {

TEST(PropertyReport, EveryPolicyFormatsAsTars) {
    PropertyReport p("orders", {PropertyReport::sum(), PropertyReport::avg(), PropertyReport::distr({10, 100}),
                                PropertyReport::max(), PropertyReport::min(), PropertyReport::count()});
    for (int v : {5, 20, 200, 10}) p.report(v);
    auto values = p.take();
    std::vector<std::pair<std::string, std::string>> expected = {
        {"Sum", "235"}, {"Avg", "58.75"}, {"Distr", "10|2,100|2"}, {"Max", "200"}, {"Min", "5"}, {"Count", "4"}};
    EXPECT_EQ(values, expected);
    EXPECT_TRUE(p.take().empty()) << "an interval without reports sends nothing";
    p.report(-3);
    expected = {{"Sum", "-3"}, {"Avg", "-3"}, {"Distr", "10|1,100|0"}, {"Max", "-3"}, {"Min", "-3"}, {"Count", "1"}};
    EXPECT_EQ(p.take(), expected);
}

TEST(PropertyReport, DistrNeedsAscendingPoints) {
    EXPECT_THROW(PropertyReport::distr({}), std::invalid_argument);
    EXPECT_THROW(PropertyReport::distr({10, 5}), std::invalid_argument);
    EXPECT_THROW(PropertyReport::distr({5, 5}), std::invalid_argument);
}

TEST(PropertyReport, ConcurrentReportsAllCount) {
    PropertyReport p("n", {PropertyReport::sum(), PropertyReport::count(), PropertyReport::max()});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&p, t] {
            for (int i = 0; i < 10000; ++i) p.report(t);
        });
    }
    for (auto& t : threads) t.join();
    std::vector<std::pair<std::string, std::string>> expected = {{"Sum", "60000"}, {"Count", "40000"}, {"Max", "3"}};
    EXPECT_EQ(p.take(), expected);
}

}  // namespace
}  // namespace tars
