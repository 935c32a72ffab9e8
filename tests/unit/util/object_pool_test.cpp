// TC_BlockPool, TC_PoolAllocator, TC_ObjectPool: reuse on the thread that gave back, the
// capacity bound, memory crossing threads, and a give-back during thread exit after the
// thread's cache is gone. Each test uses pools of its own (a Capacity no other uses), as
// the caches are per thread and per type.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "test_util.h"
#include "util/tc_object_pool.h"

using namespace tars;
using tars::test::Watchdog;

TEST(TC_BlockPool, ReusesTheLastBlockGivenBackOnThisThread) {
    using Pool = TC_BlockPool<48, 101>;
    void* a = Pool::allocate();
    void* b = Pool::allocate();
    EXPECT_NE(a, b);
    EXPECT_EQ(Pool::cached(), 0u);
    Pool::deallocate(a);
    Pool::deallocate(b);
    EXPECT_EQ(Pool::cached(), 2u);
    EXPECT_EQ(Pool::allocate(), b);
    EXPECT_EQ(Pool::allocate(), a);
    EXPECT_EQ(Pool::cached(), 0u);
    Pool::deallocate(a);
    Pool::deallocate(b);
}

TEST(TC_BlockPool, KeepsAtMostCapacityBlocks) {
    using Pool = TC_BlockPool<32, 2>;
    std::vector<void*> blocks;
    for (int i = 0; i < 5; ++i) blocks.push_back(Pool::allocate());
    for (void* p : blocks) Pool::deallocate(p);  // 2 kept, 3 freed (ASan/valgrind: no leak)
    EXPECT_EQ(Pool::cached(), 2u);
}

TEST(TC_BlockPool, ABlockGivenBackOnAnotherThreadGoesToThatThreadsCache) {
    using Pool = TC_BlockPool<64, 102>;
    void* p = Pool::allocate();
    size_t otherCached = 0;
    std::thread([&] {
        Pool::deallocate(p);
        otherCached = Pool::cached();
    }).join();  // the other thread's cache frees p as the thread ends
    EXPECT_EQ(otherCached, 1u);
    EXPECT_EQ(Pool::cached(), 0u);
}

TEST(TC_PoolAllocator, SharedPtrControlBlocksAreReused) {
    struct Payload {
        char bytes[40];
    };
    TC_PoolAllocator<Payload, 103> allocator;
    auto first = std::allocate_shared<Payload>(allocator);
    Payload* address = first.get();
    first.reset();
    auto second = std::allocate_shared<Payload>(allocator);
    EXPECT_EQ(second.get(), address) << "the same block, from this thread's cache";
    // Arrays are not pooled.
    int* array = TC_PoolAllocator<int, 103>().allocate(3);
    TC_PoolAllocator<int, 103>().deallocate(array, 3);
}

namespace {

struct Counted {
    static inline std::atomic<int> live{0};
    Counted() { ++live; }
    ~Counted() { --live; }
    Counted(const Counted&) = delete;
    Counted& operator=(const Counted&) = delete;
    std::string text;
    int resets = 0;
};

}  // namespace

TEST(TC_ObjectPool, GivesBackResetObjectsAndKeepsTheirCapacity) {
    using Pool = TC_ObjectPool<Counted, 2>;
    EXPECT_EQ(Pool::take(), nullptr);
    auto object = std::make_unique<Counted>();
    object->text.assign(1000, 'x');
    Counted* address = object.get();
    Pool::give(std::move(object), [](Counted& c) {
        c.text.clear();
        ++c.resets;
    });
    EXPECT_EQ(Pool::cached(), 1u);
    std::unique_ptr<Counted> again = Pool::take();
    ASSERT_EQ(again.get(), address);
    EXPECT_TRUE(again->text.empty());
    EXPECT_GE(again->text.capacity(), 1000u);
    EXPECT_EQ(again->resets, 1);
    Pool::give(std::move(again));
}

TEST(TC_ObjectPool, BeyondCapacityObjectsAreDestroyedWithoutAReset) {
    using Pool = TC_ObjectPool<Counted, 3>;
    int before = Counted::live.load();
    int resets = 0;
    for (int i = 0; i < 5; ++i) Pool::give(std::make_unique<Counted>(), [&](Counted&) { ++resets; });
    EXPECT_EQ(resets, 3);
    EXPECT_EQ(Pool::cached(), 3u);
    EXPECT_EQ(Counted::live.load(), before + 3);
    while (Pool::take() != nullptr) {
    }
    EXPECT_EQ(Counted::live.load(), before);
}

