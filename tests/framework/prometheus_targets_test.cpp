// PrometheusTargets: which instances /prometheus/targets lists and with which address and
// labels (the answer Prometheus's http_sd_configs reads).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "PrometheusTargets.h"

using namespace tars;

namespace {

std::string opsProfile(const std::string& ops) {
    return "<tars>\n<application>\n<server>\nops = " + ops + "\n</server>\n</application>\n</tars>\n";
}

ServerConf instance(const std::string& server, const std::string& node, const std::string& ops,
                    const std::string& presentState = "active") {
    ServerConf s;
    s.application = "TestApp";
    s.serverName = server;
    s.nodeName = node;
    s.settingState = "active";
    s.presentState = presentState;
    if (!ops.empty()) s.profile = opsProfile(ops);
    return s;
}

NodeRecord node(const std::string& name, const std::string& ip) {
    NodeRecord n;
    n.nodeName = name;
    n.endpointIp = ip;
    return n;
}

TEST(PrometheusTargets, AnActiveInstanceWithAnOpsEndpointIsATargetWithItsLabels) {
    auto answer = nlohmann::json::parse(prometheusTargetsJson(
        {instance("HelloServer", "node1", "tcp -h localip -p 20003 -t 60000")}, {node("node1", "10.0.0.7")}));
    auto expected = nlohmann::json::parse(R"([{"targets":["10.0.0.7:20003"],
        "labels":{"app":"TestApp","server":"HelloServer","node":"node1","set":""}}])");
    EXPECT_EQ(answer, expected) << answer.dump();
}

TEST(PrometheusTargets, InstancesNotActiveOrWithoutOpsAreLeftOut) {
    std::vector<ServerConf> servers = {
        instance("NoOps", "node1", ""),
        instance("Stopped", "node1", "tcp -h localip -p 20004", "inactive"),
        instance("Starting", "node1", "tcp -h localip -p 20005", "activating"),
        instance("Broken", "node1", "tcp -h localip -p notaport"),
        instance("Served", "node1", "tcp -h localip -p 20006"),
    };
    servers.push_back(instance("BadProfile", "node1", ""));
    servers.back().profile = "<tars>\n<application>\n</tars>\n";
    auto answer = nlohmann::json::parse(prometheusTargetsJson(servers, {node("node1", "10.0.0.7")}));
    ASSERT_EQ(answer.size(), 1u) << answer.dump();
    EXPECT_EQ(answer[0]["labels"]["server"], "Served");
    EXPECT_EQ(prometheusTargetsJson({}, {}), "[]\n");
}

TEST(PrometheusTargets, TheHostFollowsTheEndpoint) {
    const std::vector<NodeRecord> nodes = {node("node1", "10.0.0.7"), node("node2", "")};
    auto address = [&](const std::string& nodeName, const std::string& ops) {
        auto target = prometheusTarget(instance("S", nodeName, ops), nodes);
        return target ? target->address : std::string("(none)");
    };
    EXPECT_EQ(address("node1", "tcp -h ${localip} -p 1"), "10.0.0.7:1");
    EXPECT_EQ(address("node1", "tcp -h 0.0.0.0 -p 2"), "10.0.0.7:2") << "a wildcard: the node's IP";
    EXPECT_EQ(address("node1", "tcp -h 192.168.1.5 -p 3"), "192.168.1.5:3");
    EXPECT_EQ(address("node1", "tcp -p 4"), "127.0.0.1:4") << "no -h listens on loopback";
    EXPECT_EQ(address("node1", "tcp -h ::1 -p 5"), "[::1]:5");
    EXPECT_EQ(address("10.9.9.9", "tcp -h localip -p 6"), "10.9.9.9:6") << "an unregistered node named by IP";
    EXPECT_EQ(address("node2", "tcp -h localip -p 7"), "(none)") << "no IP known for the node";
}

TEST(PrometheusTargets, TheSetLabelIsNameAreaGroup) {
    auto s = instance("S", "node1", "tcp -h localip -p 1");
    s.enableSet = "Y";
    s.setName = "shop";
    s.setArea = "sz";
    s.setGroup = "1";
    auto target = prometheusTarget(s, {node("node1", "10.0.0.7")});
    ASSERT_TRUE(target);
    EXPECT_EQ(target->set, "shop.sz.1");
}

TEST(PrometheusTargets, EntriesAreSortedByAppServerNode) {
    auto answer = nlohmann::json::parse(prometheusTargetsJson(
        {instance("B", "node2", "tcp -h 10.0.0.2 -p 1"), instance("B", "node1", "tcp -h 10.0.0.1 -p 1"),
         instance("A", "node9", "tcp -h 10.0.0.9 -p 1")},
        {}));
    ASSERT_EQ(answer.size(), 3u);
    EXPECT_EQ(answer[0]["targets"][0], "10.0.0.9:1");
    EXPECT_EQ(answer[1]["targets"][0], "10.0.0.1:1");
    EXPECT_EQ(answer[2]["targets"][0], "10.0.0.2:1");
}

}  // namespace
