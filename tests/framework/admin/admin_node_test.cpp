// tarsadmin against a real tarsregistry (own SQLite file), a real tarsnode and the servers
// the node starts: scripts that exit 1, segfault or never report, and HelloServer. Starts
// are confirmed (or fail with the exit and the log), states are honest (list --json,
// status: restarts, punishment, last exit, stale config), a punished server is not
// started without --force, notify --endpoint reaches a server's AdminObj directly.
// Every wait polls with a deadline; the node's intervals are short (NodeOptions).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "AdminTestSupport.h"
#include "Hello.h"
#include "NodeTestSupport.h"
#include "servant/Communicator.h"
#include "util/tc_common.h"
#include "util/tc_config.h"
#include "util/tc_file.h"

#ifndef TARSADMIN_PATH
#error "TARSADMIN_PATH must name the tarsadmin executable"
#endif

using namespace tars;
using namespace tars::test;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string describe(const CommandResult& r) {
    return "status " + std::to_string(r.status) + "\nstdout:\n" + r.out + "stderr:\n" + r.err;
}

class AdminWithNode : public ::testing::Test {
protected:
    void SetUp() override {
        store = db.open();
        registry = std::make_unique<RegistryProcess>(db);
        ASSERT_TRUE(registry->start()) << registry->process().output();
    }

    NodeProcess& startNode(NodeOptions options = {}) {
        node = std::make_unique<NodeProcess>(*registry, std::move(options));
        EXPECT_TRUE(node->start()) << node->process().output();
        // The node is registered once the registry lists it.
        EXPECT_TRUE(eventually([&] { return admin({"nodes"}).out.find("node1") != std::string::npos; }, 15000));
        return *node;
    }

    CommandResult admin(std::vector<std::string> args, int timeoutMs = 60000) {
        args.insert(args.begin(), "--registry=" + registry->adminRegObj());
        return runCommand(TARSADMIN_PATH, args, db.dir(), timeoutMs);
    }

    std::string script(const std::string& name, const std::string& body) {
        std::string path = db.dir() + "/" + name;
        TC_File::save2file(path, "#!/bin/sh\n" + body);
        EXPECT_EQ(::chmod(path.c_str(), 0755), 0);
        return path;
    }

    // A deployment file for TestApp.<server> on node1 with one adapter on port.
    std::string deployFile(const std::string& server, const std::string& exe, int port, const std::string& extra = "") {
        std::string text = "<deploy>\n  app = TestApp\n  server = " + server + "\n  node = node1\n";
        text += "  executable = " + exe + "\n" + extra;
        text += "  <adapters>\n    <HelloObjAdapter>\n";
        text += "      endpoint = tcp -h 127.0.0.1 -p " + std::to_string(port) + " -t 60000\n";
        text += "      servant = TestApp." + server + ".HelloObj\n    </HelloObjAdapter>\n  </adapters>\n</deploy>\n";
        std::string path = db.dir() + "/" + server + "-" + std::to_string(++_files) + ".deploy";
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }

    // list --json: one object per line, by server name.
    std::map<std::string, nlohmann::json> listJson() {
        auto r = admin({"list", "--json"});
        EXPECT_EQ(r.status, 0) << describe(r);
        std::map<std::string, nlohmann::json> out;
        for (const auto& line : TC_Common::sepstr(r.out, "\n")) {
            auto object = nlohmann::json::parse(line, nullptr, false);
            EXPECT_FALSE(object.is_discarded()) << line;
            if (!object.is_discarded()) out[object.value("server", "")] = object;
        }
        return out;
    }

    TestDatabase db{"sqlite"};
    std::unique_ptr<RegistryStore> store;
    std::unique_ptr<RegistryProcess> registry;
    std::unique_ptr<NodeProcess> node;  // destroyed first: stops its servers, then itself
    int _files = 0;
};

