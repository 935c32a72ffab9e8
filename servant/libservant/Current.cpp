#include "servant/Current.h"

#include "BaseF.h"
#include "servant/BindAdapter.h"
#include "internal/NetThread.h"
#include "internal/ServerProtocol.h"
#include "util/tc_logger.h"
#include "util/tc_object_pool.h"

namespace tars {

namespace {

constexpr size_t kCachedPerThread = 256;
// Request buffers larger than this are freed when a Current is recycled.
constexpr size_t kMaxKeptCapacity = 16 * 1024;

// Finished Currents of this thread, and the control blocks of their shared_ptrs.
using CurrentPool = TC_ObjectPool<Current, kCachedPerThread>;
using ControlBlockAllocator = TC_PoolAllocator<Current, kCachedPerThread>;

}  // namespace

struct CurrentRecycler {
    void operator()(Current* current) const {
        CurrentPool::give(std::unique_ptr<Current>(current), [](Current& c) { c.recycle(); });
    }
};

std::shared_ptr<Current> Current::create(std::shared_ptr<ConnectionState> conn, uint64_t seq, int64_t recvTimeUs) {
    std::unique_ptr<Current> current = CurrentPool::take();
    if (current) {
        current->_conn = std::move(conn);
        current->_seq = seq;
        current->_recvTimeUs = recvTimeUs;
    } else {
        current = std::make_unique<Current>(std::move(conn), seq, recvTimeUs);
    }
    // The recycler owns the Current from here on, also if making the shared_ptr throws.
    return std::shared_ptr<Current>(current.release(), CurrentRecycler{}, ControlBlockAllocator{});
}

void Current::recycle() {
    _conn.reset();
    _request.resetDefautlt();
    if (_request.sBuffer.capacity() > kMaxKeptCapacity) std::vector<char>().swap(_request.sBuffer);
    _tarsRequest = true;
    _responseContext.clear();
    _response = true;
    _traceSpan.reset();
    _answered.store(false, std::memory_order_relaxed);
    _dispatchState.store(0, std::memory_order_relaxed);
}

Current::Current(std::shared_ptr<ConnectionState> conn, uint64_t seq, int64_t recvTimeUs)
    : _conn(std::move(conn)), _seq(seq), _recvTimeUs(recvTimeUs) {}

void Current::setRawRequest(std::vector<char>&& raw) {
    _tarsRequest = false;
    _request.sBuffer = std::move(raw);
    if (_conn->adapter) _request.sServantName = _conn->adapter->getServant();
}

namespace {

// The one way out for everything a Current or a handle sends: the connection's NetThread,
// or, when the connection or its thread is gone, NetThread::dropReply (counted there).
bool route(const std::shared_ptr<ConnectionState>& conn, uint64_t seq, std::string_view data, std::string* moved,
           bool close) {
    if (conn->datagram) {  // UDP: one datagram back to the sender; nothing to close
        if (auto owner = conn->owner.lock()) return owner->sendDatagram(conn, data, moved);
        NetThread::dropReply(conn->adapter.get(), conn->uid, moved != nullptr ? moved->size() : data.size());
        return false;
    }
    if (!conn->closed.load(std::memory_order_acquire)) {
        if (auto owner = conn->owner.lock())
            return owner->send(conn->uid, conn->adapter.get(), seq, data, moved, close);
    }
    NetThread::dropReply(conn->adapter.get(), conn->uid, moved != nullptr ? moved->size() : data.size());
    return false;
}

}  // namespace

bool Current::post(const std::shared_ptr<ConnectionState>& conn, uint64_t seq, std::string_view data, bool close) {
    return route(conn, seq, data, nullptr, close);
}

bool Current::post(const std::shared_ptr<ConnectionState>& conn, uint64_t seq, std::string&& data, bool close) {
    return route(conn, seq, {}, &data, close);
}

bool Current::sendResponse(int iRet, const std::vector<char>& buffer, const std::map<std::string, std::string>& status,
                           const std::string& resultDesc) {
    return _conn->adapter->protocol().sendResponse(*this, iRet, buffer, status, resultDesc);
}

bool Current::sendResponse(const char* data, size_t length) {
    if (length == 0) return isConnectionOpen();
    if (length >= NetThread::kMoveThreshold) return post(_conn, 0, std::string(data, length), false);
    return post(_conn, 0, std::string_view(data, length), false);
}

void Current::close() {
    int state = _dispatchState.load(std::memory_order_acquire);
    while (state & kDispatching) {
        if (_dispatchState.compare_exchange_weak(state, state | kCloseRequested, std::memory_order_acq_rel)) return;
    }
    post(_conn, 0, std::string(), true);
}

void Current::beginDispatch() { _dispatchState.store(kDispatching, std::memory_order_release); }

bool Current::endDispatch() { return (_dispatchState.exchange(0, std::memory_order_acq_rel) & kCloseRequested) != 0; }

}  // namespace tars
