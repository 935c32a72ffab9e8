#include "WebSessions.h"

#include <algorithm>

#include "PasswordHash.h"

namespace tars::web {

SessionTable::SessionTable(int64_t idleMs, int64_t lifetimeMs, size_t maxSessions)
    : _idleMs(idleMs), _lifetimeMs(lifetimeMs), _maxSessions(std::max<size_t>(1, maxSessions)) {}

bool SessionTable::expired(const Session& s, int64_t nowMs) const {
    return nowMs - s.lastUsedMs >= _idleMs || nowMs - s.createdMs >= _lifetimeMs;
}

Session SessionTable::create(const std::string& user, int64_t nowMs) {
    Session s{randomToken(), randomToken(), user, nowMs, nowMs};
    std::lock_guard<std::mutex> lock(_mutex);
    for (auto it = _sessions.begin(); it != _sessions.end();) {
        it = expired(it->second, nowMs) ? _sessions.erase(it) : std::next(it);
    }
    while (_sessions.size() >= _maxSessions) {  // the least recently used goes
        auto oldest = std::min_element(_sessions.begin(), _sessions.end(), [](const auto& a, const auto& b) {
            return a.second.lastUsedMs < b.second.lastUsedMs;
        });
        _sessions.erase(oldest);
    }
    _sessions[s.token] = s;
    return s;
}

std::optional<Session> SessionTable::find(const std::string& token, int64_t nowMs) {
    if (token.empty()) return std::nullopt;
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _sessions.find(token);
    if (it == _sessions.end()) return std::nullopt;
    if (expired(it->second, nowMs)) {
        _sessions.erase(it);
        return std::nullopt;
    }
    it->second.lastUsedMs = nowMs;
    return it->second;
}

void SessionTable::remove(const std::string& token) {
    std::lock_guard<std::mutex> lock(_mutex);
    _sessions.erase(token);
}

size_t SessionTable::size() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _sessions.size();
}

int64_t LoginThrottle::waitOf(const std::string& key, int64_t nowMs) {
    auto it = _failures.find(key);
    if (it == _failures.end() || it->second.count < kFreeFailures) return 0;
    const int shift = std::min(it->second.count - kFreeFailures, 6);
    const int64_t delay = std::min<int64_t>(int64_t{1000} << shift, kMaxDelayMs);
    return std::max<int64_t>(0, it->second.lastMs + delay - nowMs);
}

void LoginThrottle::prune(int64_t nowMs) {
    for (auto it = _failures.begin(); it != _failures.end();) {
        it = nowMs - it->second.lastMs >= kForgetMs ? _failures.erase(it) : std::next(it);
    }
}

int64_t LoginThrottle::waitMs(const std::string& address, const std::string& user, int64_t nowMs) {
    std::lock_guard<std::mutex> lock(_mutex);
    return std::max(waitOf("address " + address, nowMs), waitOf("user " + user, nowMs));
}

void LoginThrottle::failed(const std::string& address, const std::string& user, int64_t nowMs) {
    std::lock_guard<std::mutex> lock(_mutex);
    if (_failures.size() > 100000) prune(nowMs);
    for (const auto& key : {"address " + address, "user " + user}) {
        auto& f = _failures[key];
        ++f.count;
        f.lastMs = nowMs;
    }
}

void LoginThrottle::succeeded(const std::string& address, const std::string& user) {
    std::lock_guard<std::mutex> lock(_mutex);
    _failures.erase("address " + address);
    _failures.erase("user " + user);
}

}  // namespace tars::web
