// RegistryService: the state of one tarsregistry process, shared by its servants.
//
// It owns the store connection (at start it seeds the default profile templates of
// DefaultTemplates.h that are missing), the current ObjectTable, and one refresher
// thread that every loadObjectsInterval1 seconds (or soon after refreshSoon()):
//   1. writes this registry's own servants to t_registry_info (its heartbeat),
//   2. marks nodes silent for longer than nodeTimeout inactive with their servers,
//   3. reads the store and swaps in a new ObjectTable.
// QueryF answers come from the table only, so they never wait for the database, and two
// registries on one database answer alike once both have reloaded. When the database
// fails, the last table stays in use and the error is logged; the next round retries.
//
// Threads: table(), refreshSoon(), store() (itself thread-safe) and now() from any
// thread. start() and stop() from the application's thread. Lifetime: stop() (or the
// destructor) joins the refresher and marks this registry's rows inactive.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ObjectTable.h"
#include "RegistrySettings.h"
#include "RegistryStore.h"

namespace tars {

class RegistryService {
public:
    // One servant this registry serves and the endpoint clients reach it on.
    struct SelfEndpoint {
        std::string servant;
        std::string endpoint;
    };

    // locatorId: host:port of this registry's QueryObj (the key of its t_registry_info rows).
    RegistryService(RegistrySettings settings, std::vector<SelfEndpoint> self, std::string locatorId,
                    std::string version);
    ~RegistryService();
    RegistryService(const RegistryService&) = delete;
    RegistryService& operator=(const RegistryService&) = delete;

    // Opens the store (creating missing tables), loads the first table and starts the
    // refresher. Throws StoreError when the database cannot be used.
    void start();
    void stop();

    // Before start(): the empty table; store() throws std::logic_error (a servant's call
    // then fails or answers -1, as for any store failure).
    std::shared_ptr<const ObjectTable> table() const;
    RegistryStore& store();
    const RegistrySettings& settings() const { return _settings; }
    // Asks the refresher to reload now (after a write that changes answers).
    void refreshSoon();
    // One refresh round on the calling thread; false when the database failed.
    bool refreshNow();
    uint64_t refreshCount() const { return _refreshes.load(); }

    // Wall-clock seconds: the clock of heartbeats and timeouts.
    static int64_t now();

    // The profile of templateName merged with its parents' (the child's values win);
    // description collects "(name:OK)" / "(name:template not found)" per step.
    std::string resolveTemplate(const std::string& templateName, std::string& description);

private:
    // One refresh round; throws StoreError.
    void reload();
    void run();

    RegistrySettings _settings;
    std::vector<SelfEndpoint> _self;
    std::string _locatorId;
    std::string _version;
    std::unique_ptr<RegistryStore> _store;

    mutable std::mutex _tableMutex;
    std::shared_ptr<const ObjectTable> _table;

    std::mutex _mutex;  // guards _stop, _wake
    std::condition_variable _wakeup;
    bool _stop = false;
    bool _wake = false;
    std::atomic<uint64_t> _refreshes{0};
    std::thread _refresher;
};

}  // namespace tars
