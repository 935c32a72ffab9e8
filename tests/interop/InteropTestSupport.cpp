#include "InteropTestSupport.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "TestSupport.h"

namespace interop {

std::string nodeDir() { return INTEROP_NODE_DIR; }

namespace {

bool onPath(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    }
    return false;
}

}  // namespace

std::optional<std::string> nodeSkipReason() {
    if (!onPath("node")) return "node is not on PATH (tests/interop/setup.sh BUILD_DIR installs it)";
    const std::string probe = nodeDir() + "/node_modules/@tars/rpc/package.json";
    if (::access(probe.c_str(), R_OK) != 0) {
        return "the npm packages are not installed in " + nodeDir() +
               "/node_modules (run tests/interop/setup.sh BUILD_DIR)";
    }
    return std::nullopt;
}

std::string endpoint(int port) { return "tcp -h 127.0.0.1 -p " + std::to_string(port) + " -t 60000"; }

std::string objectString(int port) { return "Test.InteropServer.InteropObj@" + endpoint(port); }

std::string serverConfig(int port, const std::string& transport, int adminPort) {
    tars::test::AdapterSpec adapter;
    adapter.transport = transport;
    adapter.name = "Test.InteropServer.InteropObjAdapter";
    adapter.servant = "Test.InteropServer.InteropObj";
    adapter.port = port;
    adapter.threads = 2;
    adapter.queuecap = 10000;
    return tars::test::makeConfig("Test", "InteropServer", adminPort, {adapter}, "",
                                  "    <client>\n      async-invoke-timeout=10000\n    </client>\n");
}

}  // namespace interop
