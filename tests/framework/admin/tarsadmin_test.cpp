// tarsadmin as a process against a real tarsregistry (and a FakeNode): the commands an
// operator types, their output and their exit status (0 done, 1 failed, 2 usage or
// invalid file).
#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "AdminTestSupport.h"
#include "RegistryTestSupport.h"
#include "util/tc_common.h"

using namespace tars;
using namespace tars::test;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string describe(const CommandResult& r) {
    return "status " + std::to_string(r.status) + "\nstdout:\n" + r.out + "stderr:\n" + r.err;
}

class TarsAdmin : public ::testing::Test {
protected:
    void SetUp() override {
        db = std::make_unique<TestDatabase>("sqlite");
        store = db->open();
        registry = std::make_unique<RegistryProcess>(*db);
        ASSERT_TRUE(registry->start()) << registry->process().output();
        node = std::make_unique<FakeNode>("127.0.0.1");
        ASSERT_TRUE(node->start()) << node->process().output();
        node->registerIn(*store);
    }
    void TearDown() override {
        node.reset();
        registry.reset();
        store.reset();
        db.reset();
    }

    // tarsadmin --registry=<this registry's AdminRegObj> args...
    CommandResult admin(std::vector<std::string> args) {
        args.insert(args.begin(), "--registry=" + registry->adminRegObj());
        // The fake node starts nothing, so no start can be confirmed (admin_node_test.cpp
        // tests the waiting against a real node).
        args.insert(args.begin(), "--no-wait");
        return runCommand(TARSADMIN_PATH, args, db->dir());
    }

    std::string writeFile(const std::string& name, const std::string& text) {
        std::string path = db->dir() + "/" + name;
        std::ofstream(path, std::ios::binary) << text;
        return path;
    }

    // Line 6 is the first of extra.
    std::string helloDeployFile(int port, const std::string& extra = "") {
        std::string text = "<deploy>\n  app = TestApp\n  server = HelloServer\n  node = 127.0.0.1\n";
        text += std::string("  executable = ") + HELLO_SERVER_PATH + "\n" + extra;
        text += "  <adapters>\n    <HelloObjAdapter>\n";
        text += "      endpoint = tcp -h localip -p " + std::to_string(port) + " -t 60000\n";
        text += "      servant = TestApp.HelloServer.HelloObj\n    </HelloObjAdapter>\n  </adapters>\n</deploy>\n";
        return writeFile("hello.deploy", text);
    }

    std::unique_ptr<TestDatabase> db;
    std::unique_ptr<RegistryStore> store;
    std::unique_ptr<RegistryProcess> registry;
    std::unique_ptr<FakeNode> node;
};

