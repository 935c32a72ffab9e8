// TC_EpollServer: the network side of a server: NetThreads (netthread of them) that own the
// connections, and the BindAdapters whose handle threads run the servants.
//
// Accepting: each adapter's listen socket is served by one NetThread (adapter i by thread
// i % netthread, so several adapters spread their accepts), which hands every accepted
// connection to the next NetThread in round-robin order. See docs/design/server.md for why
// this rather than SO_REUSEPORT.
//
// Lifecycle: addAdapter() ... start() ... stop(). start() binds every adapter (errors name
// the adapter and endpoint), starts the handles and the NetThreads and returns once every
// servant is initialized; on any failure it stops what it started and throws. stop() is
// the graceful shutdown: stop accepting and reading, answer every request already read,
// write every reply (bounded by timeoutMs), then stop the threads; the server is then inert.
// Threads: start() and stop() from one controlling thread; the getters from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "servant/BindAdapter.h"

namespace tars {

class NetThread;

class TC_EpollServer {
public:
    explicit TC_EpollServer(size_t netThreads = 1);
    ~TC_EpollServer();
    TC_EpollServer(const TC_EpollServer&) = delete;
    TC_EpollServer& operator=(const TC_EpollServer&) = delete;

    // Before start(). Adapter names and servant names must be unique.
    void addAdapter(const std::shared_ptr<BindAdapter>& adapter);
    std::shared_ptr<BindAdapter> getAdapterByName(const std::string& name) const;
    std::shared_ptr<BindAdapter> getAdapterByServant(const std::string& servant) const;
    const std::vector<std::shared_ptr<BindAdapter>>& getAdapters() const { return _adapters; }
    const std::vector<std::shared_ptr<NetThread>>& getNetThreads() const { return _netThreads; }

    void start();
    void stop(int64_t timeoutMs);
    bool isStarted() const { return _started; }

    // The NetThread that gets the next accepted connection (round robin).
    NetThread* nextNetThread();
    uint64_t nextUid() { return _uid.fetch_add(1, std::memory_order_relaxed); }

    // The connection lists of every NetThread (waits up to timeoutMs for each).
    std::string connectionsReport(int64_t timeoutMs = 1000) const;

private:
    std::vector<std::shared_ptr<BindAdapter>> _adapters;
    std::vector<std::shared_ptr<NetThread>> _netThreads;
    std::atomic<size_t> _nextThread{0};
    std::atomic<uint64_t> _uid{1};
    bool _started = false;
    bool _handlesStarted = false;
};

}  // namespace tars
