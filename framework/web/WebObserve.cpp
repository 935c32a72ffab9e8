// The console's observation API (WebConsole's members declared under "observation" in
// WebConsole.h): a server's call statistics and properties over time (the query services'
// MonitorQuery, as `tarsadmin stat` and `property` ask them), its instances' log files
// through the registry and the node (as `tarsadmin log`), and the nodes (AdminReg.listNodes).
// Everything here only reads; the caller has checked the session.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "MonitorQuery.h"
#include "ObserveText.h"
#include "WebConsole.h"
#include "util/tc_common.h"

namespace tars::web {

std::string dumped(const nlohmann::json& value);  // WebConsole.cpp

namespace {

using nlohmann::json;

constexpr const char* kQueryStatObj = "tars.tarsquerystat.QueryObj";
constexpr const char* kQueryPropertyObj = "tars.tarsqueryproperty.QueryObj";
constexpr int kMaxPoints = 120;                   // per series: a chart wider than this is not read better
constexpr int kMaxTailLines = 5000;               // lines a tail asks for at most
constexpr int64_t kTailBacklogBytes = 256 << 10;  // how far back a tail looks for its lines
constexpr size_t kMaxChunkBytes = 256 << 10;      // what one follow poll returns at most

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::map<std::string, std::string> queryValues(const std::string& query) {
    std::map<std::string, std::string> values;
    for (const auto& part : TC_Common::sepstr(query, "&")) {
        size_t eq = part.find('=');
        auto decode = [](const std::string& text) {
            std::string out;
            for (size_t i = 0; i < text.size(); ++i) {
                if (text[i] == '+') {
                    out += ' ';
                } else if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 &&
                           hexValue(text[i + 2]) >= 0) {
                    out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
                    i += 2;
                } else {
                    out += text[i];
                }
            }
            return out;
        };
        values[decode(part.substr(0, eq))] = eq == std::string::npos ? "" : decode(part.substr(eq + 1));
    }
    return values;
}

bool plainName(const std::string& text, size_t maxLength) {
    if (text.empty() || text.size() > maxLength || text[0] == '.') return false;
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '.'; });
}

// A log file is named as the node lists it: a path relative to the log folder (a log
// service's tree has folders) whose every part is a plain name: no "..", nothing hidden,
// no empty part, no leading '/'. The node checks too; the console does not rely on it.
bool validLogFile(const std::string& name) {
    if (name.empty() || name.size() > 1024) return false;
    size_t start = 0;
    for (;;) {
        const size_t slash = name.find('/', start);
        const std::string part = name.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (!plainName(part, 255) || part.find("..") != std::string::npos) return false;
        if (slash == std::string::npos) return true;
        start = slash + 1;
    }
}

// How much of data ends on a whole UTF-8 character: a character the file holds only in
// part so far (its first bytes at the end) waits for the next read, so that a log in
// Chinese does not turn into replacement characters at each chunk's edge.
size_t wholeUtf8Length(const std::string& data) {
    const size_t size = data.size();
    for (size_t back = 1; back <= 4 && back <= size; ++back) {
        const auto c = static_cast<unsigned char>(data[size - back]);
        if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
        const size_t needed = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return back < needed ? size - back : size;
    }
    return size;  // no lead byte near the end: not UTF-8 there, sent as it is
}

// Unix seconds of a slice: date YYYYMMDD, slice HHMM (local time, as the services store it).
int64_t sliceTime(const std::string& date, const std::string& hhmm) {
    if (date.size() != 8 || hhmm.size() < 4) return 0;
    std::tm tm{};
    tm.tm_year = std::atoi(date.substr(0, 4).c_str()) - 1900;
    tm.tm_mon = std::atoi(date.substr(4, 2).c_str()) - 1;
    tm.tm_mday = std::atoi(date.substr(6, 2).c_str());
    tm.tm_hour = std::atoi(hhmm.substr(0, 2).c_str());
    tm.tm_min = std::atoi(hhmm.substr(2, 2).c_str());
    tm.tm_isdst = -1;
    return static_cast<int64_t>(std::mktime(&tm));
}

