#include "PropertyAggregator.h"

#include <algorithm>
#include <cmath>

#include "util/tc_common.h"

namespace tars {

namespace {

constexpr size_t kNameMax = 128;
constexpr size_t kShortMax = 64;

bool knownPolicy(const std::string& policy) {
    return policy == "Sum" || policy == "Avg" || policy == "Distr" || policy == "Count" || policy == "Max" ||
           policy == "Min";
}

std::string checkHead(const StatPropMsgHead& head) {
    if (head.moduleName.empty()) return "empty moduleName";
    if (head.propertyName.empty()) return "empty propertyName";
    if (head.moduleName.size() > kNameMax || head.propertyName.size() > kNameMax) return "name longer than 128 bytes";
    if (head.ip.size() > kShortMax || head.setName.size() > kShortMax || head.setArea.size() > kShortMax ||
        head.setID.size() > kShortMax) {
        return "ip or set field longer than 64 bytes";
    }
    return "";
}

std::string formatDistr(const std::map<int64_t, int64_t>& distr) {
    std::string out;
    for (const auto& [bound, count] : distr) {
        if (!out.empty()) out += ",";
        out += std::to_string(bound) + "|" + std::to_string(count);
    }
    return out;
}

}  // namespace

bool parsePropertyDistr(const std::string& text, std::map<int64_t, int64_t>& out) {
    out.clear();
    if (TC_Common::trim(text).empty()) return true;
    for (const auto& item : TC_Common::sepstr(text, ",")) {
        auto parts = TC_Common::sepstr(item, "|", true);
        if (parts.size() != 2) return false;
        auto bound = TC_Common::tryStrto<int64_t>(TC_Common::trim(parts[0]));
        auto count = TC_Common::tryStrto<int64_t>(TC_Common::trim(parts[1]));
        if (!bound || !count || *count < 0) return false;
        out[*bound] += *count;
    }
    return true;
}

int PropertyAggregator::add(const std::map<StatPropMsgHead, StatPropMsgBody>& msg, std::string& error) {
    if (msg.size() > _maxReportRows) {
        error = "report of " + std::to_string(msg.size()) + " rows (at most " + std::to_string(_maxReportRows) + ")";
        return kTooLarge;
    }
    // Check everything first: a refused report must leave nothing behind.
    struct Parsed {
        double value = 0;
        std::map<int64_t, int64_t> distr;
    };
    std::vector<std::vector<Parsed>> parsed;
    parsed.reserve(msg.size());
    for (const auto& [head, body] : msg) {
        std::string why = checkHead(head);
        if (why.empty() && body.vInfo.size() > 16) {
            error = "property " + head.propertyName + " has " + std::to_string(body.vInfo.size()) +
                    " policies (at most 16)";
            return kTooLarge;
        }
        auto& values = parsed.emplace_back();
        for (const auto& info : body.vInfo) {
            if (!why.empty()) break;
            Parsed p;
            if (!knownPolicy(info.policy)) {
                why = "unknown policy '" + info.policy + "'";
            } else if (info.policy == "Distr") {
                if (!parsePropertyDistr(info.value, p.distr)) {
                    why = "Distr value '" + info.value + "' is not bound|count,...";
                } else if (p.distr.size() > 64) {
                    error = "Distr of " + head.propertyName + " has more than 64 buckets";
                    return kTooLarge;
                }
            } else {
                auto number = TC_Common::tryStrto<double>(TC_Common::trim(info.value));
                if (!number || !std::isfinite(*number)) {
                    why = info.policy + " value '" + info.value + "' is not a number";
                } else if (info.policy == "Count" && *number < 0) {
                    why = "negative Count";
                } else {
                    p.value = *number;
                }
            }
            values.push_back(std::move(p));
        }
        if (!why.empty()) {
            error = why + " (module '" + head.moduleName + "', property '" + head.propertyName + "')";
            return kMalformed;
        }
    }
    std::lock_guard<std::mutex> lock(_mutex);
    size_t i = 0;
    for (const auto& [head, body] : msg) {
        const auto& values = parsed[i++];
        for (size_t j = 0; j < body.vInfo.size(); ++j) {
            const auto& policy = body.vInfo[j].policy;
            Key key{head.moduleName, head.ip, head.propertyName, head.setName, head.setArea, head.setID, policy};
            auto [it, inserted] = _rows.try_emplace(key);
            Accumulator& acc = it->second;
            const Parsed& p = values[j];
            if (inserted) {
                acc.policy = policy;
                acc.value = (policy == "Distr") ? 0 : p.value;
            } else if (policy == "Max") {
                acc.value = std::max(acc.value, p.value);
            } else if (policy == "Min") {
                acc.value = std::min(acc.value, p.value);
            } else if (policy != "Distr") {
                acc.value += p.value;  // Sum, Count, Avg (divided at take())
            }
            if (policy == "Distr") {
                for (const auto& [bound, count] : p.distr) acc.distr[bound] += count;
            }
            ++acc.reports;
        }
    }
    return kOk;
}

std::vector<PropertyRow> PropertyAggregator::take(const std::string& date, const std::string& tflag) {
    std::map<Key, Accumulator> rows;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        rows.swap(_rows);
    }
    std::vector<PropertyRow> out;
    out.reserve(rows.size());
    for (auto& [key, acc] : rows) {
        PropertyRow row;
        row.date = date;
        row.tflag = tflag;
        std::tie(row.masterName, row.masterIp, row.propertyName, row.setName, row.setArea, row.setId, row.policy) = key;
        if (acc.policy == "Avg") {
            row.value = acc.reports > 0 ? acc.value / static_cast<double>(acc.reports) : 0;
        } else if (acc.policy == "Distr") {
            int64_t total = 0;
            for (const auto& [bound, count] : acc.distr) total += count;
            row.value = static_cast<double>(total);
            row.distr = formatDistr(acc.distr);
        } else {
            row.value = acc.value;
        }
        out.push_back(std::move(row));
    }
    return out;
}

size_t PropertyAggregator::size() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _rows.size();
}

}  // namespace tars
