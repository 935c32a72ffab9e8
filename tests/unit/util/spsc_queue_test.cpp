// TC_SpscQueue and TC_SleepFlag: FIFO through the ring and the spill, drains in batches
// of what was pushed before, the close handshake, and no lost wake-up for a consumer that
// sleeps between batches.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <semaphore>
#include <thread>
#include <vector>

#include "test_util.h"
#include "util/tc_sleep_flag.h"
#include "util/tc_spsc_queue.h"

using namespace tars;
using tars::test::Watchdog;

namespace {

std::vector<int> drainAll(TC_SpscQueue<int>& q) {
    std::vector<int> out;
    q.drain([&](int v) noexcept { out.push_back(v); });
    return out;
}

std::vector<int> range(int from, int to) {
    std::vector<int> v;
    for (int i = from; i < to; ++i) v.push_back(i);
    return v;
}

}  // namespace

TEST(TC_SpscQueue, KeepsOrderPastTheRingCapacity) {
    TC_SpscQueue<int> q(4);
    EXPECT_FALSE(q.hasWork());
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(q.push(i));  // 4 in the ring, 6 spilled
    EXPECT_TRUE(q.hasWork());
    EXPECT_EQ(drainAll(q), range(0, 10));
    EXPECT_FALSE(q.hasWork());
    // The ring is in use again after the spill was taken.
    for (int i = 10; i < 13; ++i) ASSERT_TRUE(q.push(i));
    EXPECT_EQ(drainAll(q), range(10, 13));
}

// While the consumer takes the spill, the producer goes on: the elements pushed then come
// after the spilled ones, though the ring has room again.
TEST(TC_SpscQueue, PushesDuringTheDrainOfASpillStayBehindIt) {
    TC_SpscQueue<int> q(4);
    for (int i = 0; i < 6; ++i) ASSERT_TRUE(q.push(i));  // ring 0..3, spilled 4, 5
    int next = 6;
    std::vector<int> seen;
    // The same thread plays the producer inside the drain (one push per element taken).
    size_t taken = q.drain([&](int v) noexcept {
        seen.push_back(v);
        q.push(next++);
    });
    // The 6 pushed before the drain, and 4 pushed into the spill meanwhile, taken with it.
    EXPECT_EQ(taken, 10u);
    while (q.hasWork()) {
        q.drain([&](int v) noexcept { seen.push_back(v); });
    }
    EXPECT_EQ(seen, range(0, next));
}

TEST(TC_SpscQueue, DrainTakesWhatWasPushedBeforeItAndLaterPushesWait) {
    TC_SpscQueue<int> q(16);
    for (int i = 0; i < 3; ++i) q.push(i);
    int next = 3;
    std::vector<int> first;
    EXPECT_EQ(q.drain([&](int v) noexcept {
        first.push_back(v);
        q.push(next++);
    }),
              3u);
    EXPECT_EQ(first, range(0, 3));
    EXPECT_TRUE(q.hasWork());
    EXPECT_EQ(drainAll(q), range(3, 6));
    EXPECT_EQ(q.drain([](int) noexcept {}), 0u);
}

TEST(TC_SpscQueue, PushFailsOnceClosedAndLeavesItsArgument) {
    TC_SpscQueue<std::unique_ptr<int>> q(2);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(q.push(std::make_unique<int>(i)));
    EXPECT_FALSE(q.isClosed());
    q.close();
    EXPECT_TRUE(q.isClosed());
    auto late = std::make_unique<int>(99);
    EXPECT_FALSE(q.push(std::move(late)));
    ASSERT_NE(late, nullptr);
    EXPECT_EQ(*late, 99);
    std::vector<int> left;
    q.drain([&](std::unique_ptr<int>&& p) noexcept { left.push_back(*p); });
    EXPECT_EQ(left, range(0, 3)) << "what was pushed before the close is still drained";
}

TEST(TC_SpscQueue, FinishedOnceTheProducerIsDoneAndAllIsDrained) {
    TC_SpscQueue<int> q(4);
    q.push(1);
    EXPECT_FALSE(q.finished());
    q.producerDone();
    EXPECT_FALSE(q.finished()) << "an element is left";
    drainAll(q);
    EXPECT_TRUE(q.finished());
}

TEST(TC_SpscQueue, DestroysWhatItStillHolds) {
    auto p = std::make_shared<int>(1);
    {
        TC_SpscQueue<std::shared_ptr<int>> q(2);
        for (int i = 0; i < 5; ++i) q.push(p);  // 2 in the ring, 3 spilled
        EXPECT_EQ(p.use_count(), 6);
    }
    EXPECT_EQ(p.use_count(), 1);
}

TEST(TC_SleepFlag, OneWakePerSleep) {
    TC_SleepFlag flag;
    EXPECT_FALSE(flag.wakeNeeded()) << "the consumer is up";
    flag.aboutToSleep();
    EXPECT_TRUE(flag.wakeNeeded());
    EXPECT_FALSE(flag.wakeNeeded()) << "a second producer finds it woken already";
    flag.aboutToSleep();
    flag.awake();
    EXPECT_FALSE(flag.wakeNeeded());
}

