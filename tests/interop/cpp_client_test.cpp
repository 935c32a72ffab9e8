// Our C++ client (the proxy tars2cpp generates from interop.tars) calls node/server.js, a
// Test.Interop server on @tars/rpc, in every call mode: sync, callback, promise (then /
// get) and coroutine (co_await), each over TARS (iVersion 1) and TUP (iVersion 3), plus
// one-way calls and an unknown method. Every value of every type must come back exactly,
// contexts must travel both ways, and the codes the node servant answers with must arrive.
// Each test starts its own node server on a reserved loopback port.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "InteropCases.h"
#include "InteropTestSupport.h"
#include "TestSupport.h"
#include "interop.h"
#include "servant/Communicator.h"
#include "servant/Coroutine.h"

namespace {

using tars::test::ReservedPort;
using tars::test::ServerProcess;
using Context = std::map<std::string, std::string>;

constexpr int kCallTimeoutMs = 10000;
// A wait of the test itself: longer than any call may take, so a call that never ends shows
// as kNoAnswer instead of a hung test.
constexpr auto kWait = std::chrono::milliseconds(kCallTimeoutMs + 5000);
constexpr int kNoAnswer = 1000000;

// What one call came back with, whatever the call mode.
struct Outcome {
    int code = 0;            // 0, or the TARS code the call failed with
    std::string what;        // sync calls: the exception's text (it holds sResultDesc)
    std::string text;        // echo, getContext
    tars::Int32 number = 0;  // add, roundTrip, fail
    ::Test::AllTypes rsp;    // roundTrip's out parameter
    Context context;         // the response context
};

Outcome noAnswer() {
    Outcome o;
    o.code = kNoAnswer;
    return o;
}

// One way of calling the five methods.
class Caller {
public:
    virtual ~Caller() = default;
    virtual Outcome echo(const std::string& s, const Context& ctx) = 0;
    virtual Outcome add(tars::Int32 a, tars::Int32 b, const Context& ctx) = 0;
    virtual Outcome roundTrip(const ::Test::AllTypes& req, const Context& ctx) = 0;
    virtual Outcome getContext(const std::string& key, const Context& ctx) = 0;
    virtual Outcome fail(tars::Int32 code, const Context& ctx) = 0;
};

// ---- sync: prx->m(args..., context, &responseContext); failures throw
class SyncCaller : public Caller {
public:
    explicit SyncCaller(::Test::InteropPrx prx) : _prx(std::move(prx)) {}

    Outcome echo(const std::string& s, const Context& ctx) override {
        return call([&](Outcome& o) { o.text = _prx->echo(s, ctx, &o.context); });
    }
    Outcome add(tars::Int32 a, tars::Int32 b, const Context& ctx) override {
        return call([&](Outcome& o) { o.number = _prx->add(a, b, ctx, &o.context); });
    }
    Outcome roundTrip(const ::Test::AllTypes& req, const Context& ctx) override {
        return call([&](Outcome& o) { o.number = _prx->roundTrip(req, o.rsp, ctx, &o.context); });
    }
    Outcome getContext(const std::string& key, const Context& ctx) override {
        return call([&](Outcome& o) { o.text = _prx->getContext(key, ctx, &o.context); });
    }
    Outcome fail(tars::Int32 code, const Context& ctx) override {
        return call([&](Outcome& o) { o.number = _prx->fail(code, ctx, &o.context); });
    }

private:
    static Outcome call(const std::function<void(Outcome&)>& body) {
        Outcome o;
        try {
            body(o);
        } catch (const tars::TarsCallException& e) {
            o.code = e.getErrCode();
            o.what = e.what();
        }
        return o;
    }

    ::Test::InteropPrx _prx;
};

// ---- callback: prx->async_m(callback, args..., context); the callback runs on a callback thread
class Recorder : public ::Test::InteropPrxCallback {
public:
    std::future<Outcome> outcome() { return _promise.get_future(); }

