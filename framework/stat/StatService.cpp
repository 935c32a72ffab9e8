#include "StatService.h"

#include <chrono>
#include <sstream>

#include "MonitorClock.h"
#include "util/tc_logger.h"

namespace tars {

StatService::StatService(const MonitorSettings& settings)
    : _settings(settings),
      _database(settings.store, settings.createSchema),
      _aggregator(settings.maxReportRows),
      _pending(settings.maxBufferRows) {}

void StatService::start() {
    try {
        _database.connect();
    } catch (const StoreError& e) {
        // Reports are still taken and kept; the store is tried again every interval.
        TLOGERROR("stat: the store is not reachable yet (" << e.what() << "); rows are kept until it is" << std::endl);
    }
    trimIfDue(time(nullptr));
    _timer = std::make_unique<IntervalTimer>(_settings.intervalSeconds, [this](time_t start) { onInterval(start); });
    _timer->start();
}

void StatService::stop() {
    if (_timer) {
        _timer->stop();  // ends with one last flush
        _timer.reset();
        auto status = _pending.status();
        if (status.pendingRows > 0) {
            TLOGERROR("stat: stopping with " << status.pendingRows << " rows the store did not take: they are lost ("
                                             << status.lastError << ")" << std::endl);
        }
    }
}

int StatService::report(const std::map<StatMicMsgHead, StatMicMsgBody>& msg, bool fromClient,
                        const std::string& callerIp, std::string& error) {
    int code = _aggregator.add(msg, fromClient, callerIp, error);
    (code == StatAggregator::kOk ? _acceptedReports : _refusedReports)++;
    return code;
}

void StatService::flushNow() { onInterval(time(nullptr)); }

void StatService::onInterval(time_t start) {
    std::lock_guard<std::mutex> lock(_flushMutex);
    auto began = std::chrono::steady_clock::now();
    auto rows = _aggregator.take(monitorDate(start), monitorTflag(start));
    _lastFlushRows = rows.size();
    if (!rows.empty()) _pending.add(std::move(rows));
    bool written = _pending.write([this](const std::vector<StatRow>& batch) {
        _database.run([&](SqlConnection& connection) { insertStatRows(connection, batch); });
    });
    if (!written) {
        auto status = _pending.status();
        TLOGERROR("stat: " << status.pendingRows << " rows wait for the store (" << status.droppedRows
                           << " dropped so far): " << status.lastError << std::endl);
    }
    _lastFlushMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
    ++_flushes;
    trimIfDue(time(nullptr));
}

void StatService::trimIfDue(time_t now) {
    if (_lastTrim != 0 && now - _lastTrim < 3600) return;
    try {
        std::string first = monitorFirstKeptDate(now, _settings.reserveDays);
        int64_t deleted =
            _database.run([&](SqlConnection& connection) { return trimStatRowsBefore(connection, first); });
        _lastTrim = now;
        if (deleted > 0) TLOGINFO("stat: deleted " << deleted << " rows dated before " << first << std::endl);
    } catch (const StoreError& e) {
        TLOGERROR("stat: retention failed: " << e.what() << std::endl);
    }
}

std::string StatService::status() const {
    auto pending = _pending.status();
    std::ostringstream os;
    os << "interval_seconds=" << _settings.intervalSeconds << "\n"
       << "rows_in_interval=" << _aggregator.size() << "\n"
       << "accepted_reports=" << _acceptedReports.load() << "\n"
       << "refused_reports=" << _refusedReports.load() << "\n"
       << "pending_rows=" << pending.pendingRows << "\n"
       << "dropped_rows=" << pending.droppedRows << "\n"
       << "written_rows=" << pending.writtenRows << "\n"
       << "failed_writes=" << pending.failedWrites << "\n"
       << "flushes=" << _flushes.load() << "\n"
       << "last_flush_rows=" << _lastFlushRows.load() << "\n"
       << "last_flush_ms=" << _lastFlushMs.load() << "\n"
       << "last_store_error=" << pending.lastError << "\n"
       << "store=" << _database.describe() << "\n";
    return os.str();
}

}  // namespace tars
