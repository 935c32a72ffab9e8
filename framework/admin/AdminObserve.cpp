// tarsadmin's observability commands: log (an instance's log files, through the registry
// and the instance's node), events (the notify service's rows), stat and property (the
// query services). See usage() in AdminTool.cpp and framework/admin/README.md.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <ctime>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "AdminSupport.h"
#include "AdminTool.h"
#include "MonitorQuery.h"
#include "NotifyF.h"
#include "ObserveText.h"
#include "util/tc_common.h"

namespace tars::admin {

namespace {

constexpr const char* kNotifyObj = "tars.tarsnotify.NotifyObj";
constexpr const char* kLogServer = "tars.tarslog";  // the remote log service, deployed as a server
constexpr const char* kQueryStatObj = "tars.tarsquerystat.QueryObj";
constexpr const char* kQueryPropertyObj = "tars.tarsqueryproperty.QueryObj";
constexpr int kDefaultLogLines = 50;
constexpr int kMaxLogLines = 100000;
constexpr int kFollowPollMs = 1000;
constexpr int64_t kFollowBacklogBytes = 1024 * 1024;  // where --follow looks for its first lines
constexpr int kDefaultEventRows = 20;

// Options of the form --name VALUE or --name=VALUE, and flags; the rest is positional.
class Options {
public:
    Options(const std::vector<std::string>& args, const std::vector<std::string>& valued,
            const std::vector<std::string>& flags, const std::string& command) {
        for (size_t i = 0; i < args.size(); ++i) {
            const std::string& arg = args[i];
            if (!arg.starts_with("--")) {
                positional.push_back(arg);
                continue;
            }
            std::string name = arg.substr(2);
            std::string value;
            bool hasValue = false;
            if (auto eq = name.find('='); eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                hasValue = true;
            }
            if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
                if (hasValue) throw UsageError(command + ": --" + name + " takes no value");
                _flags.push_back(name);
            } else if (std::find(valued.begin(), valued.end(), name) != valued.end()) {
                if (!hasValue) {
                    if (i + 1 >= args.size()) throw UsageError(command + ": --" + name + " needs a value");
                    value = args[++i];
                }
                _values[name] = value;
            } else {
                throw UsageError(command + ": unknown option '" + arg + "'");
            }
        }
    }
    bool flag(const std::string& name) const { return std::find(_flags.begin(), _flags.end(), name) != _flags.end(); }
    std::string value(const std::string& name, const std::string& otherwise = "") const {
        auto found = _values.find(name);
        return found == _values.end() ? otherwise : found->second;
    }
    bool has(const std::string& name) const { return _values.count(name) != 0; }

    std::vector<std::string> positional;

private:
    std::vector<std::string> _flags;
    std::map<std::string, std::string> _values;
};

int positiveNumber(const std::string& text, const std::string& what, int max) {
    auto n = TC_Common::tryStrto<int>(text);
    if (!n || *n <= 0 || *n > max) {
        throw UsageError(what + " needs a number in 1.." + std::to_string(max) + ", got '" + text + "'");
    }
    return *n;
}

int64_t sinceSeconds(const Options& options, const std::string& fallback) {
    std::string text = options.value("since", fallback);
    auto seconds = parseDuration(text);
    if (!seconds) throw UsageError("--since takes a duration such as 30s, 10m, 2h or 1d, got '" + text + "'");
    return *seconds;
}

// Milliseconds in JSON: to the microsecond, without binary noise (64.99999999 -> 65).
double roundMs(double ms) { return std::round(ms * 1000.0) / 1000.0; }

std::string formatMs(double ms) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(ms < 10 ? 2 : 1) << ms;
    return os.str();
}

// Prints rows as columns padded to the widest cell.
void printTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
    std::vector<size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()));
        for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    for (const auto& row : rows) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        out << TC_Common::trimright(line) << "\n";
    }
}

