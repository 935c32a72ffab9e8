// StatStore: the rows of call statistics in t_stat_realtime (sql/tars_monitor.*.sql), as
// tarsstat writes them at the end of each interval and retention trims them.
//
// Plain functions over a connection the caller holds (MonitorDatabase::run); they throw
// StoreError. insertStatRows() writes all rows in one transaction (all or nothing).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "SqlConnection.h"

namespace tars {

// TARS's latency buckets (ms, upper bounds) and the columns that count them; a reported
// bucket that is none of these counts in the next larger one, above 3000 in interv_over.
inline constexpr std::array<int, 9> kStatBuckets{5, 10, 50, 100, 200, 500, 1000, 2000, 3000};
inline constexpr size_t kStatBucketColumns = kStatBuckets.size() + 1;

struct StatRow {
    std::string date;   // YYYYMMDD
    std::string tflag;  // HHMM
    bool fromClient = false;
    std::string masterName, slaveName, interfaceName, masterIp, slaveIp;
    int64_t slavePort = 0;
    int64_t returnValue = 0;
    std::string slaveSetName, slaveSetArea, slaveSetId, tarsVersion;
    int64_t succCount = 0, timeoutCount = 0, exceCount = 0, totalTime = 0;
    int64_t maxRspTime = 0, minRspTime = 0;
    std::array<int64_t, kStatBucketColumns> buckets{};  // interv_5 ... interv_3000, interv_over
};

// The index of the bucket column a reported bucket bound counts in.
size_t statBucketIndex(int64_t boundMs);
// "interv_5" ... "interv_3000", "interv_over".
const std::vector<std::string>& statBucketColumns();

void insertStatRows(SqlConnection& connection, const std::vector<StatRow>& rows);
// Deletes the rows of dates before `date` (YYYYMMDD); how many.
int64_t trimStatRowsBefore(SqlConnection& connection, const std::string& date);

}  // namespace tars
