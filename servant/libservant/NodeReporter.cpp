#include "internal/NodeReporter.h"

#include <unistd.h>

#include <algorithm>
#include <exception>

#include "NodeF.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {

constexpr int64_t kFailureLogPeriodMs = 60 * 1000;
constexpr int64_t kMaxCallTimeoutMs = 3000;

}  // namespace

// What the callbacks may touch after the reporter is gone: the failure log.
struct NodeReporter::Shared {
    std::string nodeObj;
    std::mutex mutex;
    bool stopped = false;
    int64_t lastLogMs = 0;
    bool loggedOnce = false;
    uint64_t unlogged = 0;

    // Logs what at most once a minute; the rest is counted and reported with the next line.
    void failure(const std::string& what) {
        std::lock_guard lock(mutex);
        if (stopped) return;  // calls ended by the communicator's shutdown are expected
        int64_t now = TC_TimeProvider::steadyNowMs();
        if (loggedOnce && now - lastLogMs < kFailureLogPeriodMs) {
            ++unlogged;
            return;
        }
        TLOGWARN("[node] " << what << " (node " << nodeObj << ")"
                           << (unlogged ? ", " + std::to_string(unlogged) + " more failures not logged" : std::string())
                           << std::endl);
        loggedOnce = true;
        lastLogMs = now;
        unlogged = 0;
    }
};

namespace {

class HeartbeatCallback : public ServerFPrxCallback {
public:
    HeartbeatCallback(std::shared_ptr<NodeReporter::Shared> shared, std::string what)
        : _shared(std::move(shared)), _what(std::move(what)) {}

    void callback_keepAlive(Int32 ret) override { checkReturn(ret); }
    void callback_keepAlive_exception(Int32 code) override { failed(code); }
    void callback_keepActiving(Int32 ret) override { checkReturn(ret); }
    void callback_keepActiving_exception(Int32 code) override { failed(code); }
    void callback_reportVersion(Int32 ret) override { checkReturn(ret); }
    void callback_reportVersion_exception(Int32 code) override { failed(code); }

private:
    void checkReturn(Int32 ret) {
        if (ret < 0)
            _shared->failure(_what + " answered " + std::to_string(ret) + " (the node does not know this server)");
    }
    void failed(Int32 code) { _shared->failure(_what + " failed with " + std::to_string(code)); }

    std::shared_ptr<NodeReporter::Shared> _shared;
    std::string _what;
};

// Requests started and finished by the adapter's handles: any change is progress.
uint64_t adapterProgress(const BindAdapter& adapter) {
    return adapter.stats().queueWait.count() + adapter.stats().handleTime.count();
}

}  // namespace

NodeReporter::NodeReporter(CommunicatorPtr communicator, Options options)
    : _options(std::move(options)), _shared(std::make_shared<Shared>()) {
    _shared->nodeObj = _options.nodeObj;
    try {
        _proxy = communicator->stringToProxy<ServerFPrx>(_options.nodeObj);
    } catch (const std::exception& e) {
        throw NodeReporter_Exception("config /tars/application/server<node>='" + _options.nodeObj +
                                     "' is not a usable servant: " + e.what());
    }
    int64_t timeout = std::min<int64_t>(kMaxCallTimeoutMs, _options.keepAliveIntervalMs);
    _proxy->tars_set_async_timeout(static_cast<int>(timeout));
    _timer = std::make_unique<TC_Timer>();
}

NodeReporter::~NodeReporter() { stop(); }

void NodeReporter::startActivating() {
    std::lock_guard lock(_mutex);
    if (_stopped || _activating) return;
    _activating = true;
    _activatingTimer = _timer->postRepeated(_options.activatingIntervalMs, true, [this] { sendKeepActiving(); });
}

void NodeReporter::startServing(std::vector<std::shared_ptr<BindAdapter>> adapters) {
    std::lock_guard lock(_mutex);
    if (_stopped) return;
    if (_activating) {
        _timer->cancel(_activatingTimer);
        _activating = false;
    }
    _adapters.clear();
    for (auto& adapter : adapters) {
        uint64_t progress = adapterProgress(*adapter);
        _adapters.push_back({std::move(adapter), progress});
    }
    _timer->postDelayed(0, [this] {
        try {
            _proxy->async_reportVersion(std::make_shared<HeartbeatCallback>(_shared, "reportVersion"),
                                        _options.application, _options.serverName, _options.version);
        } catch (const std::exception& e) {
            _shared->failure(std::string("reportVersion not sent: ") + e.what());
        }
        sendKeepAlive("");
    });
    _timer->postRepeated(_options.keepAliveIntervalMs, false, [this] { beatAdapters(); });
}

void NodeReporter::stop() {
    {
        std::lock_guard lock(_shared->mutex);
        _shared->stopped = true;
    }
    {
        std::lock_guard lock(_mutex);
        _stopped = true;
        _activating = false;
    }
    // Waits for a callback of the timer that is running; nothing runs afterwards.
    if (_timer) _timer->stopTimer();
    std::lock_guard lock(_mutex);
    _adapters.clear();
}

void NodeReporter::sendKeepActiving() {
    {
        std::lock_guard lock(_mutex);
        if (_stopped || !_activating) return;
    }
    ServerInfo info;
    info.application = _options.application;
    info.serverName = _options.serverName;
    info.pid = static_cast<Int32>(::getpid());
    try {
        _proxy->async_keepActiving(std::make_shared<HeartbeatCallback>(_shared, "keepActiving"), info);
    } catch (const std::exception& e) {
        _shared->failure(std::string("keepActiving not sent: ") + e.what());
    }
}

void NodeReporter::sendKeepAlive(const std::string& adapter) {
    ServerInfo info;
    info.application = _options.application;
    info.serverName = _options.serverName;
    info.pid = static_cast<Int32>(::getpid());
    info.adapter = adapter;
    try {
        _proxy->async_keepAlive(std::make_shared<HeartbeatCallback>(_shared, "keepAlive(" + adapter + ")"), info);
    } catch (const std::exception& e) {
        _shared->failure("keepAlive(" + adapter + ") not sent: " + e.what());
    }
}

void NodeReporter::beatAdapters() {
    std::vector<std::string> names;
    {
        std::lock_guard lock(_mutex);
        if (_stopped) return;
        for (AdapterBeat& beat : _adapters) {
            uint64_t progress = adapterProgress(*beat.adapter);
            bool stalled = beat.adapter->getQueueSize() > 0 && progress == beat.lastProgress;
            beat.lastProgress = progress;
            if (stalled != beat.stalled) {
                beat.stalled = stalled;
                if (stalled) {
                    TLOGWARN("[node] adapter " << beat.adapter->getName() << ": " << beat.adapter->getQueueSize()
                                               << " requests queued and none taken for " << _options.keepAliveIntervalMs
                                               << " ms: no heartbeat until it moves" << std::endl);
                } else {
                    TLOGINFO("[node] adapter " << beat.adapter->getName() << " moves again: heartbeats resume"
                                               << std::endl);
                }
            }
            if (stalled) continue;
            names.push_back(beat.adapter->getName());
        }
        if (_adapters.empty()) names.emplace_back();
    }
    for (const std::string& name : names) sendKeepAlive(name);
}

}  // namespace tars
