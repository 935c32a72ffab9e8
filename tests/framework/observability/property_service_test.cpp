// tarsproperty and tarsquery (as tarsqueryproperty) as processes on a TestDatabase: each
// policy merges its interval's reports its own way (Sum and Count add, Max and Min keep the
// extreme, Avg averages, Distr adds bucket by bucket), the rows come back through
// MonitorQuery, and malformed reports are refused whole.
#include <gtest/gtest.h>

#include <ctime>

#include "MonitorClock.h"
#include "MonitorDatabase.h"
#include "MonitorQuery.h"
#include "ObservabilityTestSupport.h"
#include "PropertyF.h"
#include "TestDatabase.h"
#include "servant/Communicator.h"

namespace tars::test {
namespace {

StatPropMsgHead head(const std::string& property) {
    StatPropMsgHead h;
    h.moduleName = "Shop.Cart";
    h.ip = "10.0.0.2";
    h.propertyName = property;
    return h;
}

StatPropMsgBody body(std::vector<std::pair<std::string, std::string>> values) {
    StatPropMsgBody b;
    for (auto& [policy, value] : values) {
        StatPropInfo info;
        info.policy = policy;
        info.value = value;
        b.vInfo.push_back(info);
    }
    return b;
}

class PropertyServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db = std::make_unique<TestDatabase>(GetParam());
        if (!db->available()) GTEST_SKIP() << db->skipReason();
    }
    std::unique_ptr<TestDatabase> db;
};

TEST_P(PropertyServiceTest, PoliciesMergePerIntervalAndAreQueried) {
    // A one-day interval (aligned to midnight UTC), ended by property.flush: both reports
    // fall into the same one.
    ServiceProcess property(
        {.exe = TARS_PROPERTY_PATH,
         .server = "tarsproperty",
         .obj = "PropertyObj",
         .sections = db->configSection() + "  <hashmap>\n    insertIntervalSeconds = 86400\n  </hashmap>\n"});
    ASSERT_TRUE(property.start()) << property.process().output();
    ServiceProcess query(
        {.exe = TARS_QUERY_PATH, .server = "tarsqueryproperty", .obj = "QueryObj", .sections = db->configSection()});
    ASSERT_TRUE(query.start()) << query.process().output();
    Communicator communicator;
    auto prx = communicator.stringToProxy<PropertyFPrx>(property.objectString());

    EXPECT_EQ(prx->reportPropMsg({{head("queue"), body({{"Sum", "3"}, {"Max", "5"}, {"Min", "5"}, {"Avg", "10"}})},
                                  {head("latency"), body({{"Distr", "5|1,10|2"}, {"Count", "1"}})}}),
              0);
    EXPECT_EQ(prx->reportPropMsg({{head("queue"), body({{"Sum", "4"}, {"Max", "9"}, {"Min", "2"}, {"Avg", "20"}})},
                                  {head("latency"), body({{"Distr", "5|3,50|1"}, {"Count", "2"}})}}),
              0);
    // Refused whole: an unknown policy; a Distr that is not bound|count; an empty name.
    EXPECT_EQ(prx->reportPropMsg({{head("queue"), body({{"Sum", "1000"}})}, {head("x"), body({{"Median", "1"}})}}), -1);
    EXPECT_EQ(prx->reportPropMsg({{head("latency"), body({{"Distr", "5:1"}})}}), -1);
    EXPECT_EQ(prx->reportPropMsg({{head(""), body({{"Sum", "1"}})}}), -1);
    EXPECT_EQ(prx->reportPropMsg({{head("queue"), body({{"Sum", "nan"}})}}), -1);

    std::string status = adminNotify(property.adminPort(), "property.flush");
    EXPECT_EQ(lineValue(status, "pending_rows"), "0") << status;
    EXPECT_EQ(lineValue(status, "written_rows"), "6") << status;
    EXPECT_EQ(lineValue(status, "refused_reports"), "4") << status;

    auto queryPrx = communicator.stringToProxy<MonitorQueryPrx>(query.objectString());
    MonitorQueryReq req;
    req.uid = "test";
    req.dataid = "tars_property";
    req.date = monitorDate(time(nullptr));
    req.tflag1 = "0000";
    req.tflag2 = "2359";
    Condition module;
    module.field = "master_name";
    module.op = EQ;
    module.val = "Shop.Cart";
    req.conditions = {module};
    req.indexs = {"value"};
    req.groupby = {"property_name", "policy"};
    MonitorQueryRsp rsp;
    ASSERT_EQ(queryPrx->query(req, rsp), 0) << rsp.msg;
    EXPECT_EQ(rsp.result, (std::map<std::string, std::vector<double>>{{"queue,Sum", {7}},
                                                                      {"queue,Max", {9}},
                                                                      {"queue,Min", {2}},
                                                                      {"queue,Avg", {15}},
                                                                      {"latency,Distr", {7}},
                                                                      {"latency,Count", {3}}}));
    // A second interval with the same f_tflag (or a second instance): each policy combines
    // its rows its own way.
    EXPECT_EQ(prx->reportPropMsg({{head("queue"), body({{"Sum", "1"}, {"Max", "20"}, {"Min", "1"}, {"Avg", "30"}})}}),
              0);
    status = adminNotify(property.adminPort(), "property.flush");
    EXPECT_EQ(lineValue(status, "pending_rows"), "0") << status;
    ASSERT_EQ(queryPrx->query(req, rsp), 0) << rsp.msg;
    EXPECT_EQ(rsp.result, (std::map<std::string, std::vector<double>>{{"queue,Sum", {8}},
                                                                      {"queue,Max", {20}},
                                                                      {"queue,Min", {1}},
                                                                      {"queue,Avg", {22.5}},
                                                                      {"latency,Distr", {7}},
                                                                      {"latency,Count", {3}}}));
    req.groupby = {"property_name"};  // policies mixed: added up, as TARS does
    ASSERT_EQ(queryPrx->query(req, rsp), 0) << rsp.msg;
    EXPECT_EQ(rsp.result.at("queue"), std::vector<double>{7 + 9 + 2 + 15 + 1 + 20 + 1 + 30});
    req.groupby = {"property_name", "policy"};

    MonitorDatabase database(db->settings(), false);
    auto distr = database.run([](SqlConnection& c) {
        return c.query("read", "SELECT distr FROM t_property_realtime WHERE policy = 'Distr'", {});
    });
    ASSERT_EQ(distr.size(), 1u);
    EXPECT_EQ(distr[0].text(0), "5|4,10|2,50|1");

    req.groupby = {"slave_name"};
    EXPECT_EQ(queryPrx->query(req, rsp), -1);
    EXPECT_NE(rsp.msg.find("unknown groupby field 'slave_name' for tars_property"), std::string::npos) << rsp.msg;
    EXPECT_EQ(property.process().stop(), 0);
    EXPECT_EQ(query.process().stop(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, PropertyServiceTest, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tars::test
