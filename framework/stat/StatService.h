// StatService: the running tarsstat's state, shared by its servants (one StatImp per
// handle thread): the aggregator of the interval in progress, the finished intervals not
// stored yet (PendingRows, bounded by maxbufferrows), the store, and the flush thread.
//
// Every interval the flush thread takes the aggregated rows, stamps them with the
// interval's start (f_date, f_tflag), queues them and writes everything queued, oldest
// first; when the store fails the rows stay queued (up to the bound; past it they are
// dropped and counted) and the next interval tries again, so the service keeps answering
// reports and catches up when the store returns. Once an hour (and at start) rows older
// than the retention are deleted. stop() writes the interval in progress.
//
// Threads: report() and status() from any thread; start()/stop() from the Application.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "IntervalTimer.h"
#include "MonitorDatabase.h"
#include "MonitorSettings.h"
#include "PendingRows.h"
#include "StatAggregator.h"

namespace tars {

class StatService {
public:
    explicit StatService(const MonitorSettings& settings);
    ~StatService() { stop(); }
    StatService(const StatService&) = delete;
    StatService& operator=(const StatService&) = delete;

    void start();
    void stop();

    // StatAggregator's codes; error says why a report was refused.
    int report(const std::map<StatMicMsgHead, StatMicMsgBody>& msg, bool fromClient, const std::string& callerIp,
               std::string& error);
    // "key=value" lines: interval, rows in progress, pending, dropped, written, refused reports, store errors.
    std::string status() const;
    // Ends the interval in progress now (the admin command stat.flush; tests).
    void flushNow();
    const MonitorSettings& settings() const { return _settings; }

private:
    void onInterval(time_t start);
    void trimIfDue(time_t now);

    const MonitorSettings _settings;
    MonitorDatabase _database;
    StatAggregator _aggregator;
    PendingRows<StatRow> _pending;
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
