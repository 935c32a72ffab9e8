// TC_Timer: a TC_TimerQueue with its own thread, for general use (periodic reports,
// cleanups); event loops use a TC_TimerQueue of their own instead.
//
// Threads: every member is thread-safe; callbacks run on the timer thread one at a time
// and must not block for long. cancel() returning true means the timer will not be
// started again; a run already under way at that moment completes (a one-shot timer
// already taken for running makes cancel() return false).
// Lifetime: stopTimer() (or the destructor) joins the thread and drops the timers still
// pending; it may not be called from a callback. Whatever the callbacks use must
// outlive the TC_Timer (declare the timer after that state, or stop it first).
// Ids: post* return a non-zero id for cancel(); ids are never reused.
// Errors: none thrown (std::bad_alloc and std::system_error for thread creation aside);
// exceptions escaping a callback are caught and dropped so the thread lives on.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "util/tc_timer_queue.h"

namespace tars {

class TC_Timer {
public:
    using Callback = TC_TimerQueue::Callback;
    using TimerId = TC_TimerQueue::TimerId;

    TC_Timer();  // starts the timer thread
    ~TC_Timer();
    TC_Timer(const TC_Timer&) = delete;
    TC_Timer& operator=(const TC_Timer&) = delete;

    TimerId postDelayed(int64_t delayMs, Callback cb);
    // Every intervalMs (> 0), the first run after intervalMs, or at once with runNow.
    TimerId postRepeated(int64_t intervalMs, bool runNow, Callback cb);
    bool cancel(TimerId id);
    size_t size() const;
    void stopTimer();

private:
    void run();

    mutable std::mutex _mutex;
    std::condition_variable _cond;
    TC_TimerQueue _queue;
    bool _stop = false;
    std::thread _thread;  // last: started once the rest is built
};

}  // namespace tars
