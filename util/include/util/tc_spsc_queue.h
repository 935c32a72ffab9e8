// TC_SpscQueue<T>: an unbounded FIFO from one producer thread to one consumer thread that
// takes in batches (e.g. a caller thread's calls towards one event-loop thread). Lock-free
// in steady state.
//
// push() puts the element in a lock-free ring (TC_SpscRing). When the ring is full it
// spills into a vector under a mutex, and goes on spilling until the consumer has taken
// what spilled, so the order stays FIFO. Every push ends with a seq_cst increment of a
// counter, so that hasWork() and a TC_SleepFlag give exact wake-ups: push, then
// wakeNeeded() on the consumer's flag; the consumer calls aboutToSleep(), then hasWork()
// on each of its queues before it sleeps.
// drain(f) hands f, in order, every element pushed before the drain started (and maybe
// some pushed during it); later ones wait for the next drain. f must not throw.
//
// Shutdown: the consumer calls close(); once it returns every push() fails (returns
// false, its argument untouched), and a push under way when close() began has finished
// (close() waits for it: a few instructions). A drain() after close() takes everything.
// A producer thread that ends calls producerDone(); finished() then tells the consumer
// when it has taken the last element and may forget the queue.
// Ownership: the queue owns what it holds; drain() moves elements out; the destructor
// destroys those left (pointers are not followed).
// Threads: push(), producerDone() and isClosed() on the producer thread; drain(),
// hasWork(), close() and finished() on the consumer thread. One of each at a time.
// Errors: the constructor throws std::invalid_argument for capacity 0; push() may throw
// std::bad_alloc when it spills (the element is then not queued, and the queue stays
// usable).
// T: default-constructible and movable.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "util/tc_spsc_ring.h"

namespace tars {

template <typename T>
class TC_SpscQueue {
public:
    static constexpr size_t kDefaultRingCapacity = 1024;

    explicit TC_SpscQueue(size_t ringCapacity = kDefaultRingCapacity) : _ring(ringCapacity) {}
    TC_SpscQueue(const TC_SpscQueue&) = delete;
    TC_SpscQueue& operator=(const TC_SpscQueue&) = delete;

    // ---- producer
    // Queues t; false (t untouched) once the queue is closed.
    bool push(T&& t) {
        // The bracket close() waits for. Dekker with close(): either this load sees the
        // close, or close() sees the bracket and waits until the push has counted.
        _pushing.store(true, std::memory_order_seq_cst);
        if (_closed.load(std::memory_order_seq_cst)) {
            _pushing.store(false, std::memory_order_release);
            return false;
        }
        if (_spilling || !_ring.push(std::move(t))) [[unlikely]] {
            spill(std::move(t));  // ends the bracket itself if it throws
        }
        _pushed.fetch_add(1, std::memory_order_seq_cst);
        _pushing.store(false, std::memory_order_release);
        return true;
    }
    bool push(const T& t) {
        T copy(t);
        return push(std::move(copy));
    }
    // The producer thread pushes no more (it is ending).
    void producerDone() { _producerDone.store(true, std::memory_order_release); }
    bool isClosed() const { return _closed.load(std::memory_order_acquire); }

    // ---- consumer
    // Something was pushed that no drain took yet (seq_cst: the consumer's side of the
    // TC_SleepFlag protocol).
    bool hasWork() const { return _pushed.load(std::memory_order_seq_cst) != _popped; }

    // Moves every element pushed before now into f(T&&), in push order; returns how many.
    template <typename F>
    size_t drain(F&& f) {
        static_assert(std::is_nothrow_invocable_v<F&, T&&>, "TC_SpscQueue::drain: f must be noexcept");
        const uint64_t start = _popped;
        const uint64_t target = _pushed.load(std::memory_order_acquire);
        T item{};
        while (_popped < target) {
            if (_ring.pop(item)) {
                ++_popped;
                f(std::move(item));
                continue;
            }
            takeSpilled();
            for (T& spilled : _spilled) {
                ++_popped;
                f(std::move(spilled));
            }
            _spilled.clear();
        }
        return static_cast<size_t>(_popped - start);
    }

    // No push succeeds once this returns (see above).
    void close() {
        _closed.store(true, std::memory_order_seq_cst);
        while (_pushing.load(std::memory_order_seq_cst)) std::this_thread::yield();
    }

    // The producer is done and every element it pushed was drained.
    bool finished() const {
        return _producerDone.load(std::memory_order_acquire) && _popped == _pushed.load(std::memory_order_acquire);
    }

private:
    // Producer: the ring is full, or earlier elements wait in the spill vector. Out of
    // line, so that the push that fits in the ring stays small enough to inline.
    [[gnu::noinline]] void spill(T&& t) {
        try {
            std::lock_guard lock(_spillMutex);
            if (_spilling && _spill.empty()) {
                // The consumer took the spilled elements, and it takes them only when the
                // ring is empty: the ring is next in line again.
                _spilling = false;
                if (_ring.push(std::move(t))) return;
            }
            _spill.push_back(std::move(t));
            _spilling = true;
        } catch (...) {
            _pushing.store(false, std::memory_order_release);  // close() must not wait for it
            throw;
        }
    }

    // Consumer: takes the spilled elements once the ring is empty. Under the lock a
    // non-empty spill vector means the producer is spilling and leaves the ring alone, so
    // every element of the ring is older than every spilled one.
    void takeSpilled() {
        std::lock_guard lock(_spillMutex);
        if (_ring.empty()) _spilled.swap(_spill);
    }

    TC_SpscRing<T> _ring;
    std::atomic<uint64_t> _pushed{0};
    std::atomic<bool> _pushing{false};
    std::atomic<bool> _producerDone{false};
    bool _spilling = false;  // producer only
    std::mutex _spillMutex;
    std::vector<T> _spill;  // under _spillMutex

    // Consumer only (and close(), set by the consumer), apart from the producer's fields.
    alignas(64) uint64_t _popped = 0;
    std::vector<T> _spilled;
    std::atomic<bool> _closed{false};
};

}  // namespace tars
