// Per-thread caches that keep the memory of finished objects for the next ones, with no
// lock and no shared state:
//   TC_BlockPool<Size>      raw blocks of Size bytes (TC_PoolAllocator<T> is a standard
//                           allocator on it, e.g. for the control blocks of shared_ptrs);
//   TC_ObjectPool<T>        whole finished objects, reset by the caller and kept with the
//                           capacity of their members (strings, vectors) for reuse.
// Each thread has its own cache of at most Capacity entries, made on first use. Memory taken
// on one thread and given back on another goes to the cache of the thread that gives it back
// (a producer/consumer pair moves memory from one to the other); beyond Capacity, and for
// anything but single blocks, it goes to the heap.
//
// Thread exit: a thread's caches free what they hold when the thread ends. Giving back on
// that thread after its cache is gone (from a thread_local destructor that runs later) frees
// at once: a plain thread_local flag (`gone`, trivially destructible, so it lasts until the
// thread's storage goes) records that the cache was destroyed, and a gone cache is never
// made again.
// Ownership: a cache owns what it holds; take()/allocate() hand ownership to the caller.
// Threads: every function is thread-safe (each touches its calling thread's cache only).
// Errors: allocate() throws std::bad_alloc as operator new does; the first use on a thread
// may too (the cache reserves its Capacity). Giving back never throws once the thread's
// cache exists.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace tars {

// Blocks of Size bytes, aligned as operator new aligns.
template <size_t Size, size_t Capacity = 256>
class TC_BlockPool {
public:
    // A block from this thread's cache, or a new one.
    static void* allocate() {
        if (Cache* cache = Cache::get(); cache && !cache->blocks.empty()) {
            void* p = cache->blocks.back();
            cache->blocks.pop_back();
            return p;
        }
        return ::operator new(Size);
    }
    // p: from allocate() (of any thread). Kept in this thread's cache, or freed.
    static void deallocate(void* p) noexcept {
        if (Cache* cache = Cache::get(); cache && cache->blocks.size() < Capacity) {
            cache->blocks.push_back(p);
            return;
        }
        ::operator delete(p);
    }
    // Blocks in this thread's cache (for tests and status).
    static size_t cached() {
        Cache* cache = Cache::get();
        return cache ? cache->blocks.size() : 0;
    }

private:
    struct Cache {
        std::vector<void*> blocks;
        static inline thread_local bool gone = false;
        Cache() { blocks.reserve(Capacity); }
        ~Cache() {
            gone = true;
            for (void* p : blocks) ::operator delete(p);
        }
        Cache(const Cache&) = delete;
        Cache& operator=(const Cache&) = delete;
        static Cache* get() {
            if (gone) return nullptr;
            thread_local Cache cache;
            return &cache;
        }
    };
};

// A standard allocator taking single objects from TC_BlockPool<sizeof(T)> (arrays from the
// heap). Stateless: any two compare equal.
template <typename T, size_t Capacity = 256>
struct TC_PoolAllocator {
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "TC_PoolAllocator: over-aligned type");
    using value_type = T;
    template <typename U>
    struct rebind {
        using other = TC_PoolAllocator<U, Capacity>;
    };

    TC_PoolAllocator() = default;
    template <typename U>
    TC_PoolAllocator(const TC_PoolAllocator<U, Capacity>&) {}  // NOLINT: rebinding is implicit

    T* allocate(size_t n) {
        if (n == 1) return static_cast<T*>(TC_BlockPool<sizeof(T), Capacity>::allocate());
        return static_cast<T*>(::operator new(n * sizeof(T)));
    }
    void deallocate(T* p, size_t n) noexcept {
        if (n == 1) {
            TC_BlockPool<sizeof(T), Capacity>::deallocate(p);
            return;
        }
        ::operator delete(p);
    }
    template <typename U>
    bool operator==(const TC_PoolAllocator<U, Capacity>&) const {
        return true;
    }
};

// Finished objects of type T, ready for reuse.
template <typename T, size_t Capacity = 256>
class TC_ObjectPool {
public:
    // An object from this thread's cache, or nullptr when it has none.
    static std::unique_ptr<T> take() {
        if (Cache* cache = Cache::get(); cache && !cache->objects.empty()) {
            std::unique_ptr<T> object = std::move(cache->objects.back());
            cache->objects.pop_back();
            return object;
        }
        return nullptr;
    }
    // Keeps object in this thread's cache after reset(*object), or destroys it (cache full,
    // thread ending): reset runs only for an object that is kept.
    template <typename Reset>
    static void give(std::unique_ptr<T> object, Reset&& reset) {
        Cache* cache = Cache::get();
        if (cache == nullptr || cache->objects.size() >= Capacity) return;  // destroyed here
        reset(*object);
        cache->objects.push_back(std::move(object));
    }
    static void give(std::unique_ptr<T> object) {
        give(std::move(object), [](T&) {});
    }
    // Objects in this thread's cache (for tests and status).
    static size_t cached() {
        Cache* cache = Cache::get();
        return cache ? cache->objects.size() : 0;
    }

private:
    struct Cache {
        std::vector<std::unique_ptr<T>> objects;
        static inline thread_local bool gone = false;
        Cache() { objects.reserve(Capacity); }
        ~Cache() { gone = true; }
        Cache(const Cache&) = delete;
        Cache& operator=(const Cache&) = delete;
        static Cache* get() {
            if (gone) return nullptr;
            thread_local Cache cache;
            return &cache;
        }
    };
};

}  // namespace tars
