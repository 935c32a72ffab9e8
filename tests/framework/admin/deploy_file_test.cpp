// The deployment-file reader of tarsadmin (DeployFile, ConfigLineIndex) and the shared
// DeployRules: a full valid file, every kind of error with its file:line and key, the
// example examples/hello/deploy.conf, and framework/admin/README.md's key table.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/tc_config.h"
#include "util/tc_config_line_index.h"
#include "DeployFile.h"
#include "DeployRules.h"

using namespace tars;
using namespace tars::admin;

namespace {

namespace fs = std::filesystem;

// A scratch directory with an executable "bin/HelloServer" and a config file beside it.
class DeployFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "tars_deploy_file_XXXXXX").string();
        std::vector<char> name(pattern.begin(), pattern.end());
        name.push_back('\0');
        ASSERT_NE(::mkdtemp(name.data()), nullptr);
        dir = name.data();
        fs::create_directories(dir + "/bin");
        write("bin/HelloServer", "#!/bin/sh\n");
        ::chmod((dir + "/bin/HelloServer").c_str(), 0755);
        write("bin/NotExecutable", "data\n");
        write("hello.conf", "<hello>\ngreeting = hi\n</hello>\n");
    }
    void TearDown() override {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }

    void write(const std::string& relative, const std::string& text) {
        std::ofstream(dir + "/" + relative, std::ios::binary) << text;
    }

    std::vector<ServerSpec> load(const std::string& text, const std::map<std::string, std::string>& overrides = {}) {
        write("deploy.conf", text);
        return DeployFile::load(dir + "/deploy.conf", overrides);
    }

    // The problems load() reports for text (fails the test when there are none).
    std::vector<std::string> problems(const std::string& text,
                                      const std::map<std::string, std::string>& overrides = {}) {
        try {
            load(text, overrides);
        } catch (const DeployFileError& e) {
            return e.problems();
        }
        ADD_FAILURE() << "no error for:\n" << text;
        return {};
    }

    // Exactly one problem, which starts with "<file>:<line>: " and mentions every part.
    void expectProblem(const std::string& text, int line, const std::vector<std::string>& parts,
                       const std::map<std::string, std::string>& overrides = {}) {
        auto found = problems(text, overrides);
        ASSERT_EQ(found.size(), 1u) << ::testing::PrintToString(found);
        std::string prefix = dir + "/deploy.conf:" + std::to_string(line) + ": ";
        EXPECT_EQ(found[0].rfind(prefix, 0), 0u) << found[0];
        for (const auto& part : parts)
            EXPECT_NE(found[0].find(part), std::string::npos) << found[0] << "\nlacks: " << part;
    }

    std::string dir;
};

// A valid <deploy> section with one adapter; extra lines go in the section, adapterExtra
// in the adapter.
std::string deploySection(const std::string& extra = "", const std::string& adapterExtra = "",
                          const std::string& server = "HelloServer", int port = 20001) {
    // Line numbers without extra lines: <deploy> 1, app 2, server 3, node 4, executable 5,
    // <adapters> 6, <HelloObjAdapter> 7, endpoint 8, servant 9, </deploy> 12.
    std::string text = "<deploy>\n  app = TestApp\n  server = " + server + "\n";
    text += "  node = 127.0.0.1\n  executable = bin/HelloServer\n" + extra;
    text += "  <adapters>\n    <HelloObjAdapter>\n";
    text += "      endpoint = tcp -h localip -p " + std::to_string(port) + " -t 60000\n";
    text += "      servant = TestApp." + server + ".HelloObj\n" + adapterExtra;
    text += "    </HelloObjAdapter>\n  </adapters>\n</deploy>\n";
    return text;
}

