#include "servant/Current.h"

#include "BaseF.h"
#include "servant/BindAdapter.h"
#include "internal/NetThread.h"
#include "internal/ServerProtocol.h"
#include "util/tc_logger.h"

namespace tars {

namespace {

constexpr size_t kCachedPerThread = 256;
// Request buffers larger than this are freed when a Current is recycled.
constexpr size_t kMaxKeptCapacity = 16 * 1024;

// A thread's cache of equal-sized blocks (the control blocks of pooled Currents). A block
// freed on another thread goes to that thread's cache. `gone` is a plain thread_local that
// outlives the cache: a release during thread exit, after the cache is destroyed, frees.
template <size_t Size>
struct BlockCache {
    std::vector<void*> blocks;
    static inline thread_local bool gone = false;
    BlockCache() { blocks.reserve(kCachedPerThread); }
    ~BlockCache() {
        gone = true;
        for (void* p : blocks) ::operator delete(p);
    }
    static BlockCache* get() {
        if (gone) return nullptr;
        thread_local BlockCache cache;
        return &cache;
    }
};

template <typename T>
struct CachingAllocator {
    using value_type = T;
    CachingAllocator() = default;
    template <typename U>
    CachingAllocator(const CachingAllocator<U>&) {}  // NOLINT: rebinding is implicit
    T* allocate(size_t n) {
        if (n == 1) {
            if (auto* cache = BlockCache<sizeof(T)>::get(); cache && !cache->blocks.empty()) {
                void* p = cache->blocks.back();
                cache->blocks.pop_back();
                return static_cast<T*>(p);
            }
        }
        return static_cast<T*>(::operator new(n * sizeof(T)));
    }
    void deallocate(T* p, size_t n) {
        if (n == 1) {
            if (auto* cache = BlockCache<sizeof(T)>::get(); cache && cache->blocks.size() < kCachedPerThread) {
                cache->blocks.push_back(p);
                return;
            }
        }
        ::operator delete(p);
    }
    template <typename U>
    bool operator==(const CachingAllocator<U>&) const {
        return true;
    }
};

// Finished Currents of this thread, ready for reuse.
struct CurrentCache {
    std::vector<std::unique_ptr<Current>> currents;
    static inline thread_local bool gone = false;
    CurrentCache() { currents.reserve(kCachedPerThread); }
    ~CurrentCache() { gone = true; }
    static CurrentCache* get() {
        if (gone) return nullptr;
        thread_local CurrentCache cache;
        return &cache;
    }
};

}  // namespace

struct CurrentRecycler {
    void operator()(Current* current) const {
        std::unique_ptr<Current> owned(current);
        CurrentCache* cache = CurrentCache::get();
        if (cache == nullptr || cache->currents.size() >= kCachedPerThread) return;  // freed here
        owned->recycle();
        cache->currents.push_back(std::move(owned));
    }
};

std::shared_ptr<Current> Current::create(std::shared_ptr<ConnectionState> conn, uint64_t seq, int64_t recvTimeUs) {
    std::unique_ptr<Current> current;
    if (CurrentCache* cache = CurrentCache::get(); cache && !cache->currents.empty()) {
        current = std::move(cache->currents.back());
        cache->currents.pop_back();
        current->_conn = std::move(conn);
        current->_seq = seq;
        current->_recvTimeUs = recvTimeUs;
    } else {
        current = std::make_unique<Current>(std::move(conn), seq, recvTimeUs);
    }
    // The recycler owns the Current from here on, also if making the shared_ptr throws.
    return std::shared_ptr<Current>(current.release(), CurrentRecycler{}, CachingAllocator<Current>{});
}

void Current::recycle() {
    _conn.reset();
    _request.resetDefautlt();
    if (_request.sBuffer.capacity() > kMaxKeptCapacity) std::vector<char>().swap(_request.sBuffer);
    _tarsRequest = true;
    _responseContext.clear();
    _response = true;
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

void countDrop(const std::shared_ptr<ConnectionState>& conn) {
    conn->adapter->stats().droppedResponses.fetch_add(1, std::memory_order_relaxed);
    TLOGDEBUG("[servant] reply to " << conn->ip << ":" << conn->port << " (uid " << conn->uid
                                    << ") dropped: connection closed" << std::endl);
}

}  // namespace

bool Current::post(const std::shared_ptr<ConnectionState>& conn, uint64_t seq, std::string_view data, bool close) {
    if (!conn->closed.load(std::memory_order_acquire)) {
        if (auto owner = conn->owner.lock()) {
            if (owner->send(conn->uid, seq, data, close)) return true;
        }
    }
    if (!data.empty()) countDrop(conn);
    return false;
}

bool Current::post(const std::shared_ptr<ConnectionState>& conn, uint64_t seq, std::string&& data, bool close) {
    const bool hasData = !data.empty();
    if (!conn->closed.load(std::memory_order_acquire)) {
        if (auto owner = conn->owner.lock()) {
            NetThread::SendItem item;
            item.uid = conn->uid;
            item.seq = seq;
            item.data = std::move(data);
            item.close = close;
            if (owner->send(std::move(item))) return true;
        }
    }
    if (hasData) {
        conn->adapter->stats().droppedResponses.fetch_add(1, std::memory_order_relaxed);
        TLOGDEBUG("[servant] reply to " << conn->ip << ":" << conn->port << " (uid " << conn->uid
                                        << ") dropped: connection closed" << std::endl);
    }
    return false;
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
