#include "RegistryLink.h"

#include <climits>

#include "NodeException.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {
constexpr int64_t kFailureLogPeriodMs = 60 * 1000;
}

RegistryLink::RegistryLink(CommunicatorPtr communicator, const std::string& registryObj, int timeoutMs)
    : _communicator(std::move(communicator)), _registryObj(registryObj) {
    try {
        _proxy = _communicator->stringToProxy<RegistryPrx>(registryObj);
    } catch (const std::exception& e) {
        throw Node_Exception("config /tars/node<registryObj>='" + registryObj + "' cannot be used: " + e.what());
    }
    _proxy->tars_set_timeout(timeoutMs);
    CheckTimeoutInfo check;
    check.minTimeoutInvoke = INT_MAX / 2;
    check.frequenceFailInvoke = INT_MAX / 2;
    check.tryTimeInterval = 1000;
    check.minReconnectMs = 100;
    check.maxReconnectMs = 1000;
    _proxy->tars_set_check_timeout(check);
}

template <typename Body>
auto RegistryLink::guarded(const char* call, Body body) -> std::optional<decltype(body())> {
    try {
        auto result = body();
        succeeded();
        return result;
    } catch (const std::exception& e) {
        failed(call, e.what());
        return std::nullopt;
    }
}

void RegistryLink::failed(const char* call, const std::string& why) {
    std::lock_guard lock(_logMutex);
    int64_t now = TC_TimeProvider::steadyNowMs();
    if (_failing && now - _lastLogMs < kFailureLogPeriodMs) {
        ++_unlogged;
        return;
    }
    TLOGERROR("[node] registry " << _registryObj << ": " << call << " failed: " << why
                                 << (_unlogged ? " (" + std::to_string(_unlogged) + " failures not logged)" : "")
                                 << std::endl);
    _failing = true;
    _lastLogMs = now;
    _unlogged = 0;
}

void RegistryLink::succeeded() {
    std::lock_guard lock(_logMutex);
    if (!_failing) return;
    TLOGINFO("[node] registry " << _registryObj << " answers again" << std::endl);
    _failing = false;
    _unlogged = 0;
}

std::optional<int> RegistryLink::registerNode(const std::string& nodeName, const NodeInfo& info, const LoadInfo& load) {
    return guarded("registerNode", [&] { return static_cast<int>(_proxy->registerNode(nodeName, info, load)); });
}

std::optional<int> RegistryLink::keepAlive(const std::string& nodeName, const LoadInfo& load) {
    return guarded("keepAlive", [&] { return static_cast<int>(_proxy->keepAlive(nodeName, load)); });
}

std::optional<std::vector<ServerDescriptor>> RegistryLink::getServers(const std::string& app,
                                                                      const std::string& serverName,
                                                                      const std::string& nodeName) {
    return guarded("getServers", [&] { return _proxy->getServers(app, serverName, nodeName); });
}

std::optional<int> RegistryLink::updateServer(const std::string& nodeName, const ServerStateInfo& state) {
    return guarded("updateServer", [&] {
        return static_cast<int>(_proxy->updateServer(nodeName, state.application, state.serverName, state));
    });
}

std::optional<int> RegistryLink::updateServerBatch(const std::vector<ServerStateInfo>& states) {
    return guarded("updateServerBatch", [&] { return static_cast<int>(_proxy->updateServerBatch(states)); });
}

std::optional<int> RegistryLink::reportVersion(const std::string& app, const std::string& serverName,
                                               const std::string& nodeName, const std::string& version) {
    return guarded("reportVersion",
                   [&] { return static_cast<int>(_proxy->reportVersion(app, serverName, nodeName, version)); });
}

std::optional<int> RegistryLink::updatePatchResult(const PatchResult& result) {
    return guarded("updatePatchResult", [&] { return static_cast<int>(_proxy->updatePatchResult(result)); });
}

}  // namespace tars
