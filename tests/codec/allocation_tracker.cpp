#include "allocation_tracker.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<bool> g_tracking{false};
std::atomic<std::size_t> g_largest{0};
}  // namespace

namespace tars::test {
AllocationTracker::AllocationTracker() {
    g_largest = 0;
    g_tracking = true;
}
AllocationTracker::~AllocationTracker() { g_tracking = false; }
std::size_t AllocationTracker::largest() const { return g_largest.load(); }
}  // namespace tars::test

void* operator new(std::size_t size) {
    if (g_tracking.load(std::memory_order_relaxed)) {
        std::size_t seen = g_largest.load(std::memory_order_relaxed);
        while (size > seen && !g_largest.compare_exchange_weak(seen, size)) {
        }
    }
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