TEST_F(DeployFileTest, AFullFileGivesEveryValue) {
    auto specs = load(
        "# the hello server on two nodes\n"
        "<deploy>\n"
        "  app = TestApp\n"
        "  server = HelloServer\n"
        "  node = 10.0.0.2; 10.0.0.3     # two nodes\n"
        "  template = tars.custom\n"
        "  executable = bin/HelloServer\n"
        "  basepath = run/hello\n"
        "  setting = inactive\n"
        "  servertype = tars_cpp\n"
        "  asyncthread = 4\n"
        "  set = gz.sz.1\n"
        "  <profile>\n"
        "    <tars>\n"
        "      <application>\n"
        "        <server>\n"
        "          logLevel = INFO\n"
        "        </server>\n"
        "      </application>\n"
        "    </tars>\n"
        "  </profile>\n"
        "  <adapters>\n"
        "    <HelloObjAdapter>\n"
        "      endpoint = tcp -h localip -p 20001 -t 60000\n"
        "      servant = TestApp.HelloServer.HelloObj\n"
        "      threads = 2\n"
        "      maxconns = 1024\n"
        "      queuecap = 10000\n"
        "      queuetimeout = 5000\n"
        "      protocol = tars\n"
        "      allow = 10.0.0.1;10.0.0.9\n"
        "    </HelloObjAdapter>\n"
        "    <PushObjAdapter>\n"
        "      endpoint = tcp -h 0.0.0.0 -p 20003\n"
        "      servant = TestApp.HelloServer.PushObj\n"
        "      protocol = push\n"
        "    </PushObjAdapter>\n"
        "  </adapters>\n"
        "  <configfiles>\n"
        "    <hello.conf>\n"
        "      file = hello.conf\n"
        "    </hello.conf>\n"
        "    <app.conf>\n"
        "      level = app\n"
        "      <content>\n"
        "        <db>\n"
        "          host = 10.0.0.5\n"
        "        </db>\n"
        "      </content>\n"
        "    </app.conf>\n"
        "    <node.conf>\n"
        "      level = host\n"
        "      host = 10.0.0.3\n"
        "      file = hello.conf\n"
        "    </node.conf>\n"
        "  </configfiles>\n"
        "</deploy>\n"
        "<deploy>\n"
        "  app = TestApp\n"
        "  server = OtherServer\n"
        "  node = 10.0.0.2\n"
        "</deploy>\n");
    ASSERT_EQ(specs.size(), 2u);
    const ServerSpec& s = specs[0];
    EXPECT_EQ(s.line, 2);
    EXPECT_EQ(s.fullName(), "TestApp.HelloServer");
    EXPECT_EQ(s.nodes, (std::vector<std::string>{"10.0.0.2", "10.0.0.3"}));
    EXPECT_EQ(s.templateName, "tars.custom");
    EXPECT_EQ(s.executable, dir + "/bin/HelloServer");
    EXPECT_EQ(s.basepath, dir + "/run/hello");
    EXPECT_EQ(s.setting, "inactive");
    EXPECT_EQ(s.asyncThreads, 4);
    EXPECT_EQ(s.setName + "|" + s.setArea + "|" + s.setGroup, "gz|sz|1");
    EXPECT_EQ(s.profile,
              "<tars>\n  <application>\n    <server>\n      logLevel = INFO\n    </server>\n"
              "  </application>\n</tars>\n");

    ASSERT_EQ(s.adapters.size(), 2u);
    const AdapterSpec& a = s.adapters[0];
    EXPECT_EQ(a.name, "HelloObjAdapter");
    EXPECT_EQ(a.endpoint, "tcp -h localip -p 20001 -t 60000");
    EXPECT_EQ(a.servant, "TestApp.HelloServer.HelloObj");
    EXPECT_EQ(a.threads, 2);
    EXPECT_EQ(a.maxconns, 1024);
    EXPECT_EQ(a.queuecap, 10000);
    EXPECT_EQ(a.queuetimeout, 5000);
    EXPECT_EQ(a.protocol, "tars");
    EXPECT_EQ(a.allow, "10.0.0.1;10.0.0.9");
    const AdapterSpec& push = s.adapters[1];
    EXPECT_EQ(push.protocol, "push");
    EXPECT_EQ(push.threads, 5);  // the defaults of AdminReg's AdapterConf
    EXPECT_EQ(push.maxconns, 10240);
    EXPECT_EQ(push.queuecap, 100000);
    EXPECT_EQ(push.queuetimeout, 600000);

    ASSERT_EQ(s.configFiles.size(), 3u);
    EXPECT_EQ(s.configFiles[0].name, "hello.conf");
    EXPECT_EQ(s.configFiles[0].level, ConfigFileSpec::Level::Server);
    EXPECT_EQ(s.configFiles[0].content, "<hello>\ngreeting = hi\n</hello>\n");
    EXPECT_EQ(s.configFiles[1].level, ConfigFileSpec::Level::App);
    EXPECT_EQ(s.configFiles[1].content, "<db>\n  host = 10.0.0.5\n</db>\n");
    EXPECT_EQ(s.configFiles[2].level, ConfigFileSpec::Level::Host);
    EXPECT_EQ(s.configFiles[2].hosts, std::vector<std::string>{"10.0.0.3"});

    const ServerSpec& other = specs[1];
    EXPECT_EQ(other.line, 58);
    EXPECT_EQ(other.templateName, "tars.default");
    EXPECT_EQ(other.setting, "active");
    EXPECT_TRUE(other.executable.empty());
    EXPECT_TRUE(other.adapters.empty());
}

