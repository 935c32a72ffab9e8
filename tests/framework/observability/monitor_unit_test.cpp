// The parts of the observability services, in-process: the stat and property aggregators,
// the bounded queue of rows waiting for the store, the query builder's whitelist, and the
// stat, property and notify tables on each store backend.
#include <gtest/gtest.h>

#include <stdexcept>

#include "MonitorClock.h"
#include "MonitorDatabase.h"
#include "MonitorQueryBuilder.h"
#include "NotifyStore.h"
#include "PendingRows.h"
#include "StatAggregator.h"
#include "StatStore.h"
#include "TestDatabase.h"

namespace tars::test {
namespace {

StatMicMsgHead head(const std::string& callee, const std::string& interface) {
    StatMicMsgHead h;
    h.masterName = "Shop.Web@3.0.0";
    h.slaveName = callee;
    h.interfaceName = interface;
    h.slaveIp = "10.0.0.2";
    h.slavePort = 20001;
    return h;
}

StatMicMsgBody body(int count, int64_t total, int max, int min, std::map<int, int> buckets = {}) {
    StatMicMsgBody b;
    b.count = count;
    b.totalRspTime = total;
    b.maxRspTime = max;
    b.minRspTime = min;
    b.intervalCount = std::move(buckets);
    return b;
}

TEST(StatAggregatorTest, MergesPerHeadAndSideAndFillsTheCallerIp) {
    StatAggregator aggregator(100);
    std::string error;
    ASSERT_EQ(
        aggregator.add({{head("A.B", "f"), body(3, 30, 20, 2, {{5, 1}, {7, 1}, {4000, 1}})}}, true, "10.1.1.1", error),
        0);
    ASSERT_EQ(aggregator.add({{head("A.B", "f"), body(2, 10, 6, 4, {{5, 2}})}}, true, "10.1.1.1", error), 0);
    ASSERT_EQ(aggregator.add({{head("A.B", "f"), body(0, 0, 0, 0)}}, true, "10.1.1.1", error), 0);  // timeouts only
    ASSERT_EQ(aggregator.add({{head("A.B", "f"), body(1, 1, 1, 1)}}, false, "10.1.1.1", error), 0);
    auto rows = aggregator.take("20260101", "1205");
    ASSERT_EQ(rows.size(), 2u);
    const StatRow& client = rows[0].fromClient ? rows[0] : rows[1];
    EXPECT_EQ(client.date, "20260101");
    EXPECT_EQ(client.tflag, "1205");
    EXPECT_EQ(client.masterIp, "10.1.1.1");
    EXPECT_EQ(client.succCount, 5);
    EXPECT_EQ(client.totalTime, 40);
    EXPECT_EQ(client.maxRspTime, 20);
    EXPECT_EQ(client.minRspTime, 2);
    EXPECT_EQ(client.buckets[0], 3);  // <= 5 ms
    EXPECT_EQ(client.buckets[1], 1);  // 7 counts in the 10 ms bucket
    EXPECT_EQ(client.buckets[9], 1);  // above 3000 ms
    EXPECT_EQ(aggregator.size(), 0u);
}

TEST(StatAggregatorTest, RefusesAMalformedOrOversizedReportWhole) {
    StatAggregator aggregator(2);
    std::string error;
    EXPECT_EQ(
        aggregator.add({{head("A.B", "ok"), body(1, 1, 1, 1)}, {head("", "f"), body(1, 1, 1, 1)}}, true, "", error),
        StatAggregator::kMalformed);
    EXPECT_NE(error.find("empty slaveName"), std::string::npos) << error;
    EXPECT_EQ(aggregator.add({{head("A.B", "f"), body(1, -1, 1, 1)}}, true, "", error), StatAggregator::kMalformed);
    EXPECT_EQ(aggregator.add({{head("A.B", std::string(300, 'x')), body(1, 1, 1, 1)}}, true, "", error),
              StatAggregator::kMalformed);
    EXPECT_EQ(aggregator.add({{head("A.B", "a"), body(1, 1, 1, 1)},
                              {head("A.B", "b"), body(1, 1, 1, 1)},
                              {head("A.B", "c"), body(1, 1, 1, 1)}},
                             true, "", error),
              StatAggregator::kTooLarge);
    EXPECT_EQ(aggregator.size(), 0u);
}

TEST(MonitorClockTest, RetentionKeepsTheLastNDatesAndSlicesAreLocalTime) {
    struct tm t {};
    t.tm_year = 126;
    t.tm_mon = 2;
    t.tm_mday = 4;
    t.tm_hour = 13;
    t.tm_min = 5;
    t.tm_isdst = -1;
    const time_t now = mktime(&t);
    EXPECT_EQ(monitorDate(now), "20260304");
    EXPECT_EQ(monitorTflag(now), "1305");
    EXPECT_EQ(monitorFirstKeptDate(now, 1), "20260304");
    EXPECT_EQ(monitorFirstKeptDate(now, 31), "20260202");
}

TEST(PendingRowsTest, KeepsUpToTheBoundRetriesInOrderAndCounts) {
    PendingRows<int> pending(5);
    pending.add({1, 2, 3});
    pending.add({4, 5, 6, 7});  // room for two
    EXPECT_EQ(pending.status().pendingRows, 5u);
    EXPECT_EQ(pending.status().droppedRows, 2u);
    std::vector<int> written;
    bool fail = true;
    auto writer = [&](const std::vector<int>& batch) {
        if (fail) throw std::runtime_error("store down");
        written.insert(written.end(), batch.begin(), batch.end());
    };
    EXPECT_FALSE(pending.write(writer));
    EXPECT_EQ(pending.status().failedWrites, 1u);
    EXPECT_EQ(pending.status().lastError, "store down");
    fail = false;
    EXPECT_TRUE(pending.write(writer));
    EXPECT_EQ(written, (std::vector<int>{1, 2, 3, 4, 5}));
    EXPECT_EQ(pending.status().pendingRows, 0u);
    EXPECT_EQ(pending.status().writtenRows, 5u);
    EXPECT_EQ(pending.status().lastError, "");
}

TEST(MonitorQueryBuilderTest, BuildsOnlyFromTheWhitelistAndBindsValues) {
    MonitorQuerySpec spec{.dataid = "tars_stat",
                          .date = "20260101",
                          .tflag1 = "1200",
                          .tflag2 = "0900",
                          .conditions = {{"slave_name", 0, "x' OR 1=1 --"}, {"return_value", 1, "0"}},
                          .indexs = {"succ_count", "max_rsp_time"},
                          .groupby = {"interface_name"}};
    auto query = buildMonitorQuery(spec);
    EXPECT_EQ(query.sql,
              "SELECT interface_name, SUM(succ_count), MAX(max_rsp_time) FROM t_stat_realtime WHERE f_date = ? AND "
              "f_tflag >= ? AND f_tflag <= ? AND slave_name = ? AND return_value > ? GROUP BY interface_name");
    EXPECT_EQ(query.params, (SqlParams{std::string("20260101"), std::string("0900"), std::string("1200"),
                                       std::string("x' OR 1=1 --"), int64_t{0}}));
    auto refused = [&](MonitorQuerySpec s) {
        try {
            buildMonitorQuery(s);
        } catch (const MonitorQueryError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    MonitorQuerySpec bad = spec;
    bad.groupby = {"interface_name)"};
    EXPECT_NE(refused(bad).find("unknown groupby field"), std::string::npos);
    bad = spec;
    bad.dataid = "tars_property";
    bad.indexs = {"value"};
    bad.groupby = {"property_name"};
    EXPECT_NE(refused(bad).find("unknown condition field 'slave_name'"), std::string::npos);
    bad = spec;
    bad.conditions = {{"slave_name", 9, "x"}};
    EXPECT_NE(refused(bad).find("unknown op 9"), std::string::npos);
    bad = spec;
    bad.date = "2026-01-01";
    EXPECT_NE(refused(bad).find("bad date"), std::string::npos);
    bad = spec;
    bad.dataid = "t_server_conf";
    EXPECT_NE(refused(bad).find("unknown dataid"), std::string::npos);
}

class MonitorStoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db = std::make_unique<TestDatabase>(GetParam());
        if (!db->available()) GTEST_SKIP() << db->skipReason();
        database = std::make_unique<MonitorDatabase>(db->settings(), true);
    }
    std::unique_ptr<TestDatabase> db;
    std::unique_ptr<MonitorDatabase> database;
};

StatRow statRow(const std::string& date, const std::string& tflag, const std::string& interface, int64_t count,
                int64_t max) {
    StatRow row;
    row.date = date;
    row.tflag = tflag;
    row.fromClient = true;
    row.masterName = "Shop.Web@3.0.0";
    row.slaveName = "Shop.Cart";
    row.interfaceName = interface;
    row.succCount = count;
    row.totalTime = count * 10;
    row.maxRspTime = max;
    row.minRspTime = 1;
    row.buckets[2] = count;
    return row;
}

TEST_P(MonitorStoreTest, StatRowsAreSummedPerGroupAndTrimmedByDate) {
    std::vector<StatRow> rows;
    for (int i = 0; i < 250; ++i)
        rows.push_back(statRow("20260102", i % 2 ? "1000" : "1005", "f" + std::to_string(i % 3), 1, i));
    rows.push_back(statRow("20260101", "2355", "f0", 100, 7));
    database->run([&](SqlConnection& c) { insertStatRows(c, rows); });
    MonitorQuerySpec spec{.dataid = "tars_stat",
                          .date = "20260102",
                          .tflag1 = "0000",
                          .tflag2 = "2359",
                          .conditions = {},
                          .indexs = {"succ_count", "total_time", "max_rsp_time", "interv_50"},
                          .groupby = {"f_date", "interface_name"}};
    auto result = database->run([&](SqlConnection& c) { return runMonitorQuery(c, spec); });
    EXPECT_EQ(result, (MonitorQueryResult{{"20260102,f0", {84, 840, 249, 84}},
                                          {"20260102,f1", {83, 830, 247, 83}},
                                          {"20260102,f2", {83, 830, 248, 83}}}));
    spec.tflag1 = spec.tflag2 = "1005";
    spec.groupby = {"f_tflag"};
    result = database->run([&](SqlConnection& c) { return runMonitorQuery(c, spec); });
    EXPECT_EQ(result, (MonitorQueryResult{{"1005", {125, 1250, 248, 125}}}));
    EXPECT_EQ(database->run([](SqlConnection& c) { return monitorLastTime(c, "tars_stat"); }), "20260102 1005");

    EXPECT_EQ(database->run([](SqlConnection& c) { return trimStatRowsBefore(c, "20260102"); }), 1);
    spec.date = "20260101";
    spec.tflag1 = "0000";
    spec.tflag2 = "2359";
    EXPECT_TRUE(database->run([&](SqlConnection& c) { return runMonitorQuery(c, spec); }).empty());
}

NotifyRow notifyRow(const std::string& server, const std::string& node, const std::string& message) {
    NotifyRow row;
    row.application = "Shop";
    row.serverName = server;
    row.nodeName = node;
    row.serverId = "Shop." + server + "_" + node;
    row.command = "[normal]";
    row.result = message;
    row.notifyTime = "2026-01-02 10:00:00";
    return row;
}

TEST_P(MonitorStoreTest, NotifyRowsAreTrimmedPerServerAndReadNewestFirst) {
    database->run([](SqlConnection& c) {
        for (int i = 0; i < 7; ++i) insertNotifyRow(c, notifyRow("Cart", "node-a", "a" + std::to_string(i)), 5);
        for (int i = 0; i < 3; ++i) insertNotifyRow(c, notifyRow("Cart", "node-b", "b" + std::to_string(i)), 5);
        insertNotifyRow(c, notifyRow("Web", "node-a", "w"), 5);
    });
    auto rows = database->run([](SqlConnection& c) { return selectNotifyRows(c, "Shop", "Cart", "node-a", 0, 100); });
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows.front().result, "a6");
    EXPECT_EQ(rows.back().result, "a2");
    auto page = database->run([](SqlConnection& c) { return selectNotifyRows(c, "Shop", "Cart", "", 2, 3); });
    ASSERT_EQ(page.size(), 3u);
    EXPECT_EQ(page[0].result, "b0");
    EXPECT_EQ(page[1].result, "a6");
    EXPECT_EQ(page[0].notifyTime, "2026-01-02 10:00:00");
}

INSTANTIATE_TEST_SUITE_P(Backends, MonitorStoreTest, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tars::test