    void callback_echo(const std::string& ret) override { textDone(ret); }
    void callback_echo_exception(tars::Int32 code) override { failed(code); }
    void callback_add(tars::Int32 ret) override { numberDone(ret); }
    void callback_add_exception(tars::Int32 code) override { failed(code); }
    void callback_roundTrip(tars::Int32 ret, const ::Test::AllTypes& rsp) override {
        Outcome o;
        o.number = ret;
        o.rsp = rsp;
        done(std::move(o));
    }
    void callback_roundTrip_exception(tars::Int32 code) override { failed(code); }
    void callback_getContext(const std::string& ret) override { textDone(ret); }
    void callback_getContext_exception(tars::Int32 code) override { failed(code); }
    void callback_fail(tars::Int32 ret) override { numberDone(ret); }
    void callback_fail_exception(tars::Int32 code) override { failed(code); }

private:
    void textDone(const std::string& text) {
        Outcome o;
        o.text = text;
        done(std::move(o));
    }
    void numberDone(tars::Int32 number) {
        Outcome o;
        o.number = number;
        done(std::move(o));
    }
    void done(Outcome o) {
        o.context = getResponseContext();  // valid inside the callback only
        _promise.set_value(std::move(o));
    }
    void failed(tars::Int32 code) {
        Outcome o;
        o.code = code;
        _promise.set_value(std::move(o));
    }

    std::promise<Outcome> _promise;
};

class CallbackCaller : public Caller {
public:
    explicit CallbackCaller(::Test::InteropPrx prx) : _prx(std::move(prx)) {}

    Outcome echo(const std::string& s, const Context& ctx) override {
        return call([&](const auto& cb) { _prx->async_echo(cb, s, ctx); });
    }
    Outcome add(tars::Int32 a, tars::Int32 b, const Context& ctx) override {
        return call([&](const auto& cb) { _prx->async_add(cb, a, b, ctx); });
    }
    Outcome roundTrip(const ::Test::AllTypes& req, const Context& ctx) override {
        return call([&](const auto& cb) { _prx->async_roundTrip(cb, req, ctx); });
    }
    Outcome getContext(const std::string& key, const Context& ctx) override {
        return call([&](const auto& cb) { _prx->async_getContext(cb, key, ctx); });
    }
    Outcome fail(tars::Int32 code, const Context& ctx) override {
        return call([&](const auto& cb) { _prx->async_fail(cb, code, ctx); });
    }

private:
    template <typename Start>
    static Outcome call(Start start) {
        auto recorder = std::make_shared<Recorder>();
        std::future<Outcome> outcome = recorder->outcome();
        start(recorder);
        if (outcome.wait_for(kWait) != std::future_status::ready) return noAnswer();
        return outcome.get();
    }

    ::Test::InteropPrx _prx;
};

// ---- promise and coroutine results: one Promise<m> struct per method
using Results = ::Test::InteropPrxCallbackPromise;
void take(Outcome& o, const Results::PromiseechoPtr& r) {
    o.text = r->_ret;
    o.context = r->_mRspContext;
}
void take(Outcome& o, const Results::PromiseaddPtr& r) {
    o.number = r->_ret;
    o.context = r->_mRspContext;
}
void take(Outcome& o, const Results::PromiseroundTripPtr& r) {
    o.number = r->_ret;
    o.rsp = r->rsp;
    o.context = r->_mRspContext;
}
void take(Outcome& o, const Results::PromisegetContextPtr& r) {
    o.text = r->_ret;
    o.context = r->_mRspContext;
}
void take(Outcome& o, const Results::PromisefailPtr& r) {
    o.number = r->_ret;
    o.context = r->_mRspContext;
}

// ---- promise: prx->promise_async_m(args..., context), continued with then(), read with get()
class PromiseCaller : public Caller {
public:
    explicit PromiseCaller(::Test::InteropPrx prx) : _prx(std::move(prx)) {}

