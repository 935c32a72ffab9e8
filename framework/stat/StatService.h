// StatService: the running tarsstat's state, shared by its servants (one StatImp per
// handle thread): IntervalService (framework/monitor) over StatAggregator, which merges
// StatF.reportMicMsg rows per head and side, writing StatRows (t_stat_realtime) with
// stat_reserve_time days kept.
#pragma once

#include <vector>

#include "IntervalService.h"
#include "StatAggregator.h"
#include "StatStore.h"

namespace tars {

struct StatKind {
    using Aggregator = StatAggregator;
    using Row = StatRow;
    static constexpr const char* kName = "stat";
    static constexpr const char* kObject = "StatObj";
    static constexpr const char* kReserveKey = "stat_reserve_time";
    static void insert(SqlConnection& connection, const std::vector<Row>& rows) { insertStatRows(connection, rows); }
    static int64_t trimBefore(SqlConnection& connection, const std::string& date) {
        return trimStatRowsBefore(connection, date);
    }
};

// report(msg, fromClient, callerIp, error): StatAggregator's codes.
using StatService = IntervalService<StatKind>;

}  // namespace tars
