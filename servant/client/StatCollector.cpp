#include "internal/StatCollector.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

namespace tars {

namespace {

struct RowView {
    std::string_view peer;
    std::string_view interface;
    std::string_view ip;
    int port;
    int ret;
};

// Loads of a short string's bytes without a call to memcpy/memcmp for a runtime length: the
// row's strings are short ("127.0.0.1", "testHello") and this is the call path.
inline uint64_t load8(const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}

inline uint32_t load4(const char* p) {
    uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
}

// The last n (< 8) bytes before `end`, as one word; the same bytes give the same word.
inline uint64_t loadTail(const char* end, size_t n) {
    if (n >= 4) return static_cast<uint64_t>(load4(end - n)) << 32 | load4(end - 4);
    const char* p = end - n;
    uint64_t w = 0;
    for (size_t i = 0; i < n; ++i) w = w << 8 | static_cast<unsigned char>(p[i]);
    return w;
}

inline bool sameBytes(std::string_view a, std::string_view b) {
    size_t n = a.size();
    if (n != b.size()) return false;
    const char* x = a.data();
    const char* y = b.data();
    if (n > 16) return std::memcmp(x, y, n) == 0;
    if (n >= 8) return ((load8(x) ^ load8(y)) | (load8(x + n - 8) ^ load8(y + n - 8))) == 0;
    return loadTail(x + n, n) == loadTail(y + n, n);
}

// A fast multiplicative hash, 8 bytes at a time (std::hash<string_view> costs several
// instructions per byte).
inline uint64_t mix(uint64_t h, uint64_t w) {
    h ^= w;
    h *= 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

inline uint64_t hashBytes(uint64_t h, std::string_view s) {
    const char* p = s.data();
    size_t n = s.size();
    while (n >= 8) {
        h = mix(h, load8(p));
        p += 8;
        n -= 8;
    }
    return mix(h, loadTail(p + n, n) ^ (static_cast<uint64_t>(s.size()) << 56));
}

struct RowHash {
    using is_transparent = void;
    size_t operator()(const RowView& v) const {
        uint64_t h = hashBytes(0x243f6a8885a308d3ULL, v.peer);
        h = hashBytes(h, v.interface);
        h = hashBytes(h, v.ip);
        return static_cast<size_t>(
            mix(h, static_cast<uint64_t>(static_cast<uint32_t>(v.port)) << 32 | static_cast<uint32_t>(v.ret)));
    }
    size_t operator()(const StatRowKey& k) const { return (*this)(RowView{k.peer, k.interface, k.ip, k.port, k.ret}); }
};

struct RowEqual {
    using is_transparent = void;
    static RowView view(const StatRowKey& k) { return {k.peer, k.interface, k.ip, k.port, k.ret}; }
    static const RowView& view(const RowView& v) { return v; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
        const RowView& x = view(a);
        const RowView& y = view(b);
        return x.port == y.port && x.ret == y.ret && sameBytes(x.interface, y.interface) && sameBytes(x.peer, y.peer) &&
               sameBytes(x.ip, y.ip);
    }
};

std::atomic<uint64_t> g_nextCollectorId{1};

}  // namespace

using RowMap = std::unordered_map<StatRowKey, StatRowBody, RowHash, RowEqual>;

struct StatCollector::Shard {
    // Taken by the owning thread at each record and by the reporter at each take, so it
    // is never contended but once per interval: a flag (one exchange and one store), not
    // a mutex (a call into pthread each way).
    std::atomic<bool> busy{false};
    RowMap rows;
    // The row of the previous record (nodes of an unordered_map never move); a thread
    // that makes the same kind of call again skips the hash and the lookup.
    RowMap::value_type* last = nullptr;