Condition condition(const std::string& field, const std::string& value) {
    Condition c;
    c.field = field;
    c.op = tars::EQ;
    c.val = value;
    return c;
}

double rounded(double ms) { return std::round(ms * 1000.0) / 1000.0; }

}  // namespace

HttpResponse WebConsole::observe(const std::string& app, const std::string& server, const std::string& verb,
                                 const std::string& query) {
    auto values = queryValues(query);
    if (verb == "stat" || verb == "properties") {
        const std::string hoursText = values.count("hours") ? values["hours"] : "1";
        if (hoursText != "1" && hoursText != "6" && hoursText != "24") {
            return jsonError(400, "hours must be 1, 6 or 24, got '" + hoursText + "'");
        }
        const int hours = std::atoi(hoursText.c_str());
        return verb == "stat" ? serverStat(app, server, hours) : serverProperties(app, server, hours);
    }
    const std::string node = values["node"];
    if (!plainName(node, 128)) return jsonError(400, "\"node\" names the instance's node");
    if (verb == "logs") return logFiles(app, server, node);
    const std::string file = values["file"];
    if (!validLogFile(file)) {
        return jsonError(400,
                         "\"file\" must be a log file as the node lists it (parts of letters, digits, '.', "
                         "'_', '-' joined by '/'; no '..', nothing hidden)");
    }
    std::optional<int64_t> from;
    if (values.count("from")) {
        from = TC_Common::tryStrto<int64_t>(values["from"]);
        if (!from || *from < 0) return jsonError(400, "\"from\" must be a byte offset (0 or more)");
    }
    int lines = 100;
    if (values.count("lines")) {
        auto n = TC_Common::tryStrto<int>(values["lines"]);
        if (!n || *n <= 0 || *n > kMaxTailLines) {
            return jsonError(400, "\"lines\" must be a number in 1.." + std::to_string(kMaxTailLines));
        }
        lines = *n;
    }
    return logTail(app, server, node, file, lines, from);
}

HttpResponse WebConsole::serverStat(const std::string& app, const std::string& server, int hours) {
    const int64_t now = std::time(nullptr);
    const int64_t start = now - hours * 3600;
    const int64_t step = std::max<int64_t>(60, hours * 3600 / kMaxPoints);
    const std::string callee = app + "." + server;
    // interface -> bucket start -> figures
    std::map<std::string, std::map<int64_t, admin::StatFigures>> series;
    std::string side = "server";
    try {
        auto query = _communicator->stringToProxy<MonitorQueryPrx>(kQueryStatObj);
        query->tars_set_timeout(_settings.queryTimeoutMs);
        // A server's own rows; a callee that reports none is seen by its callers' rows.
        for (bool fromClient : {false, true}) {
            if (fromClient && !series.empty()) break;
            side = fromClient ? "client" : "server";
            for (const auto& w : admin::queryWindows(start, now)) {
                MonitorQueryReq req;
                req.uid = "tarsweb";
                req.dataid = "tars_stat";
                req.date = w.date;
                req.tflag1 = w.tflag1;
                req.tflag2 = w.tflag2;
                req.conditions = {condition("slave_name", callee), condition("from_client", fromClient ? "1" : "0")};
                req.indexs = admin::statIndexes();
                req.groupby = {"interface_name", "f_tflag"};
                MonitorQueryRsp rsp;
                int ret = query->query(req, rsp);
                if (ret != 0 || rsp.ret != 0) {
                    return jsonError(502, std::string(kQueryStatObj) + " answered " +
                                              std::to_string(ret != 0 ? ret : rsp.ret) + ": " + rsp.msg);
                }
                for (const auto& [key, row] : rsp.result) {
                    size_t comma = key.rfind(',');
                    if (comma == std::string::npos) continue;
                    int64_t t = sliceTime(w.date, key.substr(comma + 1));
                    if (t <= 0) continue;
                    int64_t bucket = start + std::max<int64_t>(0, (t - start) / step) * step;
                    series[key.substr(0, comma)][bucket].add(admin::statFiguresOf(row));
                }
            }
        }
    } catch (const std::exception& e) {
        return jsonError(502, std::string("calling ") + kQueryStatObj + " failed: " + e.what());
    }
    json interfaces = json::array();
    for (const auto& [name, buckets] : series) {
        json points = json::array();
        for (const auto& [t, f] : buckets) {
            points.push_back({{"t", t},
                              {"calls", f.calls()},
                              {"timeouts", f.timeouts},
                              {"exceptions", f.exceptions},
                              {"avgMs", rounded(f.averageMs())},
                              {"p50Ms", rounded(f.percentileMs(0.50))},
                              {"p90Ms", rounded(f.percentileMs(0.90))},
                              {"p99Ms", rounded(f.percentileMs(0.99))}});
        }
        interfaces.push_back({{"name", name}, {"points", points}});
    }
    return jsonReply(200, dumped(json{{"server", callee},
                                      {"hours", hours},
                                      {"from", start},
                                      {"to", now},
                                      {"step", step},
                                      {"side", series.empty() ? "none" : side},
                                      {"interfaces", interfaces}}));
}

