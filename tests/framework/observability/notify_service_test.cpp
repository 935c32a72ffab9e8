// tarsnotify as a process on a TestDatabase (SQLite, and MariaDB when TARS_TEST_MYSQL
// names one): events of the three report methods become t_server_notifys rows with TARS's
// server_id and command, trimmed to the newest maxrows per server and read back newest
// first, page by page; malformed events are refused and counted.
#include <gtest/gtest.h>

#include "NotifyF.h"
#include "ObservabilityTestSupport.h"
#include "TestDatabase.h"
#include "servant/Communicator.h"

namespace tars::test {
namespace {

class NotifyServiceTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        db = std::make_unique<TestDatabase>(GetParam());
        if (!db->available()) GTEST_SKIP() << db->skipReason();
    }
    std::unique_ptr<TestDatabase> db;
};

std::vector<std::string> messages(const NotifyInfo& info) {
    std::vector<std::string> out;
    for (const auto& item : info.notifyItems) out.push_back(item.sMessage);
    return out;
}

TEST_P(NotifyServiceTest, EventsAreKeptPerServerNewestFirstAndPaged) {
    ServiceProcess notify(
        {.exe = TARS_NOTIFY_PATH,
         .server = "tarsnotify",
         .obj = "NotifyObj",
         .sections = db->configSection() + "  <notify>\n    maxrows = 5\n    pagesize = 2\n  </notify>\n"});
    ASSERT_TRUE(notify.start()) << notify.process().output();
    Communicator communicator;
    auto prx = communicator.stringToProxy<NotifyPrx>(notify.objectString());

    prx->reportServer("Shop.Cart", "140", "[alarm] down");
    prx->reportServer("Shop.Cart", "140", "restart [fail]");
    prx->notifyServer("Shop.Cart", NOTIFYWARN, "disk 90%");
    ReportInfo info;
    info.eType = REPORT;
    info.sApp = "Shop";
    info.sServer = "Cart";
    info.sNodeName = "node-a";
    info.sMessage = "started";
    prx->reportNotifyInfo(info);
    // Refused: no App.Server, an empty application, a message over 64 KiB.
    prx->reportServer("NoDot", "1", "x");
    info.sApp = "";
    prx->reportNotifyInfo(info);
    prx->notifyServer("Shop.Cart", NOTIFYERROR, std::string(70000, 'x'));

    NotifyKey key;
    key.name = "Shop.Cart";
    NotifyInfo page0;
    ASSERT_EQ(prx->getNotifyInfo(key, page0), 0);
    EXPECT_EQ(messages(page0), (std::vector<std::string>{"started", "disk 90%"}));
    EXPECT_EQ(page0.nextpage, 1);
    ASSERT_EQ(page0.notifyItems.size(), 2u);
    EXPECT_EQ(page0.notifyItems[0].sServerId, "Shop.Cart_node-a");
    EXPECT_EQ(page0.notifyItems[1].sServerId, "Shop.Cart_127.0.0.1");
    EXPECT_EQ(page0.notifyItems[1].iLevel, NOTIFYWARN);
    EXPECT_EQ(page0.notifyItems[0].sTimeStamp.size(), 19u) << page0.notifyItems[0].sTimeStamp;
    key.page = 1;
    NotifyInfo page1;
    ASSERT_EQ(prx->getNotifyInfo(key, page1), 0);
    EXPECT_EQ(messages(page1), (std::vector<std::string>{"restart [fail]", "[alarm] down"}));
    EXPECT_EQ(page1.nextpage, -1);
    EXPECT_EQ(page1.notifyItems[0].iLevel, NOTIFYERROR);  // [fail] is an error
    EXPECT_EQ(page1.notifyItems[1].iLevel, NOTIFYERROR);  // [alarm] too

    // Only this node's rows; and the newest 5 per server_id survive.
    key.ip = "node-a";
    key.page = 0;
    NotifyInfo nodeA;
    ASSERT_EQ(prx->getNotifyInfo(key, nodeA), 0);
    EXPECT_EQ(messages(nodeA), (std::vector<std::string>{"started"}));
    for (int i = 0; i < 7; ++i) prx->reportServer("Shop.Cart", "1", "event " + std::to_string(i));
    key.ip = "127.0.0.1";
    std::vector<std::string> all;
    for (key.page = 0;; ++key.page) {
        NotifyInfo page;
        ASSERT_EQ(prx->getNotifyInfo(key, page), 0);
        for (auto& m : messages(page)) all.push_back(m);
        if (page.nextpage < 0) break;
        ASSERT_LT(key.page, 10);
    }
    EXPECT_EQ(all, (std::vector<std::string>{"event 6", "event 5", "event 4", "event 3", "event 2"}));

    key.name = "NoDot";
    NotifyInfo bad;
    EXPECT_EQ(prx->getNotifyInfo(key, bad), -1);
    std::string status = adminNotify(notify.adminPort(), "notify.status");
    EXPECT_EQ(lineValue(status, "refused_events"), "3") << status;
    EXPECT_EQ(lineValue(status, "pending_rows"), "0") << status;
    EXPECT_EQ(notify.process().stop(), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotifyServiceTest, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace tars::test
