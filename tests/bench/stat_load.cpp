// stat_load: drives a running tarsstat the way a deployment does, from one process:
// `reporters` simulated servers, each reporting `rows` distinct rows (caller, callee,
// interface, return code) per interval with StatF.reportMicMsg in batches of `batch`
// rows (as a client splits its report), from `threads` sender threads. After each
// interval's reports it waits for tarsstat to flush that interval and prints, per
// interval: the time the reports took and the rows/s they carried, tarsstat's flush time
// and rows (stat.status), and tarsstat's CPU use over the interval (from /proc/<pid>/stat).
// It fails (exit 1) when tarsstat does not keep up: an interval's reports take longer than
// the interval, or its rows are not all written before the next interval ends.
//
//   stat_load --stat=<StatObj object string> --admin=<AdminObj object string> --pid=<tarsstat pid>
//             [--reporters=1000] [--rows=500] [--batch=50] [--threads=8] [--intervals=3]
//             [--interval-seconds=10]
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "AdminF.h"
#include "StatF.h"
#include "servant/Communicator.h"

namespace {

using Clock = std::chrono::steady_clock;

std::string option(int argc, char* argv[], const std::string& name, const std::string& fallback) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.rfind("--" + name + "=", 0) == 0) return arg.substr(name.size() + 3);
    }
    return fallback;
}

// utime + stime of pid, in clock ticks.
long long cpuTicks(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) utime = std::stoll(field);
        if (i == 15) stime = std::stoll(field);
    }
    return utime + stime;
}

std::string statusValue(const std::string& text, const std::string& key) {
    auto pos = text.find(key + "=");
    if (pos == std::string::npos) return "";
    auto end = text.find('\n', pos);
    return text.substr(pos + key.size() + 1, end == std::string::npos ? std::string::npos : end - pos - key.size() - 1);
}

}  // namespace