HttpResponse WebConsole::serverProperties(const std::string& app, const std::string& server, int hours) {
    const int64_t now = std::time(nullptr);
    const int64_t start = now - hours * 3600;
    const int64_t step = std::max<int64_t>(60, hours * 3600 / kMaxPoints);
    const std::string module = app + "." + server;
    // (property, policy) -> bucket start -> figures of the slices in it
    std::map<std::pair<std::string, std::string>, std::map<int64_t, admin::PropertyFigures>> series;
    try {
        auto query = _communicator->stringToProxy<MonitorQueryPrx>(kQueryPropertyObj);
        query->tars_set_timeout(_settings.queryTimeoutMs);
        for (const auto& w : admin::queryWindows(start, now)) {
            MonitorQueryReq req;
            req.uid = "tarsweb";
            req.dataid = "tars_property";
            req.date = w.date;
            req.tflag1 = w.tflag1;
            req.tflag2 = w.tflag2;
            req.conditions = {condition("master_name", module)};
            req.indexs = {"value"};
            req.groupby = {"property_name", "policy", "f_tflag"};
            MonitorQueryRsp rsp;
            int ret = query->query(req, rsp);
            if (ret != 0 || rsp.ret != 0) {
                return jsonError(502, std::string(kQueryPropertyObj) + " answered " +
                                          std::to_string(ret != 0 ? ret : rsp.ret) + ": " + rsp.msg);
            }
            for (const auto& [key, row] : rsp.result) {
                auto parts = TC_Common::sepstr(key, ",", true);
                if (parts.size() != 3 || row.empty()) continue;
                int64_t t = sliceTime(w.date, parts[2]);
                if (t <= 0) continue;
                int64_t bucket = start + std::max<int64_t>(0, (t - start) / step) * step;
                series[{parts[0], parts[1]}][bucket].add(parts[1], row[0]);
            }
        }
    } catch (const std::exception& e) {
        return jsonError(502, std::string("calling ") + kQueryPropertyObj + " failed: " + e.what());
    }
    json properties = json::array();
    for (const auto& [key, buckets] : series) {
        json points = json::array();
        for (const auto& [t, f] : buckets) points.push_back({{"t", t}, {"value", f.value}});
        properties.push_back({{"name", key.first}, {"policy", key.second}, {"points", points}});
    }
    return jsonReply(200, dumped(json{{"server", module},
                                      {"hours", hours},
                                      {"from", start},
                                      {"to", now},
                                      {"step", step},
                                      {"properties", properties}}));
}

HttpResponse WebConsole::logFiles(const std::string& app, const std::string& server, const std::string& node) {
    std::vector<std::string> files;
    std::string result;
    try {
        int ret = _query->getLogFileList(app, server, node, files, result);
        if (ret != 0) {
            return jsonReply(
                409, dumped(json{{"error", "log files of " + app + "." + server + " on " + node + ": " + result},
                                 {"code", ret}}));
        }
    } catch (const std::exception& e) {
        return jsonError(502, "calling " + _settings.adminRegObj + " failed: " + e.what());
    }
    std::sort(files.begin(), files.end());
    files.erase(std::remove_if(files.begin(), files.end(), [](const std::string& f) { return !validLogFile(f); }),
                files.end());
    return jsonReply(200, dumped(json{{"node", node}, {"files", files}}));
}