    Outcome echo(const std::string& s, const Context& ctx) override { return settle(_prx->promise_async_echo(s, ctx)); }
    Outcome add(tars::Int32 a, tars::Int32 b, const Context& ctx) override {
        return settle(_prx->promise_async_add(a, b, ctx));
    }
    Outcome roundTrip(const ::Test::AllTypes& req, const Context& ctx) override {
        return settle(_prx->promise_async_roundTrip(req, ctx));
    }
    Outcome getContext(const std::string& key, const Context& ctx) override {
        return settle(_prx->promise_async_getContext(key, ctx));
    }
    Outcome fail(tars::Int32 code, const Context& ctx) override { return settle(_prx->promise_async_fail(code, ctx)); }

private:
    template <typename P>
    static Outcome settle(const tars::Future<P>& call) {
        tars::Future<Outcome> outcome = call.then([](const tars::Future<P>& done) {
            Outcome o;
            try {
                take(o, done.get());
            } catch (const tars::TarsCallException& e) {
                o.code = e.getErrCode();
            }
            return o;
        });
        if (!outcome.wait_for(kWait)) return noAnswer();
        return outcome.get();
    }

    ::Test::InteropPrx _prx;
};

// ---- coroutine: co_await prx->co_m(args..., context) inside a tars::Task coroutine
template <typename Start>
tars::Task<Outcome> awaitCall(Start start) {  // start by value: it lives in the frame
    Outcome o;
    try {
        take(o, co_await start());
    } catch (const tars::TarsCallException& e) {
        o.code = e.getErrCode();
    }
    co_return o;
}

class CoroutineCaller : public Caller {
public:
    explicit CoroutineCaller(::Test::InteropPrx prx) : _prx(std::move(prx)) {}

    Outcome echo(const std::string& s, const Context& ctx) override {
        return wait(awaitCall([prx = _prx, s, ctx] { return prx->co_echo(s, ctx); }));
    }
    Outcome add(tars::Int32 a, tars::Int32 b, const Context& ctx) override {
        return wait(awaitCall([prx = _prx, a, b, ctx] { return prx->co_add(a, b, ctx); }));
    }
    Outcome roundTrip(const ::Test::AllTypes& req, const Context& ctx) override {
        return wait(awaitCall([prx = _prx, req, ctx] { return prx->co_roundTrip(req, ctx); }));
    }
    Outcome getContext(const std::string& key, const Context& ctx) override {
        return wait(awaitCall([prx = _prx, key, ctx] { return prx->co_getContext(key, ctx); }));
    }
    Outcome fail(tars::Int32 code, const Context& ctx) override {
        return wait(awaitCall([prx = _prx, code, ctx] { return prx->co_fail(code, ctx); }));
    }

private:
    static Outcome wait(const tars::Task<Outcome>& task) {
        if (!task.wait_for(kWait)) return noAnswer();
        return task.get();
    }

    ::Test::InteropPrx _prx;
};

// ---- comparisons that name what differs
template <typename F>
bool sameBits(F a, F b) {
    return std::memcmp(&a, &b, sizeof(F)) == 0;
}

std::string differences(const ::Test::AllTypes& a, const ::Test::AllTypes& e) {
    std::string out;
    auto field = [&out](bool same, const char* name) {
        if (!same) out += std::string(out.empty() ? "" : ", ") + name;
    };
    field(a.b == e.b, "b");
    field(a.by == e.by, "by");
    field(a.sh == e.sh, "sh");
    field(a.i == e.i, "i");
    field(a.l == e.l, "l");
    field(sameBits(a.f, e.f), "f");
    field(sameBits(a.d, e.d), "d");
    field(a.s == e.s, "s");
    field(a.bin == e.bin, "bin");
    field(a.vs == e.vs, "vs");
    field(a.msi == e.msi, "msi");
    field(a.inner == e.inner, "inner");
    field(a.vinner == e.vinner, "vinner");
    field(a.color == e.color, "color");
    field(a.untouched == e.untouched, "untouched");
    field(a.tag15 == e.tag15, "tag15");
    field(a.vi == e.vi, "vi");
    return out;
}

// ---- fixture: a node server and a Communicator with one proxy in the version under test
enum class Mode { Sync, Callback, Promise, Coroutine };

std::string modeName(Mode mode) {
    switch (mode) {
        case Mode::Sync: return "Sync";
        case Mode::Callback: return "Callback";
        case Mode::Promise: return "Promise";
        case Mode::Coroutine: return "Coroutine";
    }
    return "Unknown";
}

// For gtest's parameter printing.
void PrintTo(Mode mode, std::ostream* os) { *os << modeName(mode); }

class NodeServerTest {
protected:
    // Starts node/server.js; false (with the reason in `why`) when it does not come up.
    bool startNodeServer(short version, std::string& why, int keepAliveMs = 0) {
        _server = std::make_unique<ServerProcess>(interop::nodeDir() + "/server.js");
        _server->writeConfig(interop::serverConfig(_port));
        if (!_server->start({_port}, 15000)) {
            why = "node/server.js did not start:\n" + _server->output();
            return false;
        }
        _communicator = std::make_unique<tars::Communicator>();
        if (keepAliveMs > 0) _communicator->setProperty("keep-alive-interval", std::to_string(keepAliveMs));
        _prx = _communicator->stringToProxy<::Test::InteropPrx>(interop::objectString(_port));
        _prx->tars_set_timeout(kCallTimeoutMs);
        _prx->tars_set_async_timeout(kCallTimeoutMs);
        _prx->tars_set_version(version);
        return true;
    }

