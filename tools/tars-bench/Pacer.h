// Pacer: the schedule of an open-loop load at a fixed rate. Call i is due at
// start + i / rate, so calls are spread evenly instead of sent in bursts; a load generator
// measures each call's latency from its due time, not from when it was finally sent, so a
// server that falls behind shows its queueing delay (no "coordinated omission").
// A rate of 0 means no schedule (closed loop: every call is due at once).
//
// A sending thread wakes at most once per kQuantumNanos (wakeAt) and then sends every
// call that is due: at 100k calls/s, one wake-up per call would cost the client more CPU
// than the calls. A call may so leave up to 50 us after its due time; that delay is part
// of its measured latency.
// One Pacer per sending thread (give each thread rate / threads). Not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>

namespace tars::bench {

class Pacer {
public:
    static constexpr uint64_t kQuantumNanos = 50'000;

    Pacer() = default;
    Pacer(double callsPerSecond, uint64_t startNanos, double phase = 0.0)
        : _intervalNanos(callsPerSecond > 0 ? 1e9 / callsPerSecond : 0.0),
          _startNanos(startNanos + static_cast<uint64_t>(phase * (callsPerSecond > 0 ? 1e9 / callsPerSecond : 0.0))) {}

    bool paced() const { return _intervalNanos > 0; }
    // Due time of the next call not yet taken.
    uint64_t nextDue() const {
        return _startNanos + static_cast<uint64_t>(static_cast<double>(_next) * _intervalNanos);
    }
    // When a thread that last woke (and sent) at lastWakeNanos should wake next.
    uint64_t wakeAt(uint64_t lastWakeNanos) const { return std::max(nextDue(), lastWakeNanos + kQuantumNanos); }
    // Whether the next call is due at nowNanos.
    bool due(uint64_t nowNanos) const { return !paced() || nextDue() <= nowNanos; }
    // Takes the next call: returns its due time (nowNanos when not paced).
    uint64_t take(uint64_t nowNanos) {
        if (!paced()) return nowNanos;
        uint64_t at = nextDue();
        ++_next;
        return at;
    }

private:
    double _intervalNanos = 0.0;
    uint64_t _startNanos = 0;
    uint64_t _next = 0;
};

}  // namespace tars::bench
