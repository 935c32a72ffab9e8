// TC_SpscRing<T>: a bounded lock-free ring for exactly one producer thread and one
// consumer thread. TC_SpscQueue (tc_spsc_queue.h) builds the unbounded queue with a
// close and a wake-up protocol on it; use the ring alone where full may fail.
//
// Capacity is rounded up to a power of two. push() fails (returns false, t untouched)
// when full; pop() fails when empty. Neither blocks.
// Thread-safety: push from the single producer, pop from the single consumer;
// size()/empty() from either (approximate while the other side runs).
// Ownership: elements are moved in and out; remaining ones are destroyed with the queue.
// Errors: the constructor throws std::invalid_argument for capacity 0.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <new>
#include <stdexcept>
#include <utility>

namespace tars {

template <typename T>
class TC_SpscRing {
public:
    explicit TC_SpscRing(size_t capacity) {
        if (capacity == 0) throw std::invalid_argument("TC_SpscRing: capacity 0");
        size_t cap = 1;
        while (cap < capacity) cap <<= 1;
        _mask = cap - 1;
        _slots = std::make_unique<Slot[]>(cap);
    }
    ~TC_SpscRing() {
        size_t tail = _tail.load(std::memory_order_acquire);
        for (size_t head = _head.load(std::memory_order_relaxed); head != tail; ++head) {
            _slots[head & _mask].ptr()->~T();
        }
    }
    TC_SpscRing(const TC_SpscRing&) = delete;
    TC_SpscRing& operator=(const TC_SpscRing&) = delete;

    size_t capacity() const { return _mask + 1; }

    // Producer only.
    bool push(T&& t) { return emplace(std::move(t)); }
    bool push(const T& t) { return emplace(t); }

    // Consumer only.
    bool pop(T& out) {
        size_t head = _head.load(std::memory_order_relaxed);
        if (head == _tail.load(std::memory_order_acquire)) return false;
        T* p = _slots[head & _mask].ptr();
        out = std::move(*p);
        p->~T();
        _head.store(head + 1, std::memory_order_release);
        return true;
    }

    size_t size() const {
        size_t tail = _tail.load(std::memory_order_acquire);
        size_t head = _head.load(std::memory_order_acquire);
        return tail - head;
    }
    bool empty() const { return size() == 0; }

private:
    struct Slot {
        alignas(T) unsigned char bytes[sizeof(T)];
        T* ptr() { return std::launder(reinterpret_cast<T*>(bytes)); }
    };

    template <typename U>
    bool emplace(U&& t) {
        size_t tail = _tail.load(std::memory_order_relaxed);
        if (tail - _head.load(std::memory_order_acquire) > _mask) return false;
        ::new (static_cast<void*>(_slots[tail & _mask].bytes)) T(std::forward<U>(t));
        _tail.store(tail + 1, std::memory_order_release);
        return true;
    }

    static constexpr size_t kCacheLine = 64;
    alignas(kCacheLine) std::atomic<size_t> _head{0};  // next slot to pop (consumer)
    alignas(kCacheLine) std::atomic<size_t> _tail{0};  // next slot to fill (producer)
    size_t _mask = 0;
    std::unique_ptr<Slot[]> _slots;
};

}  // namespace tars
