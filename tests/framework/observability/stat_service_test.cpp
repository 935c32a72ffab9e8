// tarsstat and tarsquery as processes on one TestDatabase (SQLite, and MariaDB when
// TARS_TEST_MYSQL names one): reports go in through StatF, come out through MonitorQuery
// with exact numbers; malformed reports and unsafe queries are refused; a store that is
// missing at start gets the kept rows once it appears; both services over TLS.
#include <gtest/gtest.h>

#include <ctime>

#include "MonitorClock.h"
#include "MonitorQuery.h"
#include "ObservabilityTestSupport.h"
#include "StatF.h"
#include "TestDatabase.h"
#include "servant/Communicator.h"
#include "util/tc_file.h"

namespace tars::test {
namespace {

StatMicMsgHead head(const std::string& caller, const std::string& callee, const std::string& interface, int ret = 0) {
    StatMicMsgHead h;
    h.masterName = caller;
    h.slaveName = callee;
    h.interfaceName = interface;
    h.slaveIp = "10.0.0.2";
    h.slavePort = 20001;
    h.returnValue = ret;
    h.tarsVersion = "3.0.0";
    return h;
}

StatMicMsgBody body(int count, int timeouts, int exceptions, int64_t total, int max, int min,
                    std::map<int, int> buckets) {
    StatMicMsgBody b;
    b.count = count;
    b.timeoutCount = timeouts;
    b.execCount = exceptions;
    b.totalRspTime = total;
    b.maxRspTime = max;
    b.minRspTime = min;
    b.intervalCount = std::move(buckets);
    return b;
}

MonitorQueryReq statQuery(std::vector<Condition> conditions, std::vector<std::string> indexs,
                          std::vector<std::string> groupby) {
    MonitorQueryReq req;
    req.uid = "test";
    req.method = "query";
    req.dataid = "tars_stat";
    req.date = monitorDate(time(nullptr));
    req.tflag1 = "0000";
    req.tflag2 = "2359";
    req.conditions = std::move(conditions);
    req.indexs = std::move(indexs);
    req.groupby = std::move(groupby);
    return req;
}

Condition condition(const std::string& field, OP op, const std::string& value) {
    Condition c;
    c.field = field;
    c.op = op;
    c.val = value;
    return c;
}

std::string statSections(const TestDatabase& db, const std::string& hashmap) {
    return db.configSection() + "  <hashmap>\n    insertIntervalSeconds = 1\n" + hashmap + "\n  </hashmap>\n";
}

class StatServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db = std::make_unique<TestDatabase>(GetParam());
        if (!db->available()) GTEST_SKIP() << db->skipReason();
        communicator->setProperty("sync-invoke-timeout", "5000");
    }

    std::unique_ptr<TestDatabase> db;
    std::shared_ptr<Communicator> communicator = std::make_shared<Communicator>();
};