Condition condition(const std::string& field, OP op, const std::string& value) {
    Condition c;
    c.field = field;
    c.op = op;
    c.val = value;
    return c;
}

std::string instanceName(const AdminTool::Instance& t) { return t.application + "." + t.server + " on " + t.node; }

// The service a command asks: --NAME OBJ@ENDPOINT, or the default object found by name
// through the locator.
std::string serviceObject(const Options& options, const std::string& name, const char* byName) {
    if (!options.has(name)) return byName;
    std::string object = TC_Common::trim(options.value(name));
    if (object.find('@') == std::string::npos) {
        throw UsageError("--" + name + " takes OBJ@ENDPOINT, e.g. \"" + byName + "@tcp -h 127.0.0.1 -p PORT\"");
    }
    return object;
}

volatile std::sig_atomic_t g_stopFollowing = 0;
void stopFollowing(int) { g_stopFollowing = 1; }

}  // namespace

// ---------------------------------------------------------------- log

int AdminTool::log(const std::vector<std::string>& args) {
    Options options(args, {"file", "lines"}, {"follow", "remote"}, "log");
    if (options.positional.empty() || options.positional.size() > 2) {
        throw UsageError("usage: log APP.SERVER [NODE] [--file NAME] [--lines N] [--follow] [--remote]");
    }
    auto [app, server] = splitServer(options.positional[0]);
    int lines =
        options.has("lines") ? positiveNumber(options.value("lines"), "--lines", kMaxLogLines) : kDefaultLogLines;
    const bool remote = options.flag("remote");
    if (remote && options.positional.size() == 2) {
        throw UsageError("--remote reads what tarslog keeps of every instance: it takes no NODE");
    }
    // Where the files are: the instance's own log directories, or (--remote) tarslog's,
    // whose tree holds <app>/[<set>/]<server>/<file>.
    auto targets = remote
                       ? instances(kLogServer, "")
                       : instances(options.positional[0], options.positional.size() == 2 ? options.positional[1] : "");
    if (targets.empty()) {
        return failed("log " + options.positional[0], -2,
                      remote ? std::string(kLogServer) + " is not deployed: no remote logs to read"
                             : options.positional[0] + " is not deployed");
    }
    const bool follow = options.flag("follow");
    if (follow && targets.size() > 1) {
        throw UsageError("--follow reads one instance: name its NODE (" + targets[0].application + "." +
                         targets[0].server + " runs on " + std::to_string(targets.size()) + " nodes)");
    }

    int status = kOk;
    for (const auto& t : targets) {
        auto& reg = registry(kQueryTimeoutMs);
        std::vector<std::string> files;
        std::string result;
        int ret = reg->getLogFileList(t.application, t.server, t.node, files, result);
        if (ret != 0) {
            status = failed("log " + instanceName(t), ret, result);
            continue;
        }
        std::string file;
        std::string problem;
        if (remote) {
            auto byName = remoteLogFiles(app, server, files);
            std::vector<std::string> names;
            for (const auto& entry : byName) names.push_back(entry.first);
            std::string name;
            problem = chooseLogFile(app, server, options.value("file", "day"), names, name);
            if (problem.empty()) file = byName[name];
            if (!problem.empty()) problem += " (remote logs kept by " + instanceName(t) + ")";
        } else {
            problem = chooseLogFile(app, server, options.value("file"), files, file);
        }
        if (!problem.empty()) {
            status = failed("log " + options.positional[0], -2, problem);
            continue;
        }
        if (targets.size() > 1) _out << "== " << instanceName(t) << ": " << file << " ==\n";
        std::string data;
        if (!follow) {
            ret = reg->getLogData(t.application, t.server, t.node, file, "tail -n " + std::to_string(lines), data,
                                  result);
            if (ret != 0) {
                status = failed("log " + instanceName(t), ret, result);
                continue;
            }
            _out << data;
            if (!data.empty() && data.back() != '\n') _out << "\n";
            continue;
        }
        status = followLog(t, file, lines);
    }
    return status;
}