TEST_F(DeployFileTest, SyntaxErrorsNameTheFileAndLine) {
    expectProblem("<deploy>\n  app = TestApp\n</deplo>\n", 3, {"closing tag </deplo>"});
    expectProblem("<deploy>\n  app = TestApp\n", 1, {"never closed"});
}

TEST_F(DeployFileTest, MissingRequiredKeysAreReportedAtTheirSection) {
    expectProblem("<deploy>\n  app = TestApp\n  node = 127.0.0.1\n</deploy>\n", 1,
                  {"<deploy>", "'server'", "required"});
    auto text = deploySection();
    text.erase(text.find("      servant = "), std::string("      servant = TestApp.HelloServer.HelloObj\n").size());
    expectProblem(text, 7, {"<HelloObjAdapter>", "'servant'", "required"});
    expectProblem("<deploy>\n  app = TestApp\n  server =\n  node = 127.0.0.1\n</deploy>\n", 3, {"'server'", "empty"});
}

TEST_F(DeployFileTest, UnknownKeysAreReportedWithTheClosestKnownKey) {
    expectProblem(deploySection("  tempalte = tars.default\n"), 6,
                  {"unknown key 'tempalte'", "did you mean 'template'"});
    expectProblem(deploySection("", "      endpiont = tcp -h 127.0.0.1 -p 1\n"), 10,
                  {"unknown key 'endpiont'", "<HelloObjAdapter>", "did you mean 'endpoint'"});
    expectProblem(deploySection("  colour = red\n"), 6, {"unknown key 'colour'"});
    expectProblem(deploySection("  <adaptors>\n  </adaptors>\n"), 6, {"unknown section <adaptors>", "'adapters'"});
    expectProblem("app = TestApp\n" + deploySection(), 1, {"'app' outside a <deploy> section"});
    expectProblem(deploySection() + "<deplyo>\n</deplyo>\n", 13, {"section <deplyo>", "did you mean 'deploy'"});
}

TEST_F(DeployFileTest, RepeatedKeysAndSectionsAreReported) {
    expectProblem(deploySection("  node = 10.0.0.1\n"), 6, {"key 'node'", "given twice", "first at line 4"});
    auto text = deploySection();
    text.insert(text.find("  </adapters>"),
                "    <HelloObjAdapter>\n      endpoint = tcp -h 127.0.0.1 -p 2\n"
                "      servant = TestApp.HelloServer.Other\n    </HelloObjAdapter>\n");
    expectProblem(text, 11, {"adapter <HelloObjAdapter> is given twice", "first at line 7"});
}

TEST_F(DeployFileTest, BadNumbersNameTheKeyAndTheRange) {
    expectProblem(deploySection("", "      threads = two\n"), 10,
                  {"key 'threads'", "'two' is not a whole number in 1..1024"});
    expectProblem(deploySection("", "      queuetimeout = -5\n"), 10, {"key 'queuetimeout'", "'-5'"});
    expectProblem(deploySection("  asyncthread = 99999\n"), 6, {"key 'asyncthread'", "0..1024"});
}

TEST_F(DeployFileTest, BadEndpointsAreReportedWithTheEndpointsError) {
    auto text = deploySection();
    text.replace(text.find("tcp -h localip -p 20001 -t 60000"), 32, "tcp -h localip -t 60000");
    expectProblem(text, 8, {"key 'endpoint'", "missing -p port"});
    text = deploySection();
    text.replace(text.find("tcp -h localip"), 14, "pipe -h localip");
    expectProblem(text, 8, {"key 'endpoint'", "protocol must be tcp, udp, ssl or unix"});
    text = deploySection();
    text.replace(text.find("-p 20001"), 8, "-p 0");
    expectProblem(text, 8, {"key 'endpoint'", "port must be in 1..65535"});
    text = deploySection();
    text.replace(text.find("tcp -h localip -p 20001"), 23, "unix -h /run/hello.sock");
    expectProblem(text, 8, {"key 'endpoint'", "registry cannot publish it"});
}

