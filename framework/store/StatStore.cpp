#include "StatStore.h"

#include <sstream>

namespace tars {

namespace {

constexpr size_t kRowsPerStatement = 100;

const std::vector<std::string>& statColumns() {
    static const std::vector<std::string> columns = [] {
        std::vector<std::string> all{"f_date",       "f_tflag",        "from_client",    "master_name",
                                     "slave_name",   "interface_name", "master_ip",      "slave_ip",
                                     "slave_port",   "return_value",   "slave_set_name", "slave_set_area",
                                     "slave_set_id", "tars_version",   "succ_count",     "timeout_count",
                                     "exce_count",   "total_time",     "max_rsp_time",   "min_rsp_time"};
        for (const auto& bucket : statBucketColumns()) all.push_back(bucket);
        return all;
    }();
    return columns;
}

void appendParams(SqlParams& params, const StatRow& row) {
    params.emplace_back(row.date);
    params.emplace_back(row.tflag);
    params.emplace_back(int64_t{row.fromClient ? 1 : 0});
    params.emplace_back(row.masterName);
    params.emplace_back(row.slaveName);
    params.emplace_back(row.interfaceName);
    params.emplace_back(row.masterIp);
    params.emplace_back(row.slaveIp);
    params.emplace_back(row.slavePort);
    params.emplace_back(row.returnValue);
    params.emplace_back(row.slaveSetName);
    params.emplace_back(row.slaveSetArea);
    params.emplace_back(row.slaveSetId);
    params.emplace_back(row.tarsVersion);
    params.emplace_back(row.succCount);
    params.emplace_back(row.timeoutCount);
    params.emplace_back(row.exceCount);
    params.emplace_back(row.totalTime);
    params.emplace_back(row.maxRspTime);
    params.emplace_back(row.minRspTime);
    for (int64_t count : row.buckets) params.emplace_back(count);
}

std::string insertSql(size_t rows) {
    std::ostringstream os;
    os << "INSERT INTO t_stat_realtime (";
    const auto& columns = statColumns();
    for (size_t i = 0; i < columns.size(); ++i) os << (i ? ", " : "") << columns[i];
    os << ") VALUES ";
    std::string one = "(";
    for (size_t i = 0; i < columns.size(); ++i) one += i ? ", ?" : "?";
    one += ")";
    for (size_t r = 0; r < rows; ++r) os << (r ? ", " : "") << one;
    return os.str();
}

}  // namespace

size_t statBucketIndex(int64_t boundMs) {
    for (size_t i = 0; i < kStatBuckets.size(); ++i) {
        if (boundMs <= kStatBuckets[i]) return i;
    }
    return kStatBuckets.size();
}

const std::vector<std::string>& statBucketColumns() {
    static const std::vector<std::string> columns = [] {
        std::vector<std::string> all;
        for (int bound : kStatBuckets) all.push_back("interv_" + std::to_string(bound));
        all.push_back("interv_over");
        return all;
    }();
    return columns;
}

void insertStatRows(SqlConnection& connection, const std::vector<StatRow>& rows) {
    if (rows.empty()) return;
    SqlTransaction transaction(connection, "insert stat rows");
    const std::string fullSql = insertSql(kRowsPerStatement);
    for (size_t first = 0; first < rows.size(); first += kRowsPerStatement) {
        size_t count = std::min(kRowsPerStatement, rows.size() - first);
        SqlParams params;
        params.reserve(count * statColumns().size());
        for (size_t i = first; i < first + count; ++i) appendParams(params, rows[i]);
        connection.execute("insert stat rows", count == kRowsPerStatement ? fullSql : insertSql(count), params);
    }
    transaction.commit();
}

int64_t trimStatRowsBefore(SqlConnection& connection, const std::string& date) {
    return connection.execute("trim stat rows", "DELETE FROM t_stat_realtime WHERE f_date < ?", {date});
}

}  // namespace tars
