#include "internal/ServantHandle.h"

#include "BaseF.h"
#include "servant/Current.h"
#include "internal/NetThread.h"
#include "servant/NotifyObserver.h"
#include "servant/Servant.h"
#include "internal/ServerProtocol.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

ServantHandle::ServantHandle(BindAdapter* adapter) : _adapter(adapter) {}

ServantHandle::~ServantHandle() { destroy(); }

std::string ServantHandle::initialize() {
    try {
        ServantPtr servant = _adapter->createServant();
        if (!servant) return "servant factory of " + _adapter->getServant() + " returned null";
        servant->setName(_adapter->getServant());
        servant->setHandle(this);
        servant->initialize();
        _servant = std::move(servant);
        return "";
    } catch (const std::exception& e) {
        NotifyObserver::getInstance().unregister(_adminLock);
        return "servant " + _adapter->getServant() + " initialize() failed: " + e.what();
    }
}

void ServantHandle::destroy() {
    if (!_servant) return;
    NotifyObserver::getInstance().unregister(_adminLock);
    {
        std::lock_guard guard(_adminLock->mutex);
        _adminLock->alive = false;
    }
    try {
        _servant->destroy();
    } catch (const std::exception& e) {
        TLOGERROR("[servant] " << _adapter->getServant() << " destroy() threw: " << e.what() << std::endl);
    }
    _servant.reset();
}

void ServantHandle::run(StartLatch& latch) {
    std::string error = initialize();
    latch.done(error);
    if (!error.empty()) return;
    RequestQueue& queue = _adapter->queue();
    std::vector<RecvContext> batch;
    std::vector<std::vector<char>> done;  // packet buffers handed back with the next pop
    // pop() waits, and returns false only once the queue is terminated and drained.
    while (queue.pop(batch, done, true)) {
        for (RecvContext& ctx : batch) {
            queue.started();
            handle(ctx, true);
            RequestQueue::recycle(std::move(ctx.buffer), done);
            ctx.conn.reset();
        }
        batch.clear();
    }
    destroy();
}

void ServantHandle::handle(RecvContext& ctx, bool fromQueue) {
    DispatchContext dc{*_adapter, *_servant, _adminLock->mutex, _response};
    if (ctx.closeEvent) {
        _adapter->protocol().dispatchClose(dc, ctx);
    } else {
        _adapter->protocol().dispatch(dc, ctx, fromQueue);
    }
}

}  // namespace tars
