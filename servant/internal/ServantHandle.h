// ServantHandle: the request logic of one handle thread (or, in merge mode, of one network
// thread) for one adapter: it owns one servant instance, so servants need no locking.
//
// For TARS packets it decodes the RequestPacket (undecodable: the connection is closed and
// counted), answers -6 to requests that waited past queuetimeout (or their own iTimeout),
// -4 to requests for another servant, 0 to the built-in tars_ping, and otherwise calls
// Servant::onDispatch, mapping TarsDecodeException to -1 and any other exception to -99
// (sResultDesc = what()). For other protocols it calls doRequest and sends the reply bytes
// in request order per connection, and calls doClose when a connection closes.
//
// Admin commands registered by the servant run under adminLock(), the lock held around
// every request, so they are serialized with requests.
// Threads: one ServantHandle is used by exactly one thread (the one that created it);
// adminLock() is what other threads may take.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "internal/RequestQueue.h"
#include "servant/BindAdapter.h"
#include "servant/NotifyObserver.h"

namespace tars {

class ServantHandle {
public:
    // The lock, and whether the servant is still alive, shared with admin command entries.
    using AdminLock = AdminCommandLock;

    explicit ServantHandle(BindAdapter* adapter);
    ~ServantHandle();
    ServantHandle(const ServantHandle&) = delete;
    ServantHandle& operator=(const ServantHandle&) = delete;

    // Creates the servant and runs its initialize(); "" or the error text.
    std::string initialize();
    // Runs the servant's destroy() and drops it (and its admin commands).
    void destroy();

    // Handle-thread body: take requests from the adapter queue until it is terminated and
    // empty. latch is told when the servant is initialized (or failed).
    void run(StartLatch& latch);

    // Handles one packet or close notice. fromQueue: it waited in the adapter queue (the
    // queue timeout applies).
    void handle(RecvContext& ctx, bool fromQueue);

    BindAdapter* getBindAdapter() const { return _adapter; }
    const std::shared_ptr<AdminLock>& adminLock() const { return _adminLock; }

private:
    BindAdapter* _adapter;
    ServantPtr _servant;
    std::vector<char> _response;  // onDispatch's output, reused from request to request
    std::shared_ptr<AdminLock> _adminLock = std::make_shared<AdminLock>();
};

}  // namespace tars
