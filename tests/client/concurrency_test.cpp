// Many caller threads at once: each has its own queue per network thread, no call is lost.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "ClientTestUtil.h"
#include "Hello.h"
#include "TestServer.h"
#include "servant/Communicator.h"

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
                    if (prx->testHello(req, rsp) == 5 && rsp == req) ++ok;
                    else ++wrong;
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
