#include "ObserveText.h"

#include <algorithm>
#include <cmath>
#include <ctime>

#include "util/tc_common.h"

namespace tars::admin {

std::optional<int64_t> parseDuration(const std::string& text) {
    if (text.size() < 2) return std::nullopt;
    const char unit = text.back();
    int64_t scale = 0;
    switch (unit) {
        case 's': scale = 1; break;
        case 'm': scale = 60; break;
        case 'h': scale = 3600; break;
        case 'd': scale = 86400; break;
        default: return std::nullopt;
    }
    std::string digits = text.substr(0, text.size() - 1);
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
    auto n = TC_Common::tryStrto<int64_t>(digits);
    if (!n || *n <= 0 || *n > 400 * 86400 / scale) return std::nullopt;
    return *n * scale;
}

namespace {

// APP.SERVER_<8 digits>[...].log: a day log of DLOG when `name` is empty, of FDLOG(name) else.
bool isDayLogOf(const std::string& file, const std::string& prefix, const std::string& name) {
    std::string head = prefix + "_" + (name.empty() ? "" : name + "_");
    if (!file.starts_with(head) || !file.ends_with(".log")) return false;
    std::string date = file.substr(head.size(), file.size() - head.size() - 4);
    return date.size() >= 8 && std::all_of(date.begin(), date.begin() + 8, [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string chooseLogFile(const std::string& app, const std::string& server, const std::string& wanted,
                          const std::vector<std::string>& files, std::string& chosen) {
    const std::string prefix = app + "." + server;
    std::vector<std::string> sorted(files);
    std::sort(sorted.begin(), sorted.end());
    auto has = [&](const std::string& name) { return std::binary_search(sorted.begin(), sorted.end(), name); };
    auto newestDayLog = [&](const std::string& name) -> std::string {
        for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) {
            if (isDayLogOf(*it, prefix, name)) return *it;
        }
        return "";
    };
    if (wanted.empty()) {
        chosen = prefix + ".log";
    } else if (has(wanted)) {
        chosen = wanted;
    } else if (wanted == "day") {
        chosen = newestDayLog("");
    } else if (std::string day = newestDayLog(wanted); !day.empty()) {
        chosen = day;
    } else {
        chosen = prefix + "." + wanted + ".log";
    }
    if (!chosen.empty() && has(chosen)) return "";
    std::string list;
    for (const auto& f : sorted) list += (list.empty() ? "" : ", ") + f;
    return (wanted.empty() ? prefix + ".log" : "'" + wanted + "'") + " is not among the log files of " + prefix +
           (list.empty() ? " (it has none yet)" : ": " + list);
}

std::map<std::string, std::string> remoteLogFiles(const std::string& app, const std::string& server,
                                                  const std::vector<std::string>& files) {
    std::map<std::string, std::string> found;
    for (const auto& path : files) {
        auto parts = TC_Common::sepstr(path, "/", true);
        const size_t n = parts.size();
        if (n < 3) continue;
        const bool plain = parts[n - 3] == app && parts[n - 2] == server;
        const bool inSet = n >= 4 && parts[n - 4] == app && parts[n - 2] == server;
        if (plain || inSet) found[parts[n - 1]] = path;
    }
    return found;
}

std::string lastLines(const std::string& text, size_t n, bool cutFirst) {
    size_t begin = 0;
    if (cutFirst) {
        size_t nl = text.find('\n');
        begin = nl == std::string::npos ? text.size() : nl + 1;
    }
    if (n == 0 || begin >= text.size()) return "";
    // Walk back over n line ends (a final '\n' ends the last line, it does not start one).
    size_t end = text.size();
    size_t pos = text.back() == '\n' ? end - 1 : end;
    size_t found = 0;
    while (pos > begin) {
        --pos;
        if (text[pos] == '\n' && ++found == n) return text.substr(pos + 1, end - pos - 1);
    }
    return text.substr(begin);
}

std::string notifyLevelName(int level) {
    switch (level) {
        case 0: return "normal";
        case 1: return "warn";
        case 2: return "error";
    }
    return std::to_string(level);
}

const std::vector<std::string>& statIndexes() {
    static const std::vector<std::string> indexes = [] {
        std::vector<std::string> all{"succ_count", "timeout_count", "exce_count", "total_time", "max_rsp_time"};
        for (int bound : kStatBucketBounds) all.push_back("interv_" + std::to_string(bound));
        all.push_back("interv_over");
        return all;
    }();
    return indexes;
}

StatFigures statFiguresOf(const std::vector<double>& values) {
    auto at = [&](size_t i) { return i < values.size() ? values[i] : 0.0; };
    StatFigures f;
    f.succ = static_cast<int64_t>(at(0));
    f.timeouts = static_cast<int64_t>(at(1));
    f.exceptions = static_cast<int64_t>(at(2));
    f.totalMs = at(3);
    f.maxMs = at(4);
    for (size_t b = 0; b < f.buckets.size(); ++b) f.buckets[b] = static_cast<int64_t>(at(5 + b));
    return f;
}

void StatFigures::add(const StatFigures& other) {
    succ += other.succ;
    timeouts += other.timeouts;
    exceptions += other.exceptions;
    totalMs += other.totalMs;
    maxMs = std::max(maxMs, other.maxMs);
    for (size_t b = 0; b < buckets.size(); ++b) buckets[b] += other.buckets[b];
}

double StatFigures::percentileMs(double p) const {
    int64_t total = 0;
    for (int64_t n : buckets) total += n;
    if (total <= 0) return 0;
    const double rank = p * static_cast<double>(total);
    double seen = 0;
    for (size_t b = 0; b < buckets.size(); ++b) {
        if (buckets[b] == 0) continue;
        const double lower = b == 0 ? 0 : kStatBucketBounds[b - 1];
        const double upper = b < kStatBucketBounds.size() ? kStatBucketBounds[b] : std::max(maxMs, lower);
        if (seen + static_cast<double>(buckets[b]) >= rank) {
            double within = (rank - seen) / static_cast<double>(buckets[b]);
            // The buckets hold the timed calls and maxMs is the slowest of them: a window
            // whose calls all took under a millisecond has maxMs 0, and so every percentile.
            return std::min(lower + within * (upper - lower), maxMs);
        }
        seen += static_cast<double>(buckets[b]);
    }
    return maxMs;
}

void PropertyFigures::add(const std::string& policy, double sliceValue) {
    if (slices == 0) {
        value = sliceValue;
    } else if (policy == "Sum" || policy == "Count" || policy == "Distr") {  // Distr's value: its count
        value += sliceValue;
    } else if (policy == "Max") {
        value = std::max(value, sliceValue);
    } else if (policy == "Min") {
        value = std::min(value, sliceValue);
    } else {
        value = (value * slices + sliceValue) / (slices + 1);
    }
    ++slices;
}

std::vector<QueryWindow> queryWindows(int64_t fromSeconds, int64_t toSeconds) {
    std::vector<QueryWindow> windows;
    auto local = [](int64_t seconds) {
        std::time_t t = static_cast<std::time_t>(seconds);
        std::tm tm{};
        localtime_r(&t, &tm);
        return tm;
    };
    auto text = [](const std::tm& tm, const char* format) {
        char buffer[16];
        std::strftime(buffer, sizeof buffer, format, &tm);
        return std::string(buffer);
    };
    std::tm to = local(toSeconds);
    for (int64_t day = fromSeconds;; day += 86400) {
        std::tm tm = local(std::min(day, toSeconds));
        QueryWindow w;
        w.date = text(tm, "%Y%m%d");
        if (!windows.empty() && windows.back().date == w.date) break;
        w.tflag1 = windows.empty() ? text(tm, "%H%M") : "0000";
        w.tflag2 = w.date == text(to, "%Y%m%d") ? text(to, "%H%M") : "2359";
        windows.push_back(w);
        if (w.date == text(to, "%Y%m%d")) break;
        // the next day starts at its midnight
        std::tm next = tm;
        next.tm_hour = 0;
        next.tm_min = 0;
        next.tm_sec = 0;
        next.tm_mday += 1;
        day = static_cast<int64_t>(std::mktime(&next)) - 86400;
    }
    return windows;
}

}  // namespace tars::admin
