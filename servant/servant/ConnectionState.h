// ConnectionState: what outlives a connection of its NetThread, shared by the Currents of
// its requests so that a reply can be routed from any thread at any time.
//
// The NetThread that owns the connection creates it and is the only one to set `closed`
// (when it closes the socket); every other member is fixed at creation. A Current saved by
// user code keeps its ConnectionState (and thus the BindAdapter) alive, never the socket:
// writing to a connection that is gone is dropped and counted, not a crash.
//
// A request that came in a UDP datagram has a ConnectionState of its own (datagram set):
// its reply goes back to `peer` as one datagram through the adapter's socket, on the
// NetThread that owns that socket; it is never `closed`.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "util/tc_sockaddr.h"

namespace tars {

class BindAdapter;
class NetThread;

struct ConnectionState {
    uint64_t uid = 0;  // unique in the process, never reused
    std::string ip;
    uint16_t port = 0;
    int fd = -1;  // for display only: the fd may be reused once closed
    std::shared_ptr<BindAdapter> adapter;
    std::weak_ptr<NetThread> owner;
    std::atomic<bool> closed{false};
    bool datagram = false;  // a UDP request: the reply goes to peer
    TC_SockAddr peer;
};

}  // namespace tars