    void stopNodeServer() {
        _prx.reset();
        _communicator.reset();  // ends the connection before the server goes
        if (_server) {
            EXPECT_EQ(_server->stop(SIGTERM, 10000), 0) << _server->output();
        }
    }

    // True once the node server printed `line` (it prints each one-way request), within timeoutMs.
    bool serverPrinted(const std::string& line, int timeoutMs) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        while (_server->output().find(line) == std::string::npos) {
            if (std::chrono::steady_clock::now() > deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // poll, bounded by the deadline
        }
        return true;
    }

    ReservedPort _port;
    std::unique_ptr<ServerProcess> _server;
    std::unique_ptr<tars::Communicator> _communicator;
    ::Test::InteropPrx _prx;
};

class CppClientCallsNodeServer : public NodeServerTest, public ::testing::TestWithParam<std::tuple<Mode, short>> {
protected:
    void SetUp() override {
        if (auto reason = interop::nodeSkipReason()) GTEST_SKIP() << *reason;
        std::string why;
        ASSERT_TRUE(startNodeServer(std::get<1>(GetParam()), why)) << why;
        switch (std::get<0>(GetParam())) {
            case Mode::Sync: _caller = std::make_unique<SyncCaller>(_prx); break;
            case Mode::Callback: _caller = std::make_unique<CallbackCaller>(_prx); break;
            case Mode::Promise: _caller = std::make_unique<PromiseCaller>(_prx); break;
            case Mode::Coroutine: _caller = std::make_unique<CoroutineCaller>(_prx); break;
        }
    }
    void TearDown() override {
        _caller.reset();
        stopNodeServer();
    }

