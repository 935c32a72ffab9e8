#include "ProxyLoad.h"

#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "Hello.h"
#include "Pacer.h"
#include "servant/Communicator.h"

namespace tars::bench {

namespace {

void sleepUntil(uint64_t nanos) {
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(nanos / 1000000000ull);
    ts.tv_nsec = static_cast<long>(nanos % 1000000000ull);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
}

// Paced threads wake at due times: the default 50 us timer slack would blur them.
void tightenTimerSlack() { prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL); }

// What one thread recorded; threads register theirs once, the run merges them at the end.
struct Recorder {
    LatencyHistogram latency;
    ErrorCounts errors;
    uint64_t lastEnd = 0;
};

class RecorderSet {
public:
    Recorder& local() {
        thread_local const RecorderSet* owner = nullptr;
        thread_local Recorder* recorder = nullptr;
        if (owner != this) {
            std::lock_guard lock(_mutex);
            _recorders.push_back(std::make_unique<Recorder>());
            recorder = _recorders.back().get();
            owner = this;
        }
        return *recorder;
    }
    // Only once every recording thread stopped.
    void mergeInto(BenchResult& result, uint64_t& lastEnd) {
        std::lock_guard lock(_mutex);
        for (auto& r : _recorders) {
            result.latency.merge(r->latency);
            result.errors.merge(r->errors);
            lastEnd = std::max(lastEnd, r->lastEnd);
        }
    }

private:
    std::mutex _mutex;
    std::vector<std::unique_ptr<Recorder>> _recorders;
};

// State every thread of a run shares. The window is fixed before the first call.
struct RunState {
    const BenchOptions& options;
    std::string payload;
    uint64_t begin = 0;  // load starts (warm-up first)
    MeasureWindow window;
    bool countMode = false;
    std::atomic<int64_t> quota{0};     // count mode: calls still to start inside the window
    std::atomic<int64_t> inFlight{0};  // async calls started and not ended
    RecorderSet recorders;
    TestApp::HelloPrx proxy;

    explicit RunState(const BenchOptions& o) : options(o), payload(static_cast<size_t>(o.payload), 'x') {}

    // Whether a call due at startedAt is part of the run (takes a count-mode ticket).
    bool mayStart(uint64_t startedAt) {
        if (!countMode) return startedAt < window.end;
        if (startedAt < window.start) return true;
        return quota.fetch_sub(1, std::memory_order_relaxed) > 0;
    }
    void record(uint64_t startedAt, uint64_t endedAt, int code) {
        bool inWindow = countMode ? startedAt >= window.start : window.contains(endedAt);
        if (!inWindow) return;
        Recorder& r = recorders.local();
        if (code == 0) {
            r.latency.record(endedAt - startedAt);
        } else {
            r.errors.add(code);
        }
        r.lastEnd = std::max(r.lastEnd, endedAt);
    }
    int codeOf(Int32 ret, const std::string& rsp) const {
        if (ret != 0) return ret;
        return rsp.size() == payload.size() ? 0 : TARSCLIENTDECODEERR;
    }
};

// ---- sync mode

void syncCaller(RunState& state, int index) {
    const BenchOptions& o = state.options;
    Pacer pacer(o.rate / o.threads, state.begin, static_cast<double>(index) / o.threads);
    if (pacer.paced()) tightenTimerSlack();
    std::string rsp;
    for (;;) {
        uint64_t startedAt = nowNanos();
        if (pacer.paced()) {
            uint64_t due = pacer.nextDue();
            if (due > startedAt) sleepUntil(due);
            startedAt = pacer.take(startedAt);
        }
        if (!state.mayStart(startedAt)) return;
        int code = 0;
        try {
            rsp.clear();
            Int32 ret = state.proxy->testHello(state.payload, rsp);
            code = state.codeOf(ret, rsp);
        } catch (const TarsCallException& e) {
            code = e.getErrCode();
        } catch (const std::exception&) {
            code = TARSSERVERUNKNOWNERR;
        }
        state.record(startedAt, nowNanos(), code);
    }
}

// ---- async mode

class SlotPool;

// One call slot: at most one call in flight, its callback object reused for the next.
class AsyncSlot : public TestApp::HelloPrxCallback, public std::enable_shared_from_this<AsyncSlot> {
public:
    AsyncSlot(RunState& state, SlotPool* pool) : _state(state), _pool(pool) {}

