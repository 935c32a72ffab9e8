// MonitorQueryBuilder: answers one MonitorQuery request (TarsWeb's shape: a date, a tflag
// range, conditions, indexs, groupby) over t_stat_realtime ("tars_stat") or
// t_property_realtime ("tars_property"), as the query services tarsquerystat and
// tarsqueryproperty serve it.
//
// Safety: every column name (condition fields, indexs, groupby) must be one of the
// table's whitelisted columns below; values are bound as parameters. Anything else is
// refused with MonitorQueryError (a message naming the offending name), before any SQL
// runs. The SQL text is built only from the whitelist.
//
// Result: one entry per distinct combination of the groupby columns, its key the values
// joined by "," in groupby order ("" with no groupby), its value one number per index in
// index order: SUM for counts and times, MAX for max_rsp_time, MIN (over rows with
// successful calls) for min_rsp_time.
//
// Plain functions; thread-safe. Store failures throw StoreError.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "SqlConnection.h"
#include "util/tc_ex.h"

namespace tars {

struct MonitorQueryError : TC_Exception {
    using TC_Exception::TC_Exception;
};

struct MonitorCondition {
    std::string field;
    int op = 0;  // 0 EQ, 1 GT, 2 GTE, 3 LT, 4 LTE, 5 LIKE (MonitorQuery.tars's OP)
    std::string value;
};

struct MonitorQuerySpec {
    std::string dataid;  // "tars_stat" or "tars_property"
    std::string date;    // YYYYMMDD
    std::string tflag1;  // HHMM, inclusive
    std::string tflag2;  // HHMM, inclusive (swapped with tflag1 when smaller)
    std::vector<MonitorCondition> conditions;
    std::vector<std::string> indexs;
    std::vector<std::string> groupby;
};

using MonitorQueryResult = std::map<std::string, std::vector<double>>;

// The SQL and parameters the spec runs as; throws MonitorQueryError when it is refused.
struct MonitorQuerySql {
    std::string sql;
    SqlParams params;
};
MonitorQuerySql buildMonitorQuery(const MonitorQuerySpec& spec);

MonitorQueryResult runMonitorQuery(SqlConnection& connection, const MonitorQuerySpec& spec);

// The newest slice stored in the dataid's table: "YYYYMMDD HHMM", "" when empty.
std::string monitorLastTime(SqlConnection& connection, const std::string& dataid);

// What a dataid accepts (for docs, errors and tests).
struct MonitorQueryColumns {
    std::vector<std::string> fields;  // conditions and groupby
    std::vector<std::string> indexs;
};
const MonitorQueryColumns& monitorQueryColumns(const std::string& dataid);  // throws MonitorQueryError

}  // namespace tars
