// Helpers of the AdminRegObj and tarsadmin tests:
//
//   FakeNode     a FakeNodeServer process (tars.tarsnode.NodeObj on a reserved port)
//                recording the calls it gets; register() writes its t_node_info row
//   runCommand   runs a program to its exit with a deadline, stdout and stderr apart
//
// FakeNode::start() waits (bounded polling) for its port; its destructor kills the
// process it started, and only that one.
#pragma once

#include <string>
#include <vector>

#include "RegistryStore.h"
#include "TestSupport.h"

namespace tars::test {

class FakeNode {
public:
    // failing: methods answering -1 (e.g. "stopServer,startServer").
    explicit FakeNode(std::string nodeName = "127.0.0.1", std::string failing = "");
    bool start(int timeoutMs = 15000);

    const std::string& name() const { return _name; }
    int port() const { return _port.port(); }
    // "tars.tarsnode.NodeObj@tcp -h 127.0.0.1 -p <port>"
    std::string nodeObj() const;
    // Writes the node's t_node_info row (as registerNode would), endpoint IP endpointIp.
    void registerIn(RegistryStore& store, const std::string& endpointIp = "127.0.0.1") const;
    // The calls so far, one "method App.Server [args]" line each.
    std::vector<std::string> calls() const;
    ServerProcess& process() { return _process; }

private:
    std::string _name;
    std::string _failing;
    ReservedPort _port;
    ReservedPort _admin;
    ServerProcess _process;
};

struct CommandResult {
    int status = -1;  // exit status; -1 when it did not exit in time (then it was killed)
    std::string out;
    std::string err;
};

// Runs exe with args in dir; waits at most timeoutMs.
CommandResult runCommand(const std::string& exe, const std::vector<std::string>& args, const std::string& dir,
                         int timeoutMs = 60000);

}  // namespace tars::test
