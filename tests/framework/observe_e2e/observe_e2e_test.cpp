// tarsadmin's observability commands end to end, with nothing faked: a tarsregistry (own
// SQLite file), a tarsnode, and on that node the six observability services (tarsstat,
// tarsproperty, tarsnotify, tarslog, tarsquerystat, tarsqueryproperty), deployed with
// `tarsadmin deploy` like any server, with one-second intervals (insertIntervalSeconds,
// report-interval). HelloServer is deployed with the tars.default template, so it reports
// to them by name; the test calls it through the locator from a Communicator that reports
// its own calls too, then reads back with the real tarsadmin binary what the services
// saw: stat (the server's rows, counted once; --by caller the client's), property (the
// adapter's queue), events (the server's start and stop; the node's alarms after a kill
// and after missed heartbeats; a config file loaded at start), log (the server's log
// through the node) and log --remote (a day log tarslog keeps, written by
// ObservabilitySink's sink.writelog command).
//
// Every wait polls a condition (every 100 ms, at most 30 s). Ports are reserved
// (ReservedPort) and each test has its own temporary directories, so the tests run in
// parallel with any other.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "AdminTestSupport.h"
#include "Hello.h"
#include "NodeTestSupport.h"
#include "servant/Communicator.h"
#include "util/tc_common.h"
#include "util/tc_file.h"

#ifndef TARSADMIN_PATH
#error "TARSADMIN_PATH must name the tarsadmin executable"
#endif

using namespace tars;
using namespace tars::test;