    std::unique_ptr<Caller> _caller;
};

TEST_P(CppClientCallsNodeServer, EveryValueRoundTripsAndEveryErrorArrives) {
    Caller& c = *_caller;

    for (const std::string& s : interop::echoStrings()) {
        SCOPED_TRACE("echo of " + std::to_string(s.size()) + " bytes");
        Outcome o = c.echo(s, {});
        ASSERT_EQ(o.code, 0);
        EXPECT_TRUE(o.text == s) << "echoed " << o.text.size() << " bytes";
    }

    for (const auto& [a, b, sum] : interop::adds()) {
        Outcome o = c.add(a, b, {});
        ASSERT_EQ(o.code, 0);
        EXPECT_EQ(o.number, sum) << a << " + " << b;
    }

    for (const interop::NamedAllTypes& t : interop::roundTrips()) {
        SCOPED_TRACE("roundTrip " + t.name);
        Outcome o = c.roundTrip(t.value, {});
        ASSERT_EQ(o.code, 0);
        EXPECT_EQ(o.number, interop::expectedReturn(t.value));
        EXPECT_EQ(differences(o.rsp, t.value), "");
        EXPECT_EQ(o.rsp.untouched, 42);
    }

    for (tars::Int64 l : interop::longs()) {
        ::Test::AllTypes req;
        req.l = l;
        Outcome o = c.roundTrip(req, {});
        ASSERT_EQ(o.code, 0);
        EXPECT_EQ(o.rsp.l, l);
    }

    // Context: the servant reads the request context and sends it back as the response
    // context. @tars/rpc writes no context into TUP replies.
    const Context context{{"k", "v"}, {"other", "x"}, {"empty", ""}};
    Outcome o = c.getContext("k", context);
    ASSERT_EQ(o.code, 0);
    EXPECT_EQ(o.text, "v");
    const bool tup = std::get<1>(GetParam()) == tars::TUPVERSION;
    EXPECT_EQ(o.context, tup ? Context{} : context);
    EXPECT_EQ(c.getContext("missing", context).text, "");
    EXPECT_EQ(c.getContext("k", {}).text, "");

    // Framework codes set by the node servant (current.sendErrorResponse(code, ...)).
    // Like TarsCpp, our client takes an iRet below -99 for a broken reply: -12.
    for (tars::Int32 code : interop::failCodes()) {
        const int expected = code < -99 ? tars::TARSCLIENTDECODEERR : code;
        Outcome failed = c.fail(code, {});
        EXPECT_EQ(failed.code, expected) << "fail(" << code << ")";
        // The servant's text (sResultDesc, or STATUS_RESULT_DESC in TUP) reaches a sync caller.
        if (std::get<0>(GetParam()) == Mode::Sync && expected == code) {
            EXPECT_NE(failed.what.find("fail requested"), std::string::npos) << failed.what;
        }
    }
}

std::string versionName(short version) { return version == tars::TUPVERSION ? "Tup" : "Tars"; }

INSTANTIATE_TEST_SUITE_P(Modes, CppClientCallsNodeServer,
                         ::testing::Combine(::testing::Values(Mode::Sync, Mode::Callback, Mode::Promise,
                                                              Mode::Coroutine),
                                            ::testing::Values(short{tars::TARSVERSION}, short{tars::TUPVERSION})),
                         [](const ::testing::TestParamInfo<std::tuple<Mode, short>>& info) {
                             return modeName(std::get<0>(info.param)) + versionName(std::get<1>(info.param));
                         });

// ---- one-way calls and calls of a method the server does not have
class CppClientCallsNodeServerRaw : public NodeServerTest, public ::testing::TestWithParam<short> {
protected:
    void SetUp() override {
        if (auto reason = interop::nodeSkipReason()) GTEST_SKIP() << *reason;
        std::string why;
        ASSERT_TRUE(startNodeServer(GetParam(), why)) << why;
    }
    void TearDown() override { stopNodeServer(); }
};

TEST_P(CppClientCallsNodeServerRaw, OneWayCallReachesTheServantAndGetsNoReply) {
    const std::string marker = "oneway-marker-cpp-v" + std::to_string(GetParam());
    _prx->async_echo(nullptr, marker);
    EXPECT_TRUE(serverPrinted("oneway echo: " + marker, kCallTimeoutMs)) << _server->output();
    // The connection goes on serving normal calls.
    EXPECT_EQ(_prx->echo("after one-way"), "after one-way");
}

class RawOutcome : public tars::ServantProxyCallback {
public:
    std::future<int> code() { return _code.get_future(); }
    int onDispatch(tars::ReqMessagePtr msg) override {
        _code.set_value(msg->response.iRet);
        return 0;
    }

private:
    std::promise<int> _code;
};

TEST_P(CppClientCallsNodeServerRaw, UnknownMethodAnswersMinusThreeSyncAndAsync) {
    // The body of a method without parameters: nothing (TARS) or an empty attribute map (TUP).
    tars::ArgsEncoder noArguments(_prx->tars_version());
    tars::ResponsePacket rsp;
    try {
        _prx->tars_invoke(tars::TARSNORMAL, "noSuchMethod", noArguments.take(), {}, rsp);
        ADD_FAILURE() << "noSuchMethod did not fail";
    } catch (const tars::TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), tars::TARSSERVERNOFUNCERR);
    }

    auto outcome = std::make_shared<RawOutcome>();
    std::future<int> code = outcome->code();
    tars::ArgsEncoder noArguments2(_prx->tars_version());
    _prx->tars_invoke_async(tars::TARSNORMAL, "noSuchMethod", noArguments2.take(), {}, outcome);
    ASSERT_EQ(code.wait_for(kWait), std::future_status::ready);
    EXPECT_EQ(code.get(), tars::TARSSERVERNOFUNCERR);
}

