// Set routing (issue 23 point 1, TARS-FACTS 1.7, 4.2): HelloServers in two sets and in
// none, found through a real tarsregistry by clients in each set, and the servers'
// checkset answer to set calls from elsewhere.
#include <gtest/gtest.h>

#include <ctime>

#include "Hello.h"
#include "RegistryTestSupport.h"
#include "servant/CallException.h"
#include "servant/SetDivision.h"
#include "util/tc_common.h"

using namespace tars;
using namespace tars::test;

namespace {

const std::string kHelloObj = "TestApp.HelloServer.HelloObj";
const std::string kAdapter = "TestApp.HelloServer.HelloObjAdapter";

// The lines of /tars/application that put a server in set (none when set is "").
std::string setLines(const std::string& enable, const std::string& set) {
    if (enable.empty()) return "";
    return "    enableset=" + enable + "\n    setdivision=" + set + "\n";
}

// One HelloServer process, in set (or in none), with its admin port for tars.viewstatus.
struct Hello {
    ReservedPort port, admin;
    ServerProcess process{HELLO_SERVER_PATH};

    bool start(const std::string& set, const std::string& serverExtra = "", const std::string& enable = "y") {
        AdapterSpec adapter;
        adapter.name = kAdapter;
        adapter.servant = kHelloObj;
        adapter.port = port.port();
        process.writeConfig(makeConfig("TestApp", "HelloServer", admin.port(), {adapter}, serverExtra,
                                       set.empty() ? "" : setLines(enable, set)));
        return process.start({port.port(), admin.port()});
    }
    // Requests the adapter has taken so far.
    long requests() {
        return std::stol("0" + statusValue(adminNotify(admin.port(), "tars.viewstatus"), kAdapter, "req.total"));
    }
    long refusedBySet() {
        return std::stol("0" +
                         statusValue(adminNotify(admin.port(), "tars.viewstatus"), kAdapter, "req.refused.invalidset"));
    }
    std::string direct() const { return kHelloObj + "@tcp -h 127.0.0.1 -p " + std::to_string(port.port()); }
};

// The registry's row of a HelloServer instance on node, in set "name.area.group" or none.
void seed(RegistryStore& store, const std::string& node, int port, const std::string& set) {
    ServerConf s;
    s.application = "TestApp";
    s.serverName = "HelloServer";
    s.nodeName = node;
    s.settingState = "active";
    s.presentState = "active";
    if (!set.empty()) {
        auto parts = TC_Common::sepstr(set, ".", true);
        s.enableSet = "Y";
        s.setName = parts.at(0);
        s.setArea = parts.at(1);
        s.setGroup = parts.at(2);
    }
    AdapterConf a;
    a.adapterName = kAdapter;
    a.servant = kHelloObj;
    a.endpoint = "tcp -h 127.0.0.1 -p " + std::to_string(port) + " -t 60000";
    store.deployServer(s, {a}, static_cast<int64_t>(::time(nullptr)));
}

// Makes n calls through prx; the number that succeeded.
int callTimes(const TestApp::HelloPrx& prx, int n) {
    int ok = 0;
    for (int i = 0; i < n; ++i) {
        std::string rsp;
        try {
            if (prx->testHello("hi", rsp) == 0 && rsp == "hi") ++ok;
        } catch (const TarsCallException&) {
        }
    }
    return ok;
}

// The code a call through prx ends with (0: success).
int callCode(const TestApp::HelloPrx& prx) {
    try {
        std::string rsp;
        prx->testHello("hi", rsp);
        return 0;
    } catch (const TarsCallException& e) {
        return e.getErrCode();
    }
}

}  // namespace

