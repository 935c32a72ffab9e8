// The registry's endpoint selection (ObjectTable) on hand-made store contents: which
// endpoints are active, and what each QueryF call answers under groups, stations and
// sets. No processes, no database.
#include <gtest/gtest.h>

#include <algorithm>

#include "ObjectTable.h"

using namespace tars;

namespace {

constexpr int64_t kNow = 1'700'000'000;
const std::string kObj = "App.Server.Obj";

struct Builder {
    RegistryData data;

    ServerConf& server(const std::string& node, const std::string& host, int port = 10000) {
        ServerConf s;
        s.application = "App";
        s.serverName = "Server";
        s.nodeName = node;
        s.settingState = "active";
        s.presentState = "active";
        data.servers.push_back(s);
        AdapterConf a;
        a.application = "App";
        a.serverName = "Server";
        a.nodeName = node;
        a.adapterName = "App.Server.ObjAdapter";
        a.servant = kObj;
        a.endpoint = "tcp -h " + host + " -p " + std::to_string(port) + " -t 60000";
        data.adapters.push_back(a);
        return data.servers.back();
    }
    void node(const std::string& name, int64_t lastHeartbeat, const std::string& state = "active") {
        NodeRecord n;
        n.nodeName = name;
        n.presentState = state;
        n.lastHeartbeat = lastHeartbeat;
        data.nodes.push_back(n);
    }
    void rule(int id, const std::string& name, const std::string& allow) {
        GroupRule r;
        r.groupId = id;
        r.groupName = name;
        r.allowIpRule = allow;
        data.groupRules.push_back(r);
    }
    void priority(const std::string& groups, const std::string& station) {
        data.groupPriorities.push_back({static_cast<int>(data.groupPriorities.size()) + 1, "p", groups,
                                        static_cast<int>(data.groupPriorities.size()), station});
    }
    ObjectTable build(ObjectTable::Options options = {}) const { return ObjectTable::build(data, kNow, options); }
};

std::vector<std::string> hosts(const std::vector<EndpointF>& endpoints) {
    std::vector<std::string> out;
    for (const auto& ep : endpoints) out.push_back(ep.host);
    std::sort(out.begin(), out.end());
    return out;
}

using Hosts = std::vector<std::string>;

TEST(ObjectTable, EndpointCarriesTheAdapterEndpointAndItsNode) {
    Builder b;
    b.server("node1", "10.0.0.1", 12345);
    b.data.adapters[0].endpoint = "ssl -h 10.0.0.1 -p 12345 -t 7000 -w 50 -v 1";
    auto eps = b.build().findObjectById(kObj);
    ASSERT_EQ(eps.size(), 1u);
    EXPECT_EQ(eps[0].host, "10.0.0.1");
    EXPECT_EQ(eps[0].port, 12345);
    EXPECT_EQ(eps[0].timeout, 7000);
    EXPECT_EQ(eps[0].istcp, 2);
    EXPECT_EQ(eps[0].weight, 50);
    EXPECT_EQ(eps[0].weightType, 1);
    EXPECT_EQ(eps[0].groupworkid, -1);
    EXPECT_EQ(eps[0].grouprealid, -1);
    EXPECT_EQ(eps[0].nodeName, "node1");
}

TEST(ObjectTable, UdpIsPublishedAndUnixSocketsAreNot) {
    Builder b;
    b.server("node1", "10.0.0.1", 12345);
    b.server("node2", "10.0.0.2", 12346);
    b.data.adapters[0].endpoint = "udp -h 10.0.0.1 -p 12345";
    b.data.adapters[1].endpoint = "unix -h /run/app/hello.sock";
    auto eps = b.build().findObjectById(kObj);
    ASSERT_EQ(eps.size(), 1u);
    EXPECT_EQ(eps[0].host, "10.0.0.1");
    EXPECT_EQ(eps[0].istcp, 0);
}

TEST(ObjectTable, ActiveNeedsSettingPresentAndFlowState) {
    Builder b;
    b.server("n1", "10.0.0.1");
    b.server("n2", "10.0.0.2").settingState = "inactive";
    b.server("n3", "10.0.0.3").presentState = "activating";
    b.server("n4", "10.0.0.4").flowState = "inactive";
    std::vector<EndpointF> active, inactive;
    EXPECT_EQ(b.build().findObjectById4Any(kObj, active, inactive), 0);
    EXPECT_EQ(hosts(active), Hosts{"10.0.0.1"});
    EXPECT_EQ(hosts(inactive), (Hosts{"10.0.0.2", "10.0.0.3", "10.0.0.4"}));
}

TEST(ObjectTable, StandbyInstancesAndBadEndpointsAreLeftOut) {
    Builder b;
    b.server("n1", "10.0.0.1").bakFlag = 1;
    b.server("n2", "10.0.0.2");
    b.server("n3", "10.0.0.3");
    b.data.adapters[2].endpoint = "tcp -h 10.0.0.3 -p notaport";
    std::vector<EndpointF> active, inactive;
    b.build().findObjectById4Any(kObj, active, inactive);
    EXPECT_EQ(hosts(active), Hosts{"10.0.0.2"});
    EXPECT_TRUE(inactive.empty());
}

TEST(ObjectTable, SilentNodeMakesItsServersInactive) {
    Builder b;
    b.server("fresh", "10.0.0.1");
    b.server("silent", "10.0.0.2");
    b.server("down", "10.0.0.3");
    b.server("unmanaged", "10.0.0.4");  // no node row: its own state decides
    b.node("fresh", kNow - 250);
    b.node("silent", kNow - 251);
    b.node("down", kNow, "inactive");
    std::vector<EndpointF> active, inactive;
    b.build({250, 150, false}).findObjectById4Any(kObj, active, inactive);
    EXPECT_EQ(hosts(active), (Hosts{"10.0.0.1", "10.0.0.4"}));
    EXPECT_EQ(hosts(inactive), (Hosts{"10.0.0.2", "10.0.0.3"}));

    // heartbeatoff: node rows are not looked at.
    b.build({250, 150, true}).findObjectById4Any(kObj, active, inactive);
    EXPECT_EQ(active.size(), 4u);
}

TEST(ObjectTable, RegistryRowsAnswerForTheRegistryObjects) {
    Builder b;
    b.data.registries.push_back(
        {"10.0.0.1:17890", "tars.tarsregistry.QueryObj", "tcp -h 10.0.0.1 -p 17890", kNow, "active", "", "N"});
    b.data.registries.push_back(
        {"10.0.0.2:17890", "tars.tarsregistry.QueryObj", "tcp -h 10.0.0.2 -p 17890", kNow - 151, "active", "", "N"});
    b.data.registries.push_back(
        {"10.0.0.3:17890", "tars.tarsregistry.QueryObj", "tcp -h 10.0.0.3 -p 17890", kNow, "inactive", "", "N"});
    std::vector<EndpointF> active, inactive;
    b.build({250, 150, false}).findObjectById4Any("tars.tarsregistry.QueryObj", active, inactive);
    EXPECT_EQ(hosts(active), Hosts{"10.0.0.1"});
    EXPECT_EQ(hosts(inactive), (Hosts{"10.0.0.2", "10.0.0.3"}));
}

TEST(ObjectTable, UnknownObjectHasNoEndpoints) {
    Builder b;
    b.server("n1", "10.0.0.1");
    std::vector<EndpointF> active{EndpointF{}}, inactive{EndpointF{}};
    auto table = b.build();
    EXPECT_EQ(table.findObjectById4Any("Other.Server.Obj", active, inactive), 0);
    EXPECT_TRUE(active.empty());
    EXPECT_TRUE(inactive.empty());
    EXPECT_TRUE(table.findObjectById("Other.Server.Obj").empty());
}

TEST(ObjectTable, GroupsComeFromIpRulesOrTheServersGroupName) {
    Builder b;
    b.rule(1, "sz", "10.0.0.*|192.168.1.7");
    b.rule(2, "sh", "10.1.0.*");
    b.server("n1", "10.0.0.1").enableGroup = "Y";
    b.server("n2", "10.1.0.1");  // grouping off: groupworkid -1, grouprealid still 2
    auto& named = b.server("n3", "172.16.0.1");
    named.enableGroup = "Y";
    named.ipGroupName = "sh";
    auto table = b.build();
    EXPECT_EQ(table.groupIdOf("192.168.1.7"), 1);
    EXPECT_EQ(table.groupIdOf("192.168.1.70"), -1);
    std::vector<EndpointF> active, inactive;
    table.findObjectById4Any(kObj, active, inactive);
    ASSERT_EQ(active.size(), 3u);
    std::sort(active.begin(), active.end(), [](const auto& a, const auto& b) { return a.host < b.host; });
    EXPECT_EQ(active[0].host, "10.0.0.1");
    EXPECT_EQ(active[0].grouprealid, 1);
    EXPECT_EQ(active[0].groupworkid, 1);
    EXPECT_EQ(active[1].grouprealid, 2);
    EXPECT_EQ(active[1].groupworkid, -1);
    EXPECT_EQ(active[2].host, "172.16.0.1");
    EXPECT_EQ(active[2].grouprealid, 2);
    EXPECT_EQ(active[2].groupworkid, 2);
}

TEST(ObjectTable, CallerWithoutGroupGetsEveryEndpoint) {
    Builder b;
    b.rule(1, "sz", "10.0.0.*");
    b.server("n1", "10.0.0.1").enableGroup = "Y";
    b.server("n2", "10.1.0.1");
    std::vector<EndpointF> active, inactive;
    EXPECT_EQ(b.build().findObjectByIdInSameGroup(kObj, "172.16.0.9", active, inactive), 0);
    EXPECT_EQ(active.size(), 2u);
}

TEST(ObjectTable, CallerGetsItsOwnGroupFirst) {
    Builder b;
    b.rule(1, "sz", "10.0.0.*");
    b.rule(2, "sh", "10.1.0.*");
    b.server("n1", "10.0.0.1").enableGroup = "Y";
    b.server("n2", "10.1.0.1").enableGroup = "Y";
    b.server("n3", "10.2.0.1");
    std::vector<EndpointF> active, inactive;
    b.build().findObjectByIdInSameGroup(kObj, "10.1.0.200", active, inactive);
    EXPECT_EQ(hosts(active), Hosts{"10.1.0.1"});
}

TEST(ObjectTable, WithoutActiveEndpointsInItsGroupCallerFallsBackByPriorityThenUngroupedThenAll) {
    Builder b;
    b.rule(1, "sz", "10.0.0.*");
    b.rule(2, "sh", "10.1.0.*");
    b.rule(3, "bj", "10.2.0.*");
    auto& own = b.server("n1", "10.0.0.1");
    own.enableGroup = "Y";
    own.presentState = "inactive";  // the caller's group has no active endpoint
    b.server("n2", "10.1.0.1").enableGroup = "Y";
    b.server("n3", "10.2.0.1").enableGroup = "Y";
    b.server("n4", "10.3.0.1");  // ungrouped
    b.priority("3", "north");    // does not hold the caller's group 1
    b.priority("1|2", "south");  // holds it: groups 1 and 2
    std::vector<EndpointF> active, inactive;
    b.build().findObjectByIdInSameGroup(kObj, "10.0.0.9", active, inactive);
    EXPECT_EQ(hosts(active), Hosts{"10.1.0.1"});
    EXPECT_EQ(hosts(inactive), Hosts{"10.0.0.1"});

    b.data.groupPriorities.clear();  // no priority list: the ungrouped endpoints
    b.build().findObjectByIdInSameGroup(kObj, "10.0.0.9", active, inactive);
    EXPECT_EQ(hosts(active), Hosts{"10.3.0.1"});

    b.data.servers[3].presentState = "inactive";  // nothing ungrouped either: everything
    b.build().findObjectByIdInSameGroup(kObj, "10.0.0.9", active, inactive);
    EXPECT_EQ(hosts(active), (Hosts{"10.1.0.1", "10.2.0.1"}));
    EXPECT_EQ(hosts(inactive), (Hosts{"10.0.0.1", "10.3.0.1"}));
}

TEST(ObjectTable, StationSelectsTheGroupsOfItsPriorityRow) {
    Builder b;
    b.rule(1, "sz", "10.0.0.*");
    b.rule(2, "sh", "10.1.0.*");
    b.server("n1", "10.0.0.1");  // grouping off: the station uses grouprealid
    b.server("n2", "10.1.0.1");
    b.priority("2", "shanghai");
    auto table = b.build();
    std::vector<EndpointF> active, inactive;
    EXPECT_EQ(table.findObjectByIdInSameStation(kObj, "shanghai", active, inactive), 0);
    EXPECT_EQ(hosts(active), Hosts{"10.1.0.1"});
    EXPECT_EQ(table.findObjectByIdInSameStation(kObj, "atlantis", active, inactive), -1);
    EXPECT_TRUE(active.empty());
}

class SetTable : public ::testing::Test {
protected:
    void SetUp() override {
        set("n1", "10.0.0.1", "app", "sz", "1");
        set("n2", "10.0.0.2", "app", "sz", "2");
        set("n3", "10.0.0.3", "app", "sz", "*");
        set("n4", "10.0.0.4", "app", "sh", "1");
        b.server("n5", "10.0.0.5");  // not in a set
    }
    void set(const std::string& node, const std::string& host, const std::string& name, const std::string& area,
             const std::string& group) {
        auto& s = b.server(node, host);
        s.enableSet = "Y";
        s.setName = name;
        s.setArea = area;
        s.setGroup = group;
    }
    int find(const std::string& setId) { return b.build().findObjectByIdInSameSet(kObj, setId, "", active, inactive); }