TEST_F(TarsAdmin, DeployListStatusNotifyStopAndUndeploy) {
    ReservedPort port;
    auto r = admin({"deploy", helloDeployFile(port.port())});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "TestApp.HelloServer on 127.0.0.1: stored")) << describe(r);
    EXPECT_TRUE(contains(r.out, "node 127.0.0.1 loaded it")) << describe(r);
    auto adapters = store->listAdapters({"TestApp", "HelloServer", "127.0.0.1"});
    ASSERT_EQ(adapters.size(), 1u);
    EXPECT_EQ(adapters[0].endpoint, "tcp -h 127.0.0.1 -p " + std::to_string(port.port()) + " -t 60000");
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "127.0.0.1"})->exePath, HELLO_SERVER_PATH);

    r = admin({"list"});
    ASSERT_EQ(r.status, 0) << describe(r);
    auto lines = TC_Common::sepstr(r.out, "\n");
    ASSERT_EQ(lines.size(), 2u) << describe(r);
    EXPECT_EQ(lines[0].find("NODE"), lines[1].find("127.0.0.1")) << describe(r);  // aligned columns
    EXPECT_EQ(lines[0].find("SETTING"), lines[1].find("active")) << describe(r);
    EXPECT_EQ(lines[0].find("PRESENT"), lines[1].find("inactive")) << describe(r);
    EXPECT_EQ(lines[1].rfind("TestApp.HelloServer", 0), 0u) << describe(r);

    r = admin({"status", "TestApp.HelloServer"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "setting active, present inactive (registry) / active (node), pid 4242"))
        << describe(r);

    r = admin({"notify", "TestApp.HelloServer", "127.0.0.1", "--", "tars.setloglevel", "INFO"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "fake notified: tars.setloglevel INFO")) << describe(r);

    r = admin({"stop", "TestApp.HelloServer"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_EQ(store->getServer({"TestApp", "HelloServer", "127.0.0.1"})->settingState, "inactive");

    r = admin({"undeploy", "TestApp.HelloServer"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "deleted from the store")) << describe(r);
    EXPECT_TRUE(store->listServers().empty());

    r = admin({"list"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "(no server is deployed)")) << describe(r);
}

TEST_F(TarsAdmin, TheDeployFilesSetIsStoredAndListed) {
    ReservedPort port;
    auto r = admin({"deploy", helloDeployFile(port.port(), "  set = app.sz.1\n")});
    ASSERT_EQ(r.status, 0) << describe(r);
    auto server = store->getServer({"TestApp", "HelloServer", "127.0.0.1"});
    ASSERT_TRUE(server);
    EXPECT_EQ(server->enableSet, "Y");
    EXPECT_EQ(server->setName + "." + server->setArea + "." + server->setGroup, "app.sz.1");

    r = admin({"list"});
    ASSERT_EQ(r.status, 0) << describe(r);
    auto lines = TC_Common::sepstr(r.out, "\n");
    ASSERT_EQ(lines.size(), 2u) << describe(r);
    EXPECT_EQ(lines[0].find(" SET "), lines[1].find(" app.sz.1 ")) << describe(r);

    r = admin({"list", "--json"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "app.sz.1")) << describe(r);
}

TEST_F(TarsAdmin, FindsAdminRegObjThroughTheLocator) {
    auto r = runCommand(TARSADMIN_PATH, {"--locator=tars.tarsregistry.QueryObj@" + registry->queryEndpoint(), "nodes"},
                        db->dir());
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_EQ(r.out, "127.0.0.1\n");
}

TEST_F(TarsAdmin, AnInvalidFileExitsTwoNamingFileLineAndKeyAndDeploysNothing) {
    ReservedPort port;
    std::string path = helloDeployFile(port.port(), "  tempalte = tars.default\n");
    auto r = admin({"deploy", path});
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_TRUE(contains(r.err, path + ":6: unknown key 'tempalte' in <deploy> (did you mean 'template'?)"))
        << describe(r);
    EXPECT_TRUE(contains(r.err, "nothing was deployed")) << describe(r);
    EXPECT_TRUE(store->listServers().empty());
    EXPECT_TRUE(node->calls().empty());
}

TEST_F(TarsAdmin, UsageErrorsExitTwo) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {},
             {"frobnicate"},
             {"stop"},
             {"status", "NoDot"},
             {"deploy"},
             {"notify", "TestApp.HelloServer", "tars.viewstatus"},
             {"--timeout=soon", "list"},
             {"config", "put", "TestApp", "x.conf", "--host", "node-a"},
             {"deploy", "file.conf", "--set", "executabel=x"},
         }) {
        auto r = runCommand(TARSADMIN_PATH, args, db->dir());
        EXPECT_EQ(r.status, 2) << ::testing::PrintToString(args) << describe(r);
        EXPECT_TRUE(contains(r.err, "tarsadmin: ") || contains(r.err, ": ")) << describe(r);
    }
    auto help = runCommand(TARSADMIN_PATH, {"help"}, db->dir());
    EXPECT_EQ(help.status, 0) << describe(help);
    EXPECT_TRUE(contains(help.out, "usage: tarsadmin")) << describe(help);
}

TEST_F(TarsAdmin, FailedOperationsExitOneWithTheCodeAndTheReason) {
    auto r = admin({"start", "TestApp.Nothing"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "TestApp.Nothing is not deployed")) << describe(r);

    r = admin({"start", "TestApp.Nothing", "127.0.0.1"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "(-2): TestApp.Nothing on 127.0.0.1 is not deployed")) << describe(r);

    ReservedPort nobodyListens;
    r = runCommand(TARSADMIN_PATH,
                   {"--registry=tcp -h 127.0.0.1 -p " + std::to_string(nobodyListens.port()), "--timeout=3000", "list"},
                   db->dir());
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(
        r.err, "tars.tarsregistry.AdminRegObj@tcp -h 127.0.0.1 -p " + std::to_string(nobodyListens.port()) + " failed"))
        << describe(r);
    EXPECT_TRUE(contains(r.err, "(code -")) << describe(r);
}

TEST_F(TarsAdmin, ANodeFailureExitsOne) {
    FakeNode failing("node-f", "startServer");
    ASSERT_TRUE(failing.start()) << failing.process().output();
    failing.registerIn(*store);
    ReservedPort port;
    ASSERT_EQ(
        admin({"deploy", helloDeployFile(port.port()), "--set", "node=node-f", "--set", "setting=inactive"}).status, 0);
    auto r = admin({"start", "TestApp.HelloServer"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "start TestApp.HelloServer on node-f failed (-6)")) << describe(r);
    EXPECT_TRUE(contains(r.err, "fake failure of startServer")) << describe(r);
}