namespace {

// One consumer thread with several producer queues, sleeping on a semaphore between
// batches as an event loop sleeps in epoll_wait. Each producer pushes 0..perProducer-1.
struct Consumer {
    explicit Consumer(size_t producers, size_t ringCapacity) {
        for (size_t i = 0; i < producers; ++i) queues.push_back(std::make_unique<TC_SpscQueue<int>>(ringCapacity));
        next.assign(producers, 0);
    }
    // Producer i.
    void push(size_t i, int v) {
        ASSERT_TRUE(queues[i]->push(v));
        if (flag.wakeNeeded()) {
            wakes.fetch_add(1);
            semaphore.release();
        }
    }
    // Runs until every producer's perProducer elements came; false on a lost wake-up.
    bool run(int perProducer) {
        const int total = perProducer * static_cast<int>(queues.size());
        while (received < total) {
            flag.aboutToSleep();
            ++announced;
            bool work = false;
            for (auto& q : queues) work = work || q->hasWork();
            if (!work) {
                ++sleeps;
                // Bounded: with work pending and no wake coming, this is the lost wake-up.
                if (!semaphore.try_acquire_for(std::chrono::seconds(20))) return false;
            }
            flag.awake();
            for (size_t i = 0; i < queues.size(); ++i) {
                queues[i]->drain([&](int v) noexcept {
                    if (v != next[i]) ++outOfOrder;
                    next[i] = v + 1;
                    ++received;
                });
            }
        }
        return true;
    }

    std::vector<std::unique_ptr<TC_SpscQueue<int>>> queues;
    TC_SleepFlag flag;
    std::counting_semaphore<1 << 20> semaphore{0};
    std::atomic<int> wakes{0};
    int announced = 0;
    int sleeps = 0;
    int received = 0;
    int outOfOrder = 0;
    std::vector<int> next;
};

}  // namespace

// No loss, no duplicate, per-producer order, and a wake only for a consumer that announced
// its sleep (at most one per sleep). A small ring makes the producers spill often.
TEST(TC_SpscQueue, StressProducersAndASleepingConsumer) {
    Watchdog watchdog(std::chrono::seconds(45), "StressProducersAndASleepingConsumer");
    constexpr size_t kProducers = 3;
    constexpr int kPerProducer = 100000;
    Consumer consumer(kProducers, 8);
    std::vector<std::thread> producers;
    for (size_t p = 0; p < kProducers; ++p) {
        producers.emplace_back([&, p] {
            for (int i = 0; i < kPerProducer; ++i) {
                consumer.push(p, i);
                if (i % 4096 == 0) std::this_thread::yield();  // let the consumer fall asleep at times
            }
            consumer.queues[p]->producerDone();
        });
    }
    bool ok = consumer.run(kPerProducer);
    for (auto& t : producers) t.join();
    EXPECT_TRUE(ok) << "the consumer slept with work queued and nobody woke it";
    EXPECT_EQ(consumer.received, kPerProducer * static_cast<int>(kProducers));
    EXPECT_EQ(consumer.outOfOrder, 0);
    for (size_t p = 0; p < kProducers; ++p) {
        EXPECT_EQ(consumer.next[p], kPerProducer);
        EXPECT_TRUE(consumer.queues[p]->finished());
    }
    EXPECT_LE(consumer.wakes.load(), consumer.announced) << "one wake per announced sleep at most";
    EXPECT_GT(consumer.sleeps, 0) << "the consumer never slept: the wake path was not exercised";
}

// The close races with a producer: every push that returned true is drained once, and
// none after the close returned.
TEST(TC_SpscQueue, StressCloseWhileTheProducerPushes) {
    Watchdog watchdog(std::chrono::seconds(45), "StressCloseWhileTheProducerPushes");
    for (int round = 0; round < 50; ++round) {
        TC_SpscQueue<int> q(16);
        std::atomic<int> accepted{0};
        std::atomic<bool> started{false};
        std::thread producer([&] {
            for (int i = 0; i < 1000000; ++i) {
                if (!q.push(i)) break;
                accepted.store(i + 1, std::memory_order_relaxed);
                started.store(true, std::memory_order_release);
            }
        });
        int expect = 0;
        int wrong = 0;
        auto take = [&](int v) noexcept {
            if (v != expect) ++wrong;
            expect = v + 1;
        };
        while (!started.load(std::memory_order_acquire)) std::this_thread::yield();
        for (int i = 0; i < round % 5; ++i) q.drain(take);
        q.close();
        q.drain(take);
        producer.join();
        EXPECT_EQ(wrong, 0);
        EXPECT_EQ(expect, accepted.load()) << "round " << round;
        EXPECT_FALSE(q.hasWork());
    }
}
