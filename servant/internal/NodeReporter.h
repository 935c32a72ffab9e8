// NodeReporter: a server's heartbeats to its tarsnode (ServerF on the servant named by
// /tars/application/server<node>), sent through the Application's communicator:
//
//   startActivating()  keepActiving(ServerInfo{app, server, pid}) at once and every 5 s,
//                      while initialize() runs (the node sees "activating");
//   startServing()     once the server listens: reportVersion(app, server, version),
//                      keepAlive with an empty adapter, then every keepaliveinterval ms
//                      one keepAlive per adapter name (the AdminAdapter included);
//   stop()             no call starts after it returns.
//
// An adapter whose queue holds requests and whose handles took none of them since its
// previous heartbeat is stalled: its keepAlive is skipped (and logged), so the node sees
// that adapter go silent, as with TARS, where each adapter's handle threads beat
// themselves. A server without adapters sends keepAlive("") every period instead.
//
// Every call is asynchronous with a short timeout (at most 3 s, at most the period) and
// is made from the reporter's own timer thread: a node that is down, slow or answering
// garbage never blocks start-up, serving or shutdown. Failures (and a node answering -1,
// "unknown server") are logged at most once a minute, with the number left unlogged.
//
// Ownership and lifetime: owned by the Application; it must be stopped (or destroyed)
// before the communicator is terminated. Threads: the methods are called from the
// Application's main thread; callbacks run on the communicator's callback threads and
// touch only state they share with the reporter through a shared_ptr.
// Errors: the constructor throws NodeReporter_Exception naming the node servant when its
// object string is malformed.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "servant/BindAdapter.h"
#include "servant/Communicator.h"
#include "util/tc_ex.h"
#include "util/tc_timer.h"

namespace tars {

struct NodeReporter_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

class ServerFProxy;

class NodeReporter {
public:
    struct Options {
        std::string nodeObj;      // tars.tarsnode.ServerObj@tcp -h ... -p ...
        std::string application;  // ServerInfo.application
        std::string serverName;   // ServerInfo.serverName
        std::string version;      // reportVersion's version
        int64_t keepAliveIntervalMs = 10000;
        int64_t activatingIntervalMs = 5000;
    };

    NodeReporter(CommunicatorPtr communicator, Options options);
    ~NodeReporter();
    NodeReporter(const NodeReporter&) = delete;
    NodeReporter& operator=(const NodeReporter&) = delete;

    void startActivating();
    // adapters: every adapter of the server (kept alive by the reporter until stop()).
    void startServing(std::vector<std::shared_ptr<BindAdapter>> adapters);
    void stop();

    // The state shared with the asynchronous callbacks (defined in NodeReporter.cpp).
    struct Shared;

private:
    struct AdapterBeat {
        std::shared_ptr<BindAdapter> adapter;
        uint64_t lastProgress = 0;
        bool stalled = false;
    };

    void sendKeepActiving();
    void sendKeepAlive(const std::string& adapter);
    void beatAdapters();

    Options _options;
    std::shared_ptr<ServerFProxy> _proxy;
    std::shared_ptr<Shared> _shared;
    std::mutex _mutex;  // guards what follows (the timer thread and the main thread)
    std::vector<AdapterBeat> _adapters;
    TC_Timer::TimerId _activatingTimer{};
    bool _activating = false;
    bool _stopped = false;
    std::unique_ptr<TC_Timer> _timer;  // last: its thread stops first
};

}  // namespace tars
