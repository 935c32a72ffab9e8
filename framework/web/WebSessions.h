// The console's login state: SessionTable (who is logged in, each session with its CSRF
// token) and LoginThrottle (how long a client address or a user name must wait after
// failed logins). Both are owned by the WebConsole and shared by its handle threads: every
// method is thread-safe (one mutex each). Times are steady-clock milliseconds passed in,
// so the tests choose them.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace tars::web {

struct Session {
    std::string token;  // the cookie's value (32 random bytes, hex)
    std::string csrf;   // what X-CSRF-Token must carry on a state-changing request
    std::string user;
    int64_t createdMs = 0;
    int64_t lastUsedMs = 0;
};

class SessionTable {
public:
    // idleMs: a session unused this long ends; lifetimeMs: no session lives longer.
    SessionTable(int64_t idleMs, int64_t lifetimeMs, size_t maxSessions = 10000);

    Session create(const std::string& user, int64_t nowMs);
    // The live session of token (its last use set to now); nullopt when unknown or expired.
    std::optional<Session> find(const std::string& token, int64_t nowMs);
    void remove(const std::string& token);
    size_t size() const;

private:
    bool expired(const Session& s, int64_t nowMs) const;

    const int64_t _idleMs;
    const int64_t _lifetimeMs;
    const size_t _maxSessions;
    mutable std::mutex _mutex;
    std::map<std::string, Session> _sessions;
};

// After kFreeFailures failed logins of one address (or one user name), each further try
// must wait 2^(n - kFreeFailures) seconds after the last failure (at most kMaxDelayMs);
// a try sooner is refused at once (the caller answers 429), so no thread ever sleeps.
// A success clears the address and the user; a key with no failure for kForgetMs is
// forgotten.
class LoginThrottle {
public:
    static constexpr int kFreeFailures = 3;
    static constexpr int64_t kMaxDelayMs = 60000;
    static constexpr int64_t kForgetMs = 15 * 60 * 1000;

    // Milliseconds the caller must still wait (0: it may try now).
    int64_t waitMs(const std::string& address, const std::string& user, int64_t nowMs);
    void failed(const std::string& address, const std::string& user, int64_t nowMs);
    void succeeded(const std::string& address, const std::string& user);

private:
    struct Failures {
        int count = 0;
        int64_t lastMs = 0;
    };
    int64_t waitOf(const std::string& key, int64_t nowMs);
    void prune(int64_t nowMs);

    std::mutex _mutex;
    std::map<std::string, Failures> _failures;
};

}  // namespace tars::web
