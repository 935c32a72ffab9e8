// tars::Promise / tars::Future / coroutines on their own.
#include <gtest/gtest.h>

#include <thread>

#include "servant/Coroutine.h"
#include "servant/Promise.h"

using namespace tars;

TEST(PromiseTest, GetReturnsTheValueSetFromAnotherThread) {
    Promise<int> p;
    Future<int> f = p.getFuture();
    EXPECT_FALSE(f.isDone());
    std::thread t([p]() mutable { p.setValue(42); });
    EXPECT_EQ(f.get(), 42);
    t.join();
    EXPECT_FALSE(p.setValue(1));  // completed once
}

TEST(PromiseTest, ThenChainsValuesFuturesAndExceptions) {
    Promise<int> p;
    auto doubled = p.getFuture().then([](const Future<int>& f) { return f.get() * 2; });
    auto nested = doubled.then([](const Future<int>& f) { return makeReadyFuture(std::to_string(f.get())); });
    auto failed = nested.then([](const Future<std::string>&) -> int { throw std::runtime_error("boom"); });
    auto recovered = failed.then([](const Future<int>& f) { return f.hasException() ? -1 : 0; });
    p.setValue(21);
    EXPECT_EQ(doubled.get(), 42);
    EXPECT_EQ(nested.get(), "42");
    EXPECT_THROW(failed.get(), std::runtime_error);
    EXPECT_EQ(recovered.get(), -1);
}

TEST(PromiseTest, ThenOnACompletedFutureRunsAtOnce) {
    auto f = makeReadyFuture(5);
    bool ran = false;
    f.then([&ran](const Future<int>&) { ran = true; });
    EXPECT_TRUE(ran);
}

namespace {

Task<int> addLater(Future<int> a, Future<int> b) {
    int x = co_await a;
    int y = co_await b;
    co_return x + y;
}

Task<void> throwsAfterAwait(Future<int> a) {
    co_await a;
    throw std::logic_error("after await");
}

}  // namespace

TEST(PromiseTest, CoroutineResumesWhereTheAwaitedFutureCompletes) {
    Promise<int> a;
    Promise<int> b;
    Task<int> sum = addLater(a.getFuture(), b.getFuture());
    EXPECT_FALSE(sum.isDone());
    a.setValue(1);
    EXPECT_FALSE(sum.isDone());
    std::thread t([b]() mutable { b.setValue(2); });
    EXPECT_EQ(sum.get(), 3);
    t.join();

    Promise<int> c;
    Task<void> failing = throwsAfterAwait(c.getFuture());
    c.setValue(0);
    EXPECT_THROW(failing.get(), std::logic_error);
}