TEST_F(DeployFileTest, ServantsMustBelongToTheServer) {
    auto text = deploySection();
    text.replace(text.find("servant = TestApp.HelloServer.HelloObj"), 38, "servant = TestApp.Other.HelloObj");
    expectProblem(text, 9, {"key 'servant'", "must start with 'TestApp.HelloServer.'"});
    text = deploySection();
    text.replace(text.find("servant = TestApp.HelloServer.HelloObj"), 38, "servant = TestApp.HelloServer.");
    expectProblem(text, 9, {"key 'servant'", "object name"});
}

TEST_F(DeployFileTest, AServantOrAPortUsedTwiceInTheFileIsReported) {
    // The same servant in a second adapter of the same server.
    auto text = deploySection();
    text.insert(text.find("  </adapters>"),
                "    <SecondAdapter>\n      endpoint = tcp -h localip -p 20009\n"
                "      servant = TestApp.HelloServer.HelloObj\n    </SecondAdapter>\n");
    expectProblem(text, 13, {"key 'servant'", "already served by adapter <HelloObjAdapter> at line 9"});
    // The same port on the same node, in another <deploy>.
    expectProblem(
        deploySection() + deploySection("", "", "OtherServer", 20001), 20,
        {"key 'endpoint'", "port 20001 on node 127.0.0.1 is already used by adapter <HelloObjAdapter> at line 8"});
    // The same server twice on a node.
    auto found = problems(deploySection() + deploySection("", "", "HelloServer", 20002));
    ASSERT_FALSE(found.empty());
    EXPECT_NE(found.back().find("TestApp.HelloServer on 127.0.0.1 is deployed twice"), std::string::npos)
        << found.back();
}

TEST_F(DeployFileTest, TheExecutableMustExistAndBeExecutable) {
    auto text = deploySection();
    text.replace(text.find("bin/HelloServer"), 15, "bin/Missing");
    expectProblem(text, 5, {"key 'executable'", dir + "/bin/Missing", "does not exist"});
    text = deploySection();
    text.replace(text.find("bin/HelloServer"), 15, "bin/NotExecutable");
    expectProblem(text, 5, {"key 'executable'", "not executable"});
    text = deploySection();
    text.replace(text.find("bin/HelloServer"), 15, "bin");
    expectProblem(text, 5, {"key 'executable'", "not a regular file"});
}

TEST_F(DeployFileTest, OtherValuesAreChecked) {
    expectProblem(deploySection("  setting = running\n"), 6, {"key 'setting'", "active or inactive"});
    expectProblem(deploySection("  servertype = cobol\n"), 6, {"key 'servertype'", "tars_cpp"});
    expectProblem(deploySection("  set = gz.sz\n"), 6, {"key 'set'", "name.area.group"});
    expectProblem(deploySection("  set = gz.*.1\n"), 6, {"key 'set'", "cannot be '*'"});
    auto text = deploySection();
    text.replace(text.find("app = TestApp"), 13, "app = Test.App");
    expectProblem(text, 2, {"key 'app'", "only letters, digits"});
    expectProblem(
        deploySection("  <configfiles>\n    <x.conf>\n      file = nowhere.conf\n    </x.conf>\n  </configfiles>\n"), 8,
        {"key 'file'", "cannot read", "nowhere.conf"});
    expectProblem(
        deploySection("  <configfiles>\n    <x.conf>\n      level = node\n      file = hello.conf\n    </x.conf>\n"
                      "  </configfiles>\n"),
        8, {"key 'level'", "app, server or host"});
    expectProblem(deploySection("  <configfiles>\n    <x.conf>\n    </x.conf>\n  </configfiles>\n"), 7,
                  {"<x.conf>", "needs key 'file' or a <content> section"});
}

