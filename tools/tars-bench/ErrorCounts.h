// ErrorCounts: failed calls counted by return code (TARS iRet, a gRPC status code, or a
// load generator's own negative codes), without allocating on the hot path: codes from
// -128 to 127 each have a counter, every other code shares one "other" counter.
// One instance per thread; merge() them once recording has stopped. Not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace tars::bench {

class ErrorCounts {
public:
    static constexpr int kLowest = -128;
    static constexpr int kHighest = 127;

    void add(int code) {
        if (code >= kLowest && code <= kHighest) {
            ++_counts[static_cast<size_t>(code - kLowest)];
        } else {
            ++_other;
        }
        ++_total;
    }
    void merge(const ErrorCounts& other) {
        for (size_t i = 0; i < _counts.size(); ++i) _counts[i] += other._counts[i];
        _other += other._other;
        _total += other._total;
    }
    uint64_t total() const { return _total; }
    uint64_t other() const { return _other; }
    // Calls f(code, count) for every code seen, lowest code first.
    void forEach(const std::function<void(int, uint64_t)>& f) const {
        for (size_t i = 0; i < _counts.size(); ++i) {
            if (_counts[i]) f(static_cast<int>(i) + kLowest, _counts[i]);
        }
    }

private:
    std::array<uint64_t, kHighest - kLowest + 1> _counts{};
    uint64_t _other = 0;
    uint64_t _total = 0;
};

}  // namespace tars::bench
