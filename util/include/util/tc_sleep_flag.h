// TC_SleepFlag: lets producers know whether their consumer thread sleeps (in epoll_wait
// or the like), so that a producer pays for a wake-up (an eventfd write) only when the
// consumer sleeps, and only one producer per sleep.
//
// The protocol, seq_cst on both sides (Dekker: each side stores, then loads the other's):
//   consumer:  aboutToSleep(); look for work (seq_cst loads); sleep if there is none;
//              awake();
//   producer:  publish the work (a seq_cst store or read-modify-write, e.g.
//              TC_SpscQueue::push); if (wakeNeeded()) wake the consumer;
// Either the consumer's look finds the work, or the producer finds the flag set: no
// work is left behind a sleeping consumer. wakeNeeded() is true for one producer per
// aboutToSleep(); a wake may be spurious (the consumer was already up), never missing.
//
// Ownership: the consumer owns the flag; producers reach it through the consumer.
// Threads: aboutToSleep()/awake() on the consumer thread; wakeNeeded() from any thread.
// Errors: none.
#pragma once

#include <atomic>

namespace tars {

class TC_SleepFlag {
public:
    // Consumer, before its last look for work.
    void aboutToSleep() { _sleeping.store(true, std::memory_order_seq_cst); }
    // Consumer, once up (the producers' next wakeNeeded() is false).
    void awake() { _sleeping.store(false, std::memory_order_relaxed); }
    // Producer, after publishing work: true when the caller must wake the consumer.
    bool wakeNeeded() {
        return _sleeping.load(std::memory_order_seq_cst) && _sleeping.exchange(false, std::memory_order_acq_rel);
    }

private:
    std::atomic<bool> _sleeping{false};
};

}  // namespace tars