TEST_F(DeployFileTest, TheOpsEndpointGoesIntoTheProfile) {
    auto servers = load(deploySection("  ops = tcp -h localip -p 20003 -t 60000\n"));
    ASSERT_EQ(servers.size(), 1u);
    EXPECT_EQ(servers[0].ops, "tcp -h localip -p 20003 -t 60000");
    TC_Config profile;
    profile.parseString(servers[0].profile);
    EXPECT_EQ(profile.get("/tars/application/server<ops>"), "tcp -h localip -p 20003 -t 60000");

    // Beside a profile of the file's, which keeps its own keys.
    std::string withProfile = deploySection("  ops = tcp -h 127.0.0.1 -p 20003\n");
    withProfile.insert(withProfile.find("  <adapters>"),
                       "  <profile>\n    <tars>\n      <application>\n        <server>\n"
                       "          logLevel = INFO\n        </server>\n      </application>\n    </tars>\n"
                       "  </profile>\n");
    servers = load(withProfile);
    ASSERT_EQ(servers.size(), 1u);
    profile.parseString(servers[0].profile);
    EXPECT_EQ(profile.get("/tars/application/server<ops>"), "tcp -h 127.0.0.1 -p 20003");
    EXPECT_EQ(profile.get("/tars/application/server<logLevel>"), "INFO");

    servers = load(deploySection());
    EXPECT_EQ(servers[0].ops, "");
    EXPECT_EQ(servers[0].profile.find("ops"), std::string::npos) << servers[0].profile;
}

TEST_F(DeployFileTest, ABadOpsEndpointIsReportedAtItsLine) {
    expectProblem(deploySection("  ops = tcp -h localip -t 60000\n"), 6, {"key 'ops'", "missing -p port"});
    expectProblem(deploySection("  ops = tcp -h localip -p 0\n"), 6, {"key 'ops'", "port must be in 1..65535"});
    expectProblem(deploySection("  ops = udp -h localip -p 20003\n"), 6, {"key 'ops'", "tcp only"});
    expectProblem(deploySection("  ops = ssl -h localip -p 20003\n"), 6, {"key 'ops'", "tcp only"});
    expectProblem(deploySection("  ops = tcp -h localip -p 20001\n"), 6,
                  {"key 'ops'", "port 20001 on node 127.0.0.1 is already used by adapter <HelloObjAdapter> at line 9"});
    std::string twice = deploySection("  ops = tcp -h localip -p 20003\n");
    twice.insert(twice.find("  <adapters>"),
                 "  <profile>\n    <tars>\n      <application>\n        <server>\n"
                 "          ops = tcp -p 20004\n        </server>\n      </application>\n    </tars>\n"
                 "  </profile>\n");
    expectProblem(twice, 6, {"key 'ops'", "the <profile> sets ops too"});
}

TEST_F(DeployFileTest, EveryProblemOfTheFileIsReportedAtOnce) {
    auto found = problems(deploySection("  setting = running\n  colour = red\n", "      threads = 0\n"));
    EXPECT_EQ(found.size(), 3u) << ::testing::PrintToString(found);
}

TEST_F(DeployFileTest, OverridesReplaceAKeyOfEverySection) {
    fs::create_directories(dir + "/elsewhere");
    auto specs = load(deploySection() + deploySection("", "", "OtherServer", 20002),
                      {{"executable", dir + "/bin/HelloServer"}, {"node", "10.0.0.7"}});
    ASSERT_EQ(specs.size(), 2u);
    for (const auto& s : specs) {
        EXPECT_EQ(s.nodes, std::vector<std::string>{"10.0.0.7"});
        EXPECT_EQ(s.executable, dir + "/bin/HelloServer");
    }
    expectProblem(deploySection(), 1, {"key 'executable' (from --set)", "does not exist"},
                  {{"executable", dir + "/bin/Missing"}});
    try {
        load(deploySection(), {{"exectuable", "x"}});
        FAIL() << "no error";
    } catch (const DeployFileError& e) {
        EXPECT_NE(
            std::string(e.what()).find("--set exectuable=x: unknown key of <deploy> (did you mean 'executable'?)"),
            std::string::npos)
            << e.what();
    }
}

TEST_F(DeployFileTest, AFileThatCannotBeReadIsReported) {
    try {
        DeployFile::load(dir + "/absent.conf");
        FAIL() << "no error";
    } catch (const DeployFileError& e) {
        EXPECT_NE(std::string(e.what()).find(dir + "/absent.conf: cannot open"), std::string::npos) << e.what();
    }
}

