// ActivatorThrottle: how often tarsnode may start one server on its own (after a crash,
// a failed start, a heartbeat timeout). At most maxCount automatic starts within
// windowMs; the start that would exceed it is refused, and then every automatic start
// is refused for punishMs. An operator's start (startServer) calls reset().
//
// Times are steady-clock milliseconds passed in by the caller. Not thread-safe: its
// owner (ServerObject) serialises the calls.
#pragma once

#include <cstdint>
#include <deque>

namespace tars {

class ActivatorThrottle {
public:
    ActivatorThrottle(int maxCount, int64_t windowMs, int64_t punishMs);

    // Whether an automatic start may happen at nowMs. The first refusal of a window starts
    // the punishment; justPunished() tells the caller to log it.
    bool allow(int64_t nowMs);
    // Records a start (automatic or not) at nowMs.
    void recordStart(int64_t nowMs);
    void reset();

    bool punished(int64_t nowMs) const { return _punishedUntilMs > nowMs; }
    int64_t punishedUntilMs() const { return _punishedUntilMs; }
    // True once after allow() began a punishment.
    bool justPunished();

private:
    int _maxCount;
    int64_t _windowMs;
    int64_t _punishMs;
    std::deque<int64_t> _starts;
    int64_t _punishedUntilMs = 0;
    bool _justPunished = false;
};

}  // namespace tars
