// IntervalService<Kind>: the running state of an aggregating observability service
// (tarsstat, tarsproperty), shared by its servants (one per handle thread): the aggregator
// of the interval in progress, the finished intervals not stored yet (PendingRows, bounded
// by maxbufferrows), the store, and the flush thread.
//
// Every interval the flush thread takes the aggregated rows, stamps them with the
// interval's start (f_date, f_tflag), queues them and writes everything queued, oldest
// first; when the store fails the rows stay queued (up to the bound; past it they are
// dropped and counted) and the next interval tries again, so the service keeps answering
// reports and catches up when the store returns. Once an hour (and at start) rows older
// than the retention are deleted. stop() writes the interval in progress.
//
// Kind says what is aggregated and where it goes:
//   Kind::Aggregator   add(report..., std::string& error) -> Aggregator::kOk or a code;
//                      take(date, tflag) -> std::vector<Kind::Row>; size()
//   Kind::kName        "stat", "property": log lines and admin commands start with it
//   Kind::insert(SqlConnection&, const std::vector<Row>&)
//   Kind::trimBefore(SqlConnection&, const std::string& date) -> rows deleted
//
// Threads: report() and status() from any thread; start()/stop() from the Application.
#pragma once

#include <atomic>
#include <chrono>
#include <ctime>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>

#include "IntervalTimer.h"
#include "MonitorClock.h"
#include "MonitorDatabase.h"
#include "MonitorSettings.h"
#include "PendingRows.h"
#include "util/tc_logger.h"

namespace tars {

template <typename Kind>
class IntervalService {
public:
    using Aggregator = typename Kind::Aggregator;
    using Row = typename Kind::Row;

    explicit IntervalService(const MonitorSettings& settings)
        : _settings(settings),
          _database(settings.store, settings.createSchema),
          _aggregator(settings.maxReportRows),
          _pending(settings.maxBufferRows) {}
    ~IntervalService() { stop(); }
    IntervalService(const IntervalService&) = delete;
    IntervalService& operator=(const IntervalService&) = delete;

    void start() {
        try {
            _database.connect();
        } catch (const StoreError& e) {
            // Reports are still taken and kept; the store is tried again every interval.
            TLOGERROR(Kind::kName << ": the store is not reachable yet (" << e.what() << "); rows are kept until it is"
                                  << std::endl);
        }
        trimIfDue(time(nullptr));
        _timer =
            std::make_unique<IntervalTimer>(_settings.intervalSeconds, [this](time_t start) { onInterval(start); });
        _timer->start();
    }

    void stop() {
        if (!_timer) return;
        _timer->stop();  // ends with one last flush
        _timer.reset();
        auto status = _pending.status();
        if (status.pendingRows > 0) {
            TLOGERROR(Kind::kName << ": stopping with " << status.pendingRows
                                  << " rows the store did not take: they are lost (" << status.lastError << ")"
                                  << std::endl);
        }
    }

    // The aggregator's add(): its codes; the last argument (std::string&) says why a
    // report was refused.
    template <typename... Args>
    int report(Args&&... args) {
        int code = _aggregator.add(std::forward<Args>(args)...);
        (code == Aggregator::kOk ? _acceptedReports : _refusedReports)++;
        return code;
    }

    // "key=value" lines: interval, rows in progress, reports, pending, dropped, written,
    // store errors, and the last flush.
    std::string status() const {
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

    // Ends the interval in progress now (the admin command <kName>.flush; tests).
    void flushNow() { onInterval(time(nullptr)); }
    const MonitorSettings& settings() const { return _settings; }

private:
    void onInterval(time_t start) {
        std::lock_guard lock(_flushMutex);
        auto began = std::chrono::steady_clock::now();
        auto rows = _aggregator.take(monitorDate(start), monitorTflag(start));
        _lastFlushRows = rows.size();
        if (!rows.empty()) _pending.add(std::move(rows));
        bool written = _pending.write([this](const std::vector<Row>& batch) {
            _database.run([&](SqlConnection& connection) { Kind::insert(connection, batch); });
        });
        if (!written) {
            auto status = _pending.status();
            TLOGERROR(Kind::kName << ": " << status.pendingRows << " rows wait for the store (" << status.droppedRows
                                  << " dropped so far): " << status.lastError << std::endl);
        }
        _lastFlushMs =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
        ++_flushes;
        trimIfDue(time(nullptr));
    }

    void trimIfDue(time_t now) {
        if (_lastTrim != 0 && now - _lastTrim < 3600) return;
        try {
            std::string first = monitorFirstKeptDate(now, _settings.reserveDays);
            int64_t deleted =
                _database.run([&](SqlConnection& connection) { return Kind::trimBefore(connection, first); });
            _lastTrim = now;
            if (deleted > 0)
                TLOGINFO(Kind::kName << ": deleted " << deleted << " rows dated before " << first << std::endl);
        } catch (const StoreError& e) {
            TLOGERROR(Kind::kName << ": retention failed: " << e.what() << std::endl);
        }
    }

    const MonitorSettings _settings;
    MonitorDatabase _database;
    Aggregator _aggregator;
    PendingRows<Row> _pending;
    std::mutex _flushMutex;  // one flush at a time (timer thread, admin command)
    time_t _lastTrim = 0;
    std::atomic<uint64_t> _lastFlushRows{0};  // rows the last interval produced
    std::atomic<int64_t> _lastFlushMs{0};     // how long its take + write took
    std::atomic<uint64_t> _flushes{0};        // intervals ended (counted once written or queued)
    std::atomic<uint64_t> _refusedReports{0};
    std::atomic<uint64_t> _acceptedReports{0};
    std::unique_ptr<IntervalTimer> _timer;
};

}  // namespace tars