TEST_F(AdminWithNode, AStartIsConfirmedByTheFirstHeartbeatAndListJsonHasExactlyTheKeys) {
    startNode();
    ReservedPort hello;
    auto r = admin({"deploy", deployFile("HelloServer", HELLO_SERVER_PATH, hello.port()), "--wait=30"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "TestApp.HelloServer on node1: running, pid ")) << describe(r);
    auto state = node->state("TestApp", "HelloServer");
    ASSERT_TRUE(state);
    EXPECT_EQ(state->serverState, ServerState::Active);

    auto list = listJson();
    ASSERT_EQ(list.size(), 1u);
    const auto& hello1 = list["HelloServer"];
    std::set<std::string> keys;
    for (const auto& item : hello1.items()) keys.insert(item.key());
    EXPECT_EQ(keys, (std::set<std::string>{"app", "server", "node", "setting", "present", "pid", "version", "set",
                                           "restarts", "punished_until", "last_exit", "config_stale"}))
        << hello1.dump();
    EXPECT_EQ(hello1["app"], "TestApp");
    EXPECT_EQ(hello1["node"], "node1");
    EXPECT_EQ(hello1["setting"], "active");
    EXPECT_EQ(hello1["present"], "active");
    EXPECT_EQ(hello1["pid"], state->processId);
    EXPECT_EQ(hello1["restarts"], 0);
    EXPECT_TRUE(hello1["punished_until"].is_null());
    EXPECT_TRUE(hello1["last_exit"].is_null());
    EXPECT_EQ(hello1["config_stale"], false);

    // A redeploy with another profile and --no-restart leaves the process running: the
    // output and list say that it needs a restart.
    std::string profile =
        "  <profile>\n    <tars>\n      <application>\n        <server>\n          logLevel = INFO\n"
        "        </server>\n      </application>\n    </tars>\n  </profile>\n";
    r = admin({"deploy", deployFile("HelloServer", HELLO_SERVER_PATH, hello.port(), profile), "--no-restart"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "TestApp.HelloServer on node1: needs a restart to apply this deployment"))
        << describe(r);
    list = listJson();
    EXPECT_EQ(list["HelloServer"]["config_stale"], true) << list["HelloServer"].dump();
    EXPECT_EQ(list["HelloServer"]["pid"], state->processId);
    r = admin({"list"});
    EXPECT_TRUE(contains(r.out, "config stale: restart to apply")) << describe(r);

    // restart: confirmed with a new pid, and the config is current again.
    r = admin({"restart", "TestApp.HelloServer", "--wait=30"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "running, pid ")) << describe(r);
    list = listJson();
    EXPECT_EQ(list["HelloServer"]["config_stale"], false) << list["HelloServer"].dump();
    int second = list["HelloServer"]["pid"];
    EXPECT_NE(second, state->processId);
    // The stop of the restart is its last exit, with its cause.
    ASSERT_TRUE(list["HelloServer"]["last_exit"].is_object()) << list["HelloServer"].dump();
    EXPECT_TRUE(contains(list["HelloServer"]["last_exit"]["cause"], "stop requested")) << list["HelloServer"].dump();

    // A redeploy with a new executable restarts it, confirmed: the new program runs.
    std::string newExe = db.dir() + "/HelloServer-v2";
    ASSERT_EQ(::symlink(HELLO_SERVER_PATH, newExe.c_str()), 0);
    r = admin({"deploy", deployFile("HelloServer", newExe, hello.port(), profile), "--wait=30"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "TestApp.HelloServer on node1: restarted to apply the deployment")) << describe(r);
    EXPECT_TRUE(contains(r.out, "running, pid ")) << describe(r);
    list = listJson();
    int third = list["HelloServer"]["pid"];
    EXPECT_NE(third, second);
    EXPECT_EQ(list["HelloServer"]["config_stale"], false) << list["HelloServer"].dump();
    EXPECT_TRUE(processesWith(newExe) == std::vector<pid_t>{third}) << newExe;

    // notify --endpoint: straight to the server's AdminObj, no registry needed.
    TC_Config conf;
    conf.parseFile(node->configFile("TestApp", "HelloServer"));
    std::string local = conf.get("/tars/application/server<local>");
    ASSERT_FALSE(local.empty());
    auto direct = runCommand(TARSADMIN_PATH, {"notify", "--endpoint", local, "--", "tars.viewversion"}, db.dir());
    EXPECT_EQ(direct.status, 0) << describe(direct);
    EXPECT_FALSE(direct.out.empty()) << describe(direct);
    // tars.closecore yes: the server's own core limit drops to 0.
    direct = runCommand(TARSADMIN_PATH, {"notify", "--endpoint", local, "--", "tars.closecore", "yes"}, db.dir());
    EXPECT_EQ(direct.status, 0) << describe(direct);
    EXPECT_TRUE(contains(direct.out, "[succ] core files off")) << describe(direct);
    std::string limits = readFile("/proc/" + std::to_string(third) + "/limits");
    size_t row = limits.find("Max core file size");
    ASSERT_NE(row, std::string::npos) << limits;
    auto fields = TC_Common::sepstr(limits.substr(row + std::strlen("Max core file size")), " \n");
    ASSERT_FALSE(fields.empty()) << limits;
    EXPECT_EQ(fields[0], "0") << limits;  // the soft limit
}

