#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "util/tc_timeprovider.h"
#include "util/tc_timer.h"

using namespace tars;

TEST(TC_TimeProvider, WallAndSteadyClocksAdvance) {
    auto* tp = TC_TimeProvider::getInstance();
    EXPECT_EQ(tp, TC_TimeProvider::getInstance());
    int64_t ms = tp->getNowMs();
    int64_t us = tp->getNowUs();
    EXPECT_GT(ms, 1600000000000LL);  // after 2020
    EXPECT_LE(ms, us / 1000 + 1);
    EXPECT_NEAR(static_cast<double>(tp->getNow()), static_cast<double>(ms / 1000), 1.0);
    int64_t s1 = TC_TimeProvider::steadyNowUs();
    int64_t s2 = TC_TimeProvider::steadyNowUs();
    EXPECT_LE(s1, s2);
    EXPECT_GE(TNOWMS, ms);
}

TEST(TC_TimerQueue, RunsDueTimersInOrder) {
    TC_TimerQueue q;
    std::vector<int> ran;
    q.schedule(30, [&] { ran.push_back(3); });
    q.schedule(10, [&] { ran.push_back(1); });
    q.schedule(20, [&] { ran.push_back(2); });
    q.schedule(20, [&] { ran.push_back(22); });  // tie: schedule order
    EXPECT_EQ(q.nextExpire(), 10);
    EXPECT_EQ(q.runExpired(5), 0u);
    EXPECT_EQ(q.runExpired(20), 3u);
    EXPECT_EQ(ran, (std::vector<int>{1, 2, 22}));
    EXPECT_EQ(q.size(), 1u);
    EXPECT_EQ(q.runExpired(100), 1u);
    EXPECT_TRUE(q.empty());
    EXPECT_FALSE(q.nextExpire());
}

TEST(TC_TimerQueue, CancelPreventsRun) {
    TC_TimerQueue q;
    int ran = 0;
    auto a = q.schedule(10, [&] { ++ran; });
    auto b = q.schedule(10, [&] { ++ran; });
    EXPECT_NE(a, b);
    EXPECT_TRUE(q.cancel(a));
    EXPECT_FALSE(q.cancel(a));
    EXPECT_EQ(q.runExpired(10), 1u);
    EXPECT_EQ(ran, 1);
    EXPECT_FALSE(q.cancel(b));  // already ran
}

TEST(TC_TimerQueue, CallbackMayCancelAnotherDueTimer) {
    TC_TimerQueue q;
    TC_TimerQueue::TimerId second = 0;
    bool secondRan = false;
    q.schedule(1, [&] { q.cancel(second); });
    second = q.schedule(2, [&] { secondRan = true; });
    q.runExpired(10);
    EXPECT_FALSE(secondRan);
}

TEST(TC_TimerQueue, TimersAddedByCallbacksWaitForNextRun) {
    TC_TimerQueue q;
    int runs = 0;
    std::function<void()> again = [&] {
        ++runs;
        q.schedule(0, again);  // already due, but must not loop forever
    };
    q.schedule(0, again);
    EXPECT_EQ(q.runExpired(5), 1u);
    EXPECT_EQ(q.runExpired(5), 1u);
    EXPECT_EQ(runs, 2);
}

TEST(TC_TimerQueue, RepeatingTimerSkipsMissedRuns) {
    TC_TimerQueue q;
    int runs = 0;
    auto id = q.schedule(
        100, [&] { ++runs; }, 100);
    EXPECT_EQ(q.runExpired(100), 1u);
    EXPECT_EQ(q.nextExpire(), 200);
    EXPECT_EQ(q.runExpired(1000), 1u);  // late: one run, not nine
    EXPECT_EQ(q.nextExpire(), 1100);
    EXPECT_TRUE(q.cancel(id));
    EXPECT_EQ(q.runExpired(5000), 0u);
    EXPECT_EQ(runs, 2);
}

TEST(TC_TimerQueue, WaitTimeForEpoll) {
    TC_TimerQueue q;
    EXPECT_EQ(q.waitTimeMs(0, 500), 500);
    EXPECT_EQ(q.waitTimeMs(0, -1), -1);
    q.schedule(100, [] {});
    EXPECT_EQ(q.waitTimeMs(40, 500), 60);
    EXPECT_EQ(q.waitTimeMs(40, 10), 10);
    EXPECT_EQ(q.waitTimeMs(400, 500), 0);
}

