// CallContext in one process: the scope, the answered flag, and what a proxy call made
// under a context does (against the client tests' in-process TestServer).
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "ClientTestUtil.h"
#include "TestServer.h"
#include "servant/CallContext.h"
#include "servant/Communicator.h"
#include "util/tc_timeprovider.h"

namespace tars::test {
namespace {

int64_t msSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

CallContext deadlineIn(int64_t ms) {
    CallContext context;
    context.deadlineUs = TC_TimeProvider::steadyNowUs() + ms * 1000;
    return context;
}

TEST(CallContextTest, ScopesNestAndRestore) {
    EXPECT_EQ(CallContext::current(), nullptr);
    CallContext outer = deadlineIn(1000);
    {
        CallContext::Scope a(&outer);
        EXPECT_EQ(CallContext::current(), &outer);
        CallContext inner = deadlineIn(10);
        {
            CallContext::Scope b(&inner);
            EXPECT_EQ(CallContext::current(), &inner);
            {
                CallContext::Scope detached(nullptr);
                EXPECT_EQ(CallContext::current(), nullptr);
            }
            EXPECT_EQ(CallContext::current(), &inner);
        }
        EXPECT_EQ(CallContext::current(), &outer);
    }
    EXPECT_EQ(CallContext::current(), nullptr);
}

TEST(CallContextTest, AnswerEndsTheDeadline) {
    auto answered = std::make_shared<std::atomic<bool>>(false);
    CallContext context = deadlineIn(1000);
    context.answered = answered;
    EXPECT_EQ(context.activeDeadlineUs(), context.deadlineUs);
    answered->store(true);
    EXPECT_EQ(context.activeDeadlineUs(), 0);
    EXPECT_EQ(CallContext{}.activeDeadlineUs(), 0);
}

class ProxyUnderDeadlineTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        prx = comm.stringToProxy<TestApp::HelloPrx>("TestApp.HelloServer.HelloObj@" + server.endpoint());
    }

    TestServer server;
    Communicator comm;
    TestApp::HelloPrx prx;
};

TEST_F(ProxyUnderDeadlineTest, SyncCallAfterTheDeadlineThrowsAtOnceAndSendsNothing) {
    CallContext passed = deadlineIn(-1);
    {
        CallContext::Scope scope(&passed);
        std::string rsp;
        auto start = std::chrono::steady_clock::now();
        try {
            prx->testHello("hi", rsp);
            FAIL() << "the call succeeded";
        } catch (const TarsSyncCallTimeoutException& e) {
            EXPECT_EQ(e.getErrCode(), TARSINVOKETIMEOUT);
            EXPECT_NE(std::string(e.what()).find("not sent"), std::string::npos) << e.what();
        }
        EXPECT_LT(msSince(start), 500);
    }
    std::string rsp;
    EXPECT_EQ(prx->testHello("hi", rsp), 0);  // no context: the call goes
    EXPECT_EQ(server.requests(), 1u);
}

TEST_F(ProxyUnderDeadlineTest, CallGetsTheTimeLeft) {
    CallContext context = deadlineIn(100);
    CallContext::Scope scope(&context);
    std::string rsp;
    auto start = std::chrono::steady_clock::now();
    try {
        prx->testHello("noreply", rsp);  // the proxy's timeout is 3000 ms
        FAIL() << "the call succeeded";
    } catch (const TarsSyncCallTimeoutException& e) {
        EXPECT_NE(std::string(e.what()).find("the time left to the request being served"), std::string::npos)
            << e.what();
    }
    EXPECT_LT(msSince(start), 1500);
}

TEST_F(ProxyUnderDeadlineTest, AnsweredRequestDoesNotCap) {
    CallContext context = deadlineIn(-1);
    context.answered = std::make_shared<std::atomic<bool>>(true);
    CallContext::Scope scope(&context);
    std::string rsp;
    EXPECT_EQ(prx->testHello("hi", rsp), 0);
}

// The callback of an async call runs with the context the call was made under, and a
// callback of a call made outside any context runs with none.
class ContextRecordingCallback : public RecordingCallback {
public:
    void callback_testHello(tars::Int32 ret, const std::string& sRsp) override {
        record();
        RecordingCallback::callback_testHello(ret, sRsp);
    }
    void callback_testHello_exception(tars::Int32 ret) override {
        record();
        RecordingCallback::callback_testHello_exception(ret);
    }
    std::atomic<int64_t> seenDeadlineUs{-1};

private:
    void record() {
        const CallContext* context = CallContext::current();
        seenDeadlineUs = context != nullptr ? context->deadlineUs : 0;
    }
};

TEST_F(ProxyUnderDeadlineTest, CallbackRunsWithTheCallersContext) {
    CallContext context = deadlineIn(5000);
    auto under = std::make_shared<ContextRecordingCallback>();
    {
        CallContext::Scope scope(&context);
        prx->async_testHello(under, "hi");
    }
    ASSERT_TRUE(under->wait(1));
    EXPECT_EQ(under->successes, 1);
    EXPECT_EQ(under->seenDeadlineUs.load(), context.deadlineUs);

    auto outside = std::make_shared<ContextRecordingCallback>();
    prx->async_testHello(outside, "hi");
    ASSERT_TRUE(outside->wait(1));
    EXPECT_EQ(outside->seenDeadlineUs.load(), 0);
}

TEST_F(ProxyUnderDeadlineTest, AsyncCallAfterTheDeadlineEndsWithMinusSeven) {
    CallContext passed = deadlineIn(-1);
    auto cb = std::make_shared<ContextRecordingCallback>();
    {
        CallContext::Scope scope(&passed);
        prx->async_testHello(cb, "hi");
        prx->async_testHello(nullptr, "hi");  // one-way: dropped
    }
    ASSERT_TRUE(cb->wait(1));
    EXPECT_EQ(cb->failures, 1);
    EXPECT_EQ(cb->lastError, TARSINVOKETIMEOUT);
    std::string rsp;
    EXPECT_EQ(prx->testHello("hi", rsp), 0);  // queued after both on this thread's queue
    EXPECT_EQ(server.requests(), 1u);
    EXPECT_EQ(server.oneways(), 0u);
}

}  // namespace
}  // namespace tars::test