TEST_F(DeployFileTest, TheHelloExampleIsValid) {
    auto specs = DeployFile::load(HELLO_DEPLOY_CONF, {{"executable", HELLO_SERVER_PATH}});
    ASSERT_EQ(specs.size(), 1u);
    EXPECT_EQ(specs[0].fullName(), "TestApp.HelloServer");
    EXPECT_EQ(specs[0].nodes, std::vector<std::string>{"127.0.0.1"});
    EXPECT_EQ(specs[0].setting, "active");
    ASSERT_EQ(specs[0].adapters.size(), 1u);
    EXPECT_EQ(specs[0].adapters[0].servant, "TestApp.HelloServer.HelloObj");
    EXPECT_NE(specs[0].adapters[0].endpoint.find("-p 20001"), std::string::npos);
}

TEST(ConfigLineIndex, KeepsEverySectionOpeningAndKeyLine) {
    ConfigLineIndex index("# c\n<a>\n  k = v1 \\= x\n  <b> x = 1 </b>\n</a>\n<a>\n  k = v2\n</a>\n");
    const auto& root = index.section(0);
    ASSERT_EQ(root.children.size(), 2u);  // TC_Config would merge the two <a>
    const auto& first = index.section(root.children[0]);
    EXPECT_EQ(first.openLine, 2);
    EXPECT_EQ(first.closeLine, 5);
    ASSERT_EQ(first.params.size(), 1u);
    EXPECT_EQ(first.params[0].key, "k");
    EXPECT_EQ(first.params[0].value, "v1 = x");
    EXPECT_EQ(first.params[0].line, 3);
    const auto& b = index.section(first.children.at(0));
    EXPECT_EQ(b.params.at(0).line, 4);
    EXPECT_EQ(index.content(first.children.at(0)), " x = 1 ");
    EXPECT_EQ(index.describe(first.children.at(0)), "<a>/<b>");
    EXPECT_EQ(index.section(root.children[1]).params.at(0).line, 7);
}

TEST(DeployRules, EndpointHostsAndNames) {
    EXPECT_EQ(deploy::endpointHost("tcp -h localip -p 1 -t 2"), "localip");
    EXPECT_EQ(deploy::replaceEndpointHost("tcp  -h ${localip} -p 1", "10.0.0.1"), "tcp -h 10.0.0.1 -p 1");
    EXPECT_EQ(deploy::checkEndpoint("tcp -h ${localip} -p 20001 -t 60000"), "");
    EXPECT_NE(deploy::checkEndpoint("tcp -h a -p 1:tcp -h b -p 2").find("one endpoint per adapter"), std::string::npos);
    EXPECT_TRUE(deploy::isIpAddress("10.0.0.1"));
    EXPECT_TRUE(deploy::isIpAddress("::1"));
    EXPECT_FALSE(deploy::isIpAddress("node-a"));
    EXPECT_EQ(deploy::checkServant("A", "S", "A.S.Obj"), "");
    EXPECT_NE(deploy::checkServant("A", "S", "A.S.Obj.X"), "");
    EXPECT_EQ(closestName("endpiont", {"endpoint", "servant"}), "endpoint");
    EXPECT_EQ(closestName("xyz", {"endpoint", "servant"}), "");
}

TEST(DeployFileReadme, ListsEveryKeyWithItsDefault) {
    std::ifstream in(ADMIN_README);
    ASSERT_TRUE(in) << ADMIN_README;
    std::stringstream text;
    text << in.rdbuf();
    const std::string readme = text.str();
    for (const auto& key : deployFileKeys()) {
        std::string row = "| `" + std::string(key.section) + "` | `" + key.name + "` | ";
        auto at = readme.find(row);
        ASSERT_NE(at, std::string::npos) << "README has no row for " << key.section << " " << key.name;
        std::string cell = key.defaultValue == nullptr ? "required"
                           : *key.defaultValue         ? "`" + std::string(key.defaultValue) + "`"
                                                       : "";
        EXPECT_EQ(readme.compare(at + row.size(), cell.size(), cell), 0) << key.section << " " << key.name;
    }
}

}  // namespace
