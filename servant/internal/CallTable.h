// CallTable: the calls a client network thread waits on, by request id. An open-addressing
// table (linear probing, deletion by backward shift, so no tombstones) of (id, pointer)
// slots: adding and ending a call allocate nothing once the table has grown to the number
// of calls in flight, unlike a node-based map that allocates and frees a node per call.
//
// Ids come from one counter per Communicator and are spread over its network threads, so
// a thread's ids are roughly sequential with a stride; a multiplicative hash spreads them.
// The table keeps at most half of its slots used and grows by doubling. It shrinks only
// when its owner asks (shrinkIfSparse, about once a second), so calls in flight that swing
// between few and many each turn do not make it rehash back and forth, and a burst does
// not pin memory for long. Not thread-safe: one network thread owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

namespace tars {

template <typename T>
class CallTable {
public:
    static constexpr size_t kMinSlots = 64;

    // Adds id -> value. False when id is already there or value is null (nothing changes).
    // Throws std::bad_alloc when the table cannot grow (and is left as it was).
    bool insert(int32_t id, T* value) {
        if (value == nullptr || find(id) != nullptr) return false;
        if ((_size + 1) * 2 > _slots.size()) resize(_slots.empty() ? kMinSlots : _slots.size() * 2);
        size_t i = home(id);
        while (_slots[i].value != nullptr) i = (i + 1) & _mask;
        _slots[i] = Slot{id, value};
        ++_size;
        return true;
    }

    T* find(int32_t id) const {
        if (_size == 0) return nullptr;
        for (size_t i = home(id);; i = (i + 1) & _mask) {
            const Slot& s = _slots[i];
            if (s.value == nullptr) return nullptr;
            if (s.id == id) return s.value;
        }
    }

    // Removes id when it maps to expected; false otherwise (nothing changes).
    bool erase(int32_t id, const T* expected) {
        if (_size == 0) return false;
        size_t i = home(id);
        while (_slots[i].value != nullptr && _slots[i].id != id) i = (i + 1) & _mask;
        if (_slots[i].value == nullptr || _slots[i].value != expected) return false;
        removeAt(i);
        --_size;
        return true;
    }

    // When at most an eighth of the slots are used: down to a quarter used (not below
    // kMinSlots). True when it shrank; false also when memory for the smaller table ran out.
    bool shrinkIfSparse() {
        if (_slots.size() <= kMinSlots || _size * 8 > _slots.size()) return false;
        size_t count = kMinSlots;
        while (count < _size * 4) count *= 2;
        if (count >= _slots.size()) return false;
        try {
            resize(count);
        } catch (const std::bad_alloc&) {
            return false;
        }
        return true;
    }

    // Every id, in no particular order: a copy, so the caller may change the table while it
    // walks the ids (and looks each one up again, as an earlier step may have ended it).
    std::vector<int32_t> ids() const {
        std::vector<int32_t> out;
        out.reserve(_size);
        for (const Slot& s : _slots) {
            if (s.value != nullptr) out.push_back(s.id);
        }
        return out;
    }

    size_t size() const { return _size; }
    bool empty() const { return _size == 0; }
    size_t slotCount() const { return _slots.size(); }

private:
    struct Slot {
        int32_t id = 0;
        T* value = nullptr;
    };

    size_t home(int32_t id) const {
        // Fibonacci hashing: the top bits of id times 2^32 / phi.
        uint32_t h = static_cast<uint32_t>(id) * 2654435769u;
        return static_cast<size_t>(uint64_t{h} >> _shift);
    }

    // Empties slot i and moves later slots of its run back, so every slot stays reachable
    // from its home without tombstones.
    void removeAt(size_t i) {
        size_t j = i;
        for (;;) {
            j = (j + 1) & _mask;
            if (_slots[j].value == nullptr) break;
            size_t k = home(_slots[j].id);
            // Slot j may move to i only if its home is not in the cyclic range (i, j].
            bool homeBetween = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (homeBetween) continue;
            _slots[i] = _slots[j];
            i = j;
        }
        _slots[i] = Slot{};
    }

    // count: a power of two >= kMinSlots. The new slots are allocated first, so a
    // bad_alloc leaves the table as it was.
    void resize(size_t count) {
        std::vector<Slot> fresh(count);
        std::swap(fresh, _slots);  // fresh now holds the old slots
        _mask = count - 1;
        int bits = 0;
        while ((size_t{1} << bits) < count) ++bits;
        _shift = 32 - bits;
        for (const Slot& s : fresh) {
            if (s.value == nullptr) continue;
            size_t i = home(s.id);
            while (_slots[i].value != nullptr) i = (i + 1) & _mask;
            _slots[i] = s;
        }
    }

    std::vector<Slot> _slots;
    size_t _mask = 0;
    int _shift = 32;
    size_t _size = 0;
};

}  // namespace tars
