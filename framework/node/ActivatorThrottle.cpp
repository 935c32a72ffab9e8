#include "ActivatorThrottle.h"

#include <algorithm>

namespace tars {

ActivatorThrottle::ActivatorThrottle(int maxCount, int64_t windowMs, int64_t punishMs)
    : _maxCount(std::max(1, maxCount)),
      _windowMs(std::max<int64_t>(0, windowMs)),
      _punishMs(std::max<int64_t>(0, punishMs)) {}

bool ActivatorThrottle::allow(int64_t nowMs) {
    if (punished(nowMs)) return false;
    while (!_starts.empty() && _starts.front() <= nowMs - _windowMs) _starts.pop_front();
    if (static_cast<int>(_starts.size()) < _maxCount) return true;
    _punishedUntilMs = nowMs + _punishMs;
    _justPunished = true;
    _starts.clear();  // a new window begins when the punishment ends
    return _punishMs == 0;
}

void ActivatorThrottle::recordStart(int64_t nowMs) {
    _starts.push_back(nowMs);
    // Only the last maxCount starts can matter.
    while (static_cast<int>(_starts.size()) > _maxCount) _starts.pop_front();
}

void ActivatorThrottle::reset() {
    _starts.clear();
    _punishedUntilMs = 0;
    _justPunished = false;
}

bool ActivatorThrottle::justPunished() {
    bool was = _justPunished;
    _justPunished = false;
    return was;
}

}  // namespace tars
