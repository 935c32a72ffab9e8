#include "util/tc_timeprovider.h"

namespace tars {

namespace {
int64_t clockUs(clockid_t clock) {
    timespec ts;
    ::clock_gettime(clock, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}
}  // namespace

TC_TimeProvider* TC_TimeProvider::getInstance() {
    static TC_TimeProvider instance;
    return &instance;
}

time_t TC_TimeProvider::getNow() const {
    timespec ts;
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec;
}

int64_t TC_TimeProvider::getNowMs() const { return clockUs(CLOCK_REALTIME) / 1000; }
int64_t TC_TimeProvider::getNowUs() const { return clockUs(CLOCK_REALTIME); }
int64_t TC_TimeProvider::steadyNowMs() { return clockUs(CLOCK_MONOTONIC) / 1000; }
int64_t TC_TimeProvider::steadyNowUs() { return clockUs(CLOCK_MONOTONIC); }

}  // namespace tars
