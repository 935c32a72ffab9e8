#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <numeric>
#include <thread>
#include <vector>

#include "util/tc_spsc_ring.h"
#include "util/tc_thread_queue.h"
#include "util/tc_timeprovider.h"

using namespace tars;

TEST(TC_ThreadQueue, FifoOrderAndNonBlockingPop) {
    TC_ThreadQueue<int> q;
    int v = 0;
    EXPECT_FALSE(q.pop_front(v));  // 0 ms: no wait
    q.push_back(1);
    q.push_back(2);
    q.push_front(0);
    EXPECT_EQ(q.size(), 3u);
    for (int expect = 0; expect < 3; ++expect) {
        ASSERT_TRUE(q.pop_front(v));
        EXPECT_EQ(v, expect);
    }
    EXPECT_TRUE(q.empty());
}

TEST(TC_ThreadQueue, PopTimesOutWhenEmpty) {
    TC_ThreadQueue<int> q;
    int v;
    int64_t start = TC_TimeProvider::steadyNowMs();
    EXPECT_FALSE(q.pop_front(v, 30));
    EXPECT_GE(TC_TimeProvider::steadyNowMs() - start, 25);
}

TEST(TC_ThreadQueue, MoveOnlyElements) {
    TC_ThreadQueue<std::unique_ptr<int>> q;
    q.push_back(std::make_unique<int>(7));
    std::unique_ptr<int> p;
    ASSERT_TRUE(q.pop_front(p));
    EXPECT_EQ(*p, 7);
}

TEST(TC_ThreadQueue, SwapTakesEverything) {
    TC_ThreadQueue<int> q;
    for (int i = 0; i < 5; ++i) q.push_back(i);
    std::deque<int> out{99};
    ASSERT_TRUE(q.swap(out));
    EXPECT_EQ(out, (std::deque<int>{0, 1, 2, 3, 4}));
    EXPECT_TRUE(q.empty());
    EXPECT_FALSE(q.swap(out));
    EXPECT_TRUE(out.empty());
}

TEST(TC_ThreadQueue, NotifyWakesWaitersWithNothing) {
    TC_ThreadQueue<int> q;
    std::atomic<int> returned{0};
    std::vector<std::thread> waiters;
    for (int i = 0; i < 3; ++i) {
        waiters.emplace_back([&] {
            int v;
            // Bounded: a missed notify fails the test after 10 s instead of hanging.
            if (!q.pop_front(v, 10000)) ++returned;
        });
    }
    // Keep notifying until every waiter has returned: a waiter that had not started
    // waiting when one notify went out is caught by the next.
    int64_t deadline = TC_TimeProvider::steadyNowMs() + 10000;
    while (returned < 3 && TC_TimeProvider::steadyNowMs() < deadline) {
        q.notifyT();
        std::this_thread::yield();
    }
    for (auto& t : waiters) t.join();
    EXPECT_EQ(returned.load(), 3);
}

TEST(TC_ThreadQueue, TerminateStopsWaitingButAllowsDrain) {
    TC_ThreadQueue<int> q;
    std::thread waiter([&] {
        int v;
        EXPECT_FALSE(q.pop_front(v, TC_ThreadQueue<int>::kWaitForever));
    });
    q.terminate();
    waiter.join();
    EXPECT_TRUE(q.isTerminate());
    int v;
    int64_t start = TC_TimeProvider::steadyNowMs();
    EXPECT_FALSE(q.pop_front(v, 5000));  // does not wait any more
    EXPECT_LT(TC_TimeProvider::steadyNowMs() - start, 1000);
    q.push_back(5);
    ASSERT_TRUE(q.pop_front(v, 5000));
    EXPECT_EQ(v, 5);
}

TEST(TC_ThreadQueue, ManyProducersManyConsumersLoseNothing) {
    constexpr int kProducers = 4, kConsumers = 3, kPerProducer = 5000;
    TC_ThreadQueue<int> q;
    std::atomic<long> sum{0};
    std::atomic<int> count{0};
    std::vector<std::thread> threads;
    for (int c = 0; c < kConsumers; ++c) {
        threads.emplace_back([&] {
            int v;
            while (true) {
                if (q.pop_front(v, 10000)) {
                    sum += v;
                    ++count;
                } else if (q.isTerminate()) {
                    break;
                }
            }
            while (q.pop_front(v)) {  // drain after terminate
                sum += v;
                ++count;
            }
        });
    }
    std::vector<std::thread> producers;
    for (int p = 0; p < kProducers; ++p) {
        producers.emplace_back([&, p] {
            for (int i = 0; i < kPerProducer; ++i) q.push_back(p * kPerProducer + i);
        });
    }
    for (auto& t : producers) t.join();
    q.terminate();
    for (auto& t : threads) t.join();
    const long n = static_cast<long>(kProducers) * kPerProducer;
    EXPECT_EQ(count.load(), n);
    EXPECT_EQ(sum.load(), n * (n - 1) / 2);
}

TEST(TC_SpscRing, CapacityRoundsUpAndFullFails) {
    TC_SpscRing<int> q(5);
    EXPECT_EQ(q.capacity(), 8u);
    for (int i = 0; i < 8; ++i) EXPECT_TRUE(q.push(i));
    EXPECT_FALSE(q.push(8));
    EXPECT_EQ(q.size(), 8u);
    int v;
    ASSERT_TRUE(q.pop(v));
    EXPECT_EQ(v, 0);
    EXPECT_TRUE(q.push(8));
    EXPECT_THROW(TC_SpscRing<int>(0), std::invalid_argument);
}

TEST(TC_SpscRing, DestroysRemainingElements) {
    auto p = std::make_shared<int>(1);
    {
        TC_SpscRing<std::shared_ptr<int>> q(4);
        q.push(p);
        q.push(p);
        EXPECT_EQ(p.use_count(), 3);
    }
    EXPECT_EQ(p.use_count(), 1);
}

TEST(TC_SpscRing, ProducerConsumerThreadsKeepOrder) {
    constexpr int kItems = 200000;
    TC_SpscRing<std::unique_ptr<int>> q(64);
    std::thread producer([&] {
        int64_t deadline = TC_TimeProvider::steadyNowMs() + 20000;
        for (int i = 0; i < kItems;) {
            if (q.push(std::make_unique<int>(i)))
                ++i;
            else if (TC_TimeProvider::steadyNowMs() > deadline)
                return;
            else
                std::this_thread::yield();
        }
    });
    int expect = 0;
    int64_t deadline = TC_TimeProvider::steadyNowMs() + 20000;
    std::unique_ptr<int> v;
    while (expect < kItems && TC_TimeProvider::steadyNowMs() < deadline) {
        if (q.pop(v)) {
            ASSERT_EQ(*v, expect);
            ++expect;
        } else {
            std::this_thread::yield();
        }
    }
    producer.join();
    EXPECT_EQ(expect, kItems);
}
