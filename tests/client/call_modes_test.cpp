// Every call mode of a generated proxy against a server: sync, callback, one-way, promise,
// coroutine; contexts; TUP and JSON encodings; push; raw calls with a custom protocol.
#include <gtest/gtest.h>

#include <pthread.h>

#include <mutex>
#include <stdexcept>
#include <thread>

#include "ClientTestUtil.h"
#include "Hello.h"
#include "TestServer.h"
#include "servant/Communicator.h"

using namespace tars;
using namespace tars::test;
using TestApp::HelloProxy;
using TestApp::HelloPrx;

namespace {

class CallModesTest : public ::testing::Test {
protected:
    void SetUp() override {
        server.start();
        prx = comm.stringToProxy<HelloPrx>("TestApp.HelloServer.HelloObj@" + server.endpoint());
    }

    TestServer server{7, "one"};
    Communicator comm;
    HelloPrx prx;
};

}  // namespace

TEST_F(CallModesTest, SyncCallReturnsTheResultAndOutParameter) {
    std::string rsp;
    EXPECT_EQ(prx->testHello("hello", rsp), 7);
    EXPECT_EQ(rsp, "hello");
}

TEST_F(CallModesTest, SyncCallSendsRequestContextAndReturnsResponseContext) {
    std::string rsp;
    std::map<std::string, std::string> responseContext;
    prx->testHello("ctx", rsp, {{"trace", "abc"}}, &responseContext);
    EXPECT_EQ(responseContext["trace"], "abc");
    EXPECT_EQ(responseContext["server"], "one");
}

TEST_F(CallModesTest, StringToProxyHasTheTarsFormAndCachesProxies) {
    HelloPrx same;
    comm.stringToProxy("TestApp.HelloServer.HelloObj@" + server.endpoint(), same);
    EXPECT_EQ(same.get(), prx.get());
    auto byClass = comm.stringToProxy<HelloProxy>("TestApp.HelloServer.HelloObj@" + server.endpoint());
    EXPECT_EQ(byClass.get(), prx.get());
    EXPECT_EQ(prx->tars_name(), "TestApp.HelloServer.HelloObj");
}

TEST_F(CallModesTest, CallbackRunsOnceOnACallbackThread) {
    auto cb = std::make_shared<RecordingCallback>();
    prx->async_testHello(cb, "async");
    ASSERT_TRUE(cb->wait(1));
    EXPECT_EQ(cb->successes, 1);
    EXPECT_EQ(cb->failures, 0);
    EXPECT_EQ(cb->lastRet, 7);
    EXPECT_EQ(cb->lastRsp, "async");
    EXPECT_NE(cb->lastThread, std::this_thread::get_id());
}

namespace {

// Records the name of the thread each callback ran on.
class ThreadNameCallback : public RecordingCallback {
public:
    void callback_testHello(tars::Int32 ret, const std::string& sRsp) override {
        record();
        RecordingCallback::callback_testHello(ret, sRsp);
    }
    void callback_testHello_exception(tars::Int32 ret) override {
        record();
        RecordingCallback::callback_testHello_exception(ret);
    }
    std::string threadName() {
        std::lock_guard lock(_nameMutex);
        return _name;
    }

private:
    void record() {
        char name[16] = {};
        pthread_getname_np(pthread_self(), name, sizeof(name));
        std::lock_guard lock(_nameMutex);
        _name = name;
    }
    std::mutex _nameMutex;
    std::string _name;
};

}  // namespace

TEST_F(CallModesTest, NetThreadProcessRunsTheCallbackOnTheNetworkThread) {
    auto plain = std::make_shared<ThreadNameCallback>();
    prx->async_testHello(plain, "plain");
    ASSERT_TRUE(plain->wait(1));
    EXPECT_EQ(plain->threadName().rfind("tars-async-", 0), 0u) << plain->threadName();

    auto onNet = std::make_shared<ThreadNameCallback>();
    onNet->setNetThreadProcess(true);
    prx->async_testHello(onNet, "net");
    ASSERT_TRUE(onNet->wait(1));
    EXPECT_EQ(onNet->successes, 1);
    EXPECT_EQ(onNet->lastRsp, "net");
    EXPECT_EQ(onNet->threadName().rfind("tars-net-", 0), 0u) << onNet->threadName();

    // A call that fails ends there too, once.
    DeadPort nobody;
    auto dead = comm.stringToProxy<HelloPrx>("TestApp.HelloServer.HelloObj@" + nobody.endpoint());
    auto failed = std::make_shared<ThreadNameCallback>();
    failed->setNetThreadProcess(true);
    dead->async_testHello(failed, "nobody");
    ASSERT_TRUE(failed->wait(1));
    EXPECT_EQ(failed->failures, 1);
    EXPECT_EQ(failed->threadName().rfind("tars-net-", 0), 0u) << failed->threadName();
}

