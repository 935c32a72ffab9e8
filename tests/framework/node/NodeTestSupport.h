// Helpers of the tarsnode integration tests: one tarsnode process on reserved loopback
// ports, talking to a RegistryProcess, with a NodePrx to command it; deployments written
// straight into the registry's store; a look at processes through /proc.
//
// NodeProcess's destructor cleans up even when a test failed half-way: it asks the node to
// stop all its servers, SIGKILLs any server still named by a pid file under the node's
// data directory (only processes whose command line holds the node's temporary
// directory: the servers this test's node started), then stops the node. All waits poll
// with deadlines.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "Node.h"
#include "RegistryTestSupport.h"

namespace tars::test {

struct NodeOptions {
    std::string nodeName = "node1";
    bool registryByName = false;  // registryObj = the bare name, resolved through the locator
    int heartTimeoutSeconds = 10;
    int monitorIntervalSeconds = 1;
    int reportAliveIntervalSeconds = 1;
    int synStatIntervalSeconds = 3;
    int serverKeepAliveIntervalMs = 500;
    int activatorMaxCount = 10;
    int activatorTimeIntervalSeconds = 60;
    int activatorPunishIntervalSeconds = 600;
    int drainWaitMs = 0;      // /tars/node<drainWait>: off unless a test is about the drain
    std::string extraNode;    // more lines of /tars/node/keepalive
    std::string extraServer;  // more lines of the node's own /tars/application/server
};

class NodeProcess {
public:
    NodeProcess(const RegistryProcess& registry, NodeOptions options = {});
    ~NodeProcess();
    NodeProcess(const NodeProcess&) = delete;
    NodeProcess& operator=(const NodeProcess&) = delete;

    // Writes the config (first call) and starts tarsnode; true once both its ports accept.
    bool start(int timeoutMs = 20000);
    ServerProcess& process() { return _process; }
    int nodeObjPort() const { return _nodeObj.port(); }
    int serverObjPort() const { return _serverObj.port(); }
    std::string dataPath() const { return _process.dir() + "/data/"; }
    std::string logPath() const { return _process.dir() + "/log/"; }
    std::string configText() const;

    // Node calls with a generous timeout (stopServer waits for processes).
    NodePrx& node() { return _prx; }
    // getStateInfo; nullopt when the call failed or answered non-zero.
    std::optional<ServerStateInfo> state(const std::string& app, const std::string& server);
    // Polls getStateInfo until the server is Active with a pid other than notPid; its pid or 0.
    int waitActive(const std::string& app, const std::string& server, int notPid = 0, int timeoutMs = 20000);

    // Where the node keeps a server (as framework/node/README.md describes it).
    std::string serverDir(const std::string& app, const std::string& server) const;
    std::string configFile(const std::string& app, const std::string& server) const;
    std::string serverLog(const std::string& app, const std::string& server) const;  // <App>.<Server>.log

private:
    void cleanup();

    const RegistryProcess& _registry;
    NodeOptions _options;
    ReservedPort _serverObj;
    ReservedPort _nodeObj;
    ReservedPort _admin;
    ServerProcess _process;
    std::shared_ptr<Communicator> _communicator;
    NodePrx _prx;
};

// A server instance in t_server_conf (setting active unless told) with one adapter serving
// TestApp.<server>.HelloObj on 127.0.0.1:port.
void deployServer(RegistryStore& store, const std::string& node, const std::string& server, int port,
                  const std::string& exe, const std::string& profile = "", const std::string& setting = "active");

// /proc: pids of live (non-zombie) processes whose command line contains marker.
std::vector<pid_t> processesWith(const std::string& marker);
// Whether pid is a live process (not a zombie).
bool processAlive(pid_t pid);
// The file's text, "" when missing.
std::string readFile(const std::string& path);

}  // namespace tars::test
