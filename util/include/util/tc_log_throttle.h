// TC_LogThrottle: lets one log line of a kind through per interval and counts the ones it
// holds back, for messages a peer can cause at will (a UDP sender pays nothing per
// datagram; without this one host could fill the disk and busy the thread that logs).
//
//   uint64_t held = 0;
//   if (throttle.allow(held)) TLOGWARN("dropped ..." << TC_LogThrottle::heldText(held));
//
// Thread-safe (two atomics); the counters and statistics stay exact, only the lines thin.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "util/tc_timeprovider.h"

namespace tars {

class TC_LogThrottle {
public:
    explicit TC_LogThrottle(int64_t intervalMs = 1000) : _intervalMs(intervalMs) {}

    // True when this occurrence is to be logged; held is then the number held back since
    // the last one that was.
    bool allow(uint64_t& held) {
        int64_t now = TC_TimeProvider::steadyNowMs();
        int64_t next = _nextMs.load(std::memory_order_relaxed);
        if (now >= next && _nextMs.compare_exchange_strong(next, now + _intervalMs, std::memory_order_relaxed)) {
            held = _held.exchange(0, std::memory_order_relaxed);
            return true;
        }
        _held.fetch_add(1, std::memory_order_relaxed);
        return false;
    }

    // " (N more like it not logged)" for held > 0, else "".
    static std::string heldText(uint64_t held) {
        return held == 0 ? std::string() : " (" + std::to_string(held) + " more like it not logged)";
    }

private:
    const int64_t _intervalMs;
    std::atomic<int64_t> _nextMs{0};
    std::atomic<uint64_t> _held{0};
};

}  // namespace tars
