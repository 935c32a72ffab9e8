// TC_WaitState / TC_WaitWord: the end of an event reaches its waiter whether the waiter is
// awake or asleep (on its state or on the shared word), a batch wakes exactly the waiters
// it ended, and a waiter may free its state as soon as wait() returns.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"
#include "util/tc_timeprovider.h"
#include "util/tc_wait_word.h"

using namespace tars;
using tars::test::Watchdog;

namespace {

pid_t currentTid() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

// The scheduler state of one of this process's threads ('R', 'S', ...).
char threadState(pid_t tid) {
    std::ifstream in("/proc/self/task/" + std::to_string(tid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t paren = stat.rfind(')');
    return paren == std::string::npos || paren + 2 >= stat.size() ? '?' : stat[paren + 2];
}

// A thread that waits on one state; asleep() says once it sleeps in the kernel.
class Waiter {
public:
    Waiter(TC_WaitState& state, TC_WaitWord* word, uint32_t bit) {
        state.setWaker(word, bit);
        _thread = std::thread([this, &state] {
            _tid.store(currentTid());
            state.wait();
            _returned.store(true);
        });
    }
    ~Waiter() {
        if (_thread.joinable()) _thread.join();
    }
    // Waits (bounded) until the thread sleeps; false if it never did within 10 s.
    bool asleep() {
        int64_t deadline = TC_TimeProvider::steadyNowMs() + 10000;
        while (TC_TimeProvider::steadyNowMs() < deadline) {
            pid_t tid = _tid.load();
            if (tid != 0 && threadState(tid) == 'S') return true;
            std::this_thread::yield();
        }
        return false;
    }
    bool returned() const { return _returned.load(); }
    void join() { _thread.join(); }

private:
    std::atomic<pid_t> _tid{0};
    std::atomic<bool> _returned{false};
    std::thread _thread;
};

}  // namespace

TEST(TC_WaitWord, HandsOutThirtyTwoBitsThenNoneAndReusesReleasedOnes) {
    TC_WaitWord word;
    uint32_t all = 0;
    for (uint32_t i = 0; i < TC_WaitWord::kBits; ++i) {
        uint32_t bit = word.takeBit();
        ASSERT_NE(bit, 0u);
        EXPECT_EQ(bit, 1u << i) << "the lowest free bit first";
        EXPECT_EQ(all & bit, 0u) << "each bit once";
        all |= bit;
    }
    EXPECT_EQ(word.takeBit(), 0u);
    word.releaseBit(1u << 7);
    EXPECT_EQ(word.takeBit(), 1u << 7);
    EXPECT_EQ(word.takeBit(), 0u);
}

TEST(TC_WaitState, WaitReturnsAtOnceWhenTheEventEndedFirst) {
    TC_WaitWord word;
    TC_WaitState withBit;
    TC_WaitState alone;
    withBit.setWaker(&word, word.takeBit());
    EXPECT_FALSE(withBit.isDone());
    {
        TC_WaitWord::Wake wake(word);
        wake.end(withBit);
        wake.end(alone);
    }
    EXPECT_TRUE(withBit.isDone());
    withBit.wait();
    alone.wait();
    EXPECT_TRUE(alone.isDone());
}

TEST(TC_WaitState, WaiterSleepingOnItsStateIsWokenByTheEndItself) {
    Watchdog watchdog(std::chrono::seconds(30), "WaiterSleepingOnItsStateIsWokenByTheEndItself");
    TC_WaitWord word;
    TC_WaitState state;
    Waiter waiter(state, nullptr, 0);
    ASSERT_TRUE(waiter.asleep());
    EXPECT_FALSE(waiter.returned());
    TC_WaitWord::Wake wake(word);
    wake.end(state);
    waiter.join();  // before the commit: a waiter without a bit is woken at once
    EXPECT_TRUE(waiter.returned());
}

TEST(TC_WaitWord, OneCommitWakesEveryEndedWaiterOnTheWordAndNoOther) {
    Watchdog watchdog(std::chrono::seconds(30), "OneCommitWakesEveryEndedWaiterOnTheWordAndNoOther");
    TC_WaitWord word;
    TC_WaitState a, b, c;
    Waiter wa(a, &word, word.takeBit());
    Waiter wb(b, &word, word.takeBit());
    Waiter wc(c, &word, word.takeBit());
    ASSERT_TRUE(wa.asleep());
    ASSERT_TRUE(wb.asleep());
    ASSERT_TRUE(wc.asleep());
    {
        TC_WaitWord::Wake wake(word);
        wake.end(a);
        wake.end(b);
        // Ended but not woken yet: the wake is one system call at the commit.
        EXPECT_TRUE(a.isDone());
        EXPECT_FALSE(wa.returned());
        wake.commit();
        wa.join();
        wb.join();
    }
    EXPECT_TRUE(wa.returned());
    EXPECT_TRUE(wb.returned());
    // c's bit was not in the wake: c sleeps on.
    EXPECT_FALSE(c.isDone());
    ASSERT_TRUE(wc.asleep());
    EXPECT_FALSE(wc.returned());
    {
        TC_WaitWord::Wake wake(word);
        wake.end(c);
    }
    wc.join();
    EXPECT_TRUE(wc.returned());
}

TEST(TC_WaitWord, WaiterOnAnotherWordIsWokenAtOnce) {
    Watchdog watchdog(std::chrono::seconds(30), "WaiterOnAnotherWordIsWokenAtOnce");
    TC_WaitWord mine;
    TC_WaitWord other;
    TC_WaitState state;
    Waiter waiter(state, &other, other.takeBit());
    ASSERT_TRUE(waiter.asleep());
    TC_WaitWord::Wake wake(mine);
    wake.end(state);
    waiter.join();
    EXPECT_TRUE(waiter.returned());
}

// The pattern of a sync RPC caller: each waiter thread makes calls one at a time, each call
// with its state; one ending thread answers them in batches, one commit per batch. The
// caller frees the call as soon as wait() returns. No call is lost (the counts), each
// answer is the one written before the end (the payload), the batch never wakes a caller
// whose call did not end (a caller checks its call is done when it returns).
TEST(TC_WaitWord, StressCallersAndOneEnderLoseNoWakeUp) {
    Watchdog watchdog(std::chrono::seconds(45), "StressCallersAndOneEnderLoseNoWakeUp");
    struct Call {
        TC_WaitState state;
        int request = 0;
        int response = 0;
    };
    constexpr int kWithBit = 4;
    constexpr int kWithout = 2;  // sleep on their own state
    constexpr int kCallers = kWithBit + kWithout;
    constexpr int kCalls = 2000;

    auto word = std::make_shared<TC_WaitWord>();
    std::mutex mutex;
    std::vector<Call*> pending;
    std::atomic<int> answered{0};
    std::atomic<int> wrong{0};
    std::atomic<int> returnedEarly{0};

    std::vector<std::thread> callers;
    for (int t = 0; t < kCallers; ++t) {
        callers.emplace_back([&, t] {
            uint32_t bit = t < kWithBit ? word->takeBit() : 0;
            for (int i = 0; i < kCalls; ++i) {
                auto call = std::make_unique<Call>();
                call->request = t * kCalls + i;
                call->state.setWaker(bit != 0 ? word.get() : nullptr, bit);
                {
                    std::lock_guard lock(mutex);
                    pending.push_back(call.get());
                }
                call->state.wait();
                if (!call->state.isDone()) ++returnedEarly;
                if (call->response != 2 * call->request + 1) ++wrong;
                ++answered;
            }  // freed right after its wait
            if (bit != 0) word->releaseBit(bit);
        });
    }
    std::thread ender([&] {
        std::vector<Call*> batch;
        while (answered.load() < kCallers * kCalls) {
            {
                std::lock_guard lock(mutex);
                batch.swap(pending);
            }
            if (batch.empty()) {
                std::this_thread::yield();
                continue;
            }
            TC_WaitWord::Wake wake(*word);
            for (Call* call : batch) {
                call->response = 2 * call->request + 1;
                wake.end(call->state);  // the caller may free call from here on
            }
            batch.clear();
        }
    });
    for (auto& t : callers) t.join();
    ender.join();
    EXPECT_EQ(answered.load(), kCallers * kCalls);
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_EQ(returnedEarly.load(), 0);
    EXPECT_EQ(word->takeBit(), 1u) << "every bit was given back";
}