TEST_F(AdminWithNode, ARedeployRestartsTheInstancesOfSeveralNodesOneAfterTheOther) {
    startNode();  // node1
    NodeOptions second;
    second.nodeName = "node2";
    auto node2 = std::make_unique<NodeProcess>(*registry, second);
    ASSERT_TRUE(node2->start()) << node2->process().output();
    ASSERT_TRUE(eventually([&] { return contains(admin({"nodes"}).out, "node2"); }, 15000));

    // The server on two nodes, a file each (both nodes are this host: each its own port).
    ReservedPort port1, port2;
    auto files = [&](const std::string& logLevel) {
        std::vector<std::string> paths;
        for (auto [nodeName, port] : {std::pair{"node1", port1.port()}, std::pair{"node2", port2.port()}}) {
            std::string text = "<deploy>\n  app = TestApp\n  server = HelloServer\n  node = " + std::string(nodeName) +
                               "\n  executable = " + HELLO_SERVER_PATH +
                               "\n  <profile>\n    <tars>\n      <application>\n        <server>\n"
                               "          logLevel = " +
                               logLevel +
                               "\n        </server>\n      </application>\n    </tars>\n  </profile>\n"
                               "  <adapters>\n    <HelloObjAdapter>\n      endpoint = tcp -h 127.0.0.1 -p " +
                               std::to_string(port) +
                               " -t 60000\n      servant = TestApp.HelloServer.HelloObj\n    </HelloObjAdapter>\n"
                               "  </adapters>\n</deploy>\n";
            paths.push_back(db.dir() + "/" + nodeName + "-" + logLevel + ".deploy");
            std::ofstream(paths.back(), std::ios::binary) << text;
        }
        return paths;
    };
    auto debug = files("DEBUG");
    auto r = admin({"deploy", debug[0], debug[1], "--wait=30"});
    ASSERT_EQ(r.status, 0) << describe(r);
    int before1 = node->waitActive("TestApp", "HelloServer");
    int before2 = node2->waitActive("TestApp", "HelloServer");
    ASSERT_GT(before1, 0);
    ASSERT_GT(before2, 0);

    auto info = files("INFO");
    r = admin({"deploy", info[0], info[1], "--wait=30"});
    ASSERT_EQ(r.status, 0) << describe(r);
    // node1 restarted and confirmed before node2 is touched.
    size_t restarted1 = r.out.find("TestApp.HelloServer on node1: restarted to apply the deployment");
    size_t running1 = r.out.find("TestApp.HelloServer on node1: running, pid", restarted1);
    size_t restarted2 = r.out.find("TestApp.HelloServer on node2: restarted to apply the deployment");
    size_t running2 = r.out.find("TestApp.HelloServer on node2: running, pid", restarted2);
    ASSERT_NE(restarted1, std::string::npos) << describe(r);
    ASSERT_NE(running1, std::string::npos) << describe(r);
    ASSERT_NE(restarted2, std::string::npos) << describe(r);
    ASSERT_NE(running2, std::string::npos) << describe(r);
    EXPECT_LT(running1, restarted2) << describe(r);
    auto s1 = node->state("TestApp", "HelloServer");
    auto s2 = node2->state("TestApp", "HelloServer");
    ASSERT_TRUE(s1 && s2);
    EXPECT_NE(s1->processId, before1);
    EXPECT_NE(s2->processId, before2);
    node2.reset();  // stops its servers, then itself
}

