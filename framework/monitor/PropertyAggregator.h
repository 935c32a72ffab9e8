// PropertyAggregator: tarsproperty's rows of the interval in progress, one per
// (head, policy). Reports (PropertyF.reportPropMsg) are checked as a whole, then merged
// per policy: Sum and Count add, Max and Min keep the extreme, Avg is the mean of the
// interval's reported values, Distr adds bucket by bucket ("bound|count,..."; its value
// is the total count). take() hands the rows over, stamped with their interval.
//
// Refused reports store nothing: add() answers kMalformed (empty module or property name,
// a name longer than its column, an unknown policy, a value that is not a finite number,
// a Distr that is not "bound|count,...", a negative Count or Distr count) or kTooLarge
// (more heads than maxReportRows, more than 16 policies in one body, more than 64 Distr
// buckets), the reason in `error`.
//
// Threads: add() from any handle thread; take() from the flush thread (one mutex).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "PropertyF.h"
#include "PropertyStore.h"

namespace tars {

class PropertyAggregator {
public:
    static constexpr int kOk = 0;
    static constexpr int kMalformed = -1;
    static constexpr int kTooLarge = -2;

    explicit PropertyAggregator(size_t maxReportRows) : _maxReportRows(maxReportRows) {}

    int add(const std::map<StatPropMsgHead, StatPropMsgBody>& msg, std::string& error);
    std::vector<PropertyRow> take(const std::string& date, const std::string& tflag);
    size_t size() const;

private:
    struct Accumulator {
        std::string policy;
        double value = 0;  // Sum, Count: total; Max, Min: extreme; Avg: sum of values
        int64_t reports = 0;
        std::map<int64_t, int64_t> distr;
    };
    using Key = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string, std::string>;

    const size_t _maxReportRows;
    mutable std::mutex _mutex;
    std::map<Key, Accumulator> _rows;
};

// "5|3,10|0" -> {5: 3, 10: 0}; false when malformed.
bool parsePropertyDistr(const std::string& text, std::map<int64_t, int64_t>& out);

}  // namespace tars
