// The arithmetic and text rules behind tarsadmin's observability commands (AdminObserve.cpp),
// apart from any call so that they are unit-tested: durations, which log file a name means,
// the last lines of a text, and the figures of call statistics and properties as the
// query services return them.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tars::admin {

// "30s", "10m", "2h", "1d" -> seconds; nullopt for anything else (no unit, 0, negative,
// more than 400 days).
std::optional<int64_t> parseDuration(const std::string& text);

// The log file of APP.SERVER that `wanted` names among `files` (the node's list):
//   ""           the server's main log, APP.SERVER.log
//   an exact file name of the list
//   NAME         the newest APP.SERVER_NAME_<date>.log (a day log of FDLOG(NAME)),
//                else APP.SERVER.NAME.log (e.g. stdout)
//   "day"        the newest APP.SERVER_<date>.log (the day log of DLOG)
// Returns "" and sets chosen, or a message naming the files there are.
std::string chooseLogFile(const std::string& app, const std::string& server, const std::string& wanted,
                          const std::vector<std::string>& files, std::string& chosen);

// The remote logs of APP.SERVER among the files of a log service's directory tree (as the
// node lists them: relative paths): those under .../APP/SERVER/ or .../APP/<set>/SERVER/,
// by file name -> relative path.
std::map<std::string, std::string> remoteLogFiles(const std::string& app, const std::string& server,
                                                  const std::vector<std::string>& files);

// The last n lines of text; cutFirst drops its first line first (a read that began mid-line).
std::string lastLines(const std::string& text, size_t n, bool cutFirst);

// NOTIFYLEVEL as a word: normal, warn, error (or the number).
std::string notifyLevelName(int level);

// The indexs tarsadmin asks tarsquerystat for, in the order statFiguresOf reads them.
const std::vector<std::string>& statIndexes();

// Upper bounds (ms) of TARS's latency buckets; the last bucket holds what is slower.
inline constexpr std::array<int, 9> kStatBucketBounds = {5, 10, 50, 100, 200, 500, 1000, 2000, 3000};

struct StatFigures {
    int64_t succ = 0;
    int64_t timeouts = 0;
    int64_t exceptions = 0;
    double totalMs = 0;  // over the successful calls
    double maxMs = 0;
    std::array<int64_t, kStatBucketBounds.size() + 1> buckets{};

    void add(const StatFigures& other);
    int64_t calls() const { return succ + timeouts + exceptions; }
    double averageMs() const { return succ > 0 ? totalMs / static_cast<double>(succ) : 0; }
    // An estimate from the buckets: linear within the bucket that holds the p-th call,
    // never above maxMs (0 without successful calls, or when all took under 1 ms).
    double percentileMs(double p) const;
};

// One result row of statIndexes(); missing values count as 0.
StatFigures statFiguresOf(const std::vector<double>& values);

// A property's values over several time slices, combined by its policy: Sum, Count and
// Distr (whose value is the number of values reported) add up, Max and Min keep the
// extreme, Avg (and anything else) averages the slices.
struct PropertyFigures {
    double value = 0;
    int slices = 0;

    void add(const std::string& policy, double sliceValue);
};

// The MonitorQuery calls of a time window: one per day it touches (a query covers one date).
struct QueryWindow {
    std::string date;    // YYYYMMDD
    std::string tflag1;  // HHMM
    std::string tflag2;
};

// Local time, as the monitor services store their slices; fromSeconds <= toSeconds.
std::vector<QueryWindow> queryWindows(int64_t fromSeconds, int64_t toSeconds);

}  // namespace tars::admin
