// The node client reports into our tarsstat: @tars/rpc counts its calls through
// @tars/monitor (only with TARS_MONITOR set and a config naming the stat object) and sends
// them as a one-way reportMicMsg with bFromClient true, once a report interval (10 s at
// least) after the first call. node/stat_client.js makes the calls and waits for that
// report; then `tarsadmin stat` shows them, read from tarsquery over the same store.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "InteropTestSupport.h"
#include "TestSupport.h"

namespace {

using tars::test::ReservedPort;
using tars::test::ServerProcess;

constexpr int kCalls = 7;

// A framework service (tarsstat or tarsquery) on the embedded store `db`.
std::string serviceConfig(const std::string& server, const std::string& servant, int port, int adminPort,
                          const std::string& db, const std::string& extra) {
    return "<tars>\n  <application>\n    <server>\n      app = tars\n      server = " + server +
           "\n      localip = 127.0.0.1\n      local = tcp -h 127.0.0.1 -p " + std::to_string(adminPort) +
           " -t 10000\n      basepath = @DIR@\n      datapath = @DIR@\n      logpath = @LOG@\n"
           "      <tars." +
           server + "." + servant + "Adapter>\n        endpoint = tcp -h 127.0.0.1 -p " + std::to_string(port) +
           " -t 60000\n        servant = tars." + server + "." + servant + "\n        threads = 2\n      </tars." +
           server + "." + servant + "Adapter>\n    </server>\n  </application>\n  <db>\n    dbpath = " + db +
           "\n  </db>\n" + extra + "</tars>\n";
}

TEST(NodeClientReportsToTarsstat, ItsCallsShowInTarsadminStat) {
    if (auto reason = interop::nodeSkipReason()) GTEST_SKIP() << *reason;

    ReservedPort statPort, statAdmin, queryPort, queryAdmin, interopPort;
    ServerProcess stat(TARSSTAT_PATH);
    const std::string db = stat.dir() + "/tars_monitor.sqlite";
    stat.writeConfig(serviceConfig("tarsstat", "StatObj", statPort, statAdmin, db,
                                   "  <hashmap>\n    insertIntervalSeconds = 1\n  </hashmap>\n"));
    ASSERT_TRUE(stat.start({statPort})) << stat.output();
    ServerProcess query(TARSQUERY_PATH);
    query.writeConfig(serviceConfig("tarsquerystat", "QueryObj", queryPort, queryAdmin, db, ""));
    ASSERT_TRUE(query.start({queryPort})) << query.output();
    ServerProcess server(INTEROP_SERVER);  // reports nothing itself: tarsadmin shows the callers' rows
    server.writeConfig(interop::serverConfig(interopPort));
    ASSERT_TRUE(server.start({interopPort})) << server.output();

    ServerProcess client(interop::nodeDir() + "/stat_client.js");
    client.writeConfig(
        "<tars>\n  <application>\n    <client>\n      modulename = Test.NodeClient\n"
        "      stat = tars.tarsstat.StatObj@tcp -h 127.0.0.1 -p " +
        std::to_string(statPort.port()) +
        " -t 60000\n      report-interval = 10000\n"
        "    </client>\n  </application>\n</tars>\n");
    ::setenv("TARS_MONITOR", "1", 1);  // the child inherits it
    const int status = client.runToExit({"--config", client.dir() + "/server.conf", "--endpoint",
                                         interop::endpoint(interopPort), "--calls", std::to_string(kCalls)},
                                        60000);
    ::unsetenv("TARS_MONITOR");
    ASSERT_EQ(status, 0) << "stat_client.js exit status " << status << ", its output:\n" << client.output();

    // tarsstat writes every second; the report arrived before the client exited.
    const std::string queryObj = "tars.tarsquerystat.QueryObj@tcp -h 127.0.0.1 -p " + std::to_string(queryPort.port());
    nlohmann::json rows;
    for (int attempt = 0; attempt < 100; ++attempt) {  // bounded: 100 runs of tarsadmin, about 15 s
        ServerProcess admin(TARSADMIN_PATH);
        ASSERT_EQ(admin.runToExit({"stat", "Test.InteropServer", "--since", "10m", "--by", "caller", "--json",
                                   "--query", queryObj}),
                  0)
            << admin.output();
        rows = nlohmann::json::parse(admin.output(), nullptr, false);
        ASSERT_FALSE(rows.is_discarded()) << admin.output();
        if (!rows.empty()) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));  // poll interval; tarsstat flushes every 1 s
    }
    ASSERT_EQ(rows.size(), 1u) << rows.dump(2) << "\n" << stat.log();
    const auto& row = rows[0];
    EXPECT_EQ(row["callee"], "Test.InteropServer");
    EXPECT_EQ(row["caller"], "Test.NodeClient");
    EXPECT_EQ(row["side"], "client");
    EXPECT_EQ(row["count"], kCalls);
    EXPECT_EQ(row["succ"], kCalls);
    EXPECT_EQ(row["timeouts"], 0);
    EXPECT_EQ(row["exceptions"], 0);
}

}  // namespace
