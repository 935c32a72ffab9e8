#include "util/tc_wait_word.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

namespace tars {

namespace {

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));

// Process-private futexes: the key is the address alone, so a wake never reads the word.
// EAGAIN (the word changed), EINTR and spurious returns of a wait: the caller rechecks.
uint32_t* futexAddress(std::atomic<uint32_t>* word) { return reinterpret_cast<uint32_t*>(word); }

void futexWait(std::atomic<uint32_t>* word, uint32_t expected) {
    syscall(SYS_futex, futexAddress(word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
}

void futexWakeOne(std::atomic<uint32_t>* word) {
    syscall(SYS_futex, futexAddress(word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

// A bitset wait returns for a wake whose mask has one of `bits`.
void futexWaitBits(std::atomic<uint32_t>* word, uint32_t expected, uint32_t bits) {
    syscall(SYS_futex, futexAddress(word), FUTEX_WAIT_BITSET_PRIVATE, expected, nullptr, nullptr, bits);
}

void futexWakeBits(std::atomic<uint32_t>* word, uint32_t bits) {
    syscall(SYS_futex, futexAddress(word), FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, nullptr, nullptr, bits);
}

}  // namespace

void TC_WaitState::wait() {
    uint32_t state = _state.load(std::memory_order_acquire);
    if (state == kDone) return;
    // Announce the sleep; if the event ended meanwhile the exchange fails with kDone.
    if (!_state.compare_exchange_strong(state, kSleeping, std::memory_order_seq_cst)) return;
    if (_bit == 0) {
        while (_state.load(std::memory_order_acquire) != kDone) futexWait(&_state, kSleeping);
        return;
    }
    std::atomic<uint32_t>& generation = _word->_generation;
    for (;;) {
        // The generation is read before the state: an end that comes between the two is
        // followed by a bump of the generation, so the futex wait returns at once.
        uint32_t seen = generation.load(std::memory_order_seq_cst);
        if (_state.load(std::memory_order_seq_cst) == kDone) return;
        futexWaitBits(&generation, seen, _bit);
    }
}

uint32_t TC_WaitWord::takeBit() {
    uint32_t used = _usedBits.load(std::memory_order_acquire);
    while (used != ~uint32_t{0}) {
        uint32_t bit = ~used & (used + 1);  // the lowest free bit
        if (_usedBits.compare_exchange_weak(used, used | bit, std::memory_order_acq_rel)) return bit;
    }
    return 0;
}

void TC_WaitWord::wakeBits(uint32_t bits) {
    _generation.fetch_add(1, std::memory_order_seq_cst);
    futexWakeBits(&_generation, bits);
}

void TC_WaitWord::wakeState(std::atomic<uint32_t>* state) { futexWakeOne(state); }

}  // namespace tars