    void lock() {
        for (int spins = 0; busy.exchange(true, std::memory_order_acquire); ++spins) {
            if (spins >= 64) std::this_thread::yield();  // the reporter is taking this shard
        }
    }
    void unlock() { busy.store(false, std::memory_order_release); }
};

namespace {

// This thread's shard of each collector it recorded into, by collector id (ids are never
// reused, so an entry of a destroyed collector is never mistaken for a new one's).
struct ThreadShards {
    std::vector<std::pair<uint64_t, std::shared_ptr<StatCollector::Shard>>> entries;
};
thread_local ThreadShards t_shards;

}  // namespace

void StatRowBody::addTime(int ms) {
    if (ms < 0) ms = 0;
    if (timed == 0 || ms < minMs) minMs = ms;
    if (timed == 0 || ms > maxMs) maxMs = ms;
    ++timed;
    totalMs += ms;
    if (ms > kBucketsMs.back()) ++slow;
    size_t i = 0;
    while (i + 1 < kBucketsMs.size() && ms > kBucketsMs[i]) ++i;
    ++buckets[i];
}

void StatRowBody::merge(const StatRowBody& o) {
    count += o.count;
    timeouts += o.timeouts;
    exceptions += o.exceptions;
    if (o.timed > 0) {
        minMs = timed == 0 ? o.minMs : std::min(minMs, o.minMs);
        maxMs = timed == 0 ? o.maxMs : std::max(maxMs, o.maxMs);
    }
    timed += o.timed;
    totalMs += o.totalMs;
    slow += o.slow;
    for (size_t i = 0; i < buckets.size(); ++i) buckets[i] += o.buckets[i];
}

StatCollector::StatCollector() : _id(g_nextCollectorId.fetch_add(1, std::memory_order_relaxed)) {}

StatCollector::~StatCollector() = default;

StatCollector::Shard& StatCollector::shard() {
    auto& entries = t_shards.entries;
    for (auto& [id, shard] : entries) {
        if (id == _id) return *shard;
    }
    // First record of this thread here: drop the entries of collectors that are gone.
    std::erase_if(entries, [](const auto& e) { return e.second.use_count() == 1; });
    auto shard = std::make_shared<Shard>();
    {
        std::lock_guard lock(_mutex);
        _shards.push_back(shard);
    }
    entries.emplace_back(_id, shard);
    return *entries.back().second;
}

void StatCollector::record(std::string_view peer, std::string_view interface, std::string_view ip, int port, int ret,
                           Outcome outcome, int64_t elapsedMs) {
    Shard& s = shard();
    std::lock_guard lock(s);
    RowMap::value_type* row = s.last;
    if (row == nullptr || !RowEqual{}(row->first, RowView{peer, interface, ip, port, ret})) {
        auto it = s.rows.find(RowView{peer, interface, ip, port, ret});
        if (it == s.rows.end()) {
            it = s.rows
                     .emplace(StatRowKey{std::string(peer), std::string(interface), std::string(ip), port, ret},
                              StatRowBody{})
                     .first;
        }
        row = &*it;
        s.last = row;
    }
    StatRowBody& body = row->second;
    switch (outcome) {
        case Outcome::Success:
            ++body.count;
            body.addTime(static_cast<int>(std::clamp<int64_t>(elapsedMs, 0, INT32_MAX)));
            break;
        case Outcome::OneWay: ++body.count; break;
        case Outcome::Timeout: ++body.timeouts; break;
        case Outcome::Exception: ++body.exceptions; break;
    }
}

std::map<StatRowKey, StatRowBody> StatCollector::take() {
    std::lock_guard totalsLock(_totalsMutex);
    std::vector<std::shared_ptr<Shard>> shards;
    {
        std::lock_guard lock(_mutex);
        shards = _shards;
    }
    std::map<StatRowKey, StatRowBody> out;
    for (const auto& shard : shards) {
        std::lock_guard lock(*shard);
        shard->last = nullptr;  // its row may be erased below
        for (auto it = shard->rows.begin(); it != shard->rows.end();) {
            if (it->second.empty()) {
                it = shard->rows.erase(it);  // unused for a whole interval
                continue;
            }
            out[it->first].merge(it->second);
            if (keepsTotals()) addTotal(_totals, it->first, it->second);
            it->second = StatRowBody{};
            ++it;
        }
    }
    shards.clear();
    {
        // A shard only the collector holds (its thread ended) and that holds nothing more. A
        // shard being created is held by its thread too, so it is never dropped here.
        std::lock_guard lock(_mutex);
        std::erase_if(_shards, [](const std::shared_ptr<Shard>& s) {
            if (s.use_count() > 1) return false;
            std::lock_guard lock(*s);
            return std::all_of(s->rows.begin(), s->rows.end(), [](const auto& r) { return r.second.empty(); });
        });
    }
    return out;
}

void StatCollector::keepTotals(bool withPeer) {
    std::lock_guard lock(_totalsMutex);
    _totalsWithPeer = withPeer;
    _keepTotals.store(true, std::memory_order_release);
}

void StatCollector::addTotal(std::map<StatRowKey, StatRowBody>& into, const StatRowKey& key,
                             const StatRowBody& body) const {
    if (_totalsWithPeer) {
        into[key].merge(body);
    } else {
        StatRowKey merged = key;
        merged.peer.clear();
        into[merged].merge(body);
    }
}

std::map<StatRowKey, StatRowBody> StatCollector::totals() {
    std::lock_guard totalsLock(_totalsMutex);  // a take() moves rows from the shards to _totals
    if (!keepsTotals()) return {};
    std::map<StatRowKey, StatRowBody> out = _totals;
    std::vector<std::shared_ptr<Shard>> shards;
    {
        std::lock_guard lock(_mutex);
        shards = _shards;
    }
    for (const auto& shard : shards) {
        std::lock_guard lock(*shard);
        for (const auto& [key, body] : shard->rows) {
            if (!body.empty()) addTotal(out, key, body);
        }
    }
    shards.clear();
    {
        // Without a reporter nobody takes: the shards of threads that ended move into _totals
        // here, so thread churn does not pile up shards.
        std::lock_guard lock(_mutex);
        std::erase_if(_shards, [this](const std::shared_ptr<Shard>& s) {
            if (s.use_count() > 1) return false;
            std::lock_guard lock(*s);
            for (const auto& [key, body] : s->rows) {
                if (!body.empty()) addTotal(_totals, key, body);
            }
            return true;
        });
    }
    return out;
}

}  // namespace tars
