#include "LatencyHistogram.h"

#include <algorithm>
#include <cmath>

namespace tars::bench {

void LatencyHistogram::merge(const LatencyHistogram& other) {
    for (size_t i = 0; i < kBucketCount; ++i) _counts[i] += other._counts[i];
    _total += other._total;
    _sum += other._sum;
    _min = std::min(_min, other._min);
    _max = std::max(_max, other._max);
}

uint64_t LatencyHistogram::bucketLower(size_t index) {
    if (index < kSubBuckets) return index;
    int exponent = static_cast<int>(index / kSubBuckets) + kSubBucketBits - 1;
    uint64_t sub = index % kSubBuckets;
    return (kSubBuckets + sub) << (exponent - kSubBucketBits);
}

uint64_t LatencyHistogram::bucketWidth(size_t index) {
    if (index < kSubBuckets) return 1;
    int exponent = static_cast<int>(index / kSubBuckets) + kSubBucketBits - 1;
    return uint64_t{1} << (exponent - kSubBucketBits);
}

uint64_t LatencyHistogram::percentile(double q) const {
    if (_total == 0) return 0;
    q = std::clamp(q, 0.0, 1.0);
    auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(_total)));
    rank = std::clamp<uint64_t>(rank, 1, _total);
    uint64_t seen = 0;
    for (size_t i = 0; i < kBucketCount; ++i) {
        seen += _counts[i];
        if (seen >= rank) {
            uint64_t middle = bucketLower(i) + bucketWidth(i) / 2;
            return std::clamp(middle, min(), _max);
        }
    }
    return _max;
}

}  // namespace tars::bench
