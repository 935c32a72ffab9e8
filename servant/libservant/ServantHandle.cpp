#include "servant/ServantHandle.h"

#include "BaseF.h"
#include "servant/Current.h"
#include "servant/NetThread.h"
#include "servant/NotifyObserver.h"
#include "servant/Servant.h"
#include "servant/TarsProtocol.h"
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
    if (ctx.closeEvent) {
        handleClose(ctx);
    } else if (_adapter->isTarsProtocol()) {
        handleTars(ctx, fromQueue);
    } else {
        handleOther(ctx, fromQueue);
    }
}

void ServantHandle::handleTars(RecvContext& ctx, bool fromQueue) {
    AdapterStats& stats = _adapter->stats();
    CurrentPtr current = Current::create(ctx.conn, true, 0, ctx.recvTimeUs);
    RequestPacket& req = current->mutableRequest();
    try {
        TarsProtocol::decodeRequest(ctx.buffer.data(), ctx.buffer.size(), req);
    } catch (const std::exception& e) {
        stats.closedBadPacket.fetch_add(1, std::memory_order_relaxed);
        TLOGERROR("[servant] " << _adapter->getName() << ": undecodable RequestPacket from " << ctx.conn->ip << ":"
                               << ctx.conn->port << ", closing: " << e.what() << std::endl);
        Current::post(ctx.conn, 0, std::string(), true);
        return;
    }
    stats.requests.fetch_add(1, std::memory_order_relaxed);
    if (req.cPacketType == TARSONEWAY) stats.oneway.fetch_add(1, std::memory_order_relaxed);

    int64_t startUs = TC_TimeProvider::steadyNowUs();
    int64_t waitedMs = (startUs - ctx.recvTimeUs) / 1000;
    stats.queueWait.record(startUs - ctx.recvTimeUs);
    if (fromQueue && (waitedMs > _adapter->getQueueTimeout() || (req.iTimeout > 0 && waitedMs > req.iTimeout))) {
        TLOGWARN("[servant] " << req.sServantName << "." << req.sFuncName << " id " << req.iRequestId << " waited "
                              << waitedMs << " ms in the queue: answered -6" << std::endl);
        current->sendResponse(TARSSERVERQUEUETIMEOUT, {}, {}, "queue timeout");
        return;
    }
    if (req.sServantName != _adapter->getServant()) {
        current->sendResponse(TARSSERVERNOSERVANTERR, {}, {},
                              "no servant " + req.sServantName + " on adapter " + _adapter->getName());
        return;
    }
    if (req.sFuncName == "tars_ping") {
        current->sendResponse(TARSSERVERSUCCESS);
        return;
    }

    int ret = TARSSERVERSUCCESS;
    std::string desc;
    std::vector<char>& response = _response;
    response.clear();
    current->beginDispatch();
    {
        std::lock_guard guard(_adminLock->mutex);
        try {
            ret = _servant->onDispatch(current, response);
        } catch (const TarsDecodeException& e) {
            ret = TARSSERVERDECODEERR;
            desc = e.what();
        } catch (const std::exception& e) {
            ret = TARSSERVERUNKNOWNERR;
            desc = e.what();
        } catch (...) {
            ret = TARSSERVERUNKNOWNERR;
            desc = "unknown exception";
        }
    }
    stats.handleTime.record(TC_TimeProvider::steadyNowUs() - startUs);
    if (ret != TARSSERVERSUCCESS && ret != TARSSERVERNOFUNCERR) {
        TLOGDEBUG("[servant] " << req.sServantName << "." << req.sFuncName << " id " << req.iRequestId << " answered "
                               << ret << (desc.empty() ? "" : ": ") << desc << std::endl);
    }
    if (current->isResponse()) {
        if (ret == TARSSERVERNOFUNCERR && desc.empty()) desc = "no function " + req.sFuncName;
        static const std::vector<char> kNoResult;
        current->sendResponse(ret, ret == TARSSERVERSUCCESS ? response : kNoResult, {}, desc);
    }
    if (current->endDispatch()) Current::post(ctx.conn, 0, std::string(), true);
    // The generated encoder reuses this buffer's capacity; one large reply must not stay
    // pinned in the handle.
    if (response.capacity() > kMaxKeptResponse) std::vector<char>().swap(response);
}

void ServantHandle::handleOther(RecvContext& ctx, bool fromQueue) {
    AdapterStats& stats = _adapter->stats();
    stats.requests.fetch_add(1, std::memory_order_relaxed);
    int64_t startUs = TC_TimeProvider::steadyNowUs();
    stats.queueWait.record(startUs - ctx.recvTimeUs);
    if (fromQueue && (startUs - ctx.recvTimeUs) / 1000 > _adapter->getQueueTimeout()) {
        // A protocol we do not know has no error reply, and its replies are ordered:
        // the connection is closed rather than left without an answer.
        stats.countResult(TARSSERVERQUEUETIMEOUT);
        stats.closedByServer.fetch_add(1, std::memory_order_relaxed);
        TLOGWARN("[servant] " << _adapter->getName() << ": packet from " << ctx.conn->ip << ":" << ctx.conn->port
                              << " timed out in the queue, closing the connection" << std::endl);
        Current::post(ctx.conn, ctx.seq, std::string(), true);
        return;
    }
    CurrentPtr current = Current::create(ctx.conn, false, ctx.seq, ctx.recvTimeUs);
    current->setRawRequest(std::move(ctx.buffer));
    std::vector<char> response;
    bool failed = false;
    current->beginDispatch();
    {
        std::lock_guard guard(_adminLock->mutex);
        try {
            int ret = _servant->doRequest(current, response);
            if (ret != 0) {
                TLOGDEBUG("[servant] " << _adapter->getServant() << " doRequest returned " << ret << std::endl);
            }
        } catch (const std::exception& e) {
            failed = true;
            TLOGERROR("[servant] " << _adapter->getServant() << " doRequest threw: " << e.what() << std::endl);
        } catch (...) {
            failed = true;
            TLOGERROR("[servant] " << _adapter->getServant() << " doRequest threw" << std::endl);
        }
    }
    stats.handleTime.record(TC_TimeProvider::steadyNowUs() - startUs);
    bool close = current->endDispatch() || failed;
    if (failed) stats.countResult(TARSSERVERUNKNOWNERR);
    if (!response.empty()) stats.responses.fetch_add(1, std::memory_order_relaxed);
    // Always post, even empty: it releases the replies queued behind this one.
    if (response.size() >= NetThread::kMoveThreshold) {
        Current::post(ctx.conn, ctx.seq, std::string(response.begin(), response.end()), close);
    } else {
        Current::post(ctx.conn, ctx.seq, std::string_view(response.data(), response.size()), close);
    }
}

void ServantHandle::handleClose(RecvContext& ctx) {
    auto current = std::make_shared<Current>(ctx.conn, false, 0, ctx.recvTimeUs);
    std::lock_guard guard(_adminLock->mutex);
    try {
        _servant->doClose(current);
    } catch (const std::exception& e) {
        TLOGERROR("[servant] " << _adapter->getServant() << " doClose threw: " << e.what() << std::endl);
    }
}

}  // namespace tars
