// BenchResult: what one load-generator run measured, and the report every load generator
// of the project prints (tars-bench in each mode, the gRPC peer), so their figures line up
// and scripts parse one format: a human-readable block ending with one line
//
//   RESULT qps=<calls/s> ok=<n> failed=<n> p50_us=<x> p90_us=<x> p99_us=<x> p999_us=<x> max_us=<x> mean_us=<x>
//
// Latency percentiles cover successful calls; QPS counts successful calls per second of
// the measured window. Plain values: build one per run, after every recording thread
// stopped (merge their histograms and error counts into it).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "ErrorCounts.h"
#include "LatencyHistogram.h"

namespace tars::bench {

// CLOCK_MONOTONIC in nanoseconds: the one clock of every load generator here.
uint64_t nowNanos();

// The measured part of a run: calls ending inside [start, end) are recorded; warm-up
// before it and the drain after it are not. end is UINT64_MAX until the run knows it.
struct MeasureWindow {
    uint64_t start = 0;
    uint64_t end = UINT64_MAX;
    bool contains(uint64_t nanos) const { return nanos >= start && nanos < end; }
};

struct BenchResult {
    LatencyHistogram latency;  // successful calls, nanoseconds
    ErrorCounts errors;        // failed calls by return code
    double seconds = 0.0;      // length of the measured window
    double warmupSeconds = 0.0;

    uint64_t ok() const { return latency.count(); }
    uint64_t failed() const { return errors.total(); }
    double qps() const { return seconds > 0 ? static_cast<double>(ok()) / seconds : 0.0; }

    // `describeCode` names a code in the error line ("-7 invoke timeout"); may be empty.
    void print(std::ostream& out, std::string (*describeCode)(int) = nullptr) const;
};

}  // namespace tars::bench
