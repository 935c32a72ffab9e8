#include "servant/AdapterStats.h"

#include <bit>
#include <sstream>

namespace tars {

void LatencyHistogram::record(int64_t micros) {
    uint64_t v = micros > 0 ? static_cast<uint64_t>(micros) : 0;
    // Bucket b holds values in [2^(b-1), 2^b): bucket 0 is "under 1 us".
    size_t b = v == 0 ? 0 : static_cast<size_t>(std::bit_width(v));
    if (b >= kBuckets) b = kBuckets - 1;
    _buckets[b].fetch_add(1, std::memory_order_relaxed);
    _sumMicros.fetch_add(v, std::memory_order_relaxed);
}

uint64_t LatencyHistogram::count() const {
    uint64_t n = 0;
    for (const auto& b : _buckets) n += b.load(std::memory_order_relaxed);
    return n;
}

int64_t LatencyHistogram::percentile(double q) const {
    std::array<uint64_t, kBuckets> snapshot{};
    uint64_t total = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
        snapshot[i] = _buckets[i].load(std::memory_order_relaxed);
        total += snapshot[i];
    }
    if (total == 0) return 0;
    uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(total));
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < kBuckets; ++i) {
        seen += snapshot[i];
        if (seen >= rank) return int64_t{1} << i;
    }
    return int64_t{1} << (kBuckets - 1);
}

std::string LatencyHistogram::summary() const {
    std::ostringstream os;
    os << "n=" << count() << " p50<=" << percentile(0.5) << "us p90<=" << percentile(0.9)
       << "us p99<=" << percentile(0.99) << "us max<=" << percentile(1.0) << "us";
    return os.str();
}

size_t AdapterStats::resultIndex(int iRet) {
    switch (iRet) {
        case 0: return 0;
        case -1: return 1;
        case -2: return 2;
        case -3: return 3;
        case -4: return 4;
        case -6: return 5;
        case -9: return 6;
        case -99: return 7;
        default: return 8;
    }
}

void AdapterStats::countResult(int iRet) { _results[resultIndex(iRet)].fetch_add(1, std::memory_order_relaxed); }

uint64_t AdapterStats::resultCount(int iRet) const {
    return _results[resultIndex(iRet)].load(std::memory_order_relaxed);
}

size_t AdapterStats::authIndex(int code) {
    // -100 .. -106 in slots 0 .. 6, anything else in slot 7.
    return code <= -100 && code >= -106 ? static_cast<size_t>(-100 - code) : 7;
}

void AdapterStats::countAuthFailure(int code) {
    _authFailures[authIndex(code)].fetch_add(1, std::memory_order_relaxed);
}

uint64_t AdapterStats::authFailureCount(int code) const {
    return _authFailures[authIndex(code)].load(std::memory_order_relaxed);
}

void AdapterStats::noteQueueDepth(uint64_t depth) {
    uint64_t seen = maxQueueDepth.load(std::memory_order_relaxed);
    while (depth > seen && !maxQueueDepth.compare_exchange_weak(seen, depth, std::memory_order_relaxed)) {
    }
}

}  // namespace tars
