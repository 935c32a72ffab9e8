#include "servant/ReqMessage.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

namespace tars {

namespace {

constexpr uint32_t kPending = 0;
constexpr uint32_t kDone = 1;
constexpr uint32_t kSleeping = 2;

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));

// Process-private futexes: the key is the address alone, so a wake never reads the word.
// EAGAIN (the word changed), EINTR and spurious returns of a wait: the caller rechecks.
void futexWait(std::atomic<uint32_t>* word, uint32_t expected) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
}

void futexWakeOne(std::atomic<uint32_t>* word) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

// A bitset wait wakes for a wake whose mask has one of `bits`.
void futexWaitBits(std::atomic<uint32_t>* word, uint32_t expected, uint32_t bits) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT_BITSET_PRIVATE, expected, nullptr, nullptr, bits);
}

void futexWakeBits(std::atomic<uint32_t>* word, uint32_t bits) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, nullptr, nullptr, bits);
}

}  // namespace

void ReqMessage::wait() {
    uint32_t state = _syncState.load(std::memory_order_acquire);
    if (state == kDone) return;
    // Announce the sleep; if the call ended meanwhile the exchange fails with kDone.
    if (!_syncState.compare_exchange_strong(state, kSleeping, std::memory_order_seq_cst)) return;
    if (_wakeBit == 0) {
        while (_syncState.load(std::memory_order_acquire) != kDone) futexWait(&_syncState, kSleeping);
        return;
    }
    std::atomic<uint32_t>& generation = _wakeWord->generation;
    for (;;) {
        // The generation is read before the state: a wake that comes between the two has
        // bumped it, so the futex wait returns at once.
        uint32_t seen = generation.load(std::memory_order_seq_cst);
        if (_syncState.load(std::memory_order_seq_cst) == kDone) return;
        futexWaitBits(&generation, seen, _wakeBit);
    }
}

uint32_t SyncWakeWord::takeBit() {
    uint32_t used = usedBits.load(std::memory_order_acquire);
    while (used != ~uint32_t{0}) {
        uint32_t bit = ~used & (used + 1);  // the lowest free bit
        if (usedBits.compare_exchange_weak(used, used | bit, std::memory_order_acq_rel)) return bit;
    }
    return 0;
}

void SyncWakeWord::wakeEnded(ReqMessage* const* ended, size_t count) {
    uint32_t bits = 0;
    for (size_t i = 0; i < count; ++i) {
        ReqMessage* msg = ended[i];
        uint32_t bit = msg->_wakeBit;  // read before the store that ends the call
        // Seq_cst, and release for the response: the caller that sees kDone sees it too.
        if (msg->_syncState.exchange(kDone, std::memory_order_seq_cst) != kSleeping) continue;
        if (bit != 0) {
            bits |= bit;
        } else {
            futexWakeOne(&msg->_syncState);  // the address only: the caller may have deleted it
        }
    }
    if (bits != 0) {
        generation.fetch_add(1, std::memory_order_seq_cst);
        futexWakeBits(&generation, bits);
    }
}

}  // namespace tars
