// tarsnode's config keys: defaults, a TARS node config, bad values named with file and
// key, the node name's sources, and framework/node/README.md against the declared keys.
#include <gtest/gtest.h>

#include "servant/ServerConfig.h"

#include "NodeSettings.h"
#include "util/tc_file.h"

using namespace tars;

namespace {

NodeSettings parse(const std::string& text, const std::string& nodeId = "", const std::string& localIp = "10.0.0.1") {
    TC_Config config;
    config.parseString(text);
    return NodeSettings::fromConfig(config, "tarsnode.conf", nodeId, localIp);
}

std::string keepalive(const std::string& lines) {
    return "<tars>\n<node>\n<keepalive>\n" + lines + "\n</keepalive>\n</node>\n</tars>\n";
}

TEST(NodeSettings, EmptyConfigGivesTheDeclaredDefaults) {
    auto s = parse("<tars>\n</tars>\n");
    EXPECT_EQ(s.registryObj, "tars.tarsregistry.RegistryObj");
    EXPECT_EQ(s.nodeName, "10.0.0.1");
    EXPECT_EQ(s.heartTimeoutSeconds, 45);
    EXPECT_EQ(s.monitorIntervalSeconds, 2);
    EXPECT_EQ(s.reportAliveIntervalSeconds, 10);
    EXPECT_EQ(s.synStatIntervalSeconds, 60);
    EXPECT_EQ(s.serverKeepAliveIntervalMs, 0);
    EXPECT_EQ(s.activatorMaxCount, 10);
    EXPECT_EQ(s.activatorTimeIntervalSeconds, 60);
    EXPECT_EQ(s.activatorPunishIntervalSeconds, 600);
    EXPECT_EQ(s.drainWaitMs, 6000);
}

TEST(NodeSettings, TarsNodeConfigSectionsAreRead) {
    auto s = parse(
        "<tars>\n<node>\nregistryObj = tars.tarsregistry.RegistryObj@tcp -h 10.0.0.9 -p 17891\ndrainWait = 0\n"
        "<keepalive>\nheartTimeout = 30\nmonitorInterval = 5\nreportAliveInterval = 20\nsynStatInterval = 120\n"
        "serverKeepAliveInterval = 2000\n</keepalive>\n</node>\n"
        "<app_conf>\n<default>\nActivatorMaxCount = 4\nActivatorTimeInterval = 30\n"
        "ActivatorPunishInterval = 90\n</default>\n</app_conf>\n</tars>\n");
    EXPECT_EQ(s.registryObj, "tars.tarsregistry.RegistryObj@tcp -h 10.0.0.9 -p 17891");
    EXPECT_EQ(s.heartTimeoutSeconds, 30);
    EXPECT_EQ(s.monitorIntervalSeconds, 5);
    EXPECT_EQ(s.reportAliveIntervalSeconds, 20);
    EXPECT_EQ(s.synStatIntervalSeconds, 120);
    EXPECT_EQ(s.serverKeepAliveIntervalMs, 2000);
    EXPECT_EQ(s.activatorMaxCount, 4);
    EXPECT_EQ(s.activatorTimeIntervalSeconds, 30);
    EXPECT_EQ(s.activatorPunishIntervalSeconds, 90);
    EXPECT_EQ(s.drainWaitMs, 0);
}

TEST(NodeSettings, NodeNameComesFromNodeIdThenTheConfigThenLocalIp) {
    std::string named = "<tars>\n<node>\nnodename = from-config\n</node>\n</tars>\n";
    EXPECT_EQ(parse(named, "from-argument").nodeName, "from-argument");
    EXPECT_EQ(parse(named).nodeName, "from-config");
    EXPECT_EQ(parse("<tars>\n</tars>\n").nodeName, "10.0.0.1");
}

TEST(NodeSettings, BadValuesNameTheFileTheKeyAndTheRange) {
    auto message = [](const std::string& text) {
        try {
            parse(text);
        } catch (const NodeSettings_Exception& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    std::string m = message(keepalive("monitorInterval = 0"));
    EXPECT_NE(m.find("tarsnode.conf"), std::string::npos) << m;
    EXPECT_NE(m.find("/tars/node/keepalive<monitorInterval>='0'"), std::string::npos) << m;
    EXPECT_NE(m.find("1..10"), std::string::npos) << m;
    EXPECT_NE(message(keepalive("monitorInterval = 11")).find("monitorInterval"), std::string::npos);
    EXPECT_NE(message(keepalive("heartTimeout = soon")).find("<heartTimeout>='soon'"), std::string::npos);
    EXPECT_NE(message(keepalive("serverKeepAliveInterval = 100")).find("500"), std::string::npos);
    EXPECT_NE(message("<tars>\n<node>\ndrainWait = -1\n</node>\n</tars>\n").find("/tars/node<drainWait>='-1'"),
              std::string::npos);
    EXPECT_NE(message("<tars>\n<app_conf>\n<default>\nActivatorMaxCount = 0\n</default>\n</app_conf>\n</tars>\n")
                  .find("/tars/app_conf/default<ActivatorMaxCount>"),
              std::string::npos);
}

TEST(NodeSettings, TheReadmeDocumentsEveryKeyWithItsDefault) {
    std::string readme = TC_File::load2str(NODE_README);
    for (const auto& key : nodeConfigKeys()) {
        std::string row = std::string("| `") + key.name + "` | " + (*key.defaultValue ? key.defaultValue : "");
        EXPECT_NE(readme.find(row), std::string::npos) << key.section << "<" << key.name << "> missing: " << row;
    }
}

TEST(NodeSettings, TheShippedConfigParses) {
    TC_Config config;
    config.parseFile(NODE_CONF);
    auto s = NodeSettings::fromConfig(config, NODE_CONF, "", "127.0.0.1");
    EXPECT_EQ(s.registryObj, "tars.tarsregistry.RegistryObj@tcp -h 127.0.0.1 -p 17891 -t 60000");
    EXPECT_EQ(config.get("/tars/application/server/tars.tarsnode.ServerObjAdapter<endpoint>"),
              "tcp -h 127.0.0.1 -p 19386 -t 60000");
    EXPECT_EQ(config.get("/tars/application/server/tars.tarsnode.NodeObjAdapter<endpoint>"),
              "tcp -h 127.0.0.1 -p 19385 -t 60000");
    EXPECT_EQ(config.get("/tars/application/server<local>"), "tcp -h 127.0.0.1 -p 19387 -t 10000");
    EXPECT_EQ(config.get("/tars/application/client<locator>"),
              "tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p 17890 -t 60000");
}

TEST(NodeSettings, TheShippedConfigHasNoUnknownKey) {
    // The check tarsnode runs at start (Application + NodeServer::configKeyRules()).
    std::vector<ConfigKeyRule> rules = serverConfigKeyRules();
    for (auto& rule : configKeyRulesOf(nodeConfigKeys())) rules.push_back(std::move(rule));
    EXPECT_EQ(checkConfigKeys(NODE_CONF, TC_File::load2str(NODE_CONF), rules), std::vector<std::string>{});
    // and a typo in a section of its own is found
    std::string text =
        TC_File::load2str(NODE_CONF) + "<tars><node><keepalive>\nmonitorIntervl = 2\n</keepalive></node></tars>\n";
    auto problems = checkConfigKeys("tarsnode.conf", text, rules);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(
        problems[0].find("unknown key 'monitorIntervl' in /tars/node/keepalive (did you mean 'monitorInterval'?)"),
        std::string::npos)
        << problems[0];
}

}  // namespace