TEST(TC_TimerQueue, PopExpiredHandsCallbacksToTheOwner) {
    TC_TimerQueue q;
    int ran = 0;
    q.schedule(1, [&] { ++ran; });
    q.schedule(
        2, [&] { ran += 10; }, 5);
    std::vector<TC_TimerQueue::Callback> due;
    EXPECT_EQ(q.popExpired(3, due), 2u);
    for (auto& cb : due) cb();
    EXPECT_EQ(ran, 11);
    EXPECT_EQ(q.size(), 1u);  // the repeating one stays
}

TEST(TC_TimerQueue, CancelChurnKeepsHeapBounded) {
    TC_TimerQueue q;
    for (int i = 0; i < 10000; ++i) {
        auto id = q.schedule(1000000 + i, [] {});
        q.cancel(id);
    }
    EXPECT_TRUE(q.empty());
    EXPECT_FALSE(q.nextExpire());
}

namespace {
// Waits (bounded) until pred() holds, woken by notify().
struct Signal {
    std::mutex m;
    std::condition_variable cv;
    template <typename Pred>
    bool waitFor(Pred pred, int ms = 10000) {
        std::unique_lock lock(m);
        return cv.wait_for(lock, std::chrono::milliseconds(ms), pred);
    }
    void notify() {
        std::lock_guard lock(m);
        cv.notify_all();
    }
};
}  // namespace

TEST(TC_Timer, RunsDelayedCallbackOnItsThread) {
    Signal sig;
    std::atomic<bool> ran{false};
    std::thread::id where;
    TC_Timer timer;  // last: stopped before the state its callbacks use
    int64_t start = TC_TimeProvider::steadyNowMs();
    timer.postDelayed(20, [&] {
        where = std::this_thread::get_id();
        ran = true;
        sig.notify();
    });
    ASSERT_TRUE(sig.waitFor([&] { return ran.load(); }));
    EXPECT_GE(TC_TimeProvider::steadyNowMs() - start, 20);
    EXPECT_NE(where, std::this_thread::get_id());
}

TEST(TC_Timer, RepeatedUntilCancelled) {
    Signal sig;
    std::atomic<int> runs{0};
    Signal probe;
    std::atomic<bool> probed{false};
    TC_Timer timer;  // last: stopped before the state its callbacks use
    auto id = timer.postRepeated(1, true, [&] {
        ++runs;
        sig.notify();
    });
    ASSERT_TRUE(sig.waitFor([&] { return runs >= 3; }));
    EXPECT_TRUE(timer.cancel(id));
    // A run may be under way during cancel(); after that, no more.
    int after = runs.load();
    timer.postDelayed(30, [&] {
        probed = true;
        probe.notify();
    });
    ASSERT_TRUE(probe.waitFor([&] { return probed.load(); }));
    EXPECT_LE(runs.load(), after + 1);
}

TEST(TC_Timer, CancelledTimerNeverRunsAndStopDropsPending) {
    std::atomic<int> ran{0};
    {
        TC_Timer timer;
        auto id = timer.postDelayed(60000, [&] { ++ran; });
        EXPECT_EQ(timer.size(), 1u);
        EXPECT_TRUE(timer.cancel(id));
        timer.postDelayed(60000, [&] { ++ran; });
        timer.stopTimer();
    }  // destructor after stopTimer is fine
    EXPECT_EQ(ran.load(), 0);
}

TEST(TC_Timer, ThrowingCallbackDoesNotKillTheThread) {
    Signal sig;
    std::atomic<bool> ran{false};
    TC_Timer timer;
    timer.postDelayed(0, [] { throw std::runtime_error("boom"); });
    timer.postDelayed(1, [&] {
        ran = true;
        sig.notify();
    });
    ASSERT_TRUE(sig.waitFor([&] { return ran.load(); }));
}

TEST(TC_Timer, ManyThreadsPostConcurrently) {
    Signal sig;
    std::atomic<int> ran{0};
    TC_Timer timer;
    std::vector<std::thread> posters;
    for (int t = 0; t < 4; ++t) {
        posters.emplace_back([&] {
            for (int i = 0; i < 250; ++i) {
                timer.postDelayed(i % 5, [&] {
                    ++ran;
                    sig.notify();
                });
            }
        });
    }
    for (auto& t : posters) t.join();
    ASSERT_TRUE(sig.waitFor([&] { return ran.load() == 1000; }));
}
