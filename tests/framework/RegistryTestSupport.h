// Helpers of the registry integration tests: one tarsregistry process on reserved
// loopback ports with a config pointing at a TestDatabase, and a client that calls its
// QueryObj and RegistryObj through the generated proxies.
//
// The process serves QueryObj, RegistryObj and AdminRegObj (tarsadmin's interface), each
// on a port of its own, and its ops endpoint (HTTP: /metrics, /prometheus/targets) on a
// fourth. RegistryProcess::start() waits (bounded polling of connects) until the four
// ports accept;
// the destructor kills the process it started, and only that one.
#pragma once

#include <unistd.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "QueryF.h"
#include "Registry.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "servant/Communicator.h"

namespace tars::test {

class RegistryProcess {
public:
    // reap: extra lines of /tars/reap (loadObjectsInterval1 = 1 is always set).
    RegistryProcess(const TestDatabase& db, const std::string& reap = "");
    bool start(int timeoutMs = 20000);
    // Writes the config with a /tars/db section of the caller's and runs the registry to
    // its exit; the exit status (-1 on timeout).
    int runWithDbSection(const std::string& dbSection, const std::string& reap = "");

    int queryPort() const { return _query.port(); }
    int registryPort() const { return _registry.port(); }
    int adminRegPort() const { return _adminReg.port(); }
    int opsPort() const { return _ops.port(); }
    std::string queryEndpoint() const;
    // "tars.tarsregistry.AdminRegObj@tcp -h 127.0.0.1 -p <adminRegPort>"
    std::string adminRegObj() const;
    ServerProcess& process() { return _process; }

private:
    std::string config(const std::string& dbSection, const std::string& reap) const;

    const TestDatabase& _db;
    std::string _reap;
    ReservedPort _query;
    ReservedPort _registry;
    ReservedPort _adminReg;
    ReservedPort _admin;
    ReservedPort _ops;
    ServerProcess _process;
};

struct QueryAnswer {
    int ret = -100;  // -100: the call failed
    std::vector<EndpointF> active;
    std::vector<EndpointF> inactive;
};

// QueryF and Registry calls through the generated proxies (tars::QueryFPrx,
// tars::RegistryPrx) of a Communicator of its own, on direct endpoints. When a call
// fails (see lastFrameworkCode()), int results are -100 and optional ones nullopt.
// Copies share the communicator.
class RegistryClient {
public:
    RegistryClient(int queryPort, int registryPort);

    // QueryF
    std::vector<EndpointF> findObjectById(const std::string& id);
    QueryAnswer findObjectById4Any(const std::string& id);
    QueryAnswer findObjectById4All(const std::string& id, const std::map<std::string, std::string>& context = {});
    QueryAnswer findObjectByIdInSameGroup(const std::string& id,
                                          const std::map<std::string, std::string>& context = {});
    QueryAnswer findObjectByIdInSameStation(const std::string& id, const std::string& station);
    QueryAnswer findObjectByIdInSameSet(const std::string& id, const std::string& setId);
    int registerChange();  // an enterprise-only call

    // Registry
    int registerNode(const std::string& nodeName, const NodeInfo& info, const LoadInfo& load);
    int keepAlive(const std::string& nodeName, const LoadInfo& load);
    // Sent as the stock node does: node name at tag 1, application at 2, server at 3.
    int updateServer(const std::string& nodeName, const std::string& app, const std::string& server,
                     const ServerStateInfo& state);
    int updateServerBatch(const std::vector<ServerStateInfo>& states);
    int destroyNode(const std::string& nodeName);
    std::optional<std::vector<ServerDescriptor>> getServers(const std::string& app, const std::string& server,
                                                            const std::string& nodeName);
    std::optional<std::string> getNodeTemplate(const std::string& nodeName);
    std::optional<std::string> getClientIp();

    // The framework code of the last failed call (TarsCallException::getErrCode()), 0
    // after a success.
    int lastFrameworkCode() const { return _lastCode; }

private:
    // Runs body (a proxy call); on TarsCallException records the code and returns failed.
    template <typename Result, typename Body>
    Result guarded(Result failed, Body body);

    std::shared_ptr<Communicator> _communicator;
    QueryFPrx _query;
    RegistryPrx _registry;
    int _lastCode = 0;
};

// Endpoint "host:port" strings of a list, sorted: easy to compare in assertions.
std::vector<std::string> addresses(const std::vector<EndpointF>& endpoints);

// Polls pred (every 20 ms) until it holds or timeoutMs passed; its last value.
template <typename Pred>
bool eventually(Pred pred, int timeoutMs = 15000) {
    int64_t deadline = nowMs() + timeoutMs;
    while (!pred()) {
        if (nowMs() >= deadline) return pred();
        ::usleep(20 * 1000);
    }
    return true;
}

}  // namespace tars::test
