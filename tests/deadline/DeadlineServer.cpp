// DeadlineServer: B and C of the deadline propagation tests (Deadline.tars). One process
// serves both objects, Test.DeadlineServer.RelayObj (B: works, then calls the Hop object
// the request names, in the request's call mode, and answers how that call went) and
// Test.DeadlineServer.HopObj (C: works, then answers the iTimeout it was given); a test runs
// one process as B and another as C.
#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

#include "Deadline.h"
#include "servant/Application.h"
#include "servant/Coroutine.h"

using namespace tars;

namespace {

using Clock = std::chrono::steady_clock;

int msSince(Clock::time_point start) {
    return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
}

void work(int ms) {
    if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// ---------------------------------------------------------------- C

std::atomic<int> g_hopsReceived{0};
std::atomic<int> g_lastSeenTimeout{0};

class HopImp : public DeadlineTest::Hop {
public:
    Int32 hop(Int32 sleepMs, Int32& seenTimeout, TarsCurrentPtr current) override {
        seenTimeout = current->getTimeout();
        g_lastSeenTimeout = seenTimeout;
        g_hopsReceived.fetch_add(1);
        work(sleepMs);
        return 0;
    }
    Int32 stats(Int32& received, Int32& lastSeenTimeout, TarsCurrentPtr) override {
        received = g_hopsReceived.load();
        lastSeenTimeout = g_lastSeenTimeout.load();
        return 0;
    }
};

// ---------------------------------------------------------------- B

DeadlineTest::RelayResult failed(const TarsCallException& e, Clock::time_point start) {
    DeadlineTest::RelayResult result;
    result.ret = e.getErrCode();
    result.elapsedMs = msSince(start);
    result.desc = e.what();
    return result;
}

// A call in callback mode. With chained set it is the first of two: its callback makes the
// measured call, from the callback thread. The measured call's callback answers A with how
// it went (unless current is null: A was answered already).
class HopCallback : public DeadlineTest::HopPrxCallback {
public:
    HopCallback(TarsCurrentPtr current, DeadlineTest::HopPrx prx, int hopSleepMs, bool chained)
        : _current(std::move(current)), _prx(std::move(prx)), _hopSleepMs(hopSleepMs), _chained(chained) {}

    void callback_hop(Int32, Int32 seenTimeout) override {
        if (_chained) return callNext();
        DeadlineTest::RelayResult result;
        result.elapsedMs = msSince(_start);
        result.seenTimeout = seenTimeout;
        answer(result);
    }
    void callback_hop_exception(Int32 ret) override {
        if (_chained) return callNext();
        DeadlineTest::RelayResult result;
        result.ret = ret;
        result.elapsedMs = msSince(_start);
        answer(result);
    }

private:
    void callNext() {
        Clock::time_point start = Clock::now();
        try {
            _prx->async_hop(std::make_shared<HopCallback>(_current, _prx, _hopSleepMs, false), _hopSleepMs);
        } catch (const TarsCallException& e) {
            answer(failed(e, start));
        }
    }
    void answer(const DeadlineTest::RelayResult& result) {
        if (_current) DeadlineTest::Relay::async_response_relay(_current, 0, result);
    }

    TarsCurrentPtr _current;
    DeadlineTest::HopPrx _prx;
    int _hopSleepMs;
    bool _chained;
    Clock::time_point _start = Clock::now();
};

Task<void> relayCoroutine(TarsCurrentPtr current, DeadlineTest::HopPrx prx, DeadlineTest::RelayRequest req) {
    if (req.firstHopSleepMs > 0) {
        try {
            co_await prx->co_hop(req.firstHopSleepMs);
        } catch (const TarsCallException&) {
        }
    }
    Clock::time_point start = Clock::now();
    DeadlineTest::RelayResult result;
    try {
        auto r = co_await prx->co_hop(req.hopSleepMs);
        result.seenTimeout = r->seenTimeout;
    } catch (const TarsCallException& e) {
        result = failed(e, start);
    }
    result.elapsedMs = msSince(start);
    DeadlineTest::Relay::async_response_relay(current, 0, result);
}

class RelayImp : public DeadlineTest::Relay {
public:
    Int32 relay(const DeadlineTest::RelayRequest& req, DeadlineTest::RelayResult& result,
                TarsCurrentPtr current) override {
        auto prx = Application::getCommunicator()->stringToProxy<DeadlineTest::HopPrx>(req.next);
        if (req.proxyTimeoutMs > 0) {
            prx->tars_set_timeout(req.proxyTimeoutMs);
            prx->tars_set_async_timeout(req.proxyTimeoutMs);
        }
        if (req.mode == DeadlineTest::REPLY_FIRST) {
            current->setResponse(false);
            async_response_relay(current, 0, result);
            work(req.sleepMs);
            Int32 seen = 0;
            prx->hop(req.hopSleepMs, seen);
            return 0;
        }
        if (req.mode == DeadlineTest::CALLBACK_AFTER_REPLY) {
            // The first call ends after the reply; its callback makes the second one.
            prx->async_hop(std::make_shared<HopCallback>(nullptr, prx, req.hopSleepMs, true), req.firstHopSleepMs);
            return 0;
        }
        work(req.sleepMs);
        Clock::time_point start = Clock::now();
        try {
            switch (req.mode) {
                case DeadlineTest::SYNC: {
                    Int32 seen = 0;
                    prx->hop(req.hopSleepMs, seen);
                    result.seenTimeout = seen;
                    break;
                }
                case DeadlineTest::CALLBACK: {
                    current->setResponse(false);
                    bool chained = req.firstHopSleepMs > 0;
                    prx->async_hop(std::make_shared<HopCallback>(current, prx, req.hopSleepMs, chained),
                                   chained ? req.firstHopSleepMs : req.hopSleepMs);
                    return 0;
                }
                case DeadlineTest::PROMISE: {
                    current->setResponse(false);
                    prx->promise_async_hop(req.hopSleepMs)
                        .then([current, start](const Future<DeadlineTest::HopPrxCallbackPromise::PromisehopPtr>& f) {
                            DeadlineTest::RelayResult r;
                            try {
                                r.seenTimeout = f.get()->seenTimeout;
                                r.elapsedMs = msSince(start);
                            } catch (const TarsCallException& e) {
                                r = failed(e, start);
                            }
                            async_response_relay(current, 0, r);
                        });
                    return 0;
                }
                case DeadlineTest::COROUTINE: {
                    current->setResponse(false);
                    (void)relayCoroutine(current, prx, req);
                    return 0;
                }
                case DeadlineTest::ONEWAY: prx->async_hop(nullptr, req.hopSleepMs); break;
                default: break;
            }
        } catch (const TarsCallException& e) {
            result = failed(e, start);
            return 0;
        }
        result.elapsedMs = msSince(start);
        return 0;
    }
};

class DeadlineServer : public Application {
public:
    void initialize() override {
        addServant<RelayImp>(ServerConfig::Application + "." + ServerConfig::ServerName + ".RelayObj");
        addServant<HopImp>(ServerConfig::Application + "." + ServerConfig::ServerName + ".HopObj");
    }
    void destroyApp() override {}
};

}  // namespace

int main(int argc, char* argv[]) {
    DeadlineServer app;
    app.main(argc, argv);
    app.waitForShutdown();
    return 0;
}
