// TC_TimerQueue: the timers of one event loop (a NetThread, a CommunicatorEpoll).
//
// It has no thread and no lock: the loop that owns it schedules and cancels, asks
// waitTimeMs() how long epoll_wait may sleep, then runs what is due with
// runExpired(now) (or takes it with popExpired). Times are steady-clock milliseconds
// (TC_TimeProvider::steadyNowMs()). Due timers run in due-time order, ties in schedule
// order. Ids are non-zero and never reused.
// Thread-safety: none; owner thread only (TC_Timer wraps one with a thread and a lock).
// Errors: none thrown (std::bad_alloc aside); exceptions from callbacks propagate out
// of runExpired() with the remaining due timers left for the next call.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

namespace tars {

class TC_TimerQueue {
public:
    using Callback = std::function<void()>;
    using TimerId = uint64_t;

    // Runs cb once at whenMs, or, with intervalMs > 0, at whenMs and then every
    // intervalMs until cancelled (a late loop skips missed runs rather than bursting).
    TimerId schedule(int64_t whenMs, Callback cb, int64_t intervalMs = 0);
    bool cancel(TimerId id);  // false if no such pending timer

    size_t size() const { return _entries.size(); }
    bool empty() const { return _entries.empty(); }
    // Due time of the earliest pending timer.
    std::optional<int64_t> nextExpire();
    // How long a loop may sleep: min(maxMs, time until the next timer), at least 0;
    // maxMs when nothing is pending (maxMs < 0 meaning forever).
    int waitTimeMs(int64_t nowMs, int maxMs);

    // Runs the timers due at nowMs; returns how many ran. Timers scheduled by these
    // callbacks wait for the next call even if already due; cancels take effect at once.
    size_t runExpired(int64_t nowMs);
    // Removes the timers due at nowMs and appends their callbacks to out (a repeating
    // timer stays scheduled and gives a copy); returns how many.
    size_t popExpired(int64_t nowMs, std::vector<Callback>& out);
    // The first due timer, if any (same rules as popExpired).
    std::optional<Callback> popExpiredOne(int64_t nowMs);

private:
    struct Entry {
        Callback cb;
        int64_t intervalMs;
    };
    struct HeapItem {
        int64_t when;
        TimerId id;
        bool operator>(const HeapItem& o) const { return when != o.when ? when > o.when : id > o.id; }
    };

    std::optional<Callback> popDue(int64_t nowMs, TimerId idLimit);
    void dropCancelledTop();

    std::priority_queue<HeapItem, std::vector<HeapItem>, std::greater<HeapItem>> _heap;
    std::unordered_map<TimerId, Entry> _entries;
    TimerId _nextId = 1;
};

}  // namespace tars
