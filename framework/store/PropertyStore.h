// PropertyStore: the rows of properties in t_property_realtime (sql/tars_monitor.*.sql),
// as tarsproperty writes them at the end of each interval and retention trims them.
//
// One row per (interval, module, ip, property, set, policy). value holds the merged number
// of the policy (Sum, Count: the total; Max, Min; Avg: the mean of the interval's reports;
// Distr: the total count); distr holds Distr's buckets as "bound|count,..." (else "").
// Plain functions over a connection the caller holds; they throw StoreError.
#pragma once

#include <string>
#include <vector>

#include "SqlConnection.h"

namespace tars {

struct PropertyRow {
    std::string date;   // YYYYMMDD
    std::string tflag;  // HHMM
    std::string masterName, masterIp, propertyName, setName, setArea, setId;
    std::string policy;
    double value = 0;
    std::string distr;
};

// All rows in one transaction (all or nothing).
void insertPropertyRows(SqlConnection& connection, const std::vector<PropertyRow>& rows);
// Deletes the rows of dates before `date` (YYYYMMDD); how many.
int64_t trimPropertyRowsBefore(SqlConnection& connection, const std::string& date);

}  // namespace tars
