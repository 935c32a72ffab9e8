// TC_TimeProvider: the current time for hot paths, and steady-clock helpers.
//
// getNow()/getNowMs()/getNowUs() give the wall-clock time (seconds, ms, us since the
// epoch) through clock_gettime, which Linux serves from the vDSO without a system call
// (tens of nanoseconds): there is no background thread and nothing to start or stop.
// The singleton exists because TARS users write
// TC_TimeProvider::getInstance()->getNowMs(). Use the steady helpers for timeouts and
// durations: they never jump when the wall clock is set.
// Thread-safety: every member is thread-safe. Errors: none.
#pragma once

#include <cstdint>
#include <ctime>

namespace tars {

class TC_TimeProvider {
public:
    static TC_TimeProvider* getInstance();

    time_t getNow() const;     // seconds
    int64_t getNowMs() const;  // milliseconds
    int64_t getNowUs() const;  // microseconds

    static int64_t steadyNowMs();
    static int64_t steadyNowUs();

private:
    TC_TimeProvider() = default;
};

#define TNOW ::tars::TC_TimeProvider::getInstance()->getNow()
#define TNOWMS ::tars::TC_TimeProvider::getInstance()->getNowMs()

}  // namespace tars