TEST_F(CallModesTest, SyncCallAndTerminateFromANetworkThreadCallbackAreRefusedNotHung) {
    // The callback makes a sync call; on the network thread it would wait for itself.
    class SyncInside : public RecordingCallback {
    public:
        explicit SyncInside(HelloPrx prx) : _prx(std::move(prx)) {}
        void callback_testHello(tars::Int32 ret, const std::string& sRsp) override {
            try {
                std::string inner;
                _prx->testHello("inner", inner);
                code = 0;
            } catch (const TarsCallException& e) {
                code = e.getErrCode();
            }
            RecordingCallback::callback_testHello(ret, sRsp);
        }
        std::atomic<int> code{1};

    private:
        HelloPrx _prx;
    };
    auto cb = std::make_shared<SyncInside>(prx);
    cb->setNetThreadProcess(true);
    prx->async_testHello(cb, "outer");
    ASSERT_TRUE(cb->wait(1));
    EXPECT_EQ(cb->code.load(), TARSSENDREQUESTERR);
    // Terminating the Communicator there would join the thread itself: refused, and the
    // Communicator goes on working.
    class TerminateInside : public RecordingCallback {
    public:
        explicit TerminateInside(Communicator& comm) : _comm(comm) {}
        void callback_testHello(tars::Int32 ret, const std::string& sRsp) override {
            try {
                _comm.terminate();
            } catch (const std::logic_error&) {
                refused = true;
            }
            RecordingCallback::callback_testHello(ret, sRsp);
        }
        std::atomic<bool> refused{false};

    private:
        Communicator& _comm;
    };
    auto terminating = std::make_shared<TerminateInside>(comm);
    terminating->setNetThreadProcess(true);
    prx->async_testHello(terminating, "outer");
    ASSERT_TRUE(terminating->wait(1));
    EXPECT_TRUE(terminating->refused.load());
    // The same sync call from an ordinary callback thread is allowed.
    auto allowed = std::make_shared<SyncInside>(prx);
    prx->async_testHello(allowed, "outer");
    ASSERT_TRUE(allowed->wait(1));
    EXPECT_EQ(allowed->code.load(), 0);
}

TEST_F(CallModesTest, OneWayCallReachesTheServerWithoutReply) {
    prx->async_testHello(nullptr, "oneway");
    EXPECT_TRUE(waitUntil([&] { return server.oneways() == 1; }));
    std::string rsp;
    EXPECT_EQ(prx->testHello("after", rsp), 7);  // the connection is still fine
}

TEST_F(CallModesTest, PromiseFutureGivesResultThroughGetAndThen) {
    auto future = prx->promise_async_testHello("promise");
    auto chained = future.then(
        [](const Future<TestApp::HelloPrxCallbackPromise::PromisetestHelloPtr>& f) { return f.get()->sRsp + "!"; });
    auto result = future.get();
    EXPECT_EQ(result->_ret, 7);
    EXPECT_EQ(result->sRsp, "promise");
    EXPECT_EQ(result->_mRspContext.at("server"), "one");
    EXPECT_EQ(chained.get(), "promise!");
}

TEST_F(CallModesTest, PromiseOfAFailedCallRethrowsItsCode) {
    auto future = prx->promise_async_testHello("ret:-3");
    try {
        future.get();
        FAIL() << "no exception";
    } catch (const TarsServerNoFuncException& e) {
        EXPECT_EQ(e.getErrCode(), -3);
    }
}

namespace {

Task<std::string> twoCalls(HelloPrx prx, std::thread::id* resumedOn) {
    auto first = co_await prx->co_testHello("co1");
    *resumedOn = std::this_thread::get_id();
    auto second = co_await prx->co_testHello(first->sRsp + "+co2");
    co_return second->sRsp;
}

Task<int> failingCall(HelloPrx prx) {
    try {
        co_await prx->co_testHello("ret:-9");
    } catch (const TarsCallException& e) {
        co_return e.getErrCode();
    }
    co_return 0;
}

}  // namespace

TEST_F(CallModesTest, CoroutineAwaitsCallsWithoutBlockingTheCaller) {
    std::thread::id resumedOn;
    server.setMode("");
    auto task = twoCalls(prx, &resumedOn);
    // The coroutine suspended at its first co_await: this thread is free.
    EXPECT_EQ(task.get(), "co1+co2");
    EXPECT_NE(resumedOn, std::this_thread::get_id());
    EXPECT_EQ(failingCall(prx).get(), -9);
}

TEST_F(CallModesTest, TupEncodingWorksForTheSameMethods) {
    prx->tars_set_protocol(ServantProxy::PROTOCOL_TUP);
    std::string rsp;
    EXPECT_EQ(prx->testHello("tup", rsp), 7);
    EXPECT_EQ(rsp, "tup");
    EXPECT_EQ(prx->promise_async_testHello("tup2").get()->sRsp, "tup2");
    try {
        prx->testHello("ret:-3", rsp);
        FAIL();
    } catch (const TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), -3);  // from STATUS_RESULT_CODE
    }
}

