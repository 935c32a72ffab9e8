#include "RegistryService.h"

#include <chrono>
#include <ctime>
#include <set>
#include <stdexcept>

#include "DefaultTemplates.h"
#include "util/tc_logger.h"

namespace tars {

namespace {
constexpr int kMaxTemplateDepth = 32;  // parents_name chains longer than this are cut
}

RegistryService::RegistryService(RegistrySettings settings, std::vector<SelfEndpoint> self, std::string locatorId,
                                 std::string version)
    : _settings(std::move(settings)),
      _self(std::move(self)),
      _locatorId(std::move(locatorId)),
      _version(std::move(version)),
      _table(std::make_shared<ObjectTable>()) {}

RegistryService::~RegistryService() { stop(); }

int64_t RegistryService::now() { return static_cast<int64_t>(::time(nullptr)); }

void RegistryService::start() {
    _store = RegistryStore::open(_settings.store, _settings.createSchema);
    TLOGINFO("registry: store " << _settings.store.describe() << std::endl);
    for (const auto& name : seedDefaultTemplates(_store->templates(), now())) {
        TLOGINFO("registry: seeded the profile template " << name << std::endl);
    }
    reload();  // a registry that cannot read its database does not start
    _refresher = std::thread([this] { run(); });
}

void RegistryService::stop() {
    {
        std::lock_guard lock(_mutex);
        if (_stop) return;
        _stop = true;
    }
    _wakeup.notify_all();
    if (_refresher.joinable()) _refresher.join();
    if (!_store) return;
    // Clients stop picking this registry at once instead of after registryTimeout.
    try {
        for (const auto& self : _self) {
            _store->upsertRegistry({_locatorId, self.servant, self.endpoint, now(), "inactive", _version, "N"});
        }
    } catch (const std::exception& e) {
        TLOGWARN("registry: could not mark this registry inactive: " << e.what() << std::endl);
    }
}

RegistryStore& RegistryService::store() {
    if (!_store) throw std::logic_error("the registry's store is used before RegistryService::start()");
    return *_store;
}

std::shared_ptr<const ObjectTable> RegistryService::table() const {
    std::lock_guard lock(_tableMutex);
    return _table;
}

void RegistryService::refreshSoon() {
    {
        std::lock_guard lock(_mutex);
        _wake = true;
    }
    _wakeup.notify_all();
}

void RegistryService::reload() {
    RegistryStore& store = this->store();
    int64_t t = now();
    for (const auto& self : _self) {
        store.upsertRegistry({_locatorId, self.servant, self.endpoint, t, "active", _version, "N"});
    }
    if (!_settings.heartbeatOff) {
        for (const auto& node : store.markTimedOutNodes(t - _settings.nodeTimeoutSeconds, t)) {
            TLOGWARN("registry: node " << node << " sent no heartbeat for " << _settings.nodeTimeoutSeconds
                                       << " s: it and its servers are inactive" << std::endl);
        }
    }
    auto table = std::make_shared<const ObjectTable>(
        ObjectTable::build(store.loadRegistryData(), t,
                           {_settings.nodeTimeoutSeconds, _settings.registryTimeoutSeconds, _settings.heartbeatOff}));
    {
        std::lock_guard lock(_tableMutex);
        _table = std::move(table);
    }
    ++_refreshes;
}

bool RegistryService::refreshNow() {
    try {
        reload();
        return true;
    } catch (const std::exception& e) {
        TLOGERROR("registry: refresh failed, answering from the last table: " << e.what() << std::endl);
        return false;
    }
}

void RegistryService::run() {
    const auto interval = std::chrono::seconds(_settings.loadObjectsIntervalSeconds);
    std::unique_lock lock(_mutex);
    while (!_stop) {
        _wakeup.wait_for(lock, interval, [this] { return _stop || _wake; });
        if (_stop) break;
        _wake = false;
        lock.unlock();
        refreshNow();
        lock.lock();
    }
}

std::string RegistryService::resolveTemplate(const std::string& templateName, std::string& description) {
    RegistryStore& store = this->store();
    TC_Config merged;
    std::set<std::string> seen;
    std::string current = templateName;
    for (int depth = 0; !current.empty() && depth < kMaxTemplateDepth; ++depth) {
        if (!seen.insert(current).second) break;  // a cycle of parents
        auto found = store.getTemplate(current);
        if (!found) {
            description += "(" + current + ":template not found)";
            break;
        }
        TC_Config profile;
        try {
            profile.parseString(found->profile);
        } catch (const std::exception& e) {
            description += "(" + current + ":" + e.what() + ")";
            break;
        }
        merged.joinConfig(profile, false);  // what the child set stays
        description += "(" + current + ":OK)";
        current = found->parentsName;
    }
    return merged.tostr();
}

}  // namespace tars
