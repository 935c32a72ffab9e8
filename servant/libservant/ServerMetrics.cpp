// The ops endpoint's /metrics: the Application's counters in the Prometheus text format.
// Families and labels are documented in docs/observability.md ("Prometheus metrics").
#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "internal/AdminServant.h"
#include "internal/PrometheusText.h"
#include "internal/StatCollector.h"
#include "servant/Application.h"
#include "servant/StatReport.h"

namespace tars {

namespace {

// The TARS latency points as histogram bounds, in seconds.
const std::vector<double>& statBounds() {
    static const std::vector<double> bounds = [] {
        std::vector<double> b;
        for (int ms : StatRowBody::kBucketsMs) b.push_back(ms / 1000.0);
        return b;
    }();
    return bounds;
}

// A row's buckets as histogram counts: the calls over the last bound go to +Inf only.
std::vector<uint64_t> statCounts(const StatRowBody& row) {
    std::vector<uint64_t> counts(row.buckets.begin(), row.buckets.end());
    counts.back() -= static_cast<uint64_t>(std::min(row.slow, row.buckets.back()));
    return counts;
}

struct CallSeries {
    std::map<std::tuple<std::string, std::string, int>, uint64_t> requests;  // (who, method, code)
    std::map<std::pair<std::string, std::string>, StatRowBody> durations;    // (who, method)
};

// The two families of one side: `side` is "server" or "client", `who` its first label.
void writeCalls(PrometheusText& out, const CallSeries& calls, const std::string& side, const char* who,
                const char* requestsHelp, const char* durationHelp) {
    const std::string requests = "tars_" + side + "_requests_total";
    const std::string duration = "tars_" + side + "_request_duration_seconds";
    out.family(requests, "counter", requestsHelp);
    for (const auto& [key, n] : calls.requests) {
        const std::string code = std::to_string(std::get<2>(key));
        out.sample(requests, {{who, std::get<0>(key)}, {"method", std::get<1>(key)}, {"code", code}}, n);
    }
    out.family(duration, "histogram", durationHelp);
    for (const auto& [key, row] : calls.durations) {
        out.histogram(duration, {{who, key.first}, {"method", key.second}}, statBounds(), statCounts(row),
                      static_cast<uint64_t>(row.timed), static_cast<double>(row.totalMs) / 1000.0);
    }
}

void addRow(CallSeries& calls, const std::string& who, const StatRowKey& key, const StatRowBody& body) {
    calls.requests[{who, key.interface, key.ret}] +=
        static_cast<uint64_t>(body.count + body.timeouts + body.exceptions);
    if (body.timed > 0) calls.durations[{who, key.interface}].merge(body);
}

// /proc/self/stat's fields after the command name (which may hold spaces and parentheses).
std::vector<std::string> procStatFields() {
    std::ifstream in("/proc/self/stat");
    std::string line;
    std::getline(in, line);
    size_t close = line.rfind(')');
    std::vector<std::string> fields;
    if (close == std::string::npos) return fields;
    std::istringstream rest(line.substr(close + 1));
    std::string field;
    while (rest >> field) fields.push_back(field);
    return fields;  // fields[0] is the state (field 3 of proc(5))
}

double bootTimeSeconds() {
    std::ifstream in("/proc/stat");
    std::string key;
    while (in >> key) {
        if (key == "btime") {
            double t = 0;
            in >> t;
            return t;
        }
        std::string rest;
        std::getline(in, rest);
    }
    return 0;
}

size_t openFds() {
    size_t n = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
        while (dirent* entry = ::readdir(dir)) {
            if (entry->d_name[0] != '.') ++n;
        }
        ::closedir(dir);
        if (n > 0) --n;  // the directory stream's own descriptor
    }
    return n;
}

void writeProcess(PrometheusText& out) {
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    std::vector<std::string> f = procStatFields();
    auto field = [&](size_t procIndex) {  // proc(5)'s 1-based field number
        size_t i = procIndex - 3;
        return i < f.size() ? std::strtod(f[i].c_str(), nullptr) : 0.0;
    };
    out.family("process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.");
    out.sample("process_cpu_seconds_total", {}, (field(14) + field(15)) / ticks);
    out.family("process_resident_memory_bytes", "gauge", "Resident memory size, in bytes.");
    out.sample("process_resident_memory_bytes", {}, field(24) * static_cast<double>(::sysconf(_SC_PAGESIZE)));
    out.family("process_virtual_memory_bytes", "gauge", "Virtual memory size, in bytes.");
    out.sample("process_virtual_memory_bytes", {}, field(23));
    out.family("process_open_fds", "gauge", "Open file descriptors.");
    out.sample("process_open_fds", {}, static_cast<uint64_t>(openFds()));
    long maxFds = ::sysconf(_SC_OPEN_MAX);
    out.family("process_max_fds", "gauge", "The limit of open file descriptors.");
    out.sample("process_max_fds", {}, static_cast<double>(maxFds));
    out.family("process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.");
    out.sample("process_start_time_seconds", {}, bootTimeSeconds() + field(22) / ticks);
}

// An adapter latency histogram (power-of-two microsecond buckets) in seconds: bounds up to
// 2^25 us (about 34 s); longer waits count in +Inf only.
void writeLatency(PrometheusText& out, const std::string& name, const std::string& adapter, const LatencyHistogram& h) {
    constexpr size_t kShown = 26;
    std::vector<double> bounds;
    std::vector<uint64_t> counts;
    uint64_t total = 0;
    for (size_t b = 0; b < LatencyHistogram::kBuckets; ++b) {
        uint64_t n = h.bucket(b);
        total += n;
        if (b < kShown) {
            bounds.push_back(static_cast<double>(uint64_t{1} << b) / 1e6);
            counts.push_back(n);
        }
    }
    out.histogram(name, {{"adapter", adapter}}, bounds, counts, total, static_cast<double>(h.sumMicros()) / 1e6);
}

}  // namespace

