// NodeServer: the tarsnode process, one per host. An Application serving
//   <app>.<server>.ServerObj  (ServerF: the heartbeats of the servers it runs)
//   <app>.<server>.NodeObj    (Node: commands from the registry and the admin tools)
// (tars.tarsnode.ServerObj / NodeObj with app=tars, server=tarsnode), with the node's
// work in a NodeService. Start: tarsnode --config=tarsnode.conf [--nodeid=NAME].
//
// initialize() reads the node's keys (NodeSettings), finds the two adapters and starts
// the NodeService; a bad key, a missing adapter or an unusable registryObj stops the
// process with status 1 and a message naming the file and the key. destroyApp() stops
// the node's threads and leaves every server running.
#pragma once

#include <memory>
#include <string>

#include "NodeService.h"
#include "servant/Application.h"

namespace tars {

class NodeServer : public Application {
public:
    // nodeIdArgument: the value of --nodeid ("" when not given).
    explicit NodeServer(std::string nodeIdArgument) : _nodeIdArgument(std::move(nodeIdArgument)) {}
    ~NodeServer() override = default;

protected:
    void initialize() override;
    void destroyApp() override;
    // The sections of its own (their keys declared in NodeSettings.cpp).
    std::vector<ConfigKeyRule> configKeyRules() const override;

private:
    std::string _nodeIdArgument;
    std::unique_ptr<NodeService> _service;
};

}  // namespace tars
