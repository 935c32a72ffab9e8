#include "MonitorQueryBuilder.h"

#include <algorithm>
#include <cstdlib>

#include "StatStore.h"
#include "util/tc_common.h"

namespace tars {

namespace {

const char* kStatTable = "t_stat_realtime";
const char* kPropertyTable = "t_property_realtime";

// Integer columns: their values are compared as numbers and LIKE is refused.
bool isIntegerColumn(const std::string& column) {
    return column == "from_client" || column == "slave_port" || column == "return_value";
}

bool allDigits(const std::string& text, size_t length) {
    return text.size() == length && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
    return out;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string aggregate(const std::string& index) {
    if (index == "max_rsp_time") return "MAX(max_rsp_time)";
    // A property's rows of one policy combine by that policy (several instances, or several
    // intervals in one minute's f_tflag): a maximum of maxima, a minimum of minima, a mean
    // of means. Groups that mix policies add up, as TARS's query does.
    if (index == "value") {
        return "CASE WHEN MIN(policy) <> MAX(policy) THEN SUM(value) WHEN MIN(policy) = 'Max' THEN MAX(value) "
               "WHEN MIN(policy) = 'Min' THEN MIN(value) WHEN MIN(policy) = 'Avg' THEN AVG(value) ELSE SUM(value) END";
    }
    if (index == "min_rsp_time") return "MIN(CASE WHEN succ_count > 0 THEN min_rsp_time END)";
    return "SUM(" + index + ")";
}

const char* sqlOperator(int op) {
    switch (op) {
        case 0: return "=";
        case 1: return ">";
        case 2: return ">=";
        case 3: return "<";
        case 4: return "<=";
        case 5: return "LIKE";
        default: return nullptr;
    }
}

}  // namespace

const MonitorQueryColumns& monitorQueryColumns(const std::string& dataid) {
    static const MonitorQueryColumns stat = [] {
        MonitorQueryColumns c;
        c.fields = {"f_date",         "f_tflag",        "from_client",  "master_name", "slave_name",
                    "interface_name", "master_ip",      "slave_ip",     "slave_port",  "return_value",
                    "slave_set_name", "slave_set_area", "slave_set_id", "tars_version"};
        c.indexs = {"succ_count", "timeout_count", "exce_count", "total_time", "max_rsp_time", "min_rsp_time"};
        for (const auto& bucket : statBucketColumns()) c.indexs.push_back(bucket);
        return c;
    }();
    static const MonitorQueryColumns property = [] {
        MonitorQueryColumns c;
        c.fields = {"f_date",   "f_tflag",  "master_name", "master_ip", "property_name",
                    "set_name", "set_area", "set_id",      "policy"};
        c.indexs = {"value"};
        return c;
    }();
    if (dataid == "tars_stat") return stat;
    if (dataid == "tars_property") return property;
    throw MonitorQueryError("unknown dataid '" + dataid + "': tars_stat or tars_property");
}

MonitorQuerySql buildMonitorQuery(const MonitorQuerySpec& spec) {
    const MonitorQueryColumns& columns = monitorQueryColumns(spec.dataid);
    if (!allDigits(spec.date, 8)) throw MonitorQueryError("bad date '" + spec.date + "': YYYYMMDD");
    if (!allDigits(spec.tflag1, 4)) throw MonitorQueryError("bad tflag1 '" + spec.tflag1 + "': HHMM");
    if (!allDigits(spec.tflag2, 4)) throw MonitorQueryError("bad tflag2 '" + spec.tflag2 + "': HHMM");
    if (spec.indexs.empty()) throw MonitorQueryError("no indexs: name at least one column to sum");
    for (const auto& index : spec.indexs) {
        if (!contains(columns.indexs, index)) {
            throw MonitorQueryError("unknown index '" + index + "' for " + spec.dataid + ": one of " +
                                    join(columns.indexs));
        }
    }
    for (const auto& group : spec.groupby) {
        if (!contains(columns.fields, group)) {
            throw MonitorQueryError("unknown groupby field '" + group + "' for " + spec.dataid + ": one of " +
                                    join(columns.fields));
        }
    }

    MonitorQuerySql out;
    std::string select;
    for (const auto& group : spec.groupby) select += group + ", ";
    for (size_t i = 0; i < spec.indexs.size(); ++i) select += (i ? ", " : "") + aggregate(spec.indexs[i]);

    std::string tflagFrom = std::min(spec.tflag1, spec.tflag2);
    std::string tflagTo = std::max(spec.tflag1, spec.tflag2);
    std::string where = "f_date = ? AND f_tflag >= ? AND f_tflag <= ?";
    out.params = {spec.date, tflagFrom, tflagTo};
    for (const auto& condition : spec.conditions) {
        if (!contains(columns.fields, condition.field)) {
            throw MonitorQueryError("unknown condition field '" + condition.field + "' for " + spec.dataid +
                                    ": one of " + join(columns.fields));
        }
        const char* op = sqlOperator(condition.op);
        if (!op)
            throw MonitorQueryError("unknown op " + std::to_string(condition.op) + " on '" + condition.field + "'");
        if (isIntegerColumn(condition.field)) {
            auto number = TC_Common::tryStrto<int64_t>(TC_Common::trim(condition.value));
            if (condition.op == 5 || !number) {
                throw MonitorQueryError("'" + condition.field +
                                        "' is a number: compare it with EQ, GT, GTE, LT or "
                                        "LTE and an integer (got '" +
                                        condition.value + "')");
            }
            out.params.emplace_back(*number);
        } else {
            out.params.emplace_back(condition.value);
        }
        where += " AND " + condition.field + " " + op + " ?";
    }
    out.sql =
        "SELECT " + select + " FROM " + (spec.dataid == "tars_stat" ? kStatTable : kPropertyTable) + " WHERE " + where;
    if (!spec.groupby.empty()) {
        out.sql += " GROUP BY ";
        for (size_t i = 0; i < spec.groupby.size(); ++i) out.sql += (i ? ", " : "") + spec.groupby[i];
    }
    return out;
}

MonitorQueryResult runMonitorQuery(SqlConnection& connection, const MonitorQuerySpec& spec) {
    MonitorQuerySql query = buildMonitorQuery(spec);
    MonitorQueryResult result;
    const size_t groups = spec.groupby.size();
    for (const auto& row : connection.query("monitor query", query.sql, query.params)) {
        std::string key;
        for (size_t i = 0; i < groups; ++i) key += (i ? "," : "") + row.text(i);
        // With no rows, an aggregate without GROUP BY still yields one row of NULLs.
        bool allNull = true;
        std::vector<double> values;
        for (size_t i = groups; i < row.size(); ++i) {
            if (!row.isNull(i)) allNull = false;
            values.push_back(row.isNull(i) ? 0.0 : std::strtod(row.text(i).c_str(), nullptr));
        }
        if (groups == 0 && allNull) continue;
        auto [it, inserted] = result.emplace(key, values);
        if (!inserted) {
            for (size_t i = 0; i < values.size(); ++i) it->second[i] += values[i];
        }
    }
    return result;
}

std::string monitorLastTime(SqlConnection& connection, const std::string& dataid) {
    monitorQueryColumns(dataid);  // refuses an unknown dataid
    const std::string table = dataid == "tars_stat" ? kStatTable : kPropertyTable;
    auto rows =
        connection.query("monitor last time",
                         "SELECT f_date, f_tflag FROM " + table + " ORDER BY f_date DESC, f_tflag DESC LIMIT 1", {});
    if (rows.empty()) return "";
    return rows[0].text(0) + " " + rows[0].text(1);
}

}  // namespace tars
