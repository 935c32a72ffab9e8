// ServerConfigBuilder: where a server lives on the node and the config file the node
// writes for it (generated keys, adapters, macros, the profile on top).
#include <gtest/gtest.h>

#include "NodeException.h"
#include "ServerConfigBuilder.h"
#include "util/tc_config.h"

using namespace tars;

namespace {

NodeContext nodeContext() {
    NodeContext c;
    c.nodeName = "node-7";
    c.localIp = "10.1.2.3";
    c.serverObj = "tars.tarsnode.ServerObj@tcp -h 10.1.2.3 -p 19386 -t 60000";
    c.nodeObj = "tars.tarsnode.NodeObj@tcp -h 10.1.2.3 -p 19385 -t 60000";
    c.locator = "tars.tarsregistry.QueryObj@tcp -h 10.1.2.9 -p 17890";
    c.dataPath = "/srv/node/data/";
    c.logPath = "/srv/node/log/";
    c.serverKeepAliveIntervalMs = 1500;
    return c;
}

ServerDescriptor descriptor() {
    ServerDescriptor d;
    d.application = "Shop";
    d.serverName = "CartServer";
    d.nodeName = "node-7";
    d.asyncThreadNum = 4;
    AdapterDescriptor a;
    a.adapterName = "Shop.CartServer.CartObjAdapter";
    a.threadNum = "3";
    a.endpoint = "tcp -h localip -p 20001 -t 60000";
    a.maxConnections = 2000;
    a.allowIp = "10.;192.168.";
    a.servant = "Shop.CartServer.CartObj";
    a.queuecap = 500;
    a.queuetimeout = 4000;
    a.protocol = "tars";
    d.adapters[a.adapterName] = a;
    return d;
}

TC_Config built(const ServerDescriptor& d, int adminPort = 31234) {
    ServerConfigBuilder builder(nodeContext());
    TC_Config conf;
    conf.parseString(builder.build(d, builder.layout(d), adminPort));
    return conf;
}

TEST(ServerConfigBuilder, LayoutDefaultsUnderTheNodesDataPath) {
    ServerConfigBuilder builder(nodeContext());
    auto l = builder.layout(descriptor());
    EXPECT_EQ(l.id, "Shop.CartServer");
    EXPECT_EQ(l.dir, "/srv/node/data/Shop.CartServer");
    EXPECT_EQ(l.configFile, "/srv/node/data/Shop.CartServer/conf/Shop.CartServer.config.conf");
    EXPECT_EQ(l.exe, "/srv/node/data/Shop.CartServer/bin/CartServer");
    EXPECT_EQ(l.exeDir, "/srv/node/data/Shop.CartServer/bin/");
    EXPECT_EQ(l.dataDir, "/srv/node/data/Shop.CartServer/data/");
    EXPECT_EQ(l.logDir, "/srv/node/log/Shop/CartServer/");
    EXPECT_EQ(l.outputFile, "/srv/node/log/Shop/CartServer/Shop.CartServer.stdout.log");
    EXPECT_EQ(l.pidFile, "/srv/node/data/Shop.CartServer/Shop.CartServer.pid");
}

TEST(ServerConfigBuilder, AbsoluteBasePathAndExePathAreUsedAsGiven) {
    ServerConfigBuilder builder(nodeContext());
    auto d = descriptor();
    d.basePath = "/opt/cart/";
    d.exePath = "/usr/local/bin/cart";
    auto l = builder.layout(d);
    EXPECT_EQ(l.dir, "/opt/cart");
    EXPECT_EQ(l.configFile, "/opt/cart/conf/Shop.CartServer.config.conf");
    EXPECT_EQ(l.exe, "/usr/local/bin/cart");
    EXPECT_EQ(l.exeDir, "/usr/local/bin/");
    EXPECT_EQ(l.binDir, "/opt/cart/bin/");  // basepath and working directory: the instance's own
    d.exePath = "cart-launcher";
    EXPECT_EQ(builder.layout(d).exe, "/opt/cart/bin/cart-launcher");
}

TEST(ServerConfigBuilder, NamesThatAreNotPlainFileNamesAreRefused) {
    ServerConfigBuilder builder(nodeContext());
    for (const char* bad : {"../etc", "a/b", "", ".hidden", "x y"}) {
        auto d = descriptor();
        d.serverName = bad;
        EXPECT_THROW(builder.layout(d), Node_Exception) << bad;
    }
}

TEST(ServerConfigBuilder, GeneratesTheServerSectionAdaptersAndClient) {
    auto conf = built(descriptor());
    const std::string s = "/tars/application/server";
    EXPECT_EQ(conf.get(s + "<app>"), "Shop");
    EXPECT_EQ(conf.get(s + "<server>"), "CartServer");
    EXPECT_EQ(conf.get(s + "<localip>"), "10.1.2.3");
    EXPECT_EQ(conf.get(s + "<nodename>"), "node-7");
    EXPECT_EQ(conf.get(s + "<basepath>"), "/srv/node/data/Shop.CartServer/bin/");
    EXPECT_EQ(conf.get(s + "<datapath>"), "/srv/node/data/Shop.CartServer/data/");
    EXPECT_EQ(conf.get(s + "<logpath>"), "/srv/node/log/");
    EXPECT_EQ(conf.get(s + "<local>"), "tcp -h 127.0.0.1 -p 31234 -t 10000");
    EXPECT_EQ(conf.get(s + "<node>"), "tars.tarsnode.ServerObj@tcp -h 10.1.2.3 -p 19386 -t 60000");
    EXPECT_EQ(conf.get(s + "<keepaliveinterval>"), "1500");
    const std::string a = s + "/Shop.CartServer.CartObjAdapter";
    EXPECT_EQ(conf.get(a + "<endpoint>"), "tcp -h 10.1.2.3 -p 20001 -t 60000") << "localip is the node's IP";
    EXPECT_EQ(conf.get(a + "<servant>"), "Shop.CartServer.CartObj");
    EXPECT_EQ(conf.get(a + "<threads>"), "3");
    EXPECT_EQ(conf.get(a + "<maxconns>"), "2000");
    EXPECT_EQ(conf.get(a + "<queuecap>"), "500");
    EXPECT_EQ(conf.get(a + "<queuetimeout>"), "4000");
    EXPECT_EQ(conf.get(a + "<protocol>"), "tars");
    EXPECT_EQ(conf.get(a + "<allow>"), "10.;192.168.");
    EXPECT_EQ(conf.get("/tars/application/client<locator>"), "tars.tarsregistry.QueryObj@tcp -h 10.1.2.9 -p 17890");
    EXPECT_EQ(conf.get("/tars/application/client<asyncthread>"), "4");
    EXPECT_EQ(conf.get("/tars/application<enableset>"), "n");
    EXPECT_EQ(conf.get("/tars/application<setdivision>"), "NULL");
}

TEST(ServerConfigBuilder, TheProfileWithMacrosIsMergedOnTopAndWins) {
    auto d = descriptor();
    d.setId = "shop.sz.1";
    d.profile =
        "<tars>\n<application>\n<server>\nlogLevel = INFO\nlocal = ${local}\nnetthread = 2\n"
        "hearttimeout = 7\nbasepath = ${basepath}extra\nnote = ${app}.${server} on ${nodename} at ${localip}\n"
        "spaced = a\\sb\nunknown = ${nosuchmacro}\n</server>\n<client>\nlocator = ${locator}\n"
        "asyncthread = ${asyncthread}\nmodule = ${modulename}|${serverid}\n</client>\n</application>\n"
        "<data>\npath = ${datapath}\nlogs = ${logpath}\nexe = ${exe}\nset = ${setdivision}|${enableset}\n"
        "</data>\n</tars>\n";
    auto conf = built(d);
    const std::string s = "/tars/application/server";
    EXPECT_EQ(conf.get(s + "<logLevel>"), "INFO");
    EXPECT_EQ(conf.get(s + "<netthread>"), "2");
    EXPECT_EQ(conf.get(s + "<hearttimeout>"), "7");
    EXPECT_EQ(conf.get(s + "<local>"), "tcp -h 127.0.0.1 -p 31234 -t 10000");
    EXPECT_EQ(conf.get(s + "<basepath>"), "/srv/node/data/Shop.CartServer/bin/extra") << "the profile wins";
    EXPECT_EQ(conf.get(s + "<note>"), "Shop.CartServer on node-7 at 10.1.2.3");
    EXPECT_EQ(conf.get(s + "<spaced>"), "a b");
    EXPECT_EQ(conf.get(s + "<unknown>"), "${nosuchmacro}");
    EXPECT_EQ(conf.get(s + "<node>"), "tars.tarsnode.ServerObj@tcp -h 10.1.2.3 -p 19386 -t 60000") << "kept";
    EXPECT_EQ(conf.get("/tars/application/client<locator>"), "tars.tarsregistry.QueryObj@tcp -h 10.1.2.9 -p 17890");
    EXPECT_EQ(conf.get("/tars/application/client<asyncthread>"), "4");
    EXPECT_EQ(conf.get("/tars/application/client<module>"), "Shop.CartServer|Shop.CartServer");
    EXPECT_EQ(conf.get("/tars/data<path>"), "/srv/node/data/Shop.CartServer/data/");
    EXPECT_EQ(conf.get("/tars/data<logs>"), "/srv/node/log/");
    EXPECT_EQ(conf.get("/tars/data<exe>"), "/srv/node/data/Shop.CartServer/bin/CartServer");
    EXPECT_EQ(conf.get("/tars/data<set>"), "shop.sz.1|y");
    EXPECT_EQ(conf.get("/tars/application<enableset>"), "y");
    EXPECT_EQ(conf.get("/tars/application<setdivision>"), "shop.sz.1");
}

TEST(ServerConfigBuilder, EndpointWithTheLocalipMacroGetsTheNodesIp) {
    auto d = descriptor();
    d.adapters.begin()->second.endpoint = "tcp -h ${localip} -p 20001 -t 60000";
    EXPECT_EQ(built(d).get("/tars/application/server/Shop.CartServer.CartObjAdapter<endpoint>"),
              "tcp -h 10.1.2.3 -p 20001 -t 60000");
}

TEST(ServerConfigBuilder, TheOpsEndpointOfTheProfileGetsTheNodesIp) {
    auto d = descriptor();
    d.profile =
        "<tars>\n<application>\n<server>\nops = tcp -h localip -p 20003 -t 60000\n</server>\n"
        "</application>\n</tars>\n";
    EXPECT_EQ(built(d).get("/tars/application/server<ops>"), "tcp -h 10.1.2.3 -p 20003 -t 60000");
    d.profile =
        "<tars>\n<application>\n<server>\nops = tcp -h 0.0.0.0 -p 20003\n</server>\n"
        "</application>\n</tars>\n";
    EXPECT_EQ(built(d).get("/tars/application/server<ops>"), "tcp -h 0.0.0.0 -p 20003") << "kept as given";
    d.profile = "";
    EXPECT_EQ(built(d).get("/tars/application/server<ops>"), "") << "none without one";
}

TEST(ServerConfigBuilder, ABrokenProfileOrEndpointNamesTheServer) {
    ServerConfigBuilder builder(nodeContext());
    auto d = descriptor();
    d.profile = "<tars>\n<application>\n</tars>\n";
    try {
        builder.build(d, builder.layout(d), 31234);
        FAIL() << "no error";
    } catch (const Node_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("Shop.CartServer"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("profile"), std::string::npos) << e.what();
    }
    d = descriptor();
    d.adapters.begin()->second.endpoint = "tcp -h 1.2.3.4 -p notaport";
    try {
        builder.build(d, builder.layout(d), 31234);
        FAIL() << "no error";
    } catch (const Node_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("Shop.CartServer.CartObjAdapter"), std::string::npos) << e.what();
    }
}

TEST(ServerConfigBuilder, TheAdminPortOfAWrittenConfigIsFoundAgain) {
    ServerConfigBuilder builder(nodeContext());
    auto d = descriptor();
    EXPECT_EQ(ServerConfigBuilder::existingAdminPort(builder.build(d, builder.layout(d), 35555)), 35555);
    EXPECT_EQ(ServerConfigBuilder::existingAdminPort(""), 0);
    EXPECT_EQ(ServerConfigBuilder::existingAdminPort("<tars>\n<application>\n<server>\nlocal = junk\n"
                                                     "</server>\n</application>\n</tars>\n"),
              0);
    int port = ServerConfigBuilder::findFreeLocalPort();
    EXPECT_GE(port, 30000);
    EXPECT_LE(port, 44999);
}

}  // namespace
