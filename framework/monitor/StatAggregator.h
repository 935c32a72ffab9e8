// StatAggregator: tarsstat's rows of the interval in progress. Every report
// (StatF.reportMicMsg) is checked as a whole, then merged into one row per
// (head, bFromClient): counts, timeouts, exceptions, total time and bucket counts add up,
// max takes the largest, min the smallest of the bodies that had successful calls.
// take() hands the rows over (stamped with their interval's date and tflag) and starts
// empty.
//
// Refused reports store nothing: add() answers kMalformed (empty caller, callee or
// interface name; a negative count, time or bucket; a port out of range; a name longer
// than its column) or kTooLarge (more heads than maxReportRows, or more than 64 buckets
// in one body), with the reason in `error`.
//
// Threads: add() from any number of handle threads (the rows are split over 16 locked
// shards); take() from the flush thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "StatF.h"
#include "StatStore.h"

namespace tars {

class StatAggregator {
public:
    static constexpr int kOk = 0;
    static constexpr int kMalformed = -1;
    static constexpr int kTooLarge = -2;

    explicit StatAggregator(size_t maxReportRows) : _maxReportRows(maxReportRows) {}

    // callerIp fills masterIp when the head leaves it empty (TARS clients do).
    int add(const std::map<StatMicMsgHead, StatMicMsgBody>& msg, bool fromClient, const std::string& callerIp,
            std::string& error);
    std::vector<StatRow> take(const std::string& date, const std::string& tflag);
    // Rows of the interval in progress.
    size_t size() const;

    // The reason a report is refused ("" when it is acceptable); the code in *code.
    std::string check(const std::map<StatMicMsgHead, StatMicMsgBody>& msg, int* code) const;

private:
    static constexpr size_t kShards = 16;
    struct Shard {
        mutable std::mutex mutex;
        std::map<std::pair<bool, StatMicMsgHead>, StatRow> rows;
    };

    const size_t _maxReportRows;
    std::array<Shard, kShards> _shards;
};

}  // namespace tars