TEST(SetDivision, ValidDivisionsHaveThreePartsAndNoWildcardNameOrArea) {
    EXPECT_EQ(SetDivision::invalidReason("app.sz.1"), "");
    EXPECT_EQ(SetDivision::invalidReason("app.sz.*"), "");
    EXPECT_NE(SetDivision::invalidReason("app.sz"), "");
    EXPECT_NE(SetDivision::invalidReason("app.sz.1.2"), "");
    EXPECT_NE(SetDivision::invalidReason("app..1"), "");
    EXPECT_NE(SetDivision::invalidReason("*.sz.1"), "");
    EXPECT_NE(SetDivision::invalidReason("app.*.1"), "");
    std::string why;
    EXPECT_EQ(SetDivision::fromConfig("y", "app.sz.1", why), "app.sz.1");
    EXPECT_EQ(why, "");
    EXPECT_EQ(SetDivision::fromConfig("n", "app.sz.1", why), "");
    EXPECT_EQ(why, "");
    EXPECT_EQ(SetDivision::fromConfig("Y", "app.*.1", why), "");
    EXPECT_NE(why.find("cannot be '*'"), std::string::npos) << why;
    EXPECT_EQ(SetDivision::fromConfig("y", "NULL", why), "");
    EXPECT_NE(why, "");
}

TEST(SetDivision, CheckSetAcceptsTheSameSetTheSameAreaAndOtherSetNames) {
    EXPECT_TRUE(SetDivision::acceptsCaller("app.sz.1", "app.sz.1"));
    EXPECT_TRUE(SetDivision::acceptsCaller("app.sz.1", "app.sz.2"));
    EXPECT_TRUE(SetDivision::acceptsCaller("app.sz.1", "app.sz.*"));
    EXPECT_TRUE(SetDivision::acceptsCaller("app.sz.1", "other.sh.1"));
    EXPECT_FALSE(SetDivision::acceptsCaller("app.sz.1", "app.sh.1"));
    EXPECT_FALSE(SetDivision::acceptsCaller("app.sz.1", "app.sh.2"));
    // An empty value is a set of another name for TarsCpp (a missing key is refused apart).
    EXPECT_TRUE(SetDivision::acceptsCaller("app.sz.1", ""));
}

TEST(SetRouting, ClientsInTwoSetsReachOnlyTheirSetsServersThroughTheRegistry) {
    TestDatabase db("sqlite");
    auto store = db.open();
    Hello sz, sh, none;
    ASSERT_TRUE(sz.start("app.sz.1")) << sz.process.output();
    ASSERT_TRUE(sh.start("app.sh.1")) << sh.process.output();
    ASSERT_TRUE(none.start("")) << none.process.output();
    seed(*store, "node-sz", sz.port.port(), "app.sz.1");
    seed(*store, "node-sh", sh.port.port(), "app.sh.1");
    seed(*store, "node-none", none.port.port(), "");
    RegistryProcess registry(db);
    ASSERT_TRUE(registry.start()) << registry.process().output();
    const std::string locator = "tars.tarsregistry.QueryObj@" + registry.queryEndpoint();

    struct Case {
        std::string set;
        Hello* own;
    };
    for (const Case& c : {Case{"app.sz.1", &sz}, Case{"app.sh.1", &sh}}) {
        SCOPED_TRACE(c.set);
        long before[3] = {sz.requests(), sh.requests(), none.requests()};
        Communicator comm;
        comm.setProperty("locator", locator);
        comm.setProperty("enableset", "y");
        comm.setProperty("setdivision", c.set);
        auto prx = comm.stringToProxy<TestApp::HelloPrx>(kHelloObj);
        EXPECT_EQ(callTimes(prx, 6), 6);
        EXPECT_EQ(comm.setDivision(), c.set);
        long after[3] = {sz.requests(), sh.requests(), none.requests()};
        Hello* servers[3] = {&sz, &sh, &none};
        for (int i = 0; i < 3; ++i) EXPECT_EQ(after[i] - before[i], servers[i] == c.own ? 6 : 0) << "server " << i;
    }

    // A client in no set gets every endpoint (and sends no set, so nobody checks it).
    {
        long before[3] = {sz.requests(), sh.requests(), none.requests()};
        Communicator comm;
        comm.setProperty("locator", locator);
        auto prx = comm.stringToProxy<TestApp::HelloPrx>(kHelloObj);
        EXPECT_EQ(callTimes(prx, 9), 9);
        long after[3] = {sz.requests(), sh.requests(), none.requests()};
        for (int i = 0; i < 3; ++i) EXPECT_GT(after[i] - before[i], 0) << "server " << i;
    }

    // A set name the registry has no rows of: the same-group rule, every endpoint; its set
    // calls are accepted by the set servers (another set name).
    {
        long before[3] = {sz.requests(), sh.requests(), none.requests()};
        Communicator comm;
        comm.setProperty("locator", locator);
        comm.setProperty("enableset", "y");
        comm.setProperty("setdivision", "other.gz.1");
        auto prx = comm.stringToProxy<TestApp::HelloPrx>(kHelloObj);
        EXPECT_EQ(callTimes(prx, 9), 9);
        long after[3] = {sz.requests(), sh.requests(), none.requests()};
        for (int i = 0; i < 3; ++i) EXPECT_GT(after[i] - before[i], 0) << "server " << i;
    }
    EXPECT_EQ(sz.refusedBySet(), 0);
    EXPECT_EQ(sh.refusedBySet(), 0);
}

