// StatCollector: the call statistics of one side of a process (the calls its Communicator
// made, or the calls its server answered), one row per (peer, interface, ip, port,
// return code), until the reporter takes them.
//
// record() is on the call path. It touches only the calling thread's own shard: a hash
// map behind a flag that no other caller takes (only the reporter thread, once per
// interval), so callers never contend with each other. The row of the thread's previous
// call costs a compare of its fields; another row seen before one hash lookup through
// string views; then a few additions: no allocation. take() copies every
// non-empty row out and zeroes it in place (so the next interval allocates nothing for
// the same rows); a row that stayed empty for a whole interval is erased, which bounds
// memory by the rows in use.
//
// Buckets: TARS's latency points 5, 10, 50, 100, 200, 500, 1000, 2000, 3000 ms. A call of
// t ms counts in the first point p with t <= p; slower calls count in the 3000 bucket, so
// the buckets always add up to the calls that have a time (`slow` counts them apart too,
// for histograms that need a last finite bound).
//
// Totals (keepTotals(), for the ops endpoint's Prometheus counters): every row ever taken,
// kept in the collector, plus what the shards hold now; totals() never goes down between
// two reads, whatever take() does meanwhile.
// Thread-safety: record() and take() from any threads. Lifetime: shards are shared by the
// collector and the threads' caches; a thread that ends leaves its shard to the
// collector, which drops it once it is drained and empty.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace tars {

struct StatRowKey {
    std::string peer;       // client rows: the callee App.Server; served rows: the caller
    std::string interface;  // the function
    std::string ip;         // the callee's ip and port
    int port = 0;
    int ret = 0;  // the call's return code

    auto tie() const { return std::tie(peer, interface, ip, port, ret); }
    bool operator<(const StatRowKey& o) const { return tie() < o.tie(); }
    bool operator==(const StatRowKey& o) const { return tie() == o.tie(); }
};

struct StatRowBody {
    static constexpr std::array<int, 9> kBucketsMs = {5, 10, 50, 100, 200, 500, 1000, 2000, 3000};

    int64_t count = 0;       // calls answered with iRet 0, and one-way calls sent
    int64_t timeouts = 0;    // calls ended by their timeout (-7)
    int64_t exceptions = 0;  // every other failure
    int64_t totalMs = 0;     // over the calls with a time (successes)
    int64_t timed = 0;       // how many calls have a time
    int minMs = 0;
    int maxMs = 0;
    std::array<int64_t, 9> buckets{};
    int64_t slow = 0;  // of the timed calls, the ones over 3000 ms (also in the 3000 bucket)

    bool empty() const { return count == 0 && timeouts == 0 && exceptions == 0; }
    void merge(const StatRowBody& o);
    void addTime(int ms);
};

class StatCollector {
public:
    enum class Outcome { Success, Timeout, Exception, OneWay };

    StatCollector();
    ~StatCollector();
    StatCollector(const StatCollector&) = delete;
    StatCollector& operator=(const StatCollector&) = delete;

    // One call ended: Success with its time in ms; OneWay counts without a time.
    void record(std::string_view peer, std::string_view interface, std::string_view ip, int port, int ret,
                Outcome outcome, int64_t elapsedMs);

    // Every row recorded since the previous take(), merged over the threads.
    std::map<StatRowKey, StatRowBody> take();

    // From now on, totals() is available; withPeer false merges rows that differ only in
    // their peer (a server's callers: one series per caller would grow without bound).
    void keepTotals(bool withPeer);
    bool keepsTotals() const { return _keepTotals.load(std::memory_order_acquire); }
    // Every call recorded since keepTotals(), per row (empty if totals are not kept).
    std::map<StatRowKey, StatRowBody> totals();

    struct Shard;

private:
    Shard& shard();

    void addTotal(std::map<StatRowKey, StatRowBody>& into, const StatRowKey& key, const StatRowBody& body) const;

    const uint64_t _id;
    std::mutex _mutex;  // guards _shards (a thread's first record, and take())
    std::vector<std::shared_ptr<Shard>> _shards;
    std::atomic<bool> _keepTotals{false};
    bool _totalsWithPeer = true;
    std::mutex _totalsMutex;  // one take() or totals() at a time; guards _totals
    std::map<StatRowKey, StatRowBody> _totals;
};

}  // namespace tars
