// ConnectionState: what outlives a connection of its NetThread, shared by the Currents of
// its requests so that a reply can be routed from any thread at any time.
//
// The NetThread that owns the connection creates it and is the only one to set `closed`
// (when it closes the socket); every other member is fixed at creation. A Current saved by
// user code keeps its ConnectionState (and thus the BindAdapter) alive, never the socket:
// writing to a connection that is gone is dropped and counted, not a crash.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

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
};

}  // namespace tars
