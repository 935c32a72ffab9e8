#include "PropertyService.h"

#include <sstream>

#include "MonitorClock.h"
#include "util/tc_logger.h"

namespace tars {

PropertyService::PropertyService(const MonitorSettings& settings)
    : _settings(settings),
      _database(settings.store, settings.createSchema),
      _aggregator(settings.maxReportRows),
      _pending(settings.maxBufferRows) {}

void PropertyService::start() {
    try {
        _database.connect();
    } catch (const StoreError& e) {
        // Reports are still taken and kept; the store is tried again every interval.
        TLOGERROR("property: the store is not reachable yet (" << e.what() << "); rows are kept until it is"
                                                               << std::endl);
    }
    trimIfDue(time(nullptr));
    _timer = std::make_unique<IntervalTimer>(_settings.intervalSeconds, [this](time_t start) { onInterval(start); });
    _timer->start();
}

void PropertyService::stop() {
    if (_timer) {
        _timer->stop();  // ends with one last flush
        _timer.reset();
        auto status = _pending.status();
        if (status.pendingRows > 0) {
            TLOGERROR("property: stopping with " << status.pendingRows
                                                 << " rows the store did not take: they are lost (" << status.lastError
                                                 << ")" << std::endl);
        }
    }
}

int PropertyService::report(const std::map<StatPropMsgHead, StatPropMsgBody>& msg, std::string& error) {
    int code = _aggregator.add(msg, error);
    (code == PropertyAggregator::kOk ? _acceptedReports : _refusedReports)++;
    return code;
}

void PropertyService::flushNow() { onInterval(time(nullptr)); }

void PropertyService::onInterval(time_t start) {
    std::lock_guard<std::mutex> lock(_flushMutex);
    auto rows = _aggregator.take(monitorDate(start), monitorTflag(start));
    if (!rows.empty()) _pending.add(std::move(rows));
    bool written = _pending.write([this](const std::vector<PropertyRow>& batch) {
        _database.run([&](SqlConnection& connection) { insertPropertyRows(connection, batch); });
    });
    if (!written) {
        auto status = _pending.status();
        TLOGERROR("property: " << status.pendingRows << " rows wait for the store (" << status.droppedRows
                               << " dropped so far): " << status.lastError << std::endl);
    }
    trimIfDue(time(nullptr));
}

void PropertyService::trimIfDue(time_t now) {
    if (_lastTrim != 0 && now - _lastTrim < 3600) return;
    try {
        std::string first = monitorFirstKeptDate(now, _settings.reserveDays);
        int64_t deleted =
            _database.run([&](SqlConnection& connection) { return trimPropertyRowsBefore(connection, first); });
        _lastTrim = now;
        if (deleted > 0) TLOGINFO("property: deleted " << deleted << " rows dated before " << first << std::endl);
    } catch (const StoreError& e) {
        TLOGERROR("property: retention failed: " << e.what() << std::endl);
    }
}

std::string PropertyService::status() const {
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
       << "last_store_error=" << pending.lastError << "\n"
       << "store=" << _database.describe() << "\n";
    return os.str();
}

}  // namespace tars