TEST_F(CallModesTest, JsonEncodingWorksForTheSameMethods) {
    prx->tars_set_protocol(ServantProxy::PROTOCOL_JSON);
    std::string rsp;
    EXPECT_EQ(prx->testHello("json", rsp), 7);
    EXPECT_EQ(rsp, "json");
    auto cb = std::make_shared<RecordingCallback>();
    prx->async_testHello(cb, "json-async");
    ASSERT_TRUE(cb->wait(1));
    EXPECT_EQ(cb->lastRsp, "json-async");
}

TEST_F(CallModesTest, ServerErrorCodesThrowTheMatchingException) {
    std::string rsp;
    EXPECT_THROW(prx->testHello("ret:-9", rsp), TarsServerOverloadException);
    EXPECT_THROW(prx->testHello("ret:-6", rsp), TarsServerQueueTimeoutException);
    EXPECT_THROW(prx->testHello("ret:-99", rsp), TarsServerUnknownException);
}

TEST_F(CallModesTest, TarsPingSucceeds) { EXPECT_NO_THROW(prx->tars_ping()); }

namespace {

class PushCollector : public ServantProxyCallback {
public:
    int onDispatch(ReqMessagePtr msg) override {
        std::string text;
        TarsInputStream<BufferReader> is;
        is.setBuffer(msg->response.sBuffer);
        is.read(text, 1, true);
        std::lock_guard lock(mutex);
        pushes.push_back(msg->request.sFuncName + ":" + text);
        return 0;
    }
    std::mutex mutex;
    std::vector<std::string> pushes;
};

}  // namespace

TEST_F(CallModesTest, UnsolicitedPacketsGoToThePushCallback) {
    auto pushes = std::make_shared<PushCollector>();
    prx->tars_set_push_callback(pushes);
    std::string rsp;
    EXPECT_EQ(prx->testHello("push:news", rsp), 7);
    ASSERT_TRUE(waitUntil([&] {
        std::lock_guard lock(pushes->mutex);
        return !pushes->pushes.empty();
    }));
    std::lock_guard lock(pushes->mutex);
    EXPECT_EQ(pushes->pushes.front(), "notify:news");
}

TEST_F(CallModesTest, RpcCallUsesTheProxysOwnProtocol) {
    // A "custom" protocol that happens to frame like TARS: the raw path end to end.
    ProxyProtocol protocol;
    int encoded = 0;
    protocol.requestFunc = [&encoded](const RequestPacket& req) {
        ++encoded;
        return ProxyProtocol::tarsRequest(req);
    };
    protocol.responseFunc = ProxyProtocol::tarsResponse;
    auto raw = comm.stringToProxy<ServantProxy>("Test.Raw.Obj@" + server.endpoint());
    raw->tars_set_protocol(protocol);
    TarsOutputStream<BufferWriterVector> args;
    args.write(std::string("raw"), 1);
    ResponsePacket rsp;
    raw->rpc_call(raw->tars_gen_requestid(), "testHello", args.getBuffer(), static_cast<uint32_t>(args.getLength()),
                  rsp);
    EXPECT_EQ(encoded, 1);
    TarsInputStream<BufferReader> is;
    is.setBuffer(rsp.sBuffer);
    std::string echoed;
    is.read(echoed, 2, true);
    EXPECT_EQ(echoed, "raw");

    auto cb = std::make_shared<RecordingCallback>();
    raw->rpc_call_async(0, "testHello", args.getBuffer(), static_cast<uint32_t>(args.getLength()), cb);
    ASSERT_TRUE(cb->wait(1));
    EXPECT_EQ(cb->lastRsp, "raw");
}

TEST_F(CallModesTest, RepliesWithoutIdsMatchTheOldestCallOfTheConnection) {
    // A protocol whose replies carry no id and come in order: the parser says kOldestCall.
    ProxyProtocol protocol;
    protocol.requestFunc = ProxyProtocol::tarsRequest;
    protocol.responseFunc = [](TC_NetWorkBuffer& in, ResponsePacket& rsp) {
        auto result = ProxyProtocol::tarsResponse(in, rsp);
        if (result == ProxyProtocol::PACKET_FULL) rsp.iRequestId = ProxyProtocol::kOldestCall;
        return result;
    };
    auto raw = comm.stringToProxy<ServantProxy>("Test.InOrder.Obj@" + server.endpoint());
    raw->tars_set_protocol(protocol);
    std::vector<std::shared_ptr<RecordingCallback>> callbacks;
    for (int i = 0; i < 5; ++i) {
        TarsOutputStream<BufferWriterVector> args;
        args.write(std::string("m") + std::to_string(i), 1);
        callbacks.push_back(std::make_shared<RecordingCallback>());
        raw->rpc_call_async(0, "testHello", args.getBuffer(), static_cast<uint32_t>(args.getLength()),
                            callbacks.back());
    }
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(callbacks[i]->wait(1));
        EXPECT_EQ(callbacks[i]->lastRsp, "m" + std::to_string(i));  // each reply to its own call
    }
}
