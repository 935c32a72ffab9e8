// The console's login state: SessionTable (who is logged in, each session with its CSRF
// token) and LoginThrottle (how long a client must wait after failed logins). Both are owned by the WebConsole and
// shared by its handle threads: every method is thread-safe (one mutex each). Times are steady-clock milliseconds
// passed in, so the tests choose them.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

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

// Failed logins are counted per (user, client address) pair and per client address. After
// kFreeFailures failures of one pair, or kAddressFreeFailures of one address (whatever the
// user names), each further try must wait 2^(n - free) seconds after the last failure (at
// most kMaxDelayMs); a try sooner is refused at once (the caller answers 429), so no
// thread ever sleeps. A user name alone is never locked: failures from one address do not
// keep the user out from another. The address cap is higher than the pair's, since a TLS
// proxy in front (plainhttp = 1) makes every user share the proxy's address.
//
// A success clears its pair, not the address's count (a valid account must not reset an
// address guessing other users' passwords). An entry with no failure for kForgetMs is
// forgotten, and each table keeps at most maxEntries (the entry failing longest ago goes
// first), so many addresses cost bounded memory.
class LoginThrottle {
public:
    static constexpr int kFreeFailures = 3;
    static constexpr int kAddressFreeFailures = 20;
    static constexpr int64_t kMaxDelayMs = 60000;
    static constexpr int64_t kForgetMs = 15 * 60 * 1000;
    static constexpr size_t kDefaultMaxEntries = 10000;

    explicit LoginThrottle(size_t maxEntries = kDefaultMaxEntries);

    // Milliseconds the caller must still wait (0: it may try now).
    int64_t waitMs(const std::string& address, const std::string& user, int64_t nowMs);
    void failed(const std::string& address, const std::string& user, int64_t nowMs);
    void succeeded(const std::string& address, const std::string& user);
    // Entries held (pairs plus addresses): at most twice maxEntries.
    size_t size() const;

private:
    // Failure counts by key, most recent failure first: forgetting and evicting take
    // from the back.
    class Table {
    public:
        explicit Table(size_t maxEntries) : _maxEntries(maxEntries) {}
        int64_t waitMs(const std::string& key, int freeFailures, int64_t nowMs);
        void failed(const std::string& key, int64_t nowMs);
        void erase(const std::string& key);
        size_t size() const { return _index.size(); }

    private:
        struct Failures {
            std::string key;
            int count = 0;
            int64_t lastMs = 0;
        };
        void forget(int64_t nowMs);

        const size_t _maxEntries;
        std::list<Failures> _byRecency;
        std::unordered_map<std::string, std::list<Failures>::iterator> _index;
    };

    mutable std::mutex _mutex;
    Table _pairs;
    Table _addresses;
};

}  // namespace tars::web
