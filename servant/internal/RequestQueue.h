// RequestQueue: the queue of one adapter between its NetThreads (producers) and its handle
// threads (consumers), built so that handing a request over costs as little as possible.
//
// - Batches: a NetThread pushes every packet it cut during one loop turn with one lock;
//   a handle takes a share of what is queued (at most a 1/consumers part, so the other
//   handles get work too) with one lock, and handles it without touching the queue.
// - Wake-ups only for sleepers: a push signals the condition variable only when a consumer
//   waits on it, and then only as many as the batch can keep busy. A busy handle never
//   sleeps between requests, so under load there is no futex call per request.
// - size() is an atomic counter: the NetThread checks queuecap per packet without the lock.
//   It counts the requests not started yet, those a handle took in its batch included
//   (the handle calls started() as it begins each), so queuecap and the admin's
//   queue.size mean what they meant with a one-at-a-time queue.
// - Buffers come back: a handle returns the packet buffers it is done with when it takes
//   its next batch, and the NetThread takes them when it pushes, so that in steady state
//   cutting a packet reuses a buffer instead of allocating one.
// The elements live in a ring that only grows, so steady state allocates nothing.
//
// Order: FIFO. Two packets of one connection may run on two handles at once (as with any
// queue shared by several handles); protocols without request ids get their replies back
// in order through the sequence numbers of NetThread.
// Threads: every member is thread-safe. terminate() wakes every waiter; afterwards pop()
// no longer waits but still returns what is queued (the drain at shutdown).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "servant/ConnectionState.h"

namespace tars {

// One complete packet on its way from a NetThread to a handle, or the notice that a
// connection closed (for Servant::doClose).
struct RecvContext {
    std::shared_ptr<ConnectionState> conn;
    uint64_t seq = 0;          // order of the reply on its connection (non-TARS protocols), 0 = none
    int64_t recvTimeUs = 0;    // steady clock, when the packet was complete
    std::vector<char> buffer;  // the packet as the parser cut it
    bool closeEvent = false;
};

class RequestQueue {
public:
    // Packet buffers larger than this are freed rather than kept for reuse.
    static constexpr size_t kMaxSpareCapacity = 16 * 1024;
    // Buffers kept for reuse at most, per list (the queue's and each NetThread's): with the
    // size above, at most 8 MiB each even after a burst of large packets.
    static constexpr size_t kMaxSpares = 512;

    RequestQueue() = default;
    RequestQueue(const RequestQueue&) = delete;
    RequestQueue& operator=(const RequestQueue&) = delete;

    // Number of handle threads that pop (a pop takes at most 1/consumers of the queue).
    void setConsumers(size_t n) { _consumers = n < 1 ? 1 : n; }

    // Producer: moves every element of batch in (batch is left empty, its capacity kept)
    // and moves returned buffers into spares (when it holds fewer than half of kMaxSpares).
    void push(std::vector<RecvContext>& batch, std::vector<std::vector<char>>* spares = nullptr);
    void push(RecvContext&& one);

    // Consumer: appends up to a fair share of the queued elements to out; waits for one when
    // wait is true and the queue is empty. Hands back the buffers in done (cleared). False
    // when nothing was taken (terminated, or empty without waiting).
    bool pop(std::vector<RecvContext>& out, std::vector<std::vector<char>>& done, bool wait);

    // Producer: moves returned buffers into spares (up to kMaxSpares). For a producer that
    // ran out of spares between two pushes; false when none were there.
    bool takeReturned(std::vector<std::vector<char>>& spares);

    // Keeps buf for a later producer if it is worth keeping (the caller's spare list).
    static void recycle(std::vector<char>&& buf, std::vector<std::vector<char>>& spares);

    // A consumer begins one element it took: it no longer counts as waiting.
    void started() { _size.fetch_sub(1, std::memory_order_relaxed); }

    // Elements waiting: queued, or taken and not started yet.
    size_t size() const { return _size.load(std::memory_order_relaxed); }
    bool empty() const { return size() == 0; }

    void terminate();
    bool isTerminate() const;
    // Drops whatever is queued (after the consumers stopped).
    void clear();

private:
    // With the lock held.
    void append(RecvContext&& one);
    void grow();
    // Moves returned buffers into spares, up to kMaxSpares in spares.
    void moveReturned(std::vector<std::vector<char>>& spares);

    mutable std::mutex _mutex;
    std::condition_variable _cond;
    std::vector<RecvContext> _ring;  // capacity a power of two (or 0)
    size_t _head = 0;
    size_t _count = 0;
    size_t _sleepers = 0;
    size_t _consumers = 1;
    bool _terminate = false;
    std::atomic<size_t> _size{0};
    std::vector<std::vector<char>> _returned;  // buffers handed back by consumers
    std::atomic<bool> _anyReturned{false};     // !_returned.empty(), readable without the lock
};

}  // namespace tars