namespace {

constexpr int kWaitMs = 30000;  // the bound of every wait for a report to show
constexpr int kPollMs = 100;    // how often a wait asks again (most asks run tarsadmin)
constexpr const char* kHelloServer = "TestApp.HelloServer";
constexpr const char* kHelloAdapter = "TestApp.HelloServer.HelloObjAdapter";
constexpr const char* kCallerModule = "TestApp.ObserveClient";

// Polls pred every kPollMs until it holds (true) or timeoutMs passed (false).
bool pollUntil(const std::function<bool()>& pred, int timeoutMs = kWaitMs) {
    const int64_t deadline = nowMs() + timeoutMs;
    while (!pred()) {
        if (nowMs() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
    }
    return true;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string describe(const CommandResult& r) {
    return "status " + std::to_string(r.status) + "\nstdout:\n" + r.out + "stderr:\n" + r.err;
}

// The JSON array a --json command printed; an empty array when it failed or printed none.
nlohmann::json jsonArray(const CommandResult& r) {
    if (r.status != 0) return nlohmann::json::array();
    auto parsed = nlohmann::json::parse(r.out, nullptr, false);
    return parsed.is_array() ? parsed : nlohmann::json::array();
}

// The first object of array whose string field key satisfies match; null when none does.
nlohmann::json findRow(const nlohmann::json& array, const std::string& key,
                       const std::function<bool(const std::string&)>& match) {
    for (const auto& row : array) {
        if (row.contains(key) && row[key].is_string() && match(row[key].get<std::string>())) return row;
    }
    return nullptr;
}

// Index of the first event whose message starts with prefix; -1 when none.
int eventIndex(const nlohmann::json& events, const std::string& prefix) {
    for (size_t i = 0; i < events.size(); ++i) {
        if (events[i].value("message", "").starts_with(prefix)) return static_cast<int>(i);
    }
    return -1;
}

// Index of the last (oldest) event whose message starts with prefix; -1 when none.
int lastEventIndex(const nlohmann::json& events, const std::string& prefix) {
    for (size_t i = events.size(); i > 0; --i) {
        if (events[i - 1].value("message", "").starts_with(prefix)) return static_cast<int>(i - 1);
    }
    return -1;
}

// A <deploy> section of one server on node1 with one adapter serving app.server.obj;
// extra: more sections of <deploy> (<configfiles>).
std::string deploySection(const std::string& app, const std::string& server, const std::string& exe,
                          const std::string& obj, int port, const std::string& profile, const std::string& extra = "") {
    const std::string servant = app + "." + server + "." + obj;
    return "<deploy>\n  app = " + app + "\n  server = " + server + "\n  node = node1\n  executable = " + exe +
           "\n  <profile>\n    <tars>\n" + profile + "    </tars>\n  </profile>\n  <adapters>\n    <" + servant +
           "Adapter>\n      endpoint = tcp -h 127.0.0.1 -p " + std::to_string(port) +
           " -t 60000\n      servant = " + servant + "\n      threads = 2\n    </" + servant +
           "Adapter>\n  </adapters>\n" + extra + "</deploy>\n";
}

// Profile lines of a service that stores into dbFile every second.
std::string storeProfile(const std::string& dbFile, bool interval) {
    std::string text = "      <db>\n        dbpath = " + dbFile + "\n      </db>\n";
    if (interval) text += "      <hashmap>\n        insertIntervalSeconds = 1\n      </hashmap>\n";
    return text;
}

class ObserveEndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        store = db.open();
        registry = std::make_unique<RegistryProcess>(db);
        ASSERT_TRUE(registry->start()) << registry->process().output();
        NodeOptions options;
        // The node's alarms go to the tarsnotify it will run, named with its endpoint: by
        // name, the node's first lookup (its own start event) finds none deployed yet and
        // the next comes only 10 s later (an empty locator answer is asked again after 10 s).
        options.extraServer = "      notify = tars.tarsnotify.NotifyObj@tcp -h 127.0.0.1 -p " +
                              std::to_string(notifyPort.port()) + " -t 60000\n";
        node = std::make_unique<NodeProcess>(*registry, options);
        ASSERT_TRUE(node->start()) << node->process().output();
        ASSERT_TRUE(pollUntil([&] { return contains(admin({"nodes"}).out, "node1"); }));
        monitorDir = db.dir() + "/monitor";
        TC_File::makeDirRecursive(monitorDir);
    }

    std::string locator() const { return "tars.tarsregistry.QueryObj@" + registry->queryEndpoint(); }

    // The real tarsadmin, finding the registry and the services through the locator.
    CommandResult admin(std::vector<std::string> args, int timeoutMs = 60000) {
        args.insert(args.begin(), "--locator=" + locator());
        return runCommand(TARSADMIN_PATH, args, db.dir(), timeoutMs);
    }

    // Runs `tarsadmin ARGS --json` until done(array) holds (bounded); the last array.
    nlohmann::json pollJson(const std::vector<std::string>& args,
                            const std::function<bool(const nlohmann::json&)>& done, int timeoutMs = kWaitMs) {
        nlohmann::json last = nlohmann::json::array();
        pollUntil(
            [&] {
                std::vector<std::string> withJson = args;
                withJson.push_back("--json");
                last = jsonArray(admin(withJson));
                return done(last);
            },
            timeoutMs);
        return last;
    }

    // Deploys the sections with tarsadmin, each start confirmed by its first heartbeat.
    void deploy(const std::string& name, const std::string& sections) {
        std::string path = db.dir() + "/" + name + ".deploy";
        TC_File::save2file(path, sections);
        auto r = admin({"deploy", path, "--wait=30"});
        ASSERT_EQ(r.status, 0) << describe(r) << node->process().log();
    }

    // Polls the locator until every object has an active endpoint: servers deployed next
    // then find them at their first lookup.
    void waitResolvable(const std::vector<std::string>& objects) {
        RegistryClient client(registry->queryPort(), registry->registryPort());
        for (const auto& object : objects) {
            EXPECT_TRUE(pollUntil([&] { return !client.findObjectById(object).empty(); })) << object;
        }
    }

    void deployNotify() {
        deploy("notify", deploySection("tars", "tarsnotify", TARS_NOTIFY_PATH, "NotifyObj", notifyPort,
                                       storeProfile(monitorDir + "/tars_notify.sqlite", false)));
        waitResolvable({"tars.tarsnotify.NotifyObj"});
    }

    // The six services: stat and property write one SQLite file each, which their query
    // services read; tarslog keeps the day logs inside its own log directory, where the
    // node (and so `tarsadmin log --remote`) reads them.
    void deployObservability() {
        std::string sections =
            deploySection("tars", "tarsstat", TARS_STAT_PATH, "StatObj", statPort,
                          storeProfile(monitorDir + "/tars_stat.sqlite", true)) +
            deploySection("tars", "tarsquerystat", TARS_QUERY_PATH, "QueryObj", queryStatPort,
                          storeProfile(monitorDir + "/tars_stat.sqlite", false)) +
            deploySection("tars", "tarsproperty", TARS_PROPERTY_PATH, "PropertyObj", propertyPort,
                          storeProfile(monitorDir + "/tars_property.sqlite", true)) +
            deploySection("tars", "tarsqueryproperty", TARS_QUERY_PATH, "QueryObj", queryPropertyPort,
                          storeProfile(monitorDir + "/tars_property.sqlite", false)) +
            deploySection("tars", "tarsnotify", TARS_NOTIFY_PATH, "NotifyObj", notifyPort,
                          storeProfile(monitorDir + "/tars_notify.sqlite", false)) +
            deploySection("tars", "tarslog", TARS_LOG_PATH, "LogObj", logPort,
                          "      <log>\n        logpath = ${logpath}/tars/tarslog/remote\n      </log>\n");
        deploy("observability", sections);
        waitResolvable({"tars.tarsstat.StatObj", "tars.tarsquerystat.QueryObj", "tars.tarsproperty.PropertyObj",
                        "tars.tarsqueryproperty.QueryObj", "tars.tarsnotify.NotifyObj", "tars.tarslog.LogObj"});
    }

    // HelloServer with the tars.default template (it reports to the services by name),
    // reporting every second; serverLines: more keys of /tars/application/server.
    void deployHello(const std::string& serverLines = "") {
        std::string profile =
            "      <application>\n        <client>\n          report-interval = 1000\n        </client>\n"
            "        <server>\n" +
            serverLines + "\n        </server>\n      </application>\n";
        deploy("hello", deploySection("TestApp", "HelloServer", HELLO_SERVER_PATH, "HelloObj", helloPort, profile));
    }

    // The pid `tarsadmin list --json` shows for an active TestApp.<server> other than notPid; 0 if none.
    int activePid(const std::string& server, int notPid = 0) {
        auto r = admin({"list", "--json"});
        for (const auto& line : TC_Common::sepstr(r.out, "\n")) {
            auto o = nlohmann::json::parse(line, nullptr, false);
            if (o.is_discarded() || o.value("app", "") != "TestApp" || o.value("server", "") != server) continue;
            if (o.value("present", "") != "active" || !o["pid"].is_number_integer()) continue;
            int pid = o["pid"];
            if (pid > 0 && pid != notPid) return pid;
        }
        return 0;
    }

    int waitActivePid(const std::string& server, int notPid = 0) {
        int pid = 0;
        pollUntil([&] { return (pid = activePid(server, notPid)) != 0; });
        return pid;
    }

    TestDatabase db{"sqlite"};
    std::unique_ptr<RegistryStore> store;
    std::unique_ptr<RegistryProcess> registry;
    std::unique_ptr<NodeProcess> node;  // destroyed first: stops its servers, then itself
    std::string monitorDir;
    ReservedPort statPort, queryStatPort, propertyPort, queryPropertyPort, notifyPort, logPort, helloPort, sinkPort,
        configPort, readerPort;
};

TEST_F(ObserveEndToEnd, CallsPropertiesEventsAndLogsOfADeployedServerShowInTarsadmin) {
    deployObservability();
    deployHello();
    // A server that writes day logs when told to (admin command sink.writelog).
    deploy("daylogger", deploySection("TestApp", "DayLogger", SINK_SERVER_PATH, "LogObj", sinkPort, ""));

    // Calls through the locator from a client that counts and reports them (stat set); its
    // last report goes as the communicator terminates.
    constexpr int kCalls = 7;
    {
        Communicator client;
        client.setProperty("locator", locator());
        client.setProperty("stat", "tars.tarsstat.StatObj");
        client.setProperty("modulename", kCallerModule);
        client.setProperty("report-interval", "1000");
        auto hello = client.stringToProxy<TestApp::HelloPrx>("TestApp.HelloServer.HelloObj");
        for (int i = 0; i < kCalls; ++i) {
            std::string rsp;
            ASSERT_EQ(hello->testHello("observed call " + std::to_string(i), rsp), 0);
            ASSERT_EQ(rsp, "observed call " + std::to_string(i));
        }
        client.terminate();
    }

    // stat: the server's own rows, each call counted once. (Until the server's first rows
    // are stored, tarsadmin shows the client's: the callee might be one that reports none.)
    auto isTestHello = [](const std::string& s) { return s == "testHello"; };
    auto stat = pollJson({"stat", kHelloServer, "--since", "10m"}, [&](const nlohmann::json& rows) {
        auto row = findRow(rows, "interface", isTestHello);
        return !row.is_null() && row.value("side", "") == "server" && row.value("count", 0) >= kCalls;
    });
    auto row = findRow(stat, "interface", isTestHello);
    ASSERT_FALSE(row.is_null()) << stat.dump(2);
    EXPECT_EQ(row["callee"], kHelloServer) << row.dump();
    EXPECT_EQ(row["side"], "server") << row.dump();
    EXPECT_EQ(row["count"], kCalls) << row.dump();
    EXPECT_EQ(row["succ"], kCalls) << row.dump();
    EXPECT_EQ(row["timeouts"], 0) << row.dump();
    EXPECT_EQ(row["exceptions"], 0) << row.dump();
    ASSERT_TRUE(row["avg_ms"].is_number()) << row.dump();
    EXPECT_GE(row["avg_ms"].get<double>(), 0.0) << row.dump();

    // --by caller: the client's rows, under its module name.
    auto byCaller =
        pollJson({"stat", kHelloServer, "--since", "10m", "--by", "caller"}, [&](const nlohmann::json& rows) {
            auto r = findRow(rows, "caller", [](const std::string& s) { return s.starts_with(kCallerModule); });
            return !r.is_null() && r.value("count", 0) >= kCalls;
        });
    auto caller = findRow(byCaller, "caller", [](const std::string& s) { return s.starts_with(kCallerModule); });
    ASSERT_FALSE(caller.is_null()) << byCaller.dump(2);
    EXPECT_EQ(caller["side"], "client") << caller.dump();
    EXPECT_EQ(caller["callee"], kHelloServer) << caller.dump();
    EXPECT_EQ(caller["count"], kCalls) << caller.dump();
    EXPECT_EQ(caller["timeouts"], 0) << caller.dump();
    EXPECT_EQ(caller["exceptions"], 0) << caller.dump();

    // The table of one interface says which side it shows.
    auto table = admin({"stat", kHelloServer, "--since", "10m", "--interface", "testHello"});
    EXPECT_EQ(table.status, 0) << describe(table);
    EXPECT_TRUE(contains(table.out, "TestApp.HelloServer, last 10m, server side:")) << describe(table);
    EXPECT_TRUE(contains(table.out, "testHello  " + std::to_string(kCalls) + " ")) << describe(table);

    // property: the adapter's queue, sampled every report-interval.
    const std::string queueProperty = std::string(kHelloAdapter) + ".queue";
    auto properties = pollJson({"property", kHelloServer, "--since", "10m"}, [&](const nlohmann::json& rows) {
        return !findRow(rows, "name", [&](const std::string& s) { return s == queueProperty; }).is_null();
    });
    auto queue = findRow(properties, "name", [&](const std::string& s) { return s == queueProperty; });
    ASSERT_FALSE(queue.is_null()) << properties.dump(2);
    EXPECT_EQ(queue["module"], kHelloServer) << queue.dump();
    EXPECT_EQ(queue["policy"], "Avg") << queue.dump();
    EXPECT_GE(queue.value("slices", 0), 1) << queue.dump();
    auto named = admin({"property", kHelloServer, "--since", "10m", "--name", queueProperty, "--json"});
    auto namedRows = jsonArray(named);
    ASSERT_FALSE(namedRows.empty()) << describe(named);
    for (const auto& r : namedRows) EXPECT_EQ(r["name"], queueProperty) << describe(named);
    // The handle time has one value per call: its Count and its Distr (whose value is the
    // number of values) are the calls, whichever slices they fell in.
    const std::string handleTime = std::string(kHelloAdapter) + ".servantHandleTime";
    auto valueOf = [&](const nlohmann::json& rows, const std::string& policy) {
        for (const auto& r : rows) {
            if (r.value("name", "") == handleTime && r.value("policy", "") == policy) return r.value("value", -1.0);
        }
        return -1.0;
    };
    properties = pollJson({"property", kHelloServer, "--since", "10m", "--name", handleTime},
                          [&](const nlohmann::json& rows) { return valueOf(rows, "Count") >= kCalls; });
    EXPECT_EQ(valueOf(properties, "Count"), kCalls) << properties.dump(2);
    EXPECT_EQ(valueOf(properties, "Distr"), kCalls) << properties.dump(2);

    // events: the server's start, as TARS words it.
    auto events =
        pollJson({"events", kHelloServer}, [](const nlohmann::json& rows) { return eventIndex(rows, "restart") >= 0; });
    int started = eventIndex(events, "restart");
    ASSERT_GE(started, 0) << events.dump(2);
    EXPECT_EQ(events[started]["server_id"], "TestApp.HelloServer_node1") << events.dump(2);
    EXPECT_EQ(events[started]["level"], "normal") << events.dump(2);
    auto eventTable = admin({"events", kHelloServer});
    EXPECT_EQ(eventTable.status, 0) << describe(eventTable);
    EXPECT_TRUE(eventTable.out.starts_with("TIME")) << describe(eventTable);
    EXPECT_TRUE(contains(eventTable.out, "TestApp.HelloServer_node1  restart")) << describe(eventTable);

    // log: HelloServer's main log (it logs each call at DEBUG, tars.default's level),
    // read through the registry and the node.
    CommandResult log;
    EXPECT_TRUE(pollUntil([&] {
        log = admin({"log", kHelloServer, "--lines", "500"});
        return contains(log.out, "observed call " + std::to_string(kCalls - 1));
    })) << describe(log);
    EXPECT_TRUE(contains(log.out, "testHello from 127.0.0.1:")) << describe(log);
    EXPECT_TRUE(contains(log.out, "observed call 0")) << describe(log);
    auto lastTwo = admin({"log", kHelloServer, "--lines", "2"});
    EXPECT_EQ(lastTwo.status, 0) << describe(lastTwo);
    EXPECT_EQ(TC_Common::sepstr(lastTwo.out, "\n").size(), 2u) << describe(lastTwo);

    // log --remote: day logs DayLogger writes (DLOG and FDLOG("e2e")), as tarslog keeps them.
    auto wrote = admin({"notify", "TestApp.DayLogger", "--", "sink.writelog", "-", "3"});
    ASSERT_EQ(wrote.status, 0) << describe(wrote);
    ASSERT_TRUE(contains(wrote.out, "wrote 3")) << describe(wrote);
    wrote = admin({"notify", "TestApp.DayLogger", "--", "sink.writelog", "e2e", "2"});
    ASSERT_TRUE(contains(wrote.out, "wrote 2")) << describe(wrote);
    CommandResult remote;
    EXPECT_TRUE(pollUntil([&] {
        remote = admin({"log", "TestApp.DayLogger", "--remote"});
        return remote.status == 0 && contains(remote.out, "|line 2");
    })) << describe(remote);
    EXPECT_TRUE(contains(remote.out, "|line 0")) << describe(remote);
    EXPECT_EQ(TC_Common::sepstr(remote.out, "\n").size(), 3u) << describe(remote);
    CommandResult remoteNamed;
    EXPECT_TRUE(pollUntil([&] {
        remoteNamed = admin({"log", "TestApp.DayLogger", "--remote", "--file", "e2e"});
        return remoteNamed.status == 0 && contains(remoteNamed.out, "|line 1");
    })) << describe(remoteNamed);
    EXPECT_FALSE(contains(remoteNamed.out, "|line 2")) << describe(remoteNamed);  // DLOG's file is another
    // The same lines on the server's own host, in its local day log (flushed every second).
    CommandResult local;
    EXPECT_TRUE(pollUntil([&] {
        local = admin({"log", "TestApp.DayLogger", "--file", "day"});
        return contains(local.out, "|line 2");
    })) << describe(local);

    // The stop is an event too, newest first; HelloServer's last report goes as it stops.
    auto stopped = admin({"stop", kHelloServer});
    ASSERT_EQ(stopped.status, 0) << describe(stopped);
    events =
        pollJson({"events", kHelloServer}, [](const nlohmann::json& rows) { return eventIndex(rows, "stop") >= 0; });
    EXPECT_EQ(eventIndex(events, "stop"), 0) << events.dump(2);

    // Nothing counted twice later: after three more intervals of tarsstat, still kCalls.
    auto flushes = [&] {
        auto status = admin({"notify", "tars.tarsstat", "--", "stat.status"});
        for (const auto& line : TC_Common::sepstr(status.out, "\n")) {
            if (auto at = line.find("flushes="); at != std::string::npos) {
                return TC_Common::tryStrto<int>(TC_Common::trim(line.substr(at + 8))).value_or(-1);
            }
        }
        return -1;
    };
    const int before = flushes();
    ASSERT_GE(before, 0);
    EXPECT_TRUE(pollUntil([&] { return flushes() >= before + 3; }));
    stat = jsonArray(admin({"stat", kHelloServer, "--since", "10m", "--json"}));
    row = findRow(stat, "interface", isTestHello);
    ASSERT_FALSE(row.is_null()) << stat.dump(2);
    EXPECT_EQ(row["count"], kCalls) << row.dump();
    byCaller = jsonArray(admin({"stat", kHelloServer, "--since", "10m", "--by", "caller", "--json"}));
    caller = findRow(byCaller, "caller", [](const std::string& s) { return s.starts_with(kCallerModule); });
    ASSERT_FALSE(caller.is_null()) << byCaller.dump(2);
    EXPECT_EQ(caller["count"], kCalls) << caller.dump();
}

TEST_F(ObserveEndToEnd, TheNodesAlarmsForACrashAndForMissedHeartbeatsShowInEvents) {
    deployNotify();
    // A heartbeat timeout of 3 s: a frozen server is found within a few monitor rounds.
    deployHello("          hearttimeout = 3");
    const int first = waitActivePid("HelloServer");
    ASSERT_GT(first, 0);

    // Killed: the node starts it again and says why.
    ASSERT_EQ(::kill(first, SIGKILL), 0);
    const int second = waitActivePid("HelloServer", first);
    ASSERT_GT(second, 0);
    auto isDownAlarm = [](const nlohmann::json& rows) { return eventIndex(rows, "[alarm] down, ") >= 0; };
    auto events = pollJson({"events", kHelloServer}, isDownAlarm);
    int down = eventIndex(events, "[alarm] down, ");
    ASSERT_GE(down, 0) << events.dump(2);
    const std::string downText = events[down]["message"];
    EXPECT_TRUE(downText.starts_with("[alarm] down, server is inactive (")) << downText;
    EXPECT_TRUE(downText.ends_with("): restarting")) << downText;
    EXPECT_TRUE(contains(downText, "SIGKILL") || contains(downText, "signal 9")) << downText;
    EXPECT_EQ(events[down]["level"], "error") << events.dump(2);
    EXPECT_EQ(events[down]["server_id"], "TestApp.HelloServer_node1") << events.dump(2);

    // Frozen (SIGSTOP: alive, but no heartbeat): the node kills it as a zombie, says so,
    // and starts it again.
    ASSERT_EQ(::kill(second, SIGSTOP), 0);
    const std::string zombiePrefix = "[alarm] zombie process, ";
    events = pollJson({"events", kHelloServer},
                      [&](const nlohmann::json& rows) { return eventIndex(rows, zombiePrefix) >= 0; });
    int zombie = eventIndex(events, zombiePrefix);
    ASSERT_GE(zombie, 0) << events.dump(2);
    const std::string zombieText = events[zombie]["message"];
    EXPECT_TRUE(contains(zombieText, "no heartbeat")) << zombieText;
    EXPECT_TRUE(contains(zombieText, "(hearttimeout 3 s)")) << zombieText;
    EXPECT_TRUE(zombieText.ends_with("killed pid " + std::to_string(second))) << zombieText;
    EXPECT_EQ(events[zombie]["level"], "error") << events.dump(2);
    // Newest first: the zombie alarm comes before the alarm of the crash.
    EXPECT_LT(zombie, lastEventIndex(events, "[alarm] down, ")) << events.dump(2);
    const int third = waitActivePid("HelloServer", second);
    EXPECT_GT(third, 0);
    EXPECT_NE(third, first);
    EXPECT_FALSE(processAlive(second));
}

TEST_F(ObserveEndToEnd, AConfigFileLoadedAtStartIsAnEvent) {
    deployNotify();
    // tarsconfig serves the registry's store, where tarsadmin deploy puts the file.
    deploy("config",
           deploySection("tars", "tarsconfig", TARS_CONFIG_PATH, "ConfigObj", configPort, db.configSection()));
    waitResolvable({"tars.tarsconfig.ConfigObj"});
    // ConfigTestServer fetches e2e.conf with addConfig in its initialize().
    deploy("reader", deploySection("TestApp", "ConfigReader", CONFIG_TEST_SERVER_PATH, "ProbeObj", readerPort,
                                   "      <application>\n        <test>\n          addconfig = e2e.conf\n"
                                   "        </test>\n      </application>\n",
                                   "  <configfiles>\n    <e2e.conf>\n      <content>\n        <e2e>\n"
                                   "          greeting = hello\n        </e2e>\n      </content>\n    </e2e.conf>\n"
                                   "  </configfiles>\n"));

    auto isLoaded = [](const std::string& message) {
        return message.starts_with("[succ] ") && contains(message, "e2e.conf written (") &&
               contains(message, " bytes from tars.tarsconfig.ConfigObj)");
    };
    auto events = pollJson({"events", "TestApp.ConfigReader"},
                           [&](const nlohmann::json& rows) { return !findRow(rows, "message", isLoaded).is_null(); });
    auto loaded = findRow(events, "message", isLoaded);
    ASSERT_FALSE(loaded.is_null()) << events.dump(2);
    EXPECT_EQ(loaded["level"], "normal") << loaded.dump();
    EXPECT_EQ(loaded["server_id"], "TestApp.ConfigReader_node1") << loaded.dump();
    // And the start that followed (both are sent asynchronously: either may be stored first).
    events = pollJson({"events", "TestApp.ConfigReader"},
                      [](const nlohmann::json& rows) { return eventIndex(rows, "restart") >= 0; });
    EXPECT_GE(eventIndex(events, "restart"), 0) << events.dump(2);
}

}  // namespace