int AdminTool::followLog(const Instance& t, const std::string& file, int lines) {
    // The last lines, then what is appended, until Ctrl-C. The last lines come from a
    // read that ends where the following starts, so nothing shows twice.
    auto& reg = registry(kQueryTimeoutMs);
    std::string data;
    std::string result;
    int ret = reg->getLogData(t.application, t.server, t.node, file, "size", data, result);
    if (ret != 0) return failed("log " + instanceName(t), ret, result);
    const int64_t size = TC_Common::tryStrto<int64_t>(data).value_or(0);
    const int64_t start = std::max<int64_t>(0, size - kFollowBacklogBytes);
    ret = reg->getLogData(t.application, t.server, t.node, file, "from " + std::to_string(start), data, result);
    if (ret < 0) return failed("log " + instanceName(t), ret, result);
    int64_t offset = start + static_cast<int64_t>(data.size());
    _out << lastLines(data, static_cast<size_t>(lines), start > 0) << std::flush;
    auto previous = std::signal(SIGINT, stopFollowing);
    g_stopFollowing = 0;
    int status = kOk;
    while (!g_stopFollowing) {
        ret = reg->getLogData(t.application, t.server, t.node, file, "from " + std::to_string(offset), data, result);
        if (ret == 1) {
            _out << "-- " << file << " was rolled or truncated: reading it from the start --\n";
            offset = 0;
            continue;
        }
        if (ret != 0) {
            status = failed("log --follow " + instanceName(t), ret, result);
            break;
        }
        offset += static_cast<int64_t>(data.size());
        _out << data << std::flush;
        for (int waited = 0; waited < kFollowPollMs && !g_stopFollowing; waited += 100) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }
    std::signal(SIGINT, previous);
    return status;
}

// ---------------------------------------------------------------- events

int AdminTool::events(const std::vector<std::string>& args) {
    Options options(args, {"limit", "notify"}, {"json"}, "events");
    if (options.positional.size() != 1) {
        throw UsageError("usage: events APP.SERVER [--limit N] [--json] [--notify OBJ@ENDPOINT]");
    }
    splitServer(options.positional[0]);
    const size_t limit =
        options.has("limit") ? positiveNumber(options.value("limit"), "--limit", 10000) : kDefaultEventRows;
    const std::string notifyObj = serviceObject(options, "notify", kNotifyObj);
    auto notify = communicator().stringToProxy<NotifyPrx>(notifyObj);
    notify->tars_set_timeout(_timeoutMs > 0 ? _timeoutMs : kQueryTimeoutMs);

    std::vector<NotifyItem> items;
    NotifyKey key;
    key.name = options.positional[0];
    key.page = 0;
    for (int pages = 0; items.size() < limit && pages < 1000; ++pages) {
        NotifyInfo info;
        int ret = notify->getNotifyInfo(key, info);
        if (ret != 0) return failed("events " + key.name, ret, notifyObj + " answered " + std::to_string(ret));
        items.insert(items.end(), info.notifyItems.begin(), info.notifyItems.end());
        if (info.nextpage <= key.page || info.notifyItems.empty()) break;
        key.page = info.nextpage;
    }
    if (items.size() > limit) items.resize(limit);

    if (options.flag("json")) {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& item : items) {
            array.push_back({{"time", item.sTimeStamp},
                             {"server_id", item.sServerId},
                             {"level", notifyLevelName(item.iLevel)},
                             {"message", item.sMessage}});
        }
        _out << array.dump(2) << "\n";
        return kOk;
    }
    if (items.empty()) {
        _out << "no events of " << key.name << "\n";
        return kOk;
    }
    std::vector<std::vector<std::string>> rows{{"TIME", "LEVEL", "SERVER_ID", "MESSAGE"}};
    for (const auto& item : items) {
        rows.push_back({item.sTimeStamp, notifyLevelName(item.iLevel), item.sServerId, item.sMessage});
    }
    printTable(_out, rows);
    return kOk;
}