TEST_F(AdminWithNode, AServerThatExitsOneFailsTheStartWithItsStatusAndLogThenThePunishmentIsShown) {
    NodeOptions options;
    options.activatorMaxCount = 2;
    startNode(options);
    std::string crasher = script("crasher.sh", "echo 'cannot open /var/db/crasher.db' >&2\nexit 1\n");
    ReservedPort port;
    auto r = admin({"deploy", deployFile("Crasher", crasher, port.port(), "  setting = inactive\n")});
    ASSERT_EQ(r.status, 0) << describe(r);

    int64_t begin = nowMs();
    r = admin({"start", "TestApp.Crasher", "--wait=30"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_LT(nowMs() - begin, 15000) << "the exit must end the wait at once";
    EXPECT_TRUE(contains(r.err, "start TestApp.Crasher on node1 failed: exited with status 1")) << describe(r);
    EXPECT_TRUE(contains(r.err, "cannot open /var/db/crasher.db")) << describe(r);
    EXPECT_TRUE(contains(r.err, "full log: ")) << describe(r);
    EXPECT_TRUE(contains(r.err, "TestApp.Crasher.stdout.log (on the node)")) << describe(r);

    // The node restarts it (setting active) until ActivatorMaxCount, then stops: punished.
    nlohmann::json crash;
    ASSERT_TRUE(eventually(
        [&] {
            crash = listJson()["Crasher"];
            return !crash["punished_until"].is_null();
        },
        20000))
        << crash.dump();
    EXPECT_EQ(crash["setting"], "active");
    EXPECT_EQ(crash["present"], "inactive");
    EXPECT_GE(crash["restarts"].get<int>(), 1) << crash.dump();
    ASSERT_TRUE(crash["last_exit"].is_object()) << crash.dump();
    EXPECT_EQ(crash["last_exit"]["status"], 1) << crash.dump();
    EXPECT_TRUE(crash["last_exit"]["signal"].is_null()) << crash.dump();
    EXPECT_EQ(crash["last_exit"]["core"], false) << crash.dump();

    r = admin({"status", "TestApp.Crasher"});
    EXPECT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "punished: the node stopped restarting it")) << describe(r);
    EXPECT_TRUE(contains(r.out, "last exit: exited with status 1 at ")) << describe(r);
    r = admin({"list"});
    EXPECT_TRUE(contains(r.out, "punished ")) << describe(r);

    // start says why it does not, and offers --force; --force starts it (and it fails again).
    r = admin({"start", "TestApp.Crasher", "--wait=30"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "refused: the node stopped restarting it")) << describe(r);
    EXPECT_TRUE(contains(r.err, "tarsadmin start TestApp.Crasher node1 --force")) << describe(r);
    r = admin({"start", "TestApp.Crasher", "--force", "--wait=30"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.out, "start: TestApp.Crasher started, pid")) << describe(r);
    EXPECT_TRUE(contains(r.err, "exited with status 1")) << describe(r);

    // --no-wait keeps the old behaviour: the node started it, nothing more is claimed.
    r = admin({"restart", "TestApp.Crasher", "--no-wait"});
    EXPECT_EQ(r.status, 0) << describe(r);
}

