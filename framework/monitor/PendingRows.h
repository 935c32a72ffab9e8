// PendingRows<Row>: the finished intervals of an aggregating service (tarsstat,
// tarsproperty) that are not in the store yet, oldest first, bounded in rows.
//
// add() keeps a batch while the total stays within maxRows; rows past the bound are
// dropped and counted (the newest go: what is already waiting keeps its order). write()
// hands the batches to the writer oldest first and stops at the first one that throws;
// that batch stays first in line for the next write(), so a store that comes back gets
// everything that was kept, in order.
//
// Threads: every member is thread-safe (one mutex); write() runs the writer without the
// lock held and must not be called from two threads at once (the service's flush thread
// is its only caller).
#pragma once

#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace tars {

struct PendingRowsStatus {
    uint64_t pendingRows = 0;  // kept, not written yet
    uint64_t droppedRows = 0;  // refused because the buffer was full
    uint64_t writtenRows = 0;
    uint64_t failedWrites = 0;  // writer calls that threw
    std::string lastError;      // of the last failed write ("" once a write succeeds)
};

template <typename Row>
class PendingRows {
public:
    using Writer = std::function<void(const std::vector<Row>&)>;

    explicit PendingRows(size_t maxRows) : _maxRows(maxRows) {}

    void add(std::vector<Row> rows) {
        std::lock_guard<std::mutex> lock(_mutex);
        size_t room = _maxRows > _status.pendingRows ? _maxRows - _status.pendingRows : 0;
        if (rows.size() > room) {
            _status.droppedRows += rows.size() - room;
            rows.resize(room);
        }
        if (rows.empty()) return;
        _status.pendingRows += rows.size();
        _batches.push_back(std::move(rows));
    }

    // true when nothing is left to write.
    bool write(const Writer& writer) {
        for (;;) {
            std::vector<Row> batch;
            {
                std::lock_guard<std::mutex> lock(_mutex);
                if (_batches.empty()) return true;
                batch = std::move(_batches.front());
                _batches.pop_front();
            }
            try {
                writer(batch);
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> lock(_mutex);
                _batches.push_front(std::move(batch));
                ++_status.failedWrites;
                _status.lastError = e.what();
                return false;
            }
            std::lock_guard<std::mutex> lock(_mutex);
            _status.pendingRows -= batch.size();
            _status.writtenRows += batch.size();
            _status.lastError.clear();
        }
    }

    PendingRowsStatus status() const {
        std::lock_guard<std::mutex> lock(_mutex);
        return _status;
    }

private:
    const size_t _maxRows;
    mutable std::mutex _mutex;
    std::deque<std::vector<Row>> _batches;
    PendingRowsStatus _status;
};

}  // namespace tars