TEST_F(TarsAdmin, ConfigFilesGoToTheStoreAtTheirLevel) {
    std::string file = writeFile("hello.conf", "<hello>\n  greeting = hi\n</hello>\n");
    auto r = admin({"config", "put", "TestApp.HelloServer", file});
    ASSERT_EQ(r.status, 0) << describe(r);
    r = admin({"config", "put", "TestApp", file, "--name", "common.conf"});
    ASSERT_EQ(r.status, 0) << describe(r);
    r = admin({"config", "put", "TestApp.HelloServer", file, "--host", "node-a"});
    ASSERT_EQ(r.status, 0) << describe(r);

    auto server = store->listConfigFiles({"TestApp.HelloServer", "hello.conf", "", 2});
    ASSERT_EQ(server.size(), 1u);
    EXPECT_EQ(server[0].config, "<hello>\n  greeting = hi\n</hello>\n");
    EXPECT_EQ(store->listConfigFiles({"TestApp", "common.conf", "", 1}).size(), 1u);
    auto host = store->listConfigFiles({"TestApp.HelloServer", "hello.conf", "node-a", 3});
    ASSERT_EQ(host.size(), 1u);

    // A deployment file's config files are stored with the deployment.
    ReservedPort port;
    std::string path =
        helloDeployFile(port.port(),
                        "  <configfiles>\n    <extra.conf>\n      <content>\n        a = 1\n      </content>\n"
                        "    </extra.conf>\n  </configfiles>\n");
    r = admin({"deploy", path});
    ASSERT_EQ(r.status, 0) << describe(r);
    auto extra = store->listConfigFiles({"TestApp.HelloServer", "extra.conf", "", 2});
    ASSERT_EQ(extra.size(), 1u);
    EXPECT_EQ(extra[0].config, "a = 1\n");
}

}  // namespace

namespace {

TEST_F(TarsAdmin, ConfigFilesAreListedReadAndDeletedAtTheirLevel) {
    std::string content = "<hello>\n  greeting = hi\n</hello>\n# no newline at the end";
    std::string file = writeFile("hello.conf", content);
    ASSERT_EQ(admin({"config", "put", "TestApp.HelloServer", file}).status, 0);
    ASSERT_EQ(admin({"config", "put", "TestApp.HelloServer", file, "--host", "node-a", "--name", "host.conf"}).status,
              0);
    ASSERT_EQ(admin({"config", "put", "TestApp", file, "--name", "common.conf"}).status, 0);

    // list: the server's files and its hosts' copies; the application's apart.
    auto r = admin({"config", "list", "TestApp.HelloServer"});
    ASSERT_EQ(r.status, 0) << describe(r);
    auto lines = TC_Common::sepstr(r.out, "\n");
    ASSERT_EQ(lines.size(), 3u) << describe(r);
    EXPECT_EQ(lines[0].rfind("NAME", 0), 0u) << describe(r);
    EXPECT_TRUE(contains(r.out, "hello.conf")) << describe(r);
    EXPECT_TRUE(contains(r.out, "host.conf")) << describe(r);
    EXPECT_TRUE(contains(r.out, "node-a")) << describe(r);
    EXPECT_FALSE(contains(r.out, "common.conf")) << describe(r);
    r = admin({"config", "list", "TestApp"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "common.conf")) << describe(r);
    EXPECT_FALSE(contains(r.out, "hello.conf")) << describe(r);
    r = admin({"config", "list", "TestApp.HelloServer", "--host", "node-a"});
    EXPECT_TRUE(contains(r.out, "host.conf")) << describe(r);
    EXPECT_FALSE(contains(r.out, "hello.conf")) << describe(r);

    // get: byte for byte, at the level asked for only.
    r = admin({"config", "get", "TestApp.HelloServer", "hello.conf"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_EQ(r.out, content);
    r = admin({"config", "get", "TestApp.HelloServer", "host.conf"});
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_TRUE(contains(r.err, "(-2): no config file host.conf at server level for TestApp.HelloServer"))
        << describe(r);
    r = admin({"config", "get", "TestApp.HelloServer", "host.conf", "--host", "node-a"});
    EXPECT_EQ(r.status, 0) << describe(r);
    EXPECT_EQ(r.out, content);

    // delete: that one file, then it is gone.
    r = admin({"config", "delete", "TestApp.HelloServer", "hello.conf"});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_TRUE(contains(r.out, "deleted config file hello.conf")) << describe(r);
    EXPECT_TRUE(store->listConfigFiles({"TestApp.HelloServer", "hello.conf", "", 2}).empty());
    EXPECT_EQ(store->listConfigFiles({"TestApp.HelloServer", "host.conf", "node-a", 3}).size(), 1u);
    r = admin({"config", "delete", "TestApp.HelloServer", "hello.conf"});
    EXPECT_EQ(r.status, 1) << describe(r);
    r = admin({"config", "get", "TestApp.HelloServer", "hello.conf"});
    EXPECT_EQ(r.status, 1) << describe(r);

    // Usage errors send nothing.
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"config", "list"},
             {"config", "get", "TestApp.HelloServer"},
             {"config", "delete", "TestApp", "common.conf", "--host", "node-a"},
             {"config", "list", "TestApp", "--frob"},
             {"config", "get", "TestApp.HelloServer", "../etc/passwd"},
         }) {
        r = admin(args);
        EXPECT_EQ(r.status, args.back() == "../etc/passwd" ? 1 : 2) << ::testing::PrintToString(args) << describe(r);
    }
}

}  // namespace
