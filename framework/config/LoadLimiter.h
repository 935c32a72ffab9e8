// LoadLimiter: the config service's rate limit. Each key (app, server, host, file) may be
// loaded maxLoads times within a window of windowMs that opens at its first load; the
// next load in the same window is refused (the service answers 429). Once the window has
// passed, the next load opens a new one.
//
// Memory stays bounded by the keys seen within one window: expired keys are swept at
// most once per window. Threads: every method is thread-safe. Time is passed in (steady
// milliseconds), so the rules are testable without waiting.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace tars {

class LoadLimiter {
public:
    struct Key {
        std::string app;
        std::string server;
        std::string host;
        std::string file;
        auto operator<=>(const Key&) const = default;
    };

    LoadLimiter(int maxLoads, int64_t windowMs);

    // True when this load is allowed (and counts it).
    bool allow(const Key& key, int64_t nowMs);
    size_t trackedKeys() const;

private:
    struct Window {
        int64_t startMs = 0;
        int loads = 0;
    };

    const int _maxLoads;
    const int64_t _windowMs;
    mutable std::mutex _mutex;
    std::map<Key, Window> _windows;
    int64_t _lastSweepMs = 0;
};

}  // namespace tars
