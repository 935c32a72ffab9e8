// PropertyService: the running tarsproperty's state, shared by its servants (one PropertyImp per
// handle thread): the aggregator of the interval in progress, the finished intervals not
// stored yet (PendingRows, bounded by maxbufferrows), the store, and the flush thread.
//
// The same life as StatService, for properties (PropertyAggregator merges per policy).
// Every interval the flush thread takes the aggregated rows, stamps them with the
// interval's start (f_date, f_tflag), queues them and writes everything queued, oldest
// first; when the store fails the rows stay queued (up to the bound; past it they are
// dropped and counted) and the next interval tries again, so the service keeps answering
// reports and catches up when the store returns. Once an hour (and at start) rows older
// than the retention are deleted. stop() writes the interval in progress.
//
// Threads: report() and status() from any thread; start()/stop() from the Application.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "IntervalTimer.h"
#include "MonitorDatabase.h"
#include "MonitorSettings.h"
#include "PendingRows.h"
#include "PropertyAggregator.h"

namespace tars {

class PropertyService {
public:
    explicit PropertyService(const MonitorSettings& settings);
    ~PropertyService() { stop(); }
    PropertyService(const PropertyService&) = delete;
    PropertyService& operator=(const PropertyService&) = delete;

    void start();
    void stop();

    // PropertyAggregator's codes; error says why a report was refused.
    int report(const std::map<StatPropMsgHead, StatPropMsgBody>& msg, std::string& error);
    // "key=value" lines: interval, rows in progress, pending, dropped, written, refused reports, store errors.
    std::string status() const;
    // Ends the interval in progress now (the admin command property.flush; tests).
    void flushNow();
    const MonitorSettings& settings() const { return _settings; }

private:
    void onInterval(time_t start);
    void trimIfDue(time_t now);

    const MonitorSettings _settings;
    MonitorDatabase _database;
    PropertyAggregator _aggregator;
    PendingRows<PropertyRow> _pending;
    std::mutex _flushMutex;  // one flush at a time (timer thread, admin command)
    time_t _lastTrim = 0;
    std::atomic<uint64_t> _refusedReports{0};
    std::atomic<uint64_t> _acceptedReports{0};
    std::unique_ptr<IntervalTimer> _timer;
};

}  // namespace tars
