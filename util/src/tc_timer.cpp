#include "util/tc_timer.h"

#include <algorithm>

#include "util/tc_timeprovider.h"

namespace tars {

TC_Timer::TC_Timer() : _thread([this] { run(); }) {}

TC_Timer::~TC_Timer() { stopTimer(); }

TC_Timer::TimerId TC_Timer::postDelayed(int64_t delayMs, Callback cb) {
    TimerId id;
    {
        std::lock_guard lock(_mutex);
        id = _queue.schedule(TC_TimeProvider::steadyNowMs() + std::max<int64_t>(delayMs, 0), std::move(cb));
    }
    _cond.notify_one();
    return id;
}

TC_Timer::TimerId TC_Timer::postRepeated(int64_t intervalMs, bool runNow, Callback cb) {
    intervalMs = std::max<int64_t>(intervalMs, 1);
    TimerId id;
    {
        std::lock_guard lock(_mutex);
        int64_t first = TC_TimeProvider::steadyNowMs() + (runNow ? 0 : intervalMs);
        id = _queue.schedule(first, std::move(cb), intervalMs);
    }
    _cond.notify_one();
    return id;
}

bool TC_Timer::cancel(TimerId id) {
    std::lock_guard lock(_mutex);
    return _queue.cancel(id);
}

size_t TC_Timer::size() const {
    std::lock_guard lock(_mutex);
    return _queue.size();
}

void TC_Timer::stopTimer() {
    {
        std::lock_guard lock(_mutex);
        _stop = true;
    }
    _cond.notify_all();
    if (_thread.joinable() && _thread.get_id() != std::this_thread::get_id()) _thread.join();
}

void TC_Timer::run() {
    std::unique_lock lock(_mutex);
    while (!_stop) {
        int64_t now = TC_TimeProvider::steadyNowMs();
        if (auto cb = _queue.popExpiredOne(now)) {
            lock.unlock();
            try {
                (*cb)();
            } catch (...) {
                // A timer callback must not take the timer thread down.
            }
            lock.lock();
            continue;
        }
        int wait = _queue.waitTimeMs(now, -1);
        if (wait < 0) {
            _cond.wait(lock);
        } else {
            _cond.wait_for(lock, std::chrono::milliseconds(wait));
        }
    }
}

}  // namespace tars
