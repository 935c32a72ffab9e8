// LatencyHistogram: a fixed-size log-linear histogram of durations in nanoseconds, for
// load generators that record one value per call on the hot path.
//
// Buckets: values below 32 ns have a bucket each; above, every power of two [2^e, 2^e+1)
// is cut into 32 equal buckets. A value is therefore known to within 1/32 of itself
// (3.1 %); percentile() reports the middle of the bucket holding the requested rank, so
// its error is at most 1.6 % of the true value (min, max and mean are exact). Values of
// 2^41 ns (about 37 minutes) and more land in the last bucket.
//
// record() never allocates and costs a count-leading-zeros and two increments. One
// histogram belongs to one thread; merge() the per-thread histograms once recording has
// stopped. Not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tars::bench {

class LatencyHistogram {
public:
    static constexpr int kSubBucketBits = 5;
    static constexpr uint64_t kSubBuckets = 1u << kSubBucketBits;  // 32 per power of two
    static constexpr int kMaxExponent = 40;                        // [2^40, 2^41) ns: the top range
    static constexpr size_t kBucketCount = (kMaxExponent - kSubBucketBits + 2) * kSubBuckets;

    void record(uint64_t nanos) {
        ++_counts[bucketOf(nanos)];
        ++_total;
        _sum += nanos;
        if (nanos < _min) _min = nanos;
        if (nanos > _max) _max = nanos;
    }

    void merge(const LatencyHistogram& other);
    void reset() { *this = LatencyHistogram(); }

    uint64_t count() const { return _total; }
    uint64_t min() const { return _total ? _min : 0; }
    uint64_t max() const { return _max; }
    double mean() const { return _total ? static_cast<double>(_sum) / static_cast<double>(_total) : 0.0; }

    // The value at quantile q (0 < q <= 1; 0.999 for p99.9): the middle of the bucket
    // holding the ceil(q * count())-th smallest value, clamped to [min, max]. 0 when empty.
    uint64_t percentile(double q) const;

    // Bucket index of a value and the range [lower, lower + width) a bucket covers.
    static size_t bucketOf(uint64_t nanos) {
        if (nanos < kSubBuckets) return static_cast<size_t>(nanos);
        int exponent = 63 - __builtin_clzll(nanos);
        if (exponent > kMaxExponent) return kBucketCount - 1;
        uint64_t sub = (nanos >> (exponent - kSubBucketBits)) & (kSubBuckets - 1);
        return static_cast<size_t>((exponent - kSubBucketBits + 1) * kSubBuckets + sub);
    }
    static uint64_t bucketLower(size_t index);
    static uint64_t bucketWidth(size_t index);

private:
    std::array<uint64_t, kBucketCount> _counts{};
    uint64_t _total = 0;
    uint64_t _sum = 0;
    uint64_t _min = UINT64_MAX;
    uint64_t _max = 0;
};

}  // namespace tars::bench