namespace {

// Made before the pools on its thread, so destroyed after them: gives back then.
struct GivesBackAtExit {
    void* block = nullptr;
    std::unique_ptr<Counted> object;
    size_t blocksCachedAtExit = 99;
    size_t objectsCachedAtExit = 99;
    std::atomic<bool>* ran = nullptr;
    ~GivesBackAtExit() {
        if (ran == nullptr) return;
        blocksCachedAtExit = TC_BlockPool<24, 104>::cached();
        objectsCachedAtExit = TC_ObjectPool<Counted, 104>::cached();
        TC_BlockPool<24, 104>::deallocate(block);  // freed, not cached (ASan: no leak)
        TC_ObjectPool<Counted, 104>::give(std::move(object));
        ran->store(blocksCachedAtExit == 0 && objectsCachedAtExit == 0 && TC_BlockPool<24, 104>::cached() == 0 &&
                   TC_ObjectPool<Counted, 104>::cached() == 0);
    }
};

}  // namespace

TEST(TC_ObjectPool, GivingBackDuringThreadExitAfterTheCacheIsGoneFrees) {
    int before = Counted::live.load();
    std::atomic<bool> ran{false};
    std::thread([&] {
        thread_local GivesBackAtExit holder;  // constructed first: destroyed last
        holder.ran = &ran;
        holder.block = TC_BlockPool<24, 104>::allocate();                // the block cache is made here
        TC_ObjectPool<Counted, 104>::give(std::make_unique<Counted>());  // and the object cache
        holder.object = std::make_unique<Counted>();
    }).join();
    EXPECT_TRUE(ran.load()) << "the give-backs found no cache and freed";
    EXPECT_EQ(Counted::live.load(), before) << "both objects were destroyed";
}

// Producer threads allocate blocks and objects, fill them with a pattern, and pass them to
// consumer threads that check the pattern and give them back (into the consumers' caches);
// producers also reuse from their own caches. Nothing is corrupted, lost or freed twice
// (ASan/TSan builds), and every object is destroyed once every thread has ended.
TEST(TC_ObjectPool, StressAcrossThreads) {
    Watchdog watchdog(std::chrono::seconds(45), "TC_ObjectPool StressAcrossThreads");
    using Blocks = TC_BlockPool<64, 105>;
    using Objects = TC_ObjectPool<Counted, 105>;
    constexpr int kThreads = 4;
    constexpr int kItems = 20000;
    int before = Counted::live.load();
    struct Item {
        void* block;
        std::unique_ptr<Counted> object;
        int value;
    };
    std::mutex mutex;
    std::vector<Item> passing;
    std::atomic<int> bad{0};
    std::atomic<int> consumed{0};
    std::atomic<int> producing{kThreads / 2};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads / 2; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kItems; ++i) {
                int value = t * kItems + i;
                void* block = Blocks::allocate();
                std::memset(block, value & 0xff, 64);
                std::unique_ptr<Counted> object = Objects::take();
                if (!object) object = std::make_unique<Counted>();
                if (!object->text.empty()) ++bad;  // a reset object comes back empty
                object->text = std::to_string(value);
                // Every other item stays on this thread: back into its own caches.
                if (i % 2 == 0) {
                    Blocks::deallocate(block);
                    Objects::give(std::move(object), [](Counted& c) { c.text.clear(); });
                    continue;
                }
                std::lock_guard lock(mutex);
                passing.push_back(Item{block, std::move(object), value});
            }
            --producing;
        });
    }
    for (int t = 0; t < kThreads / 2; ++t) {
        threads.emplace_back([&] {
            std::vector<Item> batch;
            for (;;) {
                bool done = producing.load() == 0;
                {
                    std::lock_guard lock(mutex);
                    batch.swap(passing);
                }
                if (batch.empty()) {
                    if (done) return;
                    std::this_thread::yield();
                    continue;
                }
                for (Item& item : batch) {
                    auto* bytes = static_cast<unsigned char*>(item.block);
                    if (bytes[0] != (item.value & 0xff) || bytes[63] != (item.value & 0xff)) ++bad;
                    if (item.object->text != std::to_string(item.value)) ++bad;
                    Blocks::deallocate(item.block);
                    Objects::give(std::move(item.object), [](Counted& c) { c.text.clear(); });
                    ++consumed;
                }
                batch.clear();
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(consumed.load(), kThreads / 2 * kItems / 2);
    EXPECT_EQ(Counted::live.load(), before) << "every thread's cache destroyed its objects";
}
