// IntervalTimer: the flush thread of an aggregating service. It calls onInterval(start)
// at the end of every interval of intervalSeconds, the intervals aligned to the epoch
// (with 300 s: at :00, :05, ... of the clock), `start` being the first second of the
// interval that ended. stop() wakes the thread, calls onInterval once more for the
// interval in progress (so a shutdown writes what it holds) and joins.
//
// Threads: start()/stop() from one owner thread; onInterval runs on the timer's thread.
// An exception from onInterval is caught and logged; the timer keeps going.
#pragma once

#include <condition_variable>
#include <ctime>
#include <functional>
#include <mutex>
#include <thread>

namespace tars {

class IntervalTimer {
public:
    IntervalTimer(int intervalSeconds, std::function<void(time_t)> onInterval)
        : _intervalSeconds(intervalSeconds), _onInterval(std::move(onInterval)) {}
    ~IntervalTimer() { stop(); }
    IntervalTimer(const IntervalTimer&) = delete;
    IntervalTimer& operator=(const IntervalTimer&) = delete;

    void start();
    void stop();

private:
    void run();
    void call(time_t start) noexcept;

    const int _intervalSeconds;
    const std::function<void(time_t)> _onInterval;
    std::mutex _mutex;
    std::condition_variable _wake;
    bool _stopping = false;
    std::thread _thread;
};

}  // namespace tars
