// TC_Inbox<Header, Item>: the inbox of one consumer thread (an event loop): any number of
// producer threads post to it, the consumer takes everything posted so far in one batch.
//
// What is posted: records (a Header, trivially copyable, and bytes) and items (Item, any
// movable type, for the rare things that are not bytes). A record's bytes are copied into
// one byte arena behind its header, so that posting allocates nothing once the arena has
// grown; large bytes can be moved in instead (post(header, std::string&&)), and the record
// then refers to them. The consumer swaps the arena and the vectors with spares of its own
// under the lock and reads them without it; recycle() clears them and keeps their capacity,
// so the steady state allocates nothing (an arena grown past maxKeptBytes by one burst is
// freed instead of kept).
// Wake-up: the wake callback runs when a post makes the inbox non-empty (empty meaning:
// nothing posted since the consumer's last take()), on the posting thread, outside the
// lock. A burst of posts costs one wake-up.
//
// Shutdown: close() (consumer): from then on every post fails (returns false, nothing is
// kept, the wake does not run); close() returns what was still in the inbox, for the
// consumer to dispose of.
// Ownership: the inbox owns what was posted until the consumer takes it; a Batch is the
// consumer's until its recycle(). Moved bytes are the consumer's to move out.
// Threads: post() from any thread; take(), recycle() and close() on the consumer thread;
// empty() and isClosed() from any thread. The wake callback must not post to this inbox.
// Errors: post() may throw std::bad_alloc, and std::length_error for copied bytes of 4 GiB
// or more (the post is then not kept; a wake owed is still owed); nothing else throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace tars {

template <typename Header, typename Item>
class TC_Inbox {
    static_assert(std::is_trivially_copyable_v<Header>, "TC_Inbox: the Header is copied as bytes");

public:
    static constexpr size_t kDefaultMaxKeptBytes = 4 * 1024 * 1024;

    // What the consumer took: records in post order, then items in post order (the two
    // kinds are not ordered among each other).
    class Batch {
    public:
        // f(const Header&, std::string_view bytes, std::string* moved) for each record:
        // copied bytes come as bytes (moved == nullptr), moved ones as moved (bytes empty).
        template <typename F>
        void forEachRecord(F&& f) {
            const char* p = _arena.data();
            const char* end = p + _arena.size();
            while (p < end) {
                Record record;
                std::memcpy(&record, p, sizeof(record));
                p += sizeof(record);
                if (record.moved) {
                    f(record.header, std::string_view(), &_moved[record.length]);
                } else {
                    f(record.header, std::string_view(p, record.length), static_cast<std::string*>(nullptr));
                    p += record.length;
                }
            }
        }
        std::vector<Item>& items() { return _items; }
        bool empty() const { return _arena.empty() && _items.empty(); }

    private:
        friend class TC_Inbox;
        std::string _arena;
        std::vector<std::string> _moved;
        std::vector<Item> _items;
    };

    explicit TC_Inbox(std::function<void()> wake, size_t maxKeptBytes = kDefaultMaxKeptBytes)
        : _wake(std::move(wake)), _maxKeptBytes(maxKeptBytes) {}
    TC_Inbox(const TC_Inbox&) = delete;
    TC_Inbox& operator=(const TC_Inbox&) = delete;

    // ---- any thread; false once closed
    // Copies bytes into the arena.
    bool post(const Header& header, std::string_view bytes) {
        if (bytes.size() > UINT32_MAX) throw std::length_error("TC_Inbox: a record of 4 GiB or more");
        return enqueue([&] { append(header, bytes.size(), false, bytes); });
    }
    // Moves bytes in (no copy: for large ones).
    bool post(const Header& header, std::string&& bytes) {
        return enqueue([&] {
            _posted._moved.push_back(std::move(bytes));
            try {
                append(header, _posted._moved.size() - 1, true, {});
            } catch (...) {
                bytes = std::move(_posted._moved.back());
                _posted._moved.pop_back();
                throw;
            }
        });
    }
    bool post(Item&& item) {
        return enqueue([&] { _posted._items.push_back(std::move(item)); });
    }

    bool empty() const {
        std::lock_guard lock(_mutex);
        return _posted.empty();
    }
    bool isClosed() const {
        std::lock_guard lock(_mutex);
        return _closed;
    }

    // ---- consumer thread
    // Everything posted since the last take(); valid until recycle() (which take() does
    // first if the consumer did not, e.g. after an exception).
    Batch& take() {
        recycle();
        std::lock_guard lock(_mutex);
        swapInto(_taken);
        _wakeOwed = false;
        return _taken;
    }
    // Clears the batch taken (destroying its items and moved bytes), keeping the capacity.
    void recycle() {
        if (_taken._arena.capacity() > _maxKeptBytes) {
            std::string().swap(_taken._arena);
        } else {
            _taken._arena.clear();
        }
        _taken._moved.clear();
        _taken._items.clear();
    }
    // No post succeeds from now on; returns what was left in the inbox (recycle() after).
    Batch& close() {
        recycle();
        std::lock_guard lock(_mutex);
        _closed = true;
        swapInto(_taken);
        return _taken;
    }

private:
    struct Record {
        Header header;
        uint32_t length;  // bytes following the record, or the index in _moved
        uint32_t moved;
    };

    template <typename Add>
    bool enqueue(Add&& add) {
        bool wake;
        {
            std::lock_guard lock(_mutex);
            if (_closed) return false;
            add();
            wake = !_wakeOwed;
            _wakeOwed = true;
        }
        if (wake) _wake();
        return true;
    }

    // With the lock held.
    void append(const Header& header, size_t length, bool moved, std::string_view bytes) {
        Record record{header, static_cast<uint32_t>(length), moved ? 1u : 0u};
        const size_t before = _posted._arena.size();
        try {
            _posted._arena.append(reinterpret_cast<const char*>(&record), sizeof(record));
            _posted._arena.append(bytes);
        } catch (...) {
            _posted._arena.resize(before);
            throw;
        }
    }

    void swapInto(Batch& batch) {
        batch._arena.swap(_posted._arena);
        batch._moved.swap(_posted._moved);
        batch._items.swap(_posted._items);
    }

    const std::function<void()> _wake;
    const size_t _maxKeptBytes;
    mutable std::mutex _mutex;
    Batch _posted;  // under _mutex
    bool _wakeOwed = false;
    bool _closed = false;
    Batch _taken;  // consumer only
};

}  // namespace tars