int main(int argc, char* argv[]) {
    const std::string statObj = option(argc, argv, "stat", "");
    const std::string adminObj = option(argc, argv, "admin", "");
    const int pid = std::stoi(option(argc, argv, "pid", "0"));
    const int reporters = std::stoi(option(argc, argv, "reporters", "1000"));
    const int rows = std::stoi(option(argc, argv, "rows", "500"));
    const int batch = std::stoi(option(argc, argv, "batch", "50"));
    const int threads = std::stoi(option(argc, argv, "threads", "8"));
    const int intervals = std::stoi(option(argc, argv, "intervals", "3"));
    const int intervalSeconds = std::stoi(option(argc, argv, "interval-seconds", "10"));
    if (statObj.empty() || adminObj.empty() || pid <= 0 || batch < 1 || threads < 1) {
        std::cerr << "usage: stat_load --stat=OBJ --admin=OBJ --pid=PID [--reporters=1000] [--rows=500] [--batch=50] "
                     "[--threads=8] [--intervals=3] [--interval-seconds=10]\n";
        return 2;
    }

    tars::Communicator communicator;
    communicator.setProperty("sync-invoke-timeout", "30000");
    auto admin = communicator.stringToProxy<tars::AdminFPrx>(adminObj);
    const long ticksPerSecond = sysconf(_SC_CLK_TCK);
    bool keptUp = true;

    std::printf("reporters=%d rows_per_reporter=%d batch=%d threads=%d interval=%ds\n", reporters, rows, batch, threads,
                intervalSeconds);
    std::printf("%-9s %10s %12s %14s %12s %10s\n", "interval", "report_s", "rows", "rows_per_s", "flush_ms", "cpu_pct");
    // Start just after an interval boundary, so one interval's reports stay in one interval.
    auto now = std::chrono::system_clock::now();
    auto epoch = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    std::this_thread::sleep_until(std::chrono::system_clock::time_point(
        std::chrono::seconds(epoch - epoch % intervalSeconds + intervalSeconds + 1)));  // pacing, not synchronisation

    for (int interval = 0; interval < intervals; ++interval) {
        const std::string flushesBefore = statusValue(admin->notify("stat.status"), "flushes");
        long long ticks0 = cpuTicks(pid);
        auto wall0 = Clock::now();
        std::atomic<int> failures{0};
        std::vector<std::thread> senders;
        for (int t = 0; t < threads; ++t) {
            senders.emplace_back([&, t] {
                auto prx = communicator.stringToProxy<tars::StatFPrx>(statObj);
                for (int r = t; r < reporters; r += threads) {
                    std::map<tars::StatMicMsgHead, tars::StatMicMsgBody> msg;
                    for (int k = 0; k < rows; ++k) {
                        tars::StatMicMsgHead head;
                        head.masterName = "Load.Client" + std::to_string(r) + "@3.0.0";
                        head.slaveName = "Load.Server" + std::to_string(k % 20);
                        head.interfaceName = "method" + std::to_string(k / 20);
                        head.slaveIp = "10.0." + std::to_string(r % 250) + ".1";
                        head.slavePort = 20000 + k % 20;
                        tars::StatMicMsgBody body;
                        body.count = 100 + k;
                        body.timeoutCount = k % 3;
                        body.execCount = k % 5;
                        body.totalRspTime = 1000 + k;
                        body.maxRspTime = 90;
                        body.minRspTime = 1;
                        body.intervalCount = {{5, 50}, {10, 30}, {50, 20}};
                        msg.emplace(std::move(head), std::move(body));
                        if (static_cast<int>(msg.size()) == batch || k == rows - 1) {
                            try {
                                if (prx->reportMicMsg(msg, true) != 0) ++failures;
                            } catch (const std::exception&) {
                                ++failures;
                            }
                            msg.clear();
                        }
                    }
                }
            });
        }
        for (auto& sender : senders) sender.join();
        double reportSeconds = std::chrono::duration<double>(Clock::now() - wall0).count();
        const long long total = static_cast<long long>(reporters) * rows;

        // Wait for the flush of this interval: the next boundary, then its rows written.
        std::string status;
        const auto deadline = wall0 + std::chrono::seconds(2 * intervalSeconds);
        while (Clock::now() < deadline) {
            tars::AdminFPrx prx = admin;
            status = prx->notify("stat.status");
            // The interval's end: one more flush than before its reports.
            if (statusValue(status, "flushes") != flushesBefore) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(200));  // poll interval, bounded by deadline
        }
        // CPU over one whole interval (reports and the flush): up to 1 s after the next boundary.
        auto elapsed = Clock::now() - wall0;
        if (elapsed < std::chrono::seconds(intervalSeconds)) {
            std::this_thread::sleep_until(wall0 + std::chrono::seconds(intervalSeconds));  // pacing to the interval
        }
        double wall = std::chrono::duration<double>(Clock::now() - wall0).count();
        double cpu = 100.0 * static_cast<double>(cpuTicks(pid) - ticks0) / ticksPerSecond / wall;
        bool flushed = statusValue(status, "last_flush_rows") == std::to_string(total) &&
                       statusValue(status, "pending_rows") == "0";
        std::printf("%-9d %10.2f %12lld %14.0f %12s %10.1f%s\n", interval + 1, reportSeconds, total,
                    static_cast<double>(total) / reportSeconds, statusValue(status, "last_flush_ms").c_str(), cpu,
                    flushed && failures == 0 ? "" : "  NOT KEPT UP");
        if (!flushed || failures != 0 || reportSeconds > intervalSeconds) {
            keptUp = false;
            std::fprintf(stderr, "interval %d: %d failed reports; tarsstat's status:\n%s\n", interval + 1,
                         failures.load(), status.c_str());
        }
    }
    std::printf("%s\n", keptUp ? "kept up" : "did NOT keep up");
    return keptUp ? 0 : 1;
}
