// Helpers of the interop tests: where the node side lives in the build tree, whether it
// can run, and the server config both InteropServer and node/server.js start from.
//
// The node side is BUILD_DIR/interop: the JavaScript of tests/interop/node (copied there by
// CMake) and node_modules, installed by tests/interop/setup.sh BUILD_DIR. Without node on
// PATH or without node_modules the tests skip (GTEST_SKIP) and say why.
#pragma once

#include <optional>
#include <string>

namespace interop {

// BUILD_DIR/interop.
std::string nodeDir();
// Why the node side cannot run (node missing, packages not installed), or nullopt.
std::optional<std::string> nodeSkipReason();
// "tcp -h 127.0.0.1 -p <port> -t 60000"
std::string endpoint(int port);
// "Test.InteropServer.InteropObj@" + endpoint(port)
std::string objectString(int port);
// A server config serving Test.InteropServer.InteropObj on port, with the /client
// section @tars/rpc's server needs; logpath @LOG@ as tars::test::ServerProcess expects.
// transport "tcp" (the default) or "udp"; adminPort > 0 adds an admin endpoint on TCP.
std::string serverConfig(int port, const std::string& transport = "tcp", int adminPort = 0);

}  // namespace interop