TEST_F(AdminWithNode, ASegfaultIsReportedAsTheSignal) {
    startNode();
    std::string segv = script("segv.sh", "echo 'about to crash'\nkill -SEGV $$\n");
    ReservedPort port;
    auto r = admin({"deploy", deployFile("Segv", segv, port.port()), "--wait=30"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "deploy TestApp.Segv on node1 failed: killed by signal 11 (SIGSEGV)")) << describe(r);
    EXPECT_TRUE(contains(r.err, "about to crash")) << describe(r);
    auto crash = listJson()["Segv"];
    ASSERT_TRUE(crash["last_exit"].is_object()) << crash.dump();
    EXPECT_EQ(crash["last_exit"]["signal"], 11) << crash.dump();
    EXPECT_TRUE(crash["last_exit"]["status"].is_null()) << crash.dump();
    ASSERT_TRUE(crash["last_exit"]["core"].is_boolean()) << crash.dump();
    // The node raised the core limit to the hard limit: where the host writes core files
    // into the working directory, this crash left one (and says so).
    rlimit core{};
    ASSERT_EQ(::getrlimit(RLIMIT_CORE, &core), 0);
    std::string pattern = TC_Common::trim(readFile("/proc/sys/kernel/core_pattern"));
    if (core.rlim_max != 0 && !pattern.empty() && pattern[0] != '|' && pattern.find('/') == std::string::npos) {
        EXPECT_EQ(crash["last_exit"]["core"], true) << crash.dump();
        EXPECT_TRUE(contains(admin({"status", "TestApp.Segv"}).out, "killed by signal 11 (SIGSEGV), core dumped"));
    } else {
        std::cout << "core files go to '" << pattern << "' (hard limit " << core.rlim_max
                  << "): whether one was written is not checked here\n";
    }
}

TEST_F(AdminWithNode, AServerThatNeverReportsFailsWhenTheWaitEnds) {
    startNode();
    std::string silent = script("silent.sh", "echo 'initialising forever'\nwhile :; do sleep 1; done\n");
    ReservedPort port;
    int64_t begin = nowMs();
    auto r = admin({"deploy", deployFile("Silent", silent, port.port()), "--wait=2"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_GE(nowMs() - begin, 2000);
    EXPECT_TRUE(contains(r.err, "deploy TestApp.Silent on node1 failed: no heartbeat reached the registry within 2 s"))
        << describe(r);
    EXPECT_TRUE(contains(r.err, "node: activating")) << describe(r);
    EXPECT_TRUE(contains(r.err, "initialising forever")) << describe(r);
}

TEST_F(AdminWithNode, ConfigTyposOfTheNodeAreOnItsStderrAndTheConfigsItWritesHaveNone) {
    NodeOptions options;
    options.extraNode = "monitorIntervl = 1";  // in /tars/node/keepalive
    startNode(options);
    std::string out = node->process().output();
    EXPECT_TRUE(contains(out,
                         ": unknown key 'monitorIntervl' in /tars/node/keepalive (did you mean "
                         "'monitorInterval'?)"))
        << out;
    EXPECT_EQ(out.find("unknown key", out.find("monitorIntervl") + 1), std::string::npos) << out;

    // The config the node writes for a server (template, adapters, client) is clean.
    ReservedPort hello;
    auto r = admin({"deploy", deployFile("HelloServer", HELLO_SERVER_PATH, hello.port()), "--wait=30"});
    ASSERT_EQ(r.status, 0) << describe(r);
    std::string stdoutLog = readFile(node->logPath() + "TestApp/HelloServer/TestApp.HelloServer.stdout.log");
    EXPECT_FALSE(stdoutLog.empty());
    EXPECT_EQ(stdoutLog.find("unknown key"), std::string::npos) << stdoutLog;
}

TEST_F(AdminWithNode, NotifyEndpointErrorsAreClear) {
    ReservedPort nobody;
    auto r = runCommand(TARSADMIN_PATH,
                        {"--timeout=3000", "notify", "--endpoint",
                         "tcp -h 127.0.0.1 -p " + std::to_string(nobody.port()), "--", "tars.viewversion"},
                        db.dir());
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "AdminObj@tcp -h 127.0.0.1 -p " + std::to_string(nobody.port()) + " failed"))
        << describe(r);
    r = runCommand(TARSADMIN_PATH, {"notify", "--endpoint", "tcp -h 127.0.0.1", "--", "tars.viewversion"}, db.dir());
    EXPECT_EQ(r.status, 2) << describe(r);
    r = runCommand(TARSADMIN_PATH, {"notify", "--endpoint", "tcp -h 127.0.0.1 -p 1"}, db.dir());
    EXPECT_EQ(r.status, 2) << describe(r);
    r = runCommand(TARSADMIN_PATH, {"notify", "--endpoint=", "--", "tars.viewversion"}, db.dir());
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, "--endpoint needs a value")) << describe(r);
}