// ---------------------------------------------------------------- stat

int AdminTool::stat(const std::vector<std::string>& args) {
    Options options(args, {"interface", "since", "by", "query"}, {"json"}, "stat");
    if (options.positional.size() != 1) {
        throw UsageError(
            "usage: stat APP.SERVER [--interface NAME] [--since DURATION] [--by minute|interface|caller] [--json] "
            "[--query OBJ@ENDPOINT]");
    }
    const std::string callee = options.positional[0];
    splitServer(callee);
    const std::string by = options.value("by", "interface");
    if (by != "minute" && by != "interface" && by != "caller") {
        throw UsageError("--by takes minute, interface or caller, got '" + by + "'");
    }
    const int64_t now = std::time(nullptr);
    const int64_t since = sinceSeconds(options, "1h");

    const std::string queryObj = serviceObject(options, "query", kQueryStatObj);
    auto query = communicator().stringToProxy<MonitorQueryPrx>(queryObj);
    query->tars_set_timeout(_timeoutMs > 0 ? _timeoutMs : kQueryTimeoutMs);
    // One query per side and day; rows are keyed by the group-by values.
    auto run = [&](bool fromClient, std::map<std::string, StatFigures>& rows) {
        for (const auto& w : queryWindows(now - since, now)) {
            MonitorQueryReq req;
            req.uid = "tarsadmin";
            req.dataid = "tars_stat";
            req.date = w.date;
            req.tflag1 = w.tflag1;
            req.tflag2 = w.tflag2;
            req.conditions.push_back(condition("slave_name", tars::EQ, callee));
            req.conditions.push_back(condition("from_client", tars::EQ, fromClient ? "1" : "0"));
            if (options.has("interface")) {
                req.conditions.push_back(condition("interface_name", tars::EQ, options.value("interface")));
            }
            req.indexs = statIndexes();
            if (by == "minute") req.groupby = {"f_tflag"};
            if (by == "interface") req.groupby = {"interface_name"};
            if (by == "caller") req.groupby = {"master_name"};
            MonitorQueryRsp rsp;
            int ret = query->query(req, rsp);
            if (ret != 0 || rsp.ret != 0) {
                throw std::runtime_error(queryObj + " answered " + std::to_string(ret != 0 ? ret : rsp.ret) + ": " +
                                         rsp.msg);
            }
            for (const auto& [key, values] : rsp.result) {
                std::string rowKey = by == "minute" ? w.date + " " + key : key;
                rows[rowKey].add(statFiguresOf(values));
            }
        }
    };
    // A server's own served-call rows; client rows only when it reports none (a callee
    // that does not report), or when asked by caller.
    std::map<std::string, StatFigures> rows;
    std::string side = "server";
    if (by == "caller") {
        side = "client";
        run(true, rows);
    } else {
        run(false, rows);
        if (rows.empty()) {
            side = "client";
            run(true, rows);
        }
    }

    const std::string keyName = by == "minute" ? "minute" : by == "caller" ? "caller" : "interface";
    if (options.flag("json")) {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& [key, f] : rows) {
            nlohmann::json o;
            o["callee"] = callee;
            o["interface"] = by == "interface" ? key : options.value("interface", "*");
            if (by != "interface") o[keyName] = key;
            o["side"] = side;
            o["count"] = f.calls();
            o["succ"] = f.succ;
            o["timeouts"] = f.timeouts;
            o["exceptions"] = f.exceptions;
            o["avg_ms"] = roundMs(f.averageMs());
            o["max_ms"] = roundMs(f.maxMs);
            o["p50_ms"] = roundMs(f.percentileMs(0.50));
            o["p90_ms"] = roundMs(f.percentileMs(0.90));
            o["p99_ms"] = roundMs(f.percentileMs(0.99));
            array.push_back(o);
        }
        _out << array.dump(2) << "\n";
        return kOk;
    }
    if (rows.empty()) {
        _out << "no calls of " << callee << " in the last " << options.value("since", "1h")
             << " (reports arrive every report-interval and are stored every flush interval)\n";
        return kOk;
    }
    _out << callee << ", last " << options.value("since", "1h") << ", " << side << " side:\n";
    std::vector<std::vector<std::string>> table{
        {TC_Common::upper(keyName), "CALLS", "TIMEOUTS", "EXCEPTIONS", "AVG_MS", "MAX_MS", "P50", "P90", "P99"}};
    for (const auto& [key, f] : rows) {
        table.push_back({key, std::to_string(f.calls()), std::to_string(f.timeouts), std::to_string(f.exceptions),
                         formatMs(f.averageMs()), formatMs(f.maxMs), formatMs(f.percentileMs(0.50)),
                         formatMs(f.percentileMs(0.90)), formatMs(f.percentileMs(0.99))});
    }
    printTable(_out, table);
    return kOk;
}

