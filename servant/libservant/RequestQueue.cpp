#include "internal/RequestQueue.h"

#include <algorithm>

namespace tars {

void RequestQueue::grow() {
    size_t capacity = _ring.empty() ? 64 : _ring.size() * 2;
    std::vector<RecvContext> bigger(capacity);
    for (size_t i = 0; i < _count; ++i) bigger[i] = std::move(_ring[(_head + i) & (_ring.size() - 1)]);
    _ring.swap(bigger);
    _head = 0;
}

void RequestQueue::append(RecvContext&& one) {
    if (_count == _ring.size()) grow();
    _ring[(_head + _count) & (_ring.size() - 1)] = std::move(one);
    ++_count;
}

void RequestQueue::push(std::vector<RecvContext>& batch, std::vector<std::vector<char>>* spares) {
    if (batch.empty()) return;
    size_t wake = 0;
    {
        std::lock_guard lock(_mutex);
        for (RecvContext& one : batch) append(std::move(one));
        _size.fetch_add(batch.size(), std::memory_order_relaxed);
        wake = std::min(batch.size(), _sleepers);
        if (spares != nullptr && spares->size() < kMaxSpares / 2) moveReturned(*spares);
    }
    batch.clear();
    // Only sleepers need a signal: a handle that is busy takes the new work when it comes
    // back for more.
    for (size_t i = 0; i < wake; ++i) _cond.notify_one();
}

void RequestQueue::push(RecvContext&& one) {
    bool wake;
    {
        std::lock_guard lock(_mutex);
        append(std::move(one));
        _size.fetch_add(1, std::memory_order_relaxed);
        wake = _sleepers > 0;
    }
    if (wake) _cond.notify_one();
}

void RequestQueue::moveReturned(std::vector<std::vector<char>>& spares) {
    while (!_returned.empty() && spares.size() < kMaxSpares) {
        spares.push_back(std::move(_returned.back()));
        _returned.pop_back();
    }
    _anyReturned.store(!_returned.empty(), std::memory_order_relaxed);
}

bool RequestQueue::takeReturned(std::vector<std::vector<char>>& spares) {
    // No lock when nothing was given back (a producer whose packets are too large to keep
    // asks at every packet).
    if (!_anyReturned.load(std::memory_order_relaxed)) return false;
    std::lock_guard lock(_mutex);
    if (_returned.empty()) return false;
    moveReturned(spares);
    return true;
}

bool RequestQueue::pop(std::vector<RecvContext>& out, std::vector<std::vector<char>>& done, bool wait) {
    std::unique_lock lock(_mutex);
    for (std::vector<char>& buf : done) {
        if (_returned.size() >= kMaxSpares) break;
        _returned.push_back(std::move(buf));
    }
    if (!done.empty()) _anyReturned.store(!_returned.empty(), std::memory_order_relaxed);
    done.clear();
    while (_count == 0) {
        if (!wait || _terminate) return false;
        ++_sleepers;
        _cond.wait(lock);
        --_sleepers;
    }
    // A fair share, so that the other handles find work too.
    size_t take = std::min(_count, std::max<size_t>(1, (_count + _consumers - 1) / _consumers));
    for (size_t i = 0; i < take; ++i) {
        out.push_back(std::move(_ring[_head]));
        _head = (_head + 1) & (_ring.size() - 1);
    }
    _count -= take;
    return true;
}

void RequestQueue::recycle(std::vector<char>&& buf, std::vector<std::vector<char>>& spares) {
    if (buf.capacity() == 0 || buf.capacity() > kMaxSpareCapacity || spares.size() >= kMaxSpares) return;
    buf.clear();
    spares.push_back(std::move(buf));
}

void RequestQueue::terminate() {
    {
        std::lock_guard lock(_mutex);
        _terminate = true;
    }
    _cond.notify_all();
}

bool RequestQueue::isTerminate() const {
    std::lock_guard lock(_mutex);
    return _terminate;
}

void RequestQueue::clear() {
    std::lock_guard lock(_mutex);
    for (size_t i = 0; i < _count; ++i) _ring[(_head + i) & (_ring.size() - 1)] = RecvContext();
    _head = 0;
    _count = 0;
    _size.store(0, std::memory_order_relaxed);
    _returned.clear();
    _anyReturned.store(false, std::memory_order_relaxed);
}

}  // namespace tars
