#include "BenchResult.h"

#include <time.h>

#include <cstdio>

namespace tars::bench {

uint64_t nowNanos() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

namespace {

std::string formatMicros(uint64_t nanos) {
    char text[32];
    if (nanos >= 10'000'000) {
        std::snprintf(text, sizeof text, "%.1f ms", static_cast<double>(nanos) / 1e6);
    } else if (nanos >= 1'000'000) {
        std::snprintf(text, sizeof text, "%.2f ms", static_cast<double>(nanos) / 1e6);
    } else {
        std::snprintf(text, sizeof text, "%.1f us", static_cast<double>(nanos) / 1e3);
    }
    return text;
}

}  // namespace

void BenchResult::print(std::ostream& out, std::string (*describeCode)(int)) const {
    char line[512];
    std::snprintf(line, sizeof line, "duration   %.2f s measured (after %.2f s warm-up)\n", seconds, warmupSeconds);
    out << line;
    std::snprintf(line, sizeof line, "calls      %llu ok, %llu failed\n", static_cast<unsigned long long>(ok()),
                  static_cast<unsigned long long>(failed()));
    out << line;
    std::snprintf(line, sizeof line, "qps        %.0f\n", qps());
    out << line;
    out << "latency    p50 " << formatMicros(latency.percentile(0.50)) << "   p90 "
        << formatMicros(latency.percentile(0.90)) << "   p99 " << formatMicros(latency.percentile(0.99)) << "   p99.9 "
        << formatMicros(latency.percentile(0.999)) << "   (mean " << formatMicros(static_cast<uint64_t>(latency.mean()))
        << ", max " << formatMicros(latency.max()) << ")\n";
    out << "errors     ";
    if (failed() == 0) {
        out << "none\n";
    } else {
        bool first = true;
        errors.forEach([&](int code, uint64_t count) {
            out << (first ? "" : ", ") << count << " x " << code;
            if (describeCode) {
                std::string name = describeCode(code);
                if (!name.empty()) out << " (" << name << ")";
            }
            first = false;
        });
        if (errors.other()) out << (first ? "" : ", ") << errors.other() << " x other codes";
        out << "\n";
    }
    std::snprintf(
        line, sizeof line,
        "RESULT qps=%.1f ok=%llu failed=%llu p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f "
        "mean_us=%.1f\n",
        qps(), static_cast<unsigned long long>(ok()), static_cast<unsigned long long>(failed()),
        static_cast<double>(latency.percentile(0.50)) / 1e3, static_cast<double>(latency.percentile(0.90)) / 1e3,
        static_cast<double>(latency.percentile(0.99)) / 1e3, static_cast<double>(latency.percentile(0.999)) / 1e3,
        static_cast<double>(latency.max()) / 1e3, latency.mean() / 1e3);
    out << line;
    out.flush();
}

}  // namespace tars::bench
