#include "ObservabilityTestUtil.h"

#include <algorithm>
#include <sstream>

#include "util/tc_common.h"

namespace tars::test {

AdapterSpec adapter(const std::string& name, const std::string& servant, int port) {
    AdapterSpec spec;
    spec.name = name;
    spec.servant = servant;
    spec.port = port;
    return spec;
}

Sink::Sink() : _process(std::make_unique<ServerProcess>(SINK_SERVER)) {}

Sink::~Sink() = default;

bool Sink::start() {
    std::vector<AdapterSpec> adapters = {
        adapter("Test.Sink.StatObjAdapter", "Test.Sink.StatObj", _stat),
        adapter("Test.Sink.PropertyObjAdapter", "Test.Sink.PropertyObj", _property),
        adapter("Test.Sink.NotifyObjAdapter", "Test.Sink.NotifyObj", _notify),
        adapter("Test.Sink.LogObjAdapter", "Test.Sink.LogObj", _log),
    };
    _process->writeConfig(makeConfig("Test", "Sink", _admin, adapters));
    return _process->start({_admin, _stat, _property, _notify, _log});
}

std::string Sink::object(const std::string& name, int port) const {
    return "Test.Sink." + name + "@tcp -h 127.0.0.1 -p " + std::to_string(port) + " -t 60000";
}

std::vector<std::string> Sink::lines() const {
    std::string dump = adminNotify(_admin, "sink.dump");
    std::vector<std::string> out;
    std::istringstream in(dump);
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("[")) {  // "[1]:stat ..." or a header line
            size_t colon = line.find("]:");
            if (colon == std::string::npos) continue;
            line = line.substr(colon + 2);
        }
        if (!line.empty()) out.push_back(line);
    }
    return out;
}

std::vector<std::string> Sink::waitFor(const std::function<bool(const std::vector<std::string>&)>& done,
                                       int timeoutMs) const {
    int64_t deadline = nowMs() + timeoutMs;
    std::vector<std::string> got = lines();
    while (!done(got) && nowMs() < deadline) {
        ::usleep(100 * 1000);  // polling interval of a bounded wait, not a synchronization
        got = lines();
    }
    return got;
}

std::map<std::string, std::string> fields(const std::string& line) {
    std::map<std::string, std::string> out;
    size_t pos = line.find(' ');
    while (pos != std::string::npos && pos < line.size()) {
        size_t start = pos + 1;
        size_t eq = line.find('=', start);
        if (eq == std::string::npos) break;
        std::string key = line.substr(start, eq - start);
        size_t end = (key == "msg" || key == "line") ? std::string::npos : line.find(' ', eq + 1);
        out[key] = line.substr(eq + 1, end == std::string::npos ? std::string::npos : end - eq - 1);
        pos = end;
    }
    return out;
}

std::string statKey(int client, const std::string& master, const std::string& masterIp, const std::string& slave,
                    const std::string& iface, const std::string& slaveIp, int port, int ret) {
    return std::to_string(client) + "|" + master + "|" + masterIp + "|" + slave + "|" + iface + "|" + slaveIp + "|" +
           std::to_string(port) + "|" + std::to_string(ret);
}

std::map<std::string, StatSum> sumStats(const std::vector<std::string>& lines) {
    std::map<std::string, StatSum> out;
    for (const std::string& line : lines) {
        if (!line.starts_with("stat ")) continue;
        auto f = fields(line);
        std::string key = statKey(std::stoi(f["client"]), f["master"], f["masterip"], f["slave"], f["iface"],
                                  f["slaveip"], std::stoi(f["port"]), std::stoi(f["ret"]));
        StatSum& s = out[key];
        ++s.rows;
        long count = std::stol(f["count"]);
        s.count += count;
        s.timeout += std::stol(f["timeout"]);
        s.exec += std::stol(f["exec"]);
        s.total += std::stol(f["total"]);
        for (const std::string& bucket : TC_Common::sepstr(f["buckets"], ",")) {
            size_t colon = bucket.find(':');
            s.buckets[std::stoi(bucket.substr(0, colon))] += std::stol(bucket.substr(colon + 1));
        }
        long mn = std::stol(f["min"]), mx = std::stol(f["max"]);
        s.min = s.min < 0 ? mn : std::min(s.min, mn);
        s.max = std::max(s.max, mx);
    }
    return out;
}

}  // namespace tars::test