// Keep-alive: our client's idle connection to the node server sends tars_ping, which the
// @tars/rpc server answers. A ping left unanswered would close the connection and stop
// the pings, so several printed pings mean the answers arrived. (@tars/rpc clients send
// no keep-alive ping of their own: its client code has none.)
class CppClientKeepAliveToNodeServer : public NodeServerTest, public ::testing::Test {
protected:
    void SetUp() override {
        if (auto reason = interop::nodeSkipReason()) GTEST_SKIP() << *reason;
        std::string why;
        ASSERT_TRUE(startNodeServer(1, why, 100)) << why;
    }
    void TearDown() override { stopNodeServer(); }
};

TEST_F(CppClientKeepAliveToNodeServer, IdlePingsAreAnsweredAndTheConnectionStays) {
    EXPECT_EQ(_prx->add(2, 3), 5);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    auto pings = [&] {
        const std::string out = _server->output();
        size_t n = 0;
        for (size_t at = out.find("tars_ping answered"); at != std::string::npos;
             at = out.find("tars_ping answered", at + 1)) {
            ++n;
        }
        return n;
    };
    while (pings() < 3 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // poll, bounded by the deadline
    }
    EXPECT_GE(pings(), 3u) << _server->output();
    EXPECT_EQ(_prx->add(4, 5), 9);
}

INSTANTIATE_TEST_SUITE_P(Versions, CppClientCallsNodeServerRaw,
                         ::testing::Values(short{tars::TARSVERSION}, short{tars::TUPVERSION}),
                         [](const ::testing::TestParamInfo<short>& info) { return versionName(info.param); });

// ---- our client over UDP to the node server (a packet per datagram, both ways)
TEST(CppClientCallsNodeServerOverUdp, SyncCallbackAndOneWayCallsCrossDatagrams) {
    if (auto reason = interop::nodeSkipReason()) GTEST_SKIP() << *reason;
    ReservedPort port;
    ServerProcess server(interop::nodeDir() + "/server.js");
    server.writeConfig(interop::serverConfig(port, "udp"));
    ASSERT_TRUE(server.start({}, 15000)) << server.output();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (server.output().find("node interop server started") == std::string::npos) {
        ASSERT_TRUE(server.running()) << server.output();
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << server.output();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // bounded by deadline
    }

    tars::Communicator communicator;
    auto prx = communicator.stringToProxy<::Test::InteropPrx>("Test.InteropServer.InteropObj@udp -h 127.0.0.1 -p " +
                                                              std::to_string(port) + " -t 60000");
    prx->tars_set_timeout(kCallTimeoutMs);
    prx->tars_set_async_timeout(kCallTimeoutMs);
    // The node socket binds just after it says it started: the first datagrams may meet
    // an ICMP refusal (-8); a bounded number of tries.
    std::string first;
    for (int attempt = 0; attempt < 50 && first.empty(); ++attempt) {
        try {
            first = prx->echo("over udp");
        } catch (const tars::TarsCallException& e) {
            ASSERT_EQ(e.getErrCode(), tars::TARSPROXYCONNECTERR) << e.what();
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // bounded by attempts
        }
    }
    EXPECT_EQ(first, "over udp");
    EXPECT_EQ(prx->add(20, 22), 42);
    EXPECT_EQ(prx->promise_async_echo("promised").get()->_ret, "promised");

    const std::string marker = "oneway-marker-cpp-udp";
    prx->async_echo(nullptr, marker);
    const auto printed = std::chrono::steady_clock::now() + std::chrono::milliseconds(kCallTimeoutMs);
    while (server.output().find("oneway echo: " + marker) == std::string::npos &&
           std::chrono::steady_clock::now() < printed) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));  // bounded by printed
    }
    EXPECT_NE(server.output().find("oneway echo: " + marker), std::string::npos) << server.output();
    EXPECT_EQ(server.stop(SIGTERM, 10000), 0) << server.output();
}

}  // namespace
