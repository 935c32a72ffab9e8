// The console in a real browser (framework.web.browser.*): a tarsregistry (own SQLite
// file) and a tarsnode run HelloServer and tarsweb, both deployed with `tarsadmin deploy`;
// the admin password is set with `tarsadmin web-password` (kept by the registry). Then
// tests/web/console.test.js drives Debian's headless Chromium through playwright-core:
// it logs in, finds TestApp.HelloServer active, restarts it and sees its pid change, sends
// an admin command, edits the config file hello.conf (seeing the diff), saves it and pushes
// it (tars.loadconfig through tarsconfig), sees the server's events (tarsnotify), and writes
// screenshots of the main pages.
//
// Without playwright-core in <build>/web (tests/web/setup.sh <build>) or without
// /usr/bin/chromium the test is skipped and says why. Every wait polls with a deadline.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "AdminTestSupport.h"
#include "Hello.h"
#include "NodeTestSupport.h"
#include "servant/Communicator.h"
#include "util/tc_file.h"

using namespace tars;
using namespace tars::test;

namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kPassword = "browser-test-pw-1";

bool pollUntil(const std::function<bool()>& pred, int timeoutMs = 30000) {
    const int64_t deadline = nowMs() + timeoutMs;
    while (!pred()) {
        if (nowMs() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
}

std::string deploySection(const std::string& app, const std::string& server, const std::string& exe,
                          const std::string& obj, int port, const std::string& protocol, const std::string& profile) {
    const std::string servant = app + "." + server + "." + obj;
    return "<deploy>\n  app = " + app + "\n  server = " + server + "\n  node = node1\n  executable = " + exe +
           "\n  <profile>\n    <tars>\n" + profile + "    </tars>\n  </profile>\n  <adapters>\n    <" + servant +
           "Adapter>\n      endpoint = tcp -h 127.0.0.1 -p " + std::to_string(port) +
           " -t 60000\n      servant = " + servant + "\n      protocol = " + protocol + "\n      threads = 2\n    </" +
           servant + "Adapter>\n  </adapters>\n</deploy>\n";
}

class WebBrowser : public ::testing::Test {
protected:
    void SetUp() override {
        if (!TC_File::isFileExist(std::string(WEB_TEST_DIR) + "/node_modules/playwright-core/package.json")) {
            GTEST_SKIP() << "playwright-core is not installed in " << WEB_TEST_DIR
                         << " (run tests/web/setup.sh with the build directory)";
        }
        if (::access(kChromium, X_OK) != 0) GTEST_SKIP() << kChromium << " is missing (apt-get install chromium)";
        store = db.open();
        registry = std::make_unique<RegistryProcess>(db);
        ASSERT_TRUE(registry->start()) << registry->process().output();
        node = std::make_unique<NodeProcess>(*registry);
        ASSERT_TRUE(node->start()) << node->process().output();
        ASSERT_TRUE(pollUntil([&] { return admin({"nodes"}).out.find("node1") != std::string::npos; }));
    }

    std::string locator() const { return "tars.tarsregistry.QueryObj@" + registry->queryEndpoint(); }

    CommandResult admin(std::vector<std::string> args, int timeoutMs = 60000) {
        args.insert(args.begin(), "--locator=" + locator());
        return runCommand(TARSADMIN_PATH, args, db.dir(), timeoutMs);
    }

    void deploy(const std::string& name, const std::string& sections) {
        std::string path = db.dir() + "/" + name + ".deploy";
        TC_File::save2file(path, sections);
        auto r = admin({"deploy", path, "--wait=30"});
        ASSERT_EQ(r.status, 0) << r.out << r.err << node->process().log();
    }

    TestDatabase db{"sqlite"};
    std::unique_ptr<RegistryStore> store;
    std::unique_ptr<RegistryProcess> registry;
    std::unique_ptr<NodeProcess> node;
    ReservedPort helloPort, webPort, configPort, notifyPort;
};

TEST_F(WebBrowser, LogInSeeHelloServerActiveRestartItAndSeeItsPidChange) {
    // tarsconfig serves the registry's store: HelloServer loads its config files from it.
    deploy("config",
           deploySection("tars", "tarsconfig", TARS_CONFIG_PATH, "ConfigObj", configPort, "tars", db.configSection()));
    // tarsnotify keeps the servers' events, which the console lists.
    deploy("notify", deploySection("tars", "tarsnotify", TARS_NOTIFY_PATH, "NotifyObj", notifyPort, "tars",
                                   "      <db>\n        dbpath = " + db.dir() + "/tars_notify.sqlite\n      </db>\n"));
    RegistryClient client(registry->queryPort(), registry->registryPort());
    for (const char* object : {"tars.tarsconfig.ConfigObj", "tars.tarsnotify.NotifyObj"}) {
        ASSERT_TRUE(pollUntil([&] { return !client.findObjectById(object).empty(); })) << object;
    }
    deploy("hello", deploySection("TestApp", "HelloServer", HELLO_SERVER_PATH, "HelloObj", helloPort, "tars", ""));
    TC_File::save2file(db.dir() + "/hello.conf", "<hello>\n  greeting = hello\n</hello>\n");
    auto put = admin({"config", "put", "TestApp.HelloServer", db.dir() + "/hello.conf"});
    ASSERT_EQ(put.status, 0) << put.out << put.err;
    deploy("web", deploySection("tars", "tarsweb", TARSWEB_PATH, "WebObj", webPort, "http", ""));

    auto set = runCommand("/bin/sh",
                          {"-c", std::string("printf '%s\\n' '") + kPassword + "' | '" + TARSADMIN_PATH +
                                     "' '--locator=" + locator() + "' web-password"},
                          db.dir());
    ASSERT_EQ(set.status, 0) << set.out << set.err;

    const std::string screenshots = std::string(WEB_TEST_DIR) + "/screenshots";
    TC_File::makeDirRecursive(screenshots);
    const std::string command =
        "cd '" + std::string(WEB_TEST_DIR) + "' && TARSWEB_URL=http://127.0.0.1:" + std::to_string(webPort.port()) +
        "/ TARSWEB_USER=admin TARSWEB_PASSWORD='" + kPassword + "' TARSWEB_SCREENSHOTS='" + screenshots +
        "' CHROMIUM='" + kChromium + "' NODE_PATH='" + WEB_TEST_DIR + "/node_modules' node '" + BROWSER_SCRIPT + "'";
    auto run = runCommand("/bin/sh", {"-c", command}, db.dir(), 180000);
    EXPECT_EQ(run.status, 0) << "stdout:\n" << run.out << "stderr:\n" << run.err;
    EXPECT_NE(run.out.find("pid changed"), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("refused: "), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("all steps passed"), std::string::npos) << run.out;
}

// The observation views (tests/web/observe.test.js): tarsstat, tarsproperty and their query
// services (one SQLite file each, stored every second), HelloServer reporting every second
// and tarsweb, all deployed with tarsadmin. After calls to HelloServer the page's stat chart
// of testHello draws points, its log tail shows lines, and the nodes page shows node1 with a
// recent heartbeat.
TEST_F(WebBrowser, StatChartDrawsPointsAfterCallsLogTailShowsLinesAndNodesPageShowsNode1) {
    const std::string monitor = db.dir() + "/monitor";
    TC_File::makeDirRecursive(monitor);
    auto storeProfile = [&](const std::string& file, bool interval) {
        std::string text = "      <db>\n        dbpath = " + monitor + "/" + file + "\n      </db>\n";
        if (interval) text += "      <hashmap>\n        insertIntervalSeconds = 1\n      </hashmap>\n";
        return text;
    };
    ReservedPort statPort, queryStatPort, propertyPort, queryPropertyPort;
    deploy("observability", deploySection("tars", "tarsstat", TARS_STAT_PATH, "StatObj", statPort, "tars",
                                          storeProfile("tars_stat.sqlite", true)) +
                                deploySection("tars", "tarsquerystat", TARS_QUERY_PATH, "QueryObj", queryStatPort,
                                              "tars", storeProfile("tars_stat.sqlite", false)) +
                                deploySection("tars", "tarsproperty", TARS_PROPERTY_PATH, "PropertyObj", propertyPort,
                                              "tars", storeProfile("tars_property.sqlite", true)) +
                                deploySection("tars", "tarsqueryproperty", TARS_QUERY_PATH, "QueryObj",
                                              queryPropertyPort, "tars", storeProfile("tars_property.sqlite", false)));
    RegistryClient client(registry->queryPort(), registry->registryPort());
    for (const char* object : {"tars.tarsstat.StatObj", "tars.tarsquerystat.QueryObj", "tars.tarsproperty.PropertyObj",
                               "tars.tarsqueryproperty.QueryObj"}) {
        ASSERT_TRUE(pollUntil([&] { return !client.findObjectById(object).empty(); })) << object;
    }
    // HelloServer reports its served calls every second (the default template names tarsstat).
    deploy("hello", deploySection("TestApp", "HelloServer", HELLO_SERVER_PATH, "HelloObj", helloPort, "tars",
                                  "      <application>\n        <client>\n          report-interval = 1000\n"
                                  "        </client>\n      </application>\n"));
    deploy("web", deploySection("tars", "tarsweb", TARSWEB_PATH, "WebObj", webPort, "http", ""));
    auto set = runCommand("/bin/sh",
                          {"-c", std::string("printf '%s\\n' '") + kPassword + "' | '" + TARSADMIN_PATH +
                                     "' '--locator=" + locator() + "' web-password"},
                          db.dir());
    ASSERT_EQ(set.status, 0) << set.out << set.err;

    {
        Communicator caller;
        caller.setProperty("locator", locator());
        auto hello = caller.stringToProxy<TestApp::HelloPrx>("TestApp.HelloServer.HelloObj");
        for (int i = 0; i < 10; ++i) {
            std::string rsp;
            ASSERT_EQ(hello->testHello("charted call " + std::to_string(i), rsp), 0);
        }
        caller.terminate();
    }

    const std::string screenshots = std::string(WEB_TEST_DIR) + "/screenshots";
    TC_File::makeDirRecursive(screenshots);
    const std::string command =
        "cd '" + std::string(WEB_TEST_DIR) + "' && TARSWEB_URL=http://127.0.0.1:" + std::to_string(webPort.port()) +
        "/ TARSWEB_USER=admin TARSWEB_PASSWORD='" + kPassword + "' TARSWEB_SCREENSHOTS='" + screenshots +
        "' CHROMIUM='" + kChromium + "' NODE_PATH='" + WEB_TEST_DIR + "/node_modules' node '" + OBSERVE_SCRIPT + "'";
    auto run = runCommand("/bin/sh", {"-c", command}, db.dir(), 180000);
    EXPECT_EQ(run.status, 0) << "stdout:\n" << run.out << "stderr:\n" << run.err;
    EXPECT_NE(run.out.find("stat chart points: "), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("all steps passed"), std::string::npos) << run.out;
}

}  // namespace

// The deploy form, publish and rollback (tests/web/publish.test.js): a tarspatch beside the
// registry and node; tarsweb uploads to it. The browser deploys TestApp.HelloServer from the
// form (first refused with tarsadmin's message, then taken), publishes HelloServer.tgz twice
// with the progress bar and sees the version column follow, and rolls back to the first.
TEST_F(WebBrowser, DeployFromTheFormPublishWithProgressAndRollBack) {
    ReservedPort patchPort, patchAdmin, deployedPort;
    ServerProcess patch{TARSPATCH_PATH};
    patch.writeConfig(
        "<tars>\n  <application>\n    <server>\n      app = tars\n      server = tarspatch\n"
        "      localip = 127.0.0.1\n      logpath = @LOG@\n      datapath = @DIR@/data\n      local = tcp -h 127.0.0.1 "
        "-p " +
        std::to_string(patchAdmin.port()) +
        " -t 60000\n      <tars.tarspatch.PatchObjAdapter>\n        endpoint = tcp -h 127.0.0.1 -p " +
        std::to_string(patchPort.port()) +
        " -t 60000\n        servant = tars.tarspatch.PatchObj\n        threads = 2\n"
        "      </tars.tarspatch.PatchObjAdapter>\n    </server>\n  </application>\n</tars>\n");
    ASSERT_TRUE(patch.start({patchPort, patchAdmin})) << patch.output();
    const std::string patchObj = "tars.tarspatch.PatchObj@tcp -h 127.0.0.1 -p " + std::to_string(patchPort.port());
    deploy("web", deploySection("tars", "tarsweb", TARSWEB_PATH, "WebObj", webPort, "http",
                                "      <web>\n        patchobj = " + patchObj + "\n      </web>\n"));
    auto set = runCommand("/bin/sh",
                          {"-c", std::string("printf '%s\\n' '") + kPassword + "' | '" + TARSADMIN_PATH +
                                     "' '--locator=" + locator() + "' web-password"},
                          db.dir());
    ASSERT_EQ(set.status, 0) << set.out << set.err;

    const std::string screenshots = std::string(WEB_TEST_DIR) + "/screenshots";
    TC_File::makeDirRecursive(screenshots);
    const std::string command = "cd '" + std::string(WEB_TEST_DIR) +
                                "' && TARSWEB_URL=http://127.0.0.1:" + std::to_string(webPort.port()) +
                                "/ TARSWEB_USER=admin TARSWEB_PASSWORD='" + kPassword + "' TARSWEB_SCREENSHOTS='" +
                                screenshots + "' CHROMIUM='" + kChromium + "' PACKAGE='" + HELLO_SERVER_TGZ +
                                "' DEPLOY_PORT=" + std::to_string(deployedPort.port()) + " NODE_PATH='" + WEB_TEST_DIR +
                                "/node_modules' node '" + PUBLISH_SCRIPT + "'";
    auto run = runCommand("/bin/sh", {"-c", command}, db.dir(), 240000);
    EXPECT_EQ(run.status, 0) << "stdout:\n"
                             << run.out << "stderr:\n"
                             << run.err << "node log:\n"
                             << node->process().log();
    EXPECT_NE(run.out.find("refused: "), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("rolled back to "), std::string::npos) << run.out;
    EXPECT_NE(run.out.find("all publish steps passed"), std::string::npos) << run.out;
}
