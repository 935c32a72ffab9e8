#include "servant/StatReport.h"

#include <unistd.h>

#include <chrono>
#include <fstream>

#include "PropertyF.h"
#include "StatF.h"
#include "internal/StatCollector.h"
#include "servant/Communicator.h"
#include "util/tc_common.h"
#include "util/tc_logger.h"

#ifndef TARS_VERSION
#define TARS_VERSION "unknown"
#endif

namespace tars {

namespace {

std::string programName() {
    std::ifstream in("/proc/self/comm");
    std::string name;
    std::getline(in, name);
    return name.empty() ? "unknown" : name;
}

template <typename T>
size_t encodedSize(const T& value) {
    TarsOutputStream<BufferWriterString> os;
    value.writeTo(os);
    return os.getLength();
}

int toInt(int64_t v) { return static_cast<int>(std::clamp<int64_t>(v, 0, INT32_MAX)); }

// How long stop() waits for the answers of its final report at most (and at most
// `report-timeout`).
constexpr int kFinalReportWaitMs = 2000;

}  // namespace

struct StatReport::Shared {
    std::atomic<int> pending{0};
    std::mutex mutex;  // with ended: the final report waits for the calls in flight
    std::condition_variable ended;
    void endOne() {
        if (pending.fetch_sub(1) == 1) {
            std::lock_guard lock(mutex);
            ended.notify_all();
        }
    }
    std::atomic<uint64_t> reportsSent{0};
    std::atomic<uint64_t> reportsFailed{0};
    std::atomic<uint64_t> rowsSent{0};
    std::atomic<uint64_t> rowsDropped{0};
    std::atomic<uint64_t> propertyReportsFailed{0};
};

namespace {

class ReportCallback final : public StatFPrxCallback {
public:
    explicit ReportCallback(std::shared_ptr<StatReport::Shared> shared) : _shared(std::move(shared)) {}
    void callback_reportMicMsg(Int32 /*ret*/) override { _shared->endOne(); }
    void callback_reportMicMsg_exception(Int32 ret) override {
        _shared->endOne();
        uint64_t failed = _shared->reportsFailed.fetch_add(1) + 1;
        if (failed == 1 || failed % 100 == 0) {
            TLOGWARN("[stat] reportMicMsg failed with " << ret << " (" << failed << " failed so far)" << std::endl);
        }
    }

private:
    std::shared_ptr<StatReport::Shared> _shared;
};

class PropertyCallback final : public PropertyFPrxCallback {
public:
    explicit PropertyCallback(std::shared_ptr<StatReport::Shared> shared) : _shared(std::move(shared)) {}
    void callback_reportPropMsg(Int32 /*ret*/) override { _shared->endOne(); }
    void callback_reportPropMsg_exception(Int32 ret) override {
        _shared->endOne();
        uint64_t failed = _shared->propertyReportsFailed.fetch_add(1) + 1;
        if (failed == 1 || failed % 100 == 0) {
            TLOGWARN("[property] reportPropMsg failed with " << ret << " (" << failed << " failed so far)"
                                                             << std::endl);
        }
    }

private:
    std::shared_ptr<StatReport::Shared> _shared;
};

}  // namespace

StatReport::StatReport(Communicator& communicator)
    : _communicator(communicator),
      _clientCalls(std::make_unique<StatCollector>()),
      _servedCalls(std::make_unique<StatCollector>()),
      _shared(std::make_shared<Shared>()) {}

StatReport::~StatReport() { stop(); }

void StatReport::setServerName(const std::string& appServer) {
    std::lock_guard lock(_mutex);
    _serverName = appServer;
}

void StatReport::setLocalIp(const std::string& ip) {
    std::lock_guard lock(_mutex);
    _localIp = ip;
}

PropertyReportPtr StatReport::createPropertyReportImpl(const std::string& name,
                                                       std::vector<PropertyReport::PolicyPtr> policies) {
    std::lock_guard lock(_mutex);
    auto& property = _properties[name];
    if (!property) property = std::make_shared<PropertyReport>(name, std::move(policies));
    return property;
}

void StatReport::addSampler(std::function<void()> sampler) {
    std::lock_guard lock(_mutex);
    _samplers.push_back(std::move(sampler));
}

std::map<std::string, std::vector<std::pair<std::string, std::string>>> StatReport::takeProperties() {
    std::vector<std::function<void()>> samplers;
    std::vector<PropertyReportPtr> properties;
    {
        std::lock_guard lock(_mutex);
        samplers = _samplers;
        for (auto& [name, p] : _properties) properties.push_back(p);
    }
    for (auto& sampler : samplers) sampler();
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> out;
    for (auto& p : properties) {
        auto values = p->take();
        if (!values.empty()) out[p->name()] = std::move(values);
    }
    if (keepsTotals()) {
        std::lock_guard lock(_lastMutex);
        _lastProperties = out;
    }
    return out;
}

void StatReport::keepTotals() {
    _clientCalls->keepTotals(true);
    _servedCalls->keepTotals(false);  // a server's callers: not one series each
    _keepTotals.store(true, std::memory_order_release);
}

std::map<std::string, std::vector<std::pair<std::string, std::string>>> StatReport::lastProperties() const {
    std::lock_guard lock(_lastMutex);
    return _lastProperties;
}

void StatReport::sendProperties() {
    auto values = takeProperties();
    if (values.empty()) return;
    std::string moduleName, ip;
    {
        std::lock_guard lock(_mutex);
        moduleName = _serverName;
        ip = _localIp;
    }
    if (moduleName.empty()) moduleName = _settings.moduleName.empty() ? programName() : _settings.moduleName;
    std::vector<std::string> set = TC_Common::sepstr(_settings.setDivision, ".");
    std::map<StatPropMsgHead, StatPropMsgBody> messages;
    for (auto& [name, policies] : values) {
        StatPropMsgHead head;
        head.moduleName = moduleName;
        head.ip = ip;
        head.propertyName = name;
        if (set.size() == 3) {
            head.setName = set[0];
            head.setArea = set[1];
            head.setID = set[2];
        }
        StatPropMsgBody body;
        for (auto& [policy, value] : policies) {
            StatPropInfo info;
            info.policy = policy;
            info.value = value;
            body.vInfo.push_back(std::move(info));
        }
        messages[head] = std::move(body);
    }
    PropertyFPrx proxy;
    try {
        proxy = _communicator.stringToProxy<PropertyFPrx>(_settings.propertyObject);
        proxy->tars_set_report_stats(false);
        proxy->tars_set_async_timeout(_settings.timeoutMs);
    } catch (const std::exception& e) {
        TLOGERROR("[property] property object '" << _settings.propertyObject << "': " << e.what() << std::endl);
        return;
    }
    // Batches of at most max-report-size encoded bytes, as for stat.
    std::vector<std::map<StatPropMsgHead, StatPropMsgBody>> batches;
    size_t bytes = 0;
    for (auto& [head, body] : messages) {
        size_t size = encodedSize(head) + encodedSize(body) + 4;
        if (batches.empty() ||
            (bytes + size > static_cast<size_t>(_settings.maxReportSize) && !batches.back().empty())) {
            batches.emplace_back();
            bytes = 0;
        }
        batches.back().emplace(head, body);
        bytes += size;
    }
    for (auto& batch : batches) {
        if (_shared->pending.load() >= kMaxPendingReports) continue;
        _shared->pending.fetch_add(1);
        try {
            proxy->async_reportPropMsg(std::make_shared<PropertyCallback>(_shared), batch);
        } catch (const std::exception&) {
            _shared->endOne();
        }
    }
}

StatReport::Counters StatReport::counters() const {
    return {_shared->reportsSent.load(), _shared->reportsFailed.load(), _shared->rowsSent.load(),
            _shared->rowsDropped.load()};
}

std::string StatReport::masterName(const Settings& settings) {
    std::string name = settings.moduleName.empty() ? programName() : settings.moduleName;
    if (!settings.setDivision.empty()) {
        std::vector<std::string> parts = TC_Common::sepstr(settings.setDivision, ".");
        if (parts.size() == 3) name += "." + parts[0] + parts[1] + parts[2];
    }
    return name + "@" + TARS_VERSION;
}

StatMicMsgBody StatReport::toBody(const StatRowBody& row) {
    StatMicMsgBody body;
    body.count = toInt(row.count);
    body.timeoutCount = toInt(row.timeouts);
    body.execCount = toInt(row.exceptions);
    for (size_t i = 0; i < row.buckets.size(); ++i)
        body.intervalCount[StatRowBody::kBucketsMs[i]] = toInt(row.buckets[i]);
    body.totalRspTime = row.totalMs;
    body.maxRspTime = row.maxMs;
    body.minRspTime = row.minMs;
    return body;
}

std::vector<std::map<StatMicMsgHead, StatMicMsgBody>> StatReport::batches(
    const std::map<StatMicMsgHead, StatMicMsgBody>& rows, size_t maxBytes) {
    std::vector<std::map<StatMicMsgHead, StatMicMsgBody>> out;
    size_t bytes = 0;
    for (const auto& [head, body] : rows) {
        size_t size = encodedSize(head) + encodedSize(body) + 4;  // + the struct delimiters
        if (out.empty() || (bytes + size > maxBytes && !out.back().empty())) {
            out.emplace_back();
            bytes = 0;
        }
        out.back().emplace(head, body);
        bytes += size;
    }
    return out;
}

void StatReport::start(const Settings& settings) {
    std::lock_guard lock(_mutex);
    if (_started) return;
    _started = true;
    _settings = settings;
    _reporting = !settings.statObject.empty();
    _propertyReporting = !settings.propertyObject.empty();
    if (!_reporting && !_propertyReporting && !keepsTotals()) return;
    _thread = std::thread([this] { run(); });
}

void StatReport::stop() {
    {
        std::lock_guard lock(_mutex);
        if (_stopping) return;
        _stopping = true;
    }
    _wake.notify_all();
    if (!_thread.joinable()) return;
    _thread.join();
    // The rows of the last, partial interval: sent now, and waited for (a bounded time), so
    // that a process that exits does not lose its last minute of calls.
    try {
        reportOnce();
    } catch (const std::exception& e) {
        TLOGERROR("[stat] final report failed: " << e.what() << std::endl);
    }
    std::unique_lock lock(_shared->mutex);
    int waitMs = std::min(_settings.timeoutMs, kFinalReportWaitMs);
    if (!_shared->ended.wait_for(lock, std::chrono::milliseconds(waitMs), [this] { return _shared->pending == 0; })) {
        TLOGWARN("[stat] " << _shared->pending.load() << " report(s) still unanswered " << waitMs
                           << " ms after the final one: not waited for" << std::endl);
    }
}

void StatReport::run() {
    std::unique_lock lock(_mutex);
    while (!_stopping) {
        _wake.wait_for(lock, std::chrono::milliseconds(_settings.intervalMs), [this] { return _stopping; });
        if (_stopping) break;
        lock.unlock();
        try {
            reportOnce();
        } catch (const std::exception& e) {
            TLOGERROR("[stat] report failed: " << e.what() << std::endl);
        }
        lock.lock();
    }
}

void StatReport::reportOnce() {
    if (_reporting) {
        send(_clientCalls->take(), true);
        send(_servedCalls->take(), false);
    }
    if (_propertyReporting) {
        sendProperties();
    } else if (keepsTotals()) {
        takeProperties();  // the interval ends for lastProperties() too
    }
}

void StatReport::send(const std::map<StatRowKey, StatRowBody>& rows, bool fromClient) {
    if (rows.empty()) return;
    std::string serverName;
    {
        std::lock_guard lock(_mutex);
        serverName = _serverName;
    }
    if (!fromClient && serverName.empty()) return;
    std::map<StatMicMsgHead, StatMicMsgBody> messages;
    std::string master = masterName(_settings);
    for (const auto& [key, row] : rows) {
        StatMicMsgHead head;
        if (fromClient) {
            head.masterName = master;
            head.slaveName = key.peer;
        } else {
            head.masterName = key.peer;
            head.masterIp = key.peer;
            head.slaveName = serverName;
        }
        head.interfaceName = key.interface;
        head.slaveIp = key.ip;
        head.slavePort = key.port;
        head.returnValue = key.ret;
        head.tarsVersion = TARS_VERSION;
        messages[head] = toBody(row);
    }
    StatFPrx proxy;
    try {
        proxy = _communicator.stringToProxy<StatFPrx>(_settings.statObject);
        proxy->tars_set_report_stats(false);
        proxy->tars_set_async_timeout(_settings.timeoutMs);
    } catch (const std::exception& e) {
        TLOGERROR("[stat] stat object '" << _settings.statObject << "': " << e.what() << std::endl);
        _shared->rowsDropped += messages.size();
        return;
    }
    for (auto& batch : batches(messages, static_cast<size_t>(_settings.maxReportSize))) {
        if (_shared->pending.load() >= kMaxPendingReports) {
            _shared->rowsDropped += batch.size();
            continue;
        }
        _shared->pending.fetch_add(1);
        try {
            proxy->async_reportMicMsg(std::make_shared<ReportCallback>(_shared), batch, fromClient);
            _shared->reportsSent += 1;
            _shared->rowsSent += batch.size();
        } catch (const std::exception&) {
            _shared->endOne();
            _shared->rowsDropped += batch.size();
        }
    }
}

}  // namespace tars