// ---------------------------------------------------------------- property

int AdminTool::property(const std::vector<std::string>& args) {
    Options options(args, {"name", "since", "query"}, {"json"}, "property");
    if (options.positional.size() != 1) {
        throw UsageError("usage: property APP.SERVER [--name NAME] [--since DURATION] [--json] [--query OBJ@ENDPOINT]");
    }
    const std::string module = options.positional[0];
    splitServer(module);
    const int64_t now = std::time(nullptr);
    const int64_t since = sinceSeconds(options, "1h");

    const std::string queryObj = serviceObject(options, "query", kQueryPropertyObj);
    auto query = communicator().stringToProxy<MonitorQueryPrx>(queryObj);
    query->tars_set_timeout(_timeoutMs > 0 ? _timeoutMs : kQueryTimeoutMs);
    // Per (property, policy): the values of each time slice, combined by the policy.
    std::map<std::pair<std::string, std::string>, PropertyFigures> figures;
    for (const auto& w : queryWindows(now - since, now)) {
        MonitorQueryReq req;
        req.uid = "tarsadmin";
        req.dataid = "tars_property";
        req.date = w.date;
        req.tflag1 = w.tflag1;
        req.tflag2 = w.tflag2;
        req.conditions.push_back(condition("master_name", tars::EQ, module));
        if (options.has("name")) req.conditions.push_back(condition("property_name", tars::EQ, options.value("name")));
        req.indexs = {"value"};
        req.groupby = {"property_name", "policy", "f_tflag"};
        MonitorQueryRsp rsp;
        int ret = query->query(req, rsp);
        if (ret != 0 || rsp.ret != 0) {
            return failed("property " + module, ret != 0 ? ret : rsp.ret, queryObj + ": " + rsp.msg);
        }
        for (const auto& [key, values] : rsp.result) {
            auto parts = TC_Common::sepstr(key, ",", true);
            if (parts.size() != 3 || values.empty()) continue;
            figures[{parts[0], parts[1]}].add(parts[1], values[0]);
        }
    }
    if (options.flag("json")) {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& [key, f] : figures) {
            array.push_back({{"module", module},
                             {"name", key.first},
                             {"policy", key.second},
                             {"value", f.value},
                             {"slices", f.slices}});
        }
        _out << array.dump(2) << "\n";
        return kOk;
    }
    if (figures.empty()) {
        _out << "no properties of " << module << " in the last " << options.value("since", "1h") << "\n";
        return kOk;
    }
    std::vector<std::vector<std::string>> table{{"PROPERTY", "POLICY", "VALUE", "SLICES"}};
    for (const auto& [key, f] : figures) {
        std::ostringstream value;
        value << f.value;
        table.push_back({key.first, key.second, value.str(), std::to_string(f.slices)});
    }
    printTable(_out, table);
    return kOk;
}

}  // namespace tars::admin
