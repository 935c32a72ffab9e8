// tarslog as a process: batches of logger() and loggerbyInfo() land in TARS's layout under
// /tars/log<logpath> (with the caller's IP in front under ipfix); a batch whose names would
// leave the log directory is refused, writes nothing anywhere, and is counted.
#include <gtest/gtest.h>

#include <ctime>

#include "LogF.h"
#include "ObservabilityTestSupport.h"
#include "servant/Communicator.h"
#include "util/tc_common.h"
#include "util/tc_file.h"

namespace tars::test {
namespace {

TEST(LogService, WritesTarsLayoutAndRefusesTraversal) {
    ServiceProcess log({.exe = TARS_LOG_PATH,
                        .server = "tarslog",
                        .obj = "LogObj",
                        .sections = "  <log>\n    logpath = @DIR@/remote\n    ipfix = true\n  </log>\n"});
    ASSERT_TRUE(log.start()) << log.process().output();
    Communicator communicator;
    auto prx = communicator.stringToProxy<LogPrx>(log.objectString());
    const std::string root = log.dir() + "/remote";
    const std::string today = TC_Common::tm2str(time(nullptr), "%Y%m%d");

    prx->logger("Shop", "Cart", "access", "%Y%m%d", {"GET /a\n", "GET /b"});
    prx->logger("Shop", "Cart", "", "%Y%m%d", {"day log line"});
    LogInfo info;
    info.appname = "Shop";
    info.servername = "Cart";
    info.sFilename = "biz";
    info.sFormat = "%Y%m%d";
    info.setdivision = "sz.a.1";
    info.sSepar = "#";
    info.bHasSquareBracket = true;
    prx->loggerbyInfo(info, {"in a set"});
    // Refused: out of the directory, or a name with a slash.
    prx->logger("..", "..", "x", "%Y%m%d", {"escaped"});
    prx->logger("Shop", "Cart", "../../../escaped", "%Y%m%d", {"escaped"});
    info.setdivision = "sz/../..";
    info.sFilename = "../x";
    prx->loggerbyInfo(info, {"escaped"});

    EXPECT_EQ(TC_File::load2str(root + "/Shop/Cart/Shop.Cart_access_" + today + ".log"),
              "127.0.0.1|GET /a\n127.0.0.1|GET /b\n");
    EXPECT_EQ(TC_File::load2str(root + "/Shop/Cart/Shop.Cart_" + today + ".log"), "127.0.0.1|day log line\n");
    EXPECT_EQ(TC_File::load2str(root + "/Shop/sza1/Cart/Shop.Cart_biz_[" + today + "].log"), "127.0.0.1#in a set\n");
    for (const auto& file : TC_File::listDirectory(log.dir(), true)) {
        EXPECT_EQ(file.find("escaped"), std::string::npos) << file;
        EXPECT_EQ(file.find("/x_"), std::string::npos) << file;
    }

    std::string status = adminNotify(log.adminPort(), "log.status");
    EXPECT_EQ(lineValue(status, "refused_batches"), "3") << status;
    EXPECT_EQ(lineValue(status, "written_lines"), "4") << status;
    EXPECT_EQ(log.process().stop(), 0);
}

}  // namespace
}  // namespace tars::test