std::string Application::metricsText() const {
    PrometheusText out;
    TC_EpollServer* server = _serving.load(std::memory_order_acquire) ? _epollServer.get() : nullptr;
    StatReport* report = _communicator ? _communicator->reporter() : nullptr;

    // Served calls: rows carry the adapter's ip and port, which name its servant.
    CallSeries served;
    if (server != nullptr && report != nullptr && report->servedCalls() != nullptr) {
        std::map<std::pair<std::string, int>, std::string> servants;
        for (const auto& a : server->getAdapters())
            servants[{a->statIp(), a->getEndpoint().getPort()}] = a->getServant();
        for (const auto& [key, body] : report->servedCalls()->totals()) {
            auto found = servants.find({key.ip, key.port});
            addRow(served, found == servants.end() ? key.ip + ":" + std::to_string(key.port) : found->second, key,
                   body);
        }
    }
    writeCalls(out, served, "server", "servant",
               "Calls this server answered, by return code (0 success, -7 timeout, other TARS codes).",
               "Time from a request's arrival to its reply, of the calls that succeeded.");

    CallSeries made;
    if (report != nullptr && report->clientCalls() != nullptr) {
        for (const auto& [key, body] : report->clientCalls()->totals()) addRow(made, key.peer, key, body);
    }
    writeCalls(out, made, "client", "callee",
               "Calls this process made, by return code (0 success, -7 timeout, other TARS codes).",
               "Time from a call's start to its answer, of the calls that succeeded.");

    out.family("tars_property", "gauge",
               "User and framework properties: each policy's value over the last whole report-interval "
               "(Distr is not shown).");
    if (report != nullptr) {
        for (const auto& [name, policies] : report->lastProperties()) {
            for (const auto& [policy, value] : policies) {
                if (policy == "Distr") continue;
                out.sample("tars_property", {{"name", name}, {"policy", policy}}, std::strtod(value.c_str(), nullptr));
            }
        }
    }

    if (server != nullptr) {
        std::vector<std::shared_ptr<BindAdapter>> adapters;
        for (const auto& a : server->getAdapters()) {
            if (a->getName() != AdminServant::kAdapterName) adapters.push_back(a);
        }
        out.family("tars_adapter_connections", "gauge", "Open connections of each adapter.");
        for (const auto& a : adapters) {
            out.sample("tars_adapter_connections", {{"adapter", a->getName()}},
                       static_cast<uint64_t>(a->getConnectionCount()));
        }
        out.family("tars_adapter_connections_accepted_total", "counter", "Connections each adapter accepted.");
        for (const auto& a : adapters) {
            out.sample("tars_adapter_connections_accepted_total", {{"adapter", a->getName()}},
                       a->stats().accepted.load(std::memory_order_relaxed));
        }
        out.family("tars_adapter_queue_depth", "gauge", "Requests waiting in each adapter's queue.");
        for (const auto& a : adapters) {
            out.sample("tars_adapter_queue_depth", {{"adapter", a->getName()}},
                       static_cast<uint64_t>(a->getQueueSize()));
        }
        out.family("tars_adapter_queue_wait_seconds", "histogram",
                   "Time requests waited in each adapter's queue before a handle thread took them.");
        for (const auto& a : adapters)
            writeLatency(out, "tars_adapter_queue_wait_seconds", a->getName(), a->stats().queueWait);
        out.family("tars_adapter_handle_seconds", "histogram", "Time each adapter's servants spent on a request.");
        for (const auto& a : adapters)
            writeLatency(out, "tars_adapter_handle_seconds", a->getName(), a->stats().handleTime);
    }
    writeProcess(out);
    return out.take();
}

}  // namespace tars