// One run covers the path end to end: client-side and server-side rows of two interfaces,
// merged within an interval, written, and summed by MonitorQuery per group; a malformed
// report is refused with -1 and stores nothing; unknown columns and operators are refused
// with a message, and a value carrying SQL is only ever a value.
TEST_P(StatServiceTest, ReportsAreStoredAndQueriedWithExactNumbers) {
    ServiceProcess stat(
        {.exe = TARS_STAT_PATH, .server = "tarsstat", .obj = "StatObj", .sections = statSections(*db, "")});
    ASSERT_TRUE(stat.start()) << stat.process().output();
    ServiceProcess query(
        {.exe = TARS_QUERY_PATH, .server = "tarsquerystat", .obj = "QueryObj", .sections = db->configSection()});
    ASSERT_TRUE(query.start()) << query.process().output();
    auto statPrx = communicator->stringToProxy<StatFPrx>(stat.objectString());
    auto queryPrx = communicator->stringToProxy<MonitorQueryPrx>(query.objectString());

    // Two reports from clients of Shop.Cart.getCart, merged; one of addItem; one server-side row.
    std::map<StatMicMsgHead, StatMicMsgBody> first{
        {head("Shop.Web@3.0.0", "Shop.Cart", "getCart"), body(10, 1, 2, 250, 90, 3, {{5, 4}, {50, 5}, {100, 1}})},
        {head("Shop.Web@3.0.0", "Shop.Cart", "addItem"), body(4, 0, 0, 40, 20, 5, {{10, 3}, {50, 1}})}};
    std::map<StatMicMsgHead, StatMicMsgBody> second{
        {head("Shop.Web@3.0.0", "Shop.Cart", "getCart"), body(6, 0, 1, 3600, 3500, 2, {{5, 5}, {5000, 1}})}};
    std::map<StatMicMsgHead, StatMicMsgBody> served{
        {head("Shop.Web@3.0.0", "Shop.Cart", "getCart"), body(17, 0, 3, 800, 100, 1, {{50, 17}})}};
    EXPECT_EQ(statPrx->reportMicMsg(first, true), 0);
    EXPECT_EQ(statPrx->reportMicMsg(second, true), 0);
    EXPECT_EQ(statPrx->reportMicMsg(served, false), 0);

    // Malformed: an empty interface name; a negative count. Nothing of them is stored.
    std::map<StatMicMsgHead, StatMicMsgBody> emptyName{
        {head("Shop.Web@3.0.0", "Shop.Cart", "getCart"), body(1000, 0, 0, 1, 1, 1, {})},
        {head("Shop.Web@3.0.0", "Shop.Cart", ""), body(1, 0, 0, 1, 1, 1, {})}};
    EXPECT_EQ(statPrx->reportMicMsg(emptyName, true), -1);
    std::map<StatMicMsgHead, StatMicMsgBody> negative{
        {head("Shop.Web@3.0.0", "Shop.Cart", "getCart"), body(-5, 0, 0, 1, 1, 1, {})}};
    EXPECT_EQ(statPrx->reportMicMsg(negative, true), -1);

    const std::vector<std::string> indexs{"succ_count",   "timeout_count", "exce_count", "total_time", "max_rsp_time",
                                          "min_rsp_time", "interv_5",      "interv_50",  "interv_100", "interv_over"};
    const std::map<std::string, std::vector<double>> expected{{"getCart,1", {16, 1, 3, 3850, 3500, 2, 9, 5, 1, 1}},
                                                              {"addItem,1", {4, 0, 0, 40, 20, 5, 0, 1, 0, 0}},
                                                              {"getCart,0", {17, 0, 3, 800, 100, 1, 0, 17, 0, 0}}};
    auto req = statQuery({condition("slave_name", EQ, "Shop.Cart")}, indexs, {"interface_name", "from_client"});
    MonitorQueryRsp rsp;
    // The reports may land in one interval or two: wait until every row is written.
    waitUntil([&] {
        rsp = MonitorQueryRsp();
        return queryPrx->query(req, rsp) == 0 && rsp.result == expected;
    });
    EXPECT_EQ(rsp.ret, 0) << rsp.msg;
    EXPECT_EQ(rsp.result, expected) << stat.process().log();
    EXPECT_EQ(rsp.lastTime.size(), 13u) << rsp.lastTime;

    // LIKE, no groupby: one key "".
    MonitorQueryRsp all;
    ASSERT_EQ(queryPrx->query(statQuery({condition("interface_name", LIKE, "get%"), condition("from_client", EQ, "1")},
                                        {"succ_count"}, {}),
                              all),
              0);
    EXPECT_EQ(all.result, (std::map<std::string, std::vector<double>>{{"", {16}}}));

    // Refusals: unknown field, unknown index, LIKE on a number, bad tflag.
    MonitorQueryRsp refused;
    EXPECT_EQ(
        queryPrx->query(statQuery({condition("slave_name; DROP TABLE t_stat_realtime", EQ, "x")}, {"succ_count"}, {}),
                        refused),
        -1);
    EXPECT_NE(refused.msg.find("unknown condition field"), std::string::npos) << refused.msg;
    EXPECT_EQ(queryPrx->query(statQuery({}, {"password"}, {}), refused), -1);
    EXPECT_NE(refused.msg.find("unknown index 'password'"), std::string::npos) << refused.msg;
    EXPECT_EQ(queryPrx->query(statQuery({condition("slave_port", LIKE, "2%")}, {"succ_count"}, {}), refused), -1);
    auto badTflag = statQuery({}, {"succ_count"}, {});
    badTflag.tflag1 = "9'--";
    EXPECT_EQ(queryPrx->query(badTflag, refused), -1);
    EXPECT_NE(refused.msg.find("tflag1"), std::string::npos) << refused.msg;

    // A value holding SQL is compared as text: it matches nothing, and the table is intact.
    MonitorQueryRsp injected;
    ASSERT_EQ(queryPrx->query(statQuery({condition("slave_name", EQ, "x' OR '1'='1")}, {"succ_count"}, {}), injected),
              0);
    EXPECT_TRUE(injected.result.empty());
    MonitorQueryRsp again;
    ASSERT_EQ(queryPrx->query(req, again), 0);
    EXPECT_EQ(again.result, rsp.result);

    std::string status = adminNotify(stat.adminPort(), "stat.status");
    EXPECT_EQ(lineValue(status, "refused_reports"), "2") << status;
    EXPECT_EQ(lineValue(status, "accepted_reports"), "3") << status;
    EXPECT_EQ(lineValue(status, "dropped_rows"), "0") << status;
    EXPECT_EQ(stat.process().stop(), 0);
    EXPECT_EQ(query.process().stop(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, StatServiceTest, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

// The store is missing at start (its directory is a plain file): tarsstat still answers,
// keeps the rows up to maxbufferrows, drops and counts the rest, and writes what it kept
// once the directory exists.
TEST(StatStoreOutage, KeepsRowsUpToTheBoundAndCatchesUpWhenTheStoreReturns) {
    TestDatabase scratch("sqlite");
    const std::string blocked = scratch.dir() + "/blocked";
    TC_File::save2file(blocked, "not a directory");
    const std::string section = "<db>\n  dbtype = sqlite\n  dbpath = " + blocked + "/monitor.sqlite\n</db>\n";
    ServiceProcess stat({.exe = TARS_STAT_PATH,
                         .server = "tarsstat",
                         .obj = "StatObj",
                         .sections = section + "  <hashmap>\n    insertIntervalSeconds = 1\n    maxbufferrows = 3\n"
                                               "  </hashmap>\n"});
    ASSERT_TRUE(stat.start()) << stat.process().output();
    auto communicator = std::make_shared<Communicator>();
    auto statPrx = communicator->stringToProxy<StatFPrx>(stat.objectString());

    std::map<StatMicMsgHead, StatMicMsgBody> two{{head("A.B@1", "Shop.Cart", "one"), body(1, 0, 0, 5, 5, 5, {})},
                                                 {head("A.B@1", "Shop.Cart", "two"), body(2, 0, 0, 5, 5, 5, {})}};
    ASSERT_EQ(statPrx->reportMicMsg(two, true), 0);
    std::string status = waitForAdmin(stat.adminPort(), "stat.status", [](const std::string& s) {
        return lineValue(s, "pending_rows") == "2" && lineValue(s, "failed_writes") != "0";
    });
    ASSERT_EQ(lineValue(status, "pending_rows"), "2") << status;
    EXPECT_NE(lineValue(status, "last_store_error"), "") << status;

    std::map<StatMicMsgHead, StatMicMsgBody> more{{head("A.B@1", "Shop.Cart", "three"), body(3, 0, 0, 5, 5, 5, {})},
                                                  {head("A.B@1", "Shop.Cart", "four"), body(4, 0, 0, 5, 5, 5, {})}};
    ASSERT_EQ(statPrx->reportMicMsg(more, true), 0);  // still answering
    status = waitForAdmin(stat.adminPort(), "stat.status",
                          [](const std::string& s) { return lineValue(s, "dropped_rows") == "1"; });
    EXPECT_EQ(lineValue(status, "pending_rows"), "3") << status;
    EXPECT_EQ(lineValue(status, "dropped_rows"), "1") << status;

    // The store comes back.
    TC_File::removeFile(blocked, false);
    TC_File::makeDirRecursive(blocked);
    status = waitForAdmin(stat.adminPort(), "stat.status",
                          [](const std::string& s) { return lineValue(s, "pending_rows") == "0"; });
    EXPECT_EQ(lineValue(status, "written_rows"), "3") << status;

    ServiceProcess query({.exe = TARS_QUERY_PATH, .server = "tarsquerystat", .obj = "QueryObj", .sections = section});
    ASSERT_TRUE(query.start()) << query.process().output();
    auto queryPrx = communicator->stringToProxy<MonitorQueryPrx>(query.objectString());
    MonitorQueryRsp rsp;
    ASSERT_EQ(queryPrx->query(statQuery({}, {"succ_count"}, {"interface_name"}), rsp), 0) << rsp.msg;
    EXPECT_EQ(rsp.result.size(), 3u);
    EXPECT_EQ(rsp.result["one"], std::vector<double>{1});
    EXPECT_EQ(rsp.result["two"], std::vector<double>{2});
    EXPECT_EQ(stat.process().stop(), 0);
    EXPECT_EQ(query.process().stop(), 0);
}

// Both services on ssl endpoints: reports over TLS from any client that trusts the CA
// (reporting stays open), queries over mutual TLS from the one allowed client subject.
TEST(StatOverTls, ReportAndQueryOverSsl) {
    auto cert = [](const std::string& name) { return std::string(TLS_CERT_DIR) + "/" + name; };
    TestDatabase db("sqlite");
    ServiceProcess stat(
        {.exe = TARS_STAT_PATH,
         .server = "tarsstat",
         .obj = "StatObj",
         .sections = statSections(db, ""),
         .adapterExtra = "        cert = " + cert("server.pem") + "\n        key = " + cert("server.key"),
         .ssl = true});
    ASSERT_TRUE(stat.start()) << stat.process().output();
    ServiceProcess query(
        {.exe = TARS_QUERY_PATH,
         .server = "tarsquerystat",
         .obj = "QueryObj",
         .sections = db.configSection(),
         .adapterExtra = "        cert = " + cert("server.pem") + "\n        key = " + cert("server.key") +
                         "\n        ca = " + cert("ca.pem") +
                         "\n        verifyclient = 1\n        allowsubjects = CN=tars-test-client,O=tars-tests",
         .ssl = true});
    ASSERT_TRUE(query.start()) << query.process().output();

    Communicator reporter;
    reporter.setProperty("ca", cert("ca.pem"));
    auto statPrx = reporter.stringToProxy<StatFPrx>(stat.objectString());
    std::map<StatMicMsgHead, StatMicMsgBody> rows{{head("A.B@1", "Shop.Tls", "ping"), body(7, 0, 0, 14, 3, 1, {})}};
    ASSERT_EQ(statPrx->reportMicMsg(rows, true), 0);

    Communicator reader;
    reader.setProperty("ca", cert("ca.pem"));
    reader.setProperty("cert", cert("client.pem"));
    reader.setProperty("key", cert("client.key"));
    auto queryPrx = reader.stringToProxy<MonitorQueryPrx>(query.objectString());
    MonitorQueryRsp rsp;
    ASSERT_TRUE(waitUntil([&] {
        rsp = MonitorQueryRsp();
        return queryPrx->query(statQuery({condition("slave_name", EQ, "Shop.Tls")}, {"succ_count", "total_time"}, {}),
                               rsp) == 0 &&
               !rsp.result.empty();
    })) << rsp.msg;
    EXPECT_EQ(rsp.result[""], (std::vector<double>{7, 14}));
    EXPECT_EQ(stat.process().stop(), 0);
    EXPECT_EQ(query.process().stop(), 0);
}

}  // namespace
}  // namespace tars::test
