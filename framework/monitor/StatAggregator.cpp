#include "StatAggregator.h"

#include <algorithm>
#include <functional>

namespace tars {

namespace {

constexpr size_t kNameMax = 128;  // the VARCHAR widths of sql/tars_monitor.mysql.sql
constexpr size_t kShortMax = 64;
constexpr size_t kMaxBuckets = 64;

std::string tooLong(const char* field, const std::string& value, size_t max) {
    return std::string(field) + " is " + std::to_string(value.size()) + " bytes (at most " + std::to_string(max) + ")";
}

std::string checkHead(const StatMicMsgHead& head) {
    if (head.masterName.empty()) return "empty masterName";
    if (head.slaveName.empty()) return "empty slaveName";
    if (head.interfaceName.empty()) return "empty interfaceName";
    if (head.masterName.size() > kNameMax) return tooLong("masterName", head.masterName, kNameMax);
    if (head.slaveName.size() > kNameMax) return tooLong("slaveName", head.slaveName, kNameMax);
    if (head.interfaceName.size() > kNameMax) return tooLong("interfaceName", head.interfaceName, kNameMax);
    if (head.masterIp.size() > kShortMax) return tooLong("masterIp", head.masterIp, kShortMax);
    if (head.slaveIp.size() > kShortMax) return tooLong("slaveIp", head.slaveIp, kShortMax);
    if (head.slaveSetName.size() > kShortMax) return tooLong("slaveSetName", head.slaveSetName, kShortMax);
    if (head.slaveSetArea.size() > kShortMax) return tooLong("slaveSetArea", head.slaveSetArea, kShortMax);
    if (head.slaveSetID.size() > kShortMax) return tooLong("slaveSetID", head.slaveSetID, kShortMax);
    if (head.tarsVersion.size() > kShortMax) return tooLong("tarsVersion", head.tarsVersion, kShortMax);
    if (head.slavePort < 0 || head.slavePort > 65535)
        return "slavePort " + std::to_string(head.slavePort) + " out of range";
    return "";
}

std::string checkBody(const StatMicMsgBody& body) {
    if (body.count < 0 || body.timeoutCount < 0 || body.execCount < 0) return "negative count";
    if (body.totalRspTime < 0 || body.maxRspTime < 0 || body.minRspTime < 0) return "negative response time";
    for (const auto& [bound, count] : body.intervalCount) {
        if (bound < 0 || count < 0) return "negative bucket";
    }
    return "";
}

size_t shardOf(const StatMicMsgHead& head) {
    return (std::hash<std::string>()(head.slaveName) ^ (std::hash<std::string>()(head.interfaceName) << 1)) % 16;
}

}  // namespace

std::string StatAggregator::check(const std::map<StatMicMsgHead, StatMicMsgBody>& msg, int* code) const {
    *code = kTooLarge;
    if (msg.size() > _maxReportRows) {
        return "report of " + std::to_string(msg.size()) + " rows (at most " + std::to_string(_maxReportRows) + ")";
    }
    for (const auto& [head, body] : msg) {
        if (body.intervalCount.size() > kMaxBuckets) {
            return "row of " + head.slaveName + "." + head.interfaceName + " has " +
                   std::to_string(body.intervalCount.size()) + " buckets (at most 64)";
        }
    }
    *code = kMalformed;
    for (const auto& [head, body] : msg) {
        std::string why = checkHead(head);
        if (why.empty()) why = checkBody(body);
        if (!why.empty()) {
            return why + " (caller '" + head.masterName + "', callee '" + head.slaveName + "', interface '" +
                   head.interfaceName + "')";
        }
    }
    *code = kOk;
    return "";
}

int StatAggregator::add(const std::map<StatMicMsgHead, StatMicMsgBody>& msg, bool fromClient,
                        const std::string& callerIp, std::string& error) {
    int code = kOk;
    error = check(msg, &code);
    if (code != kOk) return code;
    for (const auto& [reported, body] : msg) {
        StatMicMsgHead head = reported;
        if (head.masterIp.empty()) head.masterIp = callerIp.substr(0, kShortMax);
        Shard& shard = _shards[shardOf(head)];
        std::lock_guard<std::mutex> lock(shard.mutex);
        auto [it, inserted] = shard.rows.try_emplace(std::make_pair(fromClient, head));
        StatRow& row = it->second;
        if (inserted) {
            row.fromClient = fromClient;
            row.masterName = head.masterName;
            row.slaveName = head.slaveName;
            row.interfaceName = head.interfaceName;
            row.masterIp = head.masterIp;
            row.slaveIp = head.slaveIp;
            row.slavePort = head.slavePort;
            row.returnValue = head.returnValue;
            row.slaveSetName = head.slaveSetName;
            row.slaveSetArea = head.slaveSetArea;
            row.slaveSetId = head.slaveSetID;
            row.tarsVersion = head.tarsVersion;
        }
        row.succCount += body.count;
        row.timeoutCount += body.timeoutCount;
        row.exceCount += body.execCount;
        row.totalTime += body.totalRspTime;
        row.maxRspTime = std::max<int64_t>(row.maxRspTime, body.maxRspTime);
        if (body.count > 0) {
            // The first body with successful calls sets min; later ones lower it.
            bool hadCalls = row.succCount > body.count;
            row.minRspTime = hadCalls ? std::min<int64_t>(row.minRspTime, body.minRspTime) : body.minRspTime;
        }
        for (const auto& [bound, count] : body.intervalCount) row.buckets[statBucketIndex(bound)] += count;
    }
    return kOk;
}

std::vector<StatRow> StatAggregator::take(const std::string& date, const std::string& tflag) {
    std::vector<StatRow> out;
    for (auto& shard : _shards) {
        std::map<std::pair<bool, StatMicMsgHead>, StatRow> rows;
        {
            std::lock_guard<std::mutex> lock(shard.mutex);
            rows.swap(shard.rows);
        }
        for (auto& [key, row] : rows) {
            row.date = date;
            row.tflag = tflag;
            out.push_back(std::move(row));
        }
    }
    return out;
}

size_t StatAggregator::size() const {
    size_t n = 0;
    for (const auto& shard : _shards) {
        std::lock_guard<std::mutex> lock(shard.mutex);
        n += shard.rows.size();
    }
    return n;
}

}  // namespace tars