    // Starts a call due at startedAt; the caller counted it in inFlight.
    void start(uint64_t startedAt) {
        _startedAt = startedAt;
        try {
            _state.proxy->async_testHello(shared_from_this(), _state.payload);
        } catch (const TarsCallException& e) {
            finish(e.getErrCode(), false);  // not sent (terminating): never retried from here
        } catch (const std::exception&) {
            finish(TARSSENDREQUESTERR, false);
        }
    }

    void callback_testHello(Int32 ret, const std::string& sRsp) override { finish(_state.codeOf(ret, sRsp)); }
    void callback_testHello_exception(Int32 ret) override { finish(ret); }

private:
    void finish(int code, bool mayContinue = true);

    RunState& _state;
    SlotPool* _pool;  // paced runs: where the slot goes back; null in a closed loop
    uint64_t _startedAt = 0;
};

// The free slots of one paced caller thread.
class SlotPool {
public:
    void put(AsyncSlot* slot) {
        {
            std::lock_guard lock(_mutex);
            _free.push_back(slot);
        }
        _cond.notify_one();
    }
    // A free slot, or null once `stop` says so.
    template <typename Stop>
    AsyncSlot* take(Stop stop) {
        std::unique_lock lock(_mutex);
        while (_free.empty()) {
            if (stop()) return nullptr;
            _cond.wait_for(lock, std::chrono::milliseconds(10));
        }
        AsyncSlot* slot = _free.back();
        _free.pop_back();
        return slot;
    }

private:
    std::mutex _mutex;
    std::condition_variable _cond;
    std::vector<AsyncSlot*> _free;
};

void AsyncSlot::finish(int code, bool mayContinue) {
    uint64_t endedAt = nowNanos();
    _state.record(_startedAt, endedAt, code);
    if (_pool) {
        _pool->put(this);
    } else if (mayContinue && _state.mayStart(endedAt)) {
        start(endedAt);  // closed loop: the next call goes out from this callback thread
        return;
    }
    _state.inFlight.fetch_sub(1, std::memory_order_acq_rel);
}

void pacedAsyncCaller(RunState& state, int index, SlotPool& pool) {
    const BenchOptions& o = state.options;
    tightenTimerSlack();
    Pacer pacer(o.rate / o.threads, state.begin, static_cast<double>(index) / o.threads);
    auto windowOver = [&] { return !state.countMode && nowNanos() >= state.window.end; };
    uint64_t lastWake = 0;
    for (;;) {
        uint64_t now = nowNanos();
        uint64_t wake = pacer.wakeAt(lastWake);
        if (wake > now) {
            sleepUntil(wake);
            now = nowNanos();
        }
        lastWake = now;
        // Every call due by now: a free slot each (waiting for one counts in its latency).
        while (pacer.due(now)) {
            AsyncSlot* slot = pool.take(windowOver);
            if (!slot) return;
            uint64_t due = pacer.nextDue();
            if (!state.mayStart(due)) {
                pool.put(slot);
                return;
            }
            pacer.take(now);
            state.inFlight.fetch_add(1, std::memory_order_acq_rel);
            slot->start(due);
        }
    }
}

}  // namespace