TEST(SetRouting, CheckSetRefusesTheSameSetNameInAnotherAreaWithMinusEleven) {
    Hello sz, unchecked, none;
    ASSERT_TRUE(sz.start("app.sz.1")) << sz.process.output();
    ASSERT_TRUE(unchecked.start("app.sz.1", "      checkset=0\n")) << unchecked.process.output();
    ASSERT_TRUE(none.start("")) << none.process.output();

    Communicator comm;  // in no set itself: each proxy names its set
    auto from = [&](const Hello& server, const std::string& set) {
        return comm.stringToProxy<TestApp::HelloPrx>(server.direct(), set);
    };
    EXPECT_EQ(callCode(from(sz, "app.sz.1")), 0);
    EXPECT_EQ(callCode(from(sz, "app.sz.2")), 0);                                // same name.area
    EXPECT_EQ(callCode(from(sz, "other.sh.1")), 0);                              // another set name
    EXPECT_EQ(callCode(comm.stringToProxy<TestApp::HelloPrx>(sz.direct())), 0);  // no set call
    EXPECT_EQ(callCode(from(sz, "app.sh.1")), TARSINVOKEBYINVALIDESET);
    EXPECT_EQ(callCode(from(unchecked, "app.sh.1")), 0);  // checkset=0
    EXPECT_EQ(callCode(from(none, "app.sh.1")), 0);       // a server in no set checks nothing

    // 0x80 without STATUS_SETNAME_VALUE.
    RawClient raw;
    ASSERT_TRUE(raw.connect(sz.port.port()));
    RequestPacket req = makeRequest(kHelloObj, "testHello", stringArg("hi"), 7);
    req.iMessageType = TARSMESSAGETYPESETNAME;
    ASSERT_TRUE(raw.sendAll(encodeRequest(req)));
    auto rsp = raw.readResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iRet, TARSINVOKEBYINVALIDESET);
    EXPECT_NE(rsp->sResultDesc.find("STATUS_SETNAME_VALUE"), std::string::npos) << rsp->sResultDesc;

    EXPECT_EQ(sz.refusedBySet(), 2);
    EXPECT_EQ(unchecked.refusedBySet(), 0);
    EXPECT_TRUE(eventually([&] { return sz.process.log().find("answered -11") != std::string::npos; }))
        << sz.process.log();
}

TEST(SetRouting, AMalformedSetDivisionTurnsSetRoutingOffWithAWarningNamingTheKey) {
    Hello bad;
    ASSERT_TRUE(bad.start("app.*.1")) << bad.process.output();
    EXPECT_TRUE(eventually([&] {
        return bad.process.log().find("set routing is off: /tars/application<setdivision>") != std::string::npos;
    })) << bad.process.log();
    Communicator comm;
    // Not in a set: nothing is checked.
    EXPECT_EQ(callCode(comm.stringToProxy<TestApp::HelloPrx>(bad.direct(), "app.sh.1")), 0);
    // A client with the same malformed division is in no set (the client says why too).
    Communicator client;
    client.setProperty("enableset", "y");
    client.setProperty("setdivision", "app.sz");
    auto prx = client.stringToProxy<TestApp::HelloPrx>(bad.direct());
    EXPECT_EQ(client.setDivision(), "");
    EXPECT_EQ(prx->tars_set_division(), "");
    EXPECT_EQ(callCode(prx), 0);
    EXPECT_THROW(client.stringToProxy<TestApp::HelloPrx>(bad.direct(), "a.*.b"), Communicator_Exception);
}
