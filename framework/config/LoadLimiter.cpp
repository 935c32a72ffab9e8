#include "LoadLimiter.h"

#include <algorithm>

namespace tars {

LoadLimiter::LoadLimiter(int maxLoads, int64_t windowMs)
    : _maxLoads(std::max(maxLoads, 1)), _windowMs(std::max<int64_t>(windowMs, 1)) {}

bool LoadLimiter::allow(const Key& key, int64_t nowMs) {
    std::lock_guard lock(_mutex);
    if (nowMs - _lastSweepMs >= _windowMs) {
        std::erase_if(_windows, [&](const auto& entry) { return nowMs - entry.second.startMs >= _windowMs; });
        _lastSweepMs = nowMs;
    }
    Window& window = _windows[key];
    if (window.loads == 0 || nowMs - window.startMs >= _windowMs) {
        window.startMs = nowMs;
        window.loads = 1;
        return true;
    }
    if (window.loads >= _maxLoads) return false;
    ++window.loads;
    return true;
}

size_t LoadLimiter::trackedKeys() const {
    std::lock_guard lock(_mutex);
    return _windows.size();
}

}  // namespace tars
