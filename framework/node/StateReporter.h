// StateReporter: what the node still has to tell the registry: the latest present state
// of each server whose state changed, and the versions servers reported. Producers (the
// servers' state changes, ServerF.reportVersion) post from any thread and the registry
// thread takes the pending reports, sends them, and puts back those whose call failed,
// so that nothing is lost while the registry is away and only the newest state of a
// server is sent when it is back.
//
// Thread-safe. wake (given at construction) runs after every post, outside the lock.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "NodeDescriptor.h"

namespace tars {

struct VersionReport {
    std::string application;
    std::string serverName;
    std::string version;
};

class StateReporter {
public:
    explicit StateReporter(std::function<void()> wake) : _wake(std::move(wake)) {}

    void post(const ServerStateInfo& state);
    void postVersion(const VersionReport& report);

    std::vector<ServerStateInfo> takeStates();
    // Puts back states whose report failed, unless a newer one was posted meanwhile.
    void restoreStates(const std::vector<ServerStateInfo>& states);
    // Drops every pending state (a full report of all servers replaces them).
    void clearStates();

    std::vector<VersionReport> takeVersions();
    void restoreVersions(const std::vector<VersionReport>& reports);

private:
    using Key = std::pair<std::string, std::string>;  // application, server name

    std::mutex _mutex;
    std::map<Key, ServerStateInfo> _states;
    std::map<Key, std::string> _versions;
    std::function<void()> _wake;
};

}  // namespace tars
