// The programs build_installed.sh built against the installed package (examples/hello with
// find_package(Tars), HelloClient with pkg-config) run against each other: what a team that
// consumes the library gets works, not only what this tree builds.
#include <gtest/gtest.h>

#include <string>

#include "TestSupport.h"

using namespace tars::test;

namespace {

void expectEveryCallMode(const char* clientPath, int port) {
    ServerProcess client(clientPath);
    const std::string object = "--obj=TestApp.HelloServer.HelloObj@tcp -h 127.0.0.1 -p " + std::to_string(port);
    ASSERT_EQ(client.runToExit({object}), 0) << client.output();
    EXPECT_NE(client.output().find("all five call modes answered"), std::string::npos) << client.output();
}

TEST(InstalledPackage, FindPackageServerAnswersFindPackageAndPkgConfigClients) {
    ReservedPort port;
    ServerProcess server(INSTALLED_HELLO_SERVER);
    server.writeConfig(helloServerConfig(port));
    ASSERT_TRUE(server.start({port})) << server.output();

    expectEveryCallMode(INSTALLED_HELLO_CLIENT, port);
    expectEveryCallMode(PKGCONFIG_HELLO_CLIENT, port);
    EXPECT_EQ(server.stop(), 0) << server.output();
}

}  // namespace