BenchResult ProxyLoad::run() {
    const BenchOptions& o = _options;
    // Declared before the Communicator: callbacks it runs while terminating use them.
    RunState state(o);
    std::vector<std::shared_ptr<AsyncSlot>> slots;
    std::vector<std::unique_ptr<SlotPool>> pools;

    Communicator communicator;
    communicator.setProperty("netthread", std::to_string(o.netThreads));
    communicator.setProperty("asyncthread", std::to_string(std::max(1, o.asyncThreads)));
    communicator.setProperty("sync-invoke-timeout", std::to_string(o.timeoutMs));
    communicator.setProperty("async-invoke-timeout", std::to_string(o.timeoutMs));
    if (!o.statObject.empty()) {
        communicator.setProperty("stat", o.statObject);
        communicator.setProperty("report-interval", "1000");
    }
    if (o.ssl) {  // the object string's endpoints are ssl ones
        if (!o.ca.empty()) communicator.setProperty("ca", o.ca);
        if (!o.cert.empty()) communicator.setProperty("cert", o.cert);
        if (!o.key.empty()) communicator.setProperty("key", o.key);
    }
    try {
        state.proxy = communicator.stringToProxy<TestApp::HelloPrx>(o.objectString());
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("cannot make the proxy: ") + e.what());
    }

    uint64_t begin = nowNanos();
    state.begin = begin;
    state.window.start = begin + static_cast<uint64_t>(o.warmupSeconds() * 1e9);
    state.countMode = o.requests > 0;
    state.window.end = state.countMode ? UINT64_MAX : state.window.start + static_cast<uint64_t>(o.duration * 1e9);
    state.quota.store(o.requests);

    std::vector<std::thread> callers;
    if (o.mode == BenchMode::Sync) {
        for (int t = 0; t < o.threads; ++t) callers.emplace_back(syncCaller, std::ref(state), t);
        for (auto& c : callers) c.join();
    } else {
        int window = o.connections * o.outstanding;
        if (o.rate > 0) {
            // Each paced caller owns an equal share of the slots.
            for (int t = 0; t < o.threads; ++t) pools.push_back(std::make_unique<SlotPool>());
            for (int i = 0; i < window; ++i) {
                SlotPool* pool = pools[static_cast<size_t>(i % o.threads)].get();
                slots.push_back(std::make_shared<AsyncSlot>(state, pool));
                slots.back()->setNetThreadProcess(o.asyncThreads == 0);
                pool->put(slots.back().get());
            }
            for (int t = 0; t < o.threads; ++t) {
                callers.emplace_back(pacedAsyncCaller, std::ref(state), t, std::ref(*pools[static_cast<size_t>(t)]));
            }
        } else {
            for (int i = 0; i < window; ++i) {
                slots.push_back(std::make_shared<AsyncSlot>(state, nullptr));
                slots.back()->setNetThreadProcess(o.asyncThreads == 0);
            }
            // The caller threads start the first window; callbacks keep it full.
            for (int t = 0; t < o.threads; ++t) {
                callers.emplace_back([&, t] {
                    for (size_t i = static_cast<size_t>(t); i < slots.size(); i += static_cast<size_t>(o.threads)) {
                        uint64_t now = nowNanos();
                        if (!state.mayStart(now)) break;
                        state.inFlight.fetch_add(1, std::memory_order_acq_rel);
                        slots[i]->start(now);
                    }
                });
            }
        }
        for (auto& c : callers) c.join();
        // Wait for the last calls: in a closed loop they end the run themselves.
        if (!state.countMode) sleepUntil(state.window.end);
        uint64_t deadline = UINT64_MAX;
        while (state.inFlight.load(std::memory_order_acquire) > 0) {
            uint64_t now = nowNanos();
            bool quotaLeft = state.countMode && state.quota.load(std::memory_order_relaxed) > 0;
            if (deadline == UINT64_MAX && !quotaLeft)
                deadline = now + (static_cast<uint64_t>(o.timeoutMs) + 2000) * 1000000ull;
            if (now >= deadline) break;  // the Communicator ends what is left when it terminates
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    communicator.terminate();

    BenchResult result;
    uint64_t lastEnd = 0;
    state.recorders.mergeInto(result, lastEnd);
    result.warmupSeconds = o.warmupSeconds();
    if (state.countMode) {
        result.seconds = lastEnd > state.window.start ? static_cast<double>(lastEnd - state.window.start) / 1e9 : 0;
    } else {
        result.seconds = o.duration;
    }
    return result;
}

}  // namespace tars::bench
