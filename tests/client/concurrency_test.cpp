// Many caller threads at once: each has its own queue per network thread, no call is lost.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "ClientTestUtil.h"
#include "Hello.h"
#include "TestServer.h"
#include "servant/Communicator.h"
#include "internal/CommunicatorEpoll.h"

using namespace tars;
using namespace tars::test;
using TestApp::HelloPrx;

TEST(ConcurrencyTest, SixtyFourThreadsMakeAThousandSyncCallsEach) {
    TestServer server(5);
    server.start();
    Communicator comm;
    comm.setProperty("netthread", "2");
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
    constexpr int kThreads = 64;
    constexpr int kCalls = 1000;
    std::atomic<int> ok{0};
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::string rsp;
            for (int i = 0; i < kCalls; ++i) {
                std::string req = std::to_string(t) + "/" + std::to_string(i);
                try {
                    if (prx->testHello(req, rsp) == 5 && rsp == req)
                        ++ok;
                    else
                        ++wrong;
                } catch (const TarsCallException&) {
                    ++wrong;
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), kThreads * kCalls);
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_EQ(server.requests(), static_cast<uint64_t>(kThreads * kCalls));
}

TEST(ConcurrencyTest, ThreadsComingAndGoingDoNotLoseCalls) {
    TestServer server(5);
    server.start();
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
    auto cb = std::make_shared<RecordingCallback>();
    for (int round = 0; round < 20; ++round) {
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&] {
                for (int i = 0; i < 50; ++i) prx->async_testHello(cb, "x");
            });
        }
        for (auto& t : threads) t.join();  // each thread's queue outlives it until drained
    }
    ASSERT_TRUE(cb->wait(20 * 8 * 50, 30000));
    EXPECT_EQ(cb->successes, 20 * 8 * 50);
}

// More sync caller threads over time (96) than a network thread's wake word has bits
// (32): threads come and go, take bits, give them back or fall back to sleeping on their
// own call, and every call is answered (a lost wake-up would hang a call). The bit
// bookkeeping itself is checked by TC_WaitWord's unit tests (tests/unit/util).
TEST(ConcurrencyTest, SyncThreadsComingAndGoingKeepGettingAnswers) {
    TestServer server(5);
    server.start();
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
    std::atomic<int> ok{0};
    constexpr int kRounds = 12, kThreads = 8, kCalls = 20;
    for (int round = 0; round < kRounds; ++round) {
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&] {
                std::string rsp;
                for (int i = 0; i < kCalls; ++i) {
                    if (prx->testHello("x", rsp) == 5 && rsp == "x") ++ok;
                }
            });
        }
        for (auto& t : threads) t.join();
    }
    EXPECT_EQ(ok.load(), kRounds * kThreads * kCalls);
}

TEST(ConcurrencyTest, SeveralCommunicatorsWorkSideBySide) {
    TestServer server(5);
    server.start();
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int c = 0; c < 4; ++c) {
        threads.emplace_back([&] {
            Communicator comm;
            auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());
            std::string rsp;
            for (int i = 0; i < 200; ++i) ok += prx->testHello("x", rsp) == 5;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 800);
}

TEST(ConcurrencyTest, EndedCallsDoNotPileUpInTheDeadlineHeap) {
    // 20,000 async calls in waves of 1,000 with a 60 s timeout: without compaction every
    // ended call would keep its deadline entry for the whole minute.
    TestServer server(5);
    server.start();
    Communicator comm;
    comm.setProperty("async-invoke-timeout", "60000");
    auto prx = comm.stringToProxy<HelloPrx>("A.B.Obj@" + server.endpoint());

    // Runs on the network thread, where the heap may be read.
    class Watcher : public RecordingCallback {
    public:
        void callback_testHello(tars::Int32 ret, const std::string& sRsp) override {
            if (CommunicatorEpoll* net = CommunicatorEpoll::current()) {
                size_t entries = net->deadlineEntries();
                if (entries > maxEntries.load()) maxEntries.store(entries);
            }
            RecordingCallback::callback_testHello(ret, sRsp);
        }
        std::atomic<size_t> maxEntries{0};
    };
    auto watcher = std::make_shared<Watcher>();
    watcher->setNetThreadProcess(true);
    constexpr int kWaves = 20;
    constexpr int kWave = 1000;
    for (int wave = 1; wave <= kWaves; ++wave) {
        for (int i = 0; i < kWave; ++i) prx->async_testHello(watcher, "x");
        ASSERT_TRUE(watcher->wait(wave * kWave, 30000)) << "wave " << wave;
    }
    EXPECT_EQ(watcher->successes, kWaves * kWave);
    // Right after a track() the heap holds at most 2 x the calls in flight (here at most
    // a wave) + the slack; the read is in a callback, after such a track().
    EXPECT_LE(watcher->maxEntries.load(), size_t{2 * kWave} + CommunicatorEpoll::kDeadlineSlack);
    EXPECT_GT(watcher->maxEntries.load(), 0u);
}
