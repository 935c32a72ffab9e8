// PropertyService: the running tarsproperty's state, shared by its servants (one
// PropertyImp per handle thread): IntervalService (framework/monitor) over
// PropertyAggregator, which merges PropertyF.reportPropMsg values per head and policy,
// writing PropertyRows (t_property_realtime) with property_reserve_time days kept.
#pragma once

#include <vector>

#include "IntervalService.h"
#include "PropertyAggregator.h"
#include "PropertyStore.h"

namespace tars {

struct PropertyKind {
    using Aggregator = PropertyAggregator;
    using Row = PropertyRow;
    static constexpr const char* kName = "property";
    static constexpr const char* kObject = "PropertyObj";
    static constexpr const char* kReserveKey = "property_reserve_time";
    static void insert(SqlConnection& connection, const std::vector<Row>& rows) {
        insertPropertyRows(connection, rows);
    }
    static int64_t trimBefore(SqlConnection& connection, const std::string& date) {
        return trimPropertyRowsBefore(connection, date);
    }
};

// report(msg, error): PropertyAggregator's codes.
using PropertyService = IntervalService<PropertyKind>;

}  // namespace tars
