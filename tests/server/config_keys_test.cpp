// Unknown keys in a server's config file: reported at start on stderr with the file, the
// line and the closest known key (server, adapter, client and per-object client
// sections); keys TARS's templates carry and this runtime ignores are not reported;
// strict=1 or --strict-config makes them fatal.
#include <gtest/gtest.h>

#include "TestSupport.h"
#include "util/tc_common.h"

#ifndef HELLO_SERVER
#error "HELLO_SERVER must name the HelloServer executable"
#endif

using namespace tars;
using namespace tars::test;

namespace {

// The 1-based line of the first line of text containing needle (0 when none).
int lineOf(const std::string& text, const std::string& needle) {
    auto lines = TC_Common::sepstr(text, "\n", true);
    for (size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].find(needle) != std::string::npos) return static_cast<int>(i) + 1;
    }
    return 0;
}

std::string typoConfig(int port, const std::string& serverExtra) {
    AdapterSpec adapter;
    adapter.name = "TestApp.HelloServer.HelloObjAdapter";
    adapter.servant = "TestApp.HelloServer.HelloObj";
    adapter.port = port;
    adapter.extra = "        thread=2\n";
    return makeConfig("TestApp", "HelloServer", 0, {adapter}, "      logLevle=INFO\n" + serverExtra,
                      "    <client>\n      sync-invoke-timout=1000\n      sample-rate=100000\n"
                      "      max-sample-count=50\n      <TestApp.Other.Obj>\n        secretky=x\n"
                      "      </TestApp.Other.Obj>\n    </client>\n");
}

}  // namespace

TEST(ConfigKeys, UnknownKeysAreReportedOnStderrWithTheirLineAndTheClosestKnownKey) {
    ReservedPort port;
    ServerProcess server(HELLO_SERVER);
    std::string text = typoConfig(port.port(), "");
    server.writeConfig(text);
    ASSERT_TRUE(server.start({port.port()})) << server.output();  // typos alone do not stop it
    std::string file = server.dir() + "/server.conf";
    std::string out = server.output();
    auto expect = [&](const std::string& key, const std::string& path, const std::string& closest) {
        std::string line = file + ":" + std::to_string(lineOf(text, key + "=")) + ": unknown key '" + key + "' in " +
                           path + " (did you mean '" + closest + "'?)";
        EXPECT_NE(out.find(line), std::string::npos) << "missing: " << line << "\noutput:\n" << out;
    };
    expect("logLevle", "/tars/application/server", "logLevel");
    expect("thread", "/tars/application/server/TestApp.HelloServer.HelloObjAdapter", "threads");
    expect("sync-invoke-timout", "/tars/application/client", "sync-invoke-timeout");
    expect("secretky", "/tars/application/client/TestApp.Other.Obj", "secretkey");
    // TARS template keys TarsCpp accepts and ignores are not typos.
    EXPECT_EQ(out.find("sample-rate"), std::string::npos) << out;
    EXPECT_EQ(out.find("max-sample-count"), std::string::npos) << out;
    EXPECT_EQ(server.stop(), 0);
    // The log has them too (flushed at exit).
    EXPECT_NE(server.log().find("unknown key 'logLevle'"), std::string::npos) << server.log();
}

TEST(ConfigKeys, StrictConfigOnTheCommandLineMakesUnknownKeysFatal) {
    ReservedPort port;
    ServerProcess server(HELLO_SERVER);
    server.writeConfig(typoConfig(port.port(), ""));
    int status = server.runToExit({"--config=" + server.dir() + "/server.conf", "--strict-config"});
    EXPECT_NE(status, 0) << server.output();
    EXPECT_NE(server.output().find("4 unknown keys in " + server.dir() + "/server.conf (--strict-config"),
              std::string::npos)
        << server.output();
}

TEST(ConfigKeys, StrictInTheServerSectionMakesUnknownKeysFatal) {
    ReservedPort port;
    ServerProcess server(HELLO_SERVER);
    server.writeConfig(typoConfig(port.port(), "      strict=1\n"));
    int status = server.runToExit({"--config=" + server.dir() + "/server.conf"});
    EXPECT_NE(status, 0) << server.output();
    EXPECT_NE(server.output().find("/tars/application/server<strict>=1 makes them fatal"), std::string::npos)
        << server.output();
    EXPECT_NE(server.output().find("unknown key 'logLevle'"), std::string::npos) << server.output();
}

TEST(ConfigKeys, ACleanConfigWithStrictStartsAndReportsNothing) {
    ReservedPort port;
    ServerProcess server(HELLO_SERVER);
    AdapterSpec adapter;
    adapter.name = "TestApp.HelloServer.HelloObjAdapter";
    adapter.servant = "TestApp.HelloServer.HelloObj";
    adapter.port = port.port();
    server.writeConfig(makeConfig("TestApp", "HelloServer", 0, {adapter}, "      strict=1\n",
                                  "    <client>\n      sample-rate=100000\n      stat=tars.tarsstat.StatObj\n"
                                  "    </client>\n"));
    ASSERT_TRUE(server.start({port.port()})) << server.output();
    EXPECT_EQ(server.output().find("unknown key"), std::string::npos) << server.output();
    EXPECT_EQ(server.stop(), 0);
}
