// FakeNode: a tarsnode's ServerF (tars.tarsnode.ServerObj) in the test process, on a
// TC_EpollServer of its own, recording every call it gets (one handle thread, so in
// arrival order). The tests start a server process pointed at it and read the calls.
// Threads: calls() and waitFor() from the test thread; the servant records from its
// handle thread. The destructor stops the server.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "servant/TC_EpollServer.h"

namespace tars::test {

struct NodeCall {
    std::string method;  // keepAlive, keepActiving, reportVersion
    std::string application;
    std::string serverName;
    int pid = 0;
    std::string adapter;  // keepAlive
    std::string version;  // reportVersion
    int64_t atMs = 0;     // steady clock
};

class FakeNode {
public:
    FakeNode();
    ~FakeNode();
    FakeNode(const FakeNode&) = delete;
    FakeNode& operator=(const FakeNode&) = delete;

    // "tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p <port> -t 60000"
    std::string objectString() const;
    std::vector<NodeCall> calls() const;
    // Waits (bounded) until pred holds for the calls so far; true if it did.
    bool waitFor(const std::function<bool(const std::vector<NodeCall>&)>& pred, int timeoutMs = 10000) const;

    struct Recorder {
        mutable std::mutex mutex;
        mutable std::condition_variable changed;
        std::vector<NodeCall> calls;
        void add(NodeCall call);
    };

private:
    ReservedPort _port;
    std::shared_ptr<Recorder> _recorder;
    std::unique_ptr<TC_EpollServer> _server;
};

}  // namespace tars::test
