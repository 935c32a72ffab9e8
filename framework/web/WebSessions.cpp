#include "WebSessions.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

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

namespace {

// Whom a failure counts against: an IPv4 address, or an IPv6 address's /64 (one host
// owns a whole /64 and could otherwise pick a fresh address per try). An IPv4 address
// mapped into IPv6 counts as itself.
std::string addressKey(const std::string& address) {
    in6_addr v6{};
    if (address.find(':') == std::string::npos || ::inet_pton(AF_INET6, address.c_str(), &v6) != 1) return address;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
        char v4[INET_ADDRSTRLEN] = {};
        if (::inet_ntop(AF_INET, &v6.s6_addr[12], v4, sizeof(v4)) != nullptr) return v4;
        return address;
    }
    std::memset(&v6.s6_addr[8], 0, 8);
    char text[INET6_ADDRSTRLEN] = {};
    if (::inet_ntop(AF_INET6, &v6, text, sizeof(text)) == nullptr) return address;
    return std::string(text) + "/64";
}

std::string pairKey(const std::string& address, const std::string& user) {
    // Login names never hold '\n' (the console refuses them before throttling).
    return user + "\n" + addressKey(address);
}

}  // namespace

int64_t LoginThrottle::Table::waitMs(const std::string& key, int freeFailures, int64_t nowMs) {
    auto it = _index.find(key);
    if (it == _index.end() || it->second->count < freeFailures) return 0;
    const Failures& f = *it->second;
    if (nowMs - f.lastMs >= kForgetMs) return 0;
    const int shift = std::min(f.count - freeFailures, 6);
    const int64_t delay = std::min<int64_t>(int64_t{1000} << shift, kMaxDelayMs);
    return std::max<int64_t>(0, f.lastMs + delay - nowMs);
}

void LoginThrottle::Table::forget(int64_t nowMs) {
    while (!_byRecency.empty() && (nowMs - _byRecency.back().lastMs >= kForgetMs || _byRecency.size() > _maxEntries)) {
        _index.erase(_byRecency.back().key);
        _byRecency.pop_back();
    }
}

void LoginThrottle::Table::failed(const std::string& key, int64_t nowMs) {
    auto it = _index.find(key);
    if (it == _index.end()) {
        _byRecency.push_front(Failures{key, 0, nowMs});
        it = _index.emplace(key, _byRecency.begin()).first;
    } else {
        _byRecency.splice(_byRecency.begin(), _byRecency, it->second);
    }
    Failures& f = *it->second;
    if (nowMs - f.lastMs >= kForgetMs) f.count = 0;
    ++f.count;
    f.lastMs = std::max(f.lastMs, nowMs);
    forget(nowMs);
}

void LoginThrottle::Table::erase(const std::string& key) {
    auto it = _index.find(key);
    if (it == _index.end()) return;
    _byRecency.erase(it->second);
    _index.erase(it);
}

LoginThrottle::LoginThrottle(size_t maxEntries)
    : _pairs(std::max<size_t>(1, maxEntries)), _addresses(std::max<size_t>(1, maxEntries)) {}

int64_t LoginThrottle::waitMs(const std::string& address, const std::string& user, int64_t nowMs) {
    std::lock_guard<std::mutex> lock(_mutex);
    return std::max(_pairs.waitMs(pairKey(address, user), kFreeFailures, nowMs),
                    _addresses.waitMs(addressKey(address), kAddressFreeFailures, nowMs));
}

void LoginThrottle::failed(const std::string& address, const std::string& user, int64_t nowMs) {
    std::lock_guard<std::mutex> lock(_mutex);
    _pairs.failed(pairKey(address, user), nowMs);
    _addresses.failed(addressKey(address), nowMs);
}

void LoginThrottle::succeeded(const std::string& address, const std::string& user) {
    std::lock_guard<std::mutex> lock(_mutex);
    _pairs.erase(pairKey(address, user));
}

size_t LoginThrottle::size() const {
    std::lock_guard<std::mutex> lock(_mutex);
    return _pairs.size() + _addresses.size();
}

}  // namespace tars::web
