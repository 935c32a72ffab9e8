#include "StateReporter.h"

namespace tars {

void StateReporter::post(const ServerStateInfo& state) {
    {
        std::lock_guard lock(_mutex);
        _states[{state.application, state.serverName}] = state;
    }
    if (_wake) _wake();
}

void StateReporter::postVersion(const VersionReport& report) {
    {
        std::lock_guard lock(_mutex);
        _versions[{report.application, report.serverName}] = report.version;
    }
    if (_wake) _wake();
}

std::vector<ServerStateInfo> StateReporter::takeStates() {
    std::lock_guard lock(_mutex);
    std::vector<ServerStateInfo> out;
    out.reserve(_states.size());
    for (auto& [key, state] : _states) out.push_back(std::move(state));
    _states.clear();
    return out;
}

void StateReporter::restoreStates(const std::vector<ServerStateInfo>& states) {
    std::lock_guard lock(_mutex);
    for (const auto& state : states) _states.try_emplace({state.application, state.serverName}, state);
}

void StateReporter::clearStates() {
    std::lock_guard lock(_mutex);
    _states.clear();
}

std::vector<VersionReport> StateReporter::takeVersions() {
    std::lock_guard lock(_mutex);
    std::vector<VersionReport> out;
    for (auto& [key, version] : _versions) out.push_back({key.first, key.second, std::move(version)});
    _versions.clear();
    return out;
}

void StateReporter::restoreVersions(const std::vector<VersionReport>& reports) {
    std::lock_guard lock(_mutex);
    for (const auto& r : reports) _versions.try_emplace({r.application, r.serverName}, r.version);
}

}  // namespace tars