HttpResponse WebConsole::logTail(const std::string& app, const std::string& server, const std::string& node,
                                 const std::string& file, int lines, std::optional<int64_t> from) {
    const std::string target = file + " of " + app + "." + server + " on " + node;
    std::string data;
    std::string result;
    auto refused = [&](int ret) {
        return jsonReply(409, dumped(json{{"error", target + ": " + result}, {"code", ret}}));
    };
    try {
        // Only a file the node lists: a name the node would resolve elsewhere is never asked for.
        std::vector<std::string> files;
        int ret = _query->getLogFileList(app, server, node, files, result);
        if (ret != 0) return refused(ret);
        if (std::find(files.begin(), files.end(), file) == files.end()) {
            return jsonError(404, "no log file " + target);
        }
        if (from) {
            ret = _query->getLogData(app, server, node, file, "from " + std::to_string(*from), data, result);
            if (ret == 1) {
                // Rolled or truncated since: the page starts again from its beginning.
                return jsonReply(200, dumped(json{{"file", file}, {"data", ""}, {"offset", 0}, {"rolled", true}}));
            }
            if (ret != 0) return refused(ret);
            data.resize(wholeUtf8Length(data));
            bool cut = data.size() > kMaxChunkBytes;
            int64_t offset = *from + static_cast<int64_t>(data.size());
            if (cut) data = admin::lastLines(data.substr(data.size() - kMaxChunkBytes), kMaxTailLines, true);
            return jsonReply(200, dumped(json{{"file", file}, {"data", data}, {"offset", offset}, {"cut", cut}}));
        }
        ret = _query->getLogData(app, server, node, file, "size", data, result);
        if (ret != 0) return refused(ret);
        const int64_t size = TC_Common::tryStrto<int64_t>(TC_Common::trim(data)).value_or(0);
        const int64_t start = std::max<int64_t>(0, size - kTailBacklogBytes);
        ret = _query->getLogData(app, server, node, file, "from " + std::to_string(start), data, result);
        if (ret < 0) return refused(ret);
        data.resize(wholeUtf8Length(data));
        const int64_t offset = start + static_cast<int64_t>(data.size());
        return jsonReply(200, dumped(json{{"file", file},
                                          {"data", admin::lastLines(data, static_cast<size_t>(lines), start > 0)},
                                          {"offset", offset}}));
    } catch (const std::exception& e) {
        return jsonError(502, "calling " + _settings.adminRegObj + " failed: " + e.what());
    }
}

HttpResponse WebConsole::listNodes() {
    std::vector<adminreg::NodeDesc> nodes;
    std::string result;
    try {
        int ret = _query->listNodes(nodes, result);
        if (ret != 0) return jsonReply(409, dumped(json{{"error", "listNodes: " + result}, {"code", ret}}));
    } catch (const std::exception& e) {
        return jsonError(502, "calling " + _settings.adminRegObj + " failed: " + e.what());
    }
    json list = json::array();
    for (const auto& n : nodes) {
        list.push_back({{"name", n.nodeName},
                        {"present", n.presentState},
                        {"setting", n.settingState},
                        {"lastHeartbeat", n.lastHeartbeat},
                        // the registry's clock, so a page on a skewed machine shows the right age
                        {"heartbeatAge", n.lastHeartbeat > 0 ? n.now - n.lastHeartbeat : -1},
                        {"load", {rounded(n.loadAvg1), rounded(n.loadAvg5), rounded(n.loadAvg15)}},
                        {"version", n.tarsVersion},
                        {"endpoint", n.endpointIp + ":" + std::to_string(n.endpointPort)},
                        {"nodeObj", n.nodeObj},
                        {"template", n.templateName}});
    }
    return jsonReply(200, dumped(json{{"nodes", list}}));
}

}  // namespace tars::web
