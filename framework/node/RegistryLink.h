// RegistryLink: the node's calls to the registry's RegistryObj (Registry), each with a
// timeout, each answering nullopt when the call failed (registry down, slow, or
// answering garbage) instead of throwing, so that the node's loops go on.
//
// registryObj is "tars.tarsregistry.RegistryObj@tcp -h ... -p 17891" or a bare name the
// communicator resolves through its locator. The proxy is never isolated for long (a
// registry that comes back is used at once). Failures are logged when they start, then
// at most once a minute, and the recovery once.
//
// Thread-safe (the proxy is; the failure log has its own mutex). The communicator must
// outlive it. The constructor throws Node_Exception naming the key when registryObj
// cannot be used (malformed, or a bare name without a locator).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "Registry.h"
#include "servant/Communicator.h"

namespace tars {

class RegistryLink {
public:
    RegistryLink(CommunicatorPtr communicator, const std::string& registryObj, int timeoutMs);

    std::optional<int> registerNode(const std::string& nodeName, const NodeInfo& info, const LoadInfo& load);
    std::optional<int> keepAlive(const std::string& nodeName, const LoadInfo& load);
    std::optional<std::vector<ServerDescriptor>> getServers(const std::string& app, const std::string& serverName,
                                                            const std::string& nodeName);
    // Sent as the stock node does: node name at tag 1, application at 2, server at 3.
    std::optional<int> updateServer(const std::string& nodeName, const ServerStateInfo& state);
    std::optional<int> updateServerBatch(const std::vector<ServerStateInfo>& states);
    std::optional<int> reportVersion(const std::string& app, const std::string& serverName, const std::string& nodeName,
                                     const std::string& version);
    // The version a patch installed (t_server_conf patch_version, patch_user, patch_time).
    std::optional<int> updatePatchResult(const PatchResult& result);

    const std::string& registryObj() const { return _registryObj; }

private:
    template <typename Body>
    auto guarded(const char* call, Body body) -> std::optional<decltype(body())>;
    void failed(const char* call, const std::string& why);
    void succeeded();

    CommunicatorPtr _communicator;
    std::string _registryObj;
    RegistryPrx _proxy;

    std::mutex _logMutex;
    bool _failing = false;
    int64_t _lastLogMs = 0;
    uint64_t _unlogged = 0;
};

}  // namespace tars
