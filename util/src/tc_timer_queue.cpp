#include "util/tc_timer_queue.h"

#include <algorithm>
#include <limits>

namespace tars {

TC_TimerQueue::TimerId TC_TimerQueue::schedule(int64_t whenMs, Callback cb, int64_t intervalMs) {
    TimerId id = _nextId++;
    _entries.emplace(id, Entry{std::move(cb), std::max<int64_t>(intervalMs, 0)});
    _heap.push({whenMs, id});
    return id;
}

bool TC_TimerQueue::cancel(TimerId id) {
    if (_entries.erase(id) == 0) return false;
    // Cancelled items stay in the heap until they reach the top; rebuild when they
    // dominate so memory stays bounded under schedule/cancel churn.
    if (_heap.size() > 64 && _heap.size() > 2 * _entries.size()) {
        std::vector<HeapItem> live;
        live.reserve(_entries.size());
        while (!_heap.empty()) {
            if (_entries.count(_heap.top().id)) live.push_back(_heap.top());
            _heap.pop();
        }
        _heap = decltype(_heap)(std::greater<HeapItem>(), std::move(live));
    }
    return true;
}

void TC_TimerQueue::dropCancelledTop() {
    while (!_heap.empty() && _entries.count(_heap.top().id) == 0) _heap.pop();
}

std::optional<int64_t> TC_TimerQueue::nextExpire() {
    dropCancelledTop();
    if (_heap.empty()) return std::nullopt;
    return _heap.top().when;
}

int TC_TimerQueue::waitTimeMs(int64_t nowMs, int maxMs) {
    auto next = nextExpire();
    if (!next) return maxMs;
    int64_t wait = std::max<int64_t>(*next - nowMs, 0);
    if (maxMs >= 0) wait = std::min<int64_t>(wait, maxMs);
    return static_cast<int>(std::min<int64_t>(wait, std::numeric_limits<int>::max()));
}

std::optional<TC_TimerQueue::Callback> TC_TimerQueue::popDue(int64_t nowMs, TimerId idLimit) {
    std::vector<HeapItem> deferred;
    std::optional<Callback> out;
    while (true) {
        dropCancelledTop();
        if (_heap.empty() || _heap.top().when > nowMs) break;
        HeapItem item = _heap.top();
        _heap.pop();
        if (item.id >= idLimit) {
            deferred.push_back(item);
            continue;
        }
        auto it = _entries.find(item.id);
        if (it->second.intervalMs > 0) {
            int64_t next = item.when + it->second.intervalMs;
            if (next <= nowMs) next = nowMs + it->second.intervalMs;
            _heap.push({next, item.id});
            out = it->second.cb;
        } else {
            out = std::move(it->second.cb);
            _entries.erase(it);
        }
        break;
    }
    for (const HeapItem& d : deferred) _heap.push(d);
    return out;
}

std::optional<TC_TimerQueue::Callback> TC_TimerQueue::popExpiredOne(int64_t nowMs) {
    return popDue(nowMs, std::numeric_limits<TimerId>::max());
}

size_t TC_TimerQueue::popExpired(int64_t nowMs, std::vector<Callback>& out) {
    // Repeating timers are re-pushed past nowMs, so this ends.
    size_t n = 0;
    while (auto cb = popDue(nowMs, std::numeric_limits<TimerId>::max())) {
        out.push_back(std::move(*cb));
        ++n;
    }
    return n;
}

size_t TC_TimerQueue::runExpired(int64_t nowMs) {
    TimerId limit = _nextId;  // timers scheduled by the callbacks wait for the next call
    size_t n = 0;
    while (auto cb = popDue(nowMs, limit)) {
        (*cb)();
        ++n;
    }
    return n;
}

}  // namespace tars
