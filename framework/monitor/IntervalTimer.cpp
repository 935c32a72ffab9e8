#include "IntervalTimer.h"

#include <chrono>
#include <exception>

#include "util/tc_logger.h"

namespace tars {

void IntervalTimer::start() {
    std::lock_guard<std::mutex> lock(_mutex);
    if (_thread.joinable()) return;
    _stopping = false;
    _thread = std::thread([this] { run(); });
}

void IntervalTimer::stop() {
    {
        std::lock_guard<std::mutex> lock(_mutex);
        if (!_thread.joinable()) return;
        _stopping = true;
    }
    _wake.notify_all();
    _thread.join();
}

void IntervalTimer::call(time_t start) noexcept {
    try {
        _onInterval(start);
    } catch (const std::exception& e) {
        TLOGERROR("interval flush failed: " << e.what() << std::endl);
    } catch (...) {
        TLOGERROR("interval flush failed: unknown exception" << std::endl);
    }
}

void IntervalTimer::run() {
    using Clock = std::chrono::system_clock;
    time_t start = Clock::to_time_t(Clock::now());
    start -= start % _intervalSeconds;
    for (;;) {
        time_t end = start + _intervalSeconds;
        bool stopping;
        {
            std::unique_lock<std::mutex> lock(_mutex);
            stopping = _wake.wait_until(lock, Clock::from_time_t(end), [this] { return _stopping; });
        }
        call(start);
        if (stopping) return;
        start = end;
        // After a long stall (suspended machine, clock jump), continue from now.
        time_t now = Clock::to_time_t(Clock::now());
        if (now >= start + _intervalSeconds) start = now - now % _intervalSeconds;
    }
}

}  // namespace tars