// tarsadmin log: the server's log files through the registry and the node: the last lines,
// another file by name, a name that is not there, and --follow printing what is appended.
TEST_F(AdminWithNode, LogReadsTheServersFilesThroughItsNodeAndFollowsThem) {
    startNode();
    ReservedPort hello;
    auto r = admin({"deploy", deployFile("HelloServer", HELLO_SERVER_PATH, hello.port()), "--wait=30"});
    ASSERT_EQ(r.status, 0) << describe(r);
    Communicator comm;
    auto prx = comm.stringToProxy<TestApp::HelloPrx>("TestApp.HelloServer.HelloObj@tcp -h 127.0.0.1 -p " +
                                                     std::to_string(hello.port()) + " -t 10000");
    std::string rsp;
    ASSERT_EQ(prx->testHello("log-marker-1", rsp), 0);

    // HelloServer logs each call at DEBUG; its log is flushed within a second.
    EXPECT_TRUE(eventually([&] {
        r = admin({"log", "TestApp.HelloServer", "--lines", "200"});
        return r.status == 0 && contains(r.out, "log-marker-1");
    })) << describe(r);
    r = admin({"log", "TestApp.HelloServer", "node1", "--file", "stdout", "--lines=3"});
    EXPECT_EQ(r.status, 0) << describe(r);
    EXPECT_LE(std::count(r.out.begin(), r.out.end(), '\n'), 3) << describe(r);
    r = admin({"log", "TestApp.HelloServer", "--file", "nosuch"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "'nosuch' is not among the log files of TestApp.HelloServer")) << describe(r);
    EXPECT_TRUE(contains(r.err, "TestApp.HelloServer.log")) << describe(r);
    r = admin({"log", "TestApp.HelloServer", "--lines", "0"});
    EXPECT_EQ(r.status, 2) << describe(r);
    r = admin({"log", "TestApp.NoSuchServer"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "TestApp.NoSuchServer is not deployed")) << describe(r);

    ServerProcess follow(TARSADMIN_PATH);
    ASSERT_TRUE(follow.startWithArgs(
        {"--registry=" + registry->adminRegObj(), "log", "TestApp.HelloServer", "--lines", "200", "--follow"}, {}));
    EXPECT_TRUE(eventually([&] { return contains(follow.output(), "log-marker-1"); })) << follow.output();
    ASSERT_EQ(prx->testHello("log-marker-2", rsp), 0);
    EXPECT_TRUE(eventually([&] { return contains(follow.output(), "log-marker-2"); })) << follow.output();
    EXPECT_EQ(follow.stop(SIGINT), 0) << follow.output();
    // Each line once: the first lines and the followed part do not overlap.
    std::string out = follow.output();
    EXPECT_EQ(out.find("log-marker-1"), out.rfind("log-marker-1")) << out;
}

}  // namespace
