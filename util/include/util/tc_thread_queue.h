// TC_ThreadQueue<T>: an unbounded FIFO shared by any number of producer and consumer
// threads (one mutex, one condition variable).
//
// Waiting: pop_front/swap take a timeout in milliseconds: 0 = do not wait (the default),
// kWaitForever = until an element arrives, notifyT() or terminate(). Waiters woken by
// notifyT() or terminate() return false when nothing is there (that is how owners
// stop their consumer threads); after terminate() no call waits any more, but queued
// elements can still be popped (drain on shutdown).
// Ownership: elements are moved in and moved out; the queue owns what it holds.
// Thread-safety: every member is thread-safe. Errors: none (std::bad_alloc aside).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <utility>

namespace tars {

template <typename T, typename Container = std::deque<T>>
class TC_ThreadQueue {
public:
    using queue_type = Container;
    static constexpr size_t kWaitForever = static_cast<size_t>(-1);

    TC_ThreadQueue() = default;
    TC_ThreadQueue(const TC_ThreadQueue&) = delete;
    TC_ThreadQueue& operator=(const TC_ThreadQueue&) = delete;

    // Wakes one waiter.
    void push_back(const T& t) { emplace(t, false); }
    void push_back(T&& t) { emplace(std::move(t), false); }
    // Puts t first in line.
    void push_front(T&& t) { emplace(std::move(t), true); }

    // Takes the first element into t; false if none came within millisecond.
    bool pop_front(T& t, size_t millisecond = 0) {
        std::unique_lock lock(_mutex);
        if (!waitFor(lock, millisecond)) return false;
        t = std::move(_queue.front());
        _queue.pop_front();
        return true;
    }

    // Moves every element into q (replacing its content); false if none came within
    // millisecond (q is then empty).
    bool swap(queue_type& q, size_t millisecond = 0) {
        std::unique_lock lock(_mutex);
        q.clear();
        if (!waitFor(lock, millisecond)) return false;
        q.swap(_queue);
        return true;
    }

    // Wakes every waiter; those finding the queue empty return false.
    void notifyT() {
        {
            std::lock_guard lock(_mutex);
            ++_generation;
        }
        _cond.notify_all();
    }

    // Wakes every waiter for good: from now on no call waits.
    void terminate() {
        {
            std::lock_guard lock(_mutex);
            _terminate = true;
            ++_generation;
        }
        _cond.notify_all();
    }
    bool isTerminate() const {
        std::lock_guard lock(_mutex);
        return _terminate;
    }

    size_t size() const {
        std::lock_guard lock(_mutex);
        return _queue.size();
    }
    bool empty() const {
        std::lock_guard lock(_mutex);
        return _queue.empty();
    }
    void clear() {
        std::lock_guard lock(_mutex);
        _queue.clear();
    }

private:
    template <typename U>
    void emplace(U&& t, bool front) {
        {
            std::lock_guard lock(_mutex);
            if (front)
                _queue.push_front(std::forward<U>(t));
            else
                _queue.push_back(std::forward<U>(t));
        }
        _cond.notify_one();
    }

    // With the lock held: true when an element is available.
    bool waitFor(std::unique_lock<std::mutex>& lock, size_t millisecond) {
        if (!_queue.empty()) return true;
        if (millisecond == 0 || _terminate) return false;
        uint64_t generation = _generation;
        auto ready = [&] { return !_queue.empty() || _terminate || _generation != generation; };
        if (millisecond == kWaitForever) {
            _cond.wait(lock, ready);
        } else {
            _cond.wait_for(lock, std::chrono::milliseconds(millisecond), ready);
        }
        return !_queue.empty();
    }

    mutable std::mutex _mutex;
    std::condition_variable _cond;
    Container _queue;
    uint64_t _generation = 0;
    bool _terminate = false;
};

}  // namespace tars