    Builder b;
    std::vector<EndpointF> active, inactive;
};

TEST_F(SetTable, ExactSetIsAnswered) {
    EXPECT_EQ(find("app.sz.2"), 0);
    EXPECT_EQ(hosts(active), Hosts{"10.0.0.2"});
    EXPECT_EQ(active[0].setId, "app.sz.2");
}

TEST_F(SetTable, UnknownGroupFallsBackToTheAreasWildcardGroup) {
    EXPECT_EQ(find("app.sz.9"), 0);
    EXPECT_EQ(hosts(active), Hosts{"10.0.0.3"});
}

TEST_F(SetTable, WildcardGroupAnswersTheWholeArea) {
    EXPECT_EQ(find("app.sz.*"), 0);
    EXPECT_EQ(hosts(active), (Hosts{"10.0.0.1", "10.0.0.2", "10.0.0.3"}));
}

TEST_F(SetTable, AreaWithoutEndpointsIsMinusOne) {
    EXPECT_EQ(find("app.bj.1"), -1);
    EXPECT_TRUE(active.empty());
    EXPECT_TRUE(inactive.empty());
}

TEST_F(SetTable, MalformedSetIdIsMinusOne) {
    EXPECT_EQ(find("app.sz"), -1);
    EXPECT_EQ(find("*.sz.1"), -1);
    EXPECT_EQ(find("app.*.1"), -1);
    EXPECT_EQ(find("a.b.c.d"), -1);
}

TEST_F(SetTable, UnknownSetNameFallsBackToGroups) {
    EXPECT_EQ(find("other.sz.1"), 0);
    EXPECT_EQ(active.size(), 5u);
}

TEST_F(SetTable, InactiveSetMembersStayInTheInactiveList) {
    b.data.servers[1].presentState = "inactive";  // app.sz.2
    EXPECT_EQ(find("app.sz.2"), 0);
    EXPECT_TRUE(active.empty());
    EXPECT_EQ(hosts(inactive), Hosts{"10.0.0.2"});
}

TEST(ObjectTable, InvalidSetDivisionIsNotASet) {
    Builder b;
    auto& s = b.server("n1", "10.0.0.1");
    s.enableSet = "Y";
    s.setName = "*";
    s.setArea = "sz";
    s.setGroup = "1";
    std::vector<EndpointF> active, inactive;
    // The set name '*' is refused as a set: the object has no set, groups decide.
    EXPECT_EQ(b.build().findObjectByIdInSameSet(kObj, "app.sz.1", "", active, inactive), 0);
    EXPECT_EQ(active.size(), 1u);
}

}  // namespace
