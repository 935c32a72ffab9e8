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

// Process-private futexes: the key is the address alone. A waiter gives its bit; a wake
// wakes every waiter whose bit is in the mask.
void futexWaitBits(std::atomic<uint32_t>* word, uint32_t expected, uint32_t bits) {
    // EAGAIN (the word changed), EINTR and spurious returns: the caller rechecks.
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT_BITSET_PRIVATE, expected, nullptr, nullptr, bits);
}

void futexWakeBits(std::atomic<uint32_t>* word, uint32_t bits) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, nullptr, nullptr, bits);
}

// Each caller thread's bit. Callers that share a bit (more than 32 on one network thread)
// only wake each other spuriously.
uint32_t threadWakeBit() {
    static std::atomic<uint32_t> next{0};
    thread_local uint32_t bit = 1u << (next.fetch_add(1, std::memory_order_relaxed) % 32);
    return bit;
}

}  // namespace

void ReqMessage::setWakeWord(SyncWakeWord* word) {
    _wakeWord = word;
    _wakeBit = threadWakeBit();
}

void ReqMessage::wait() {
    uint32_t state = _syncState.load(std::memory_order_acquire);
    if (state == kDone) return;
    // Announce the sleep; if the call ended meanwhile the exchange fails with kDone.
    if (!_syncState.compare_exchange_strong(state, kSleeping, std::memory_order_seq_cst)) return;
    std::atomic<uint32_t>& generation = _wakeWord->generation;
    for (;;) {
        // The generation is read before the state: a wake that comes between the two has
        // bumped it, and the futex wait then returns at once.
        uint32_t seen = generation.load(std::memory_order_seq_cst);
        if (_syncState.load(std::memory_order_seq_cst) == kDone) return;
        futexWaitBits(&generation, seen, _wakeBit);
    }
}

void SyncWakeWord::wakeEnded(std::vector<ReqMessage*>& ended) {
    SyncWakeWord* word = nullptr;
    uint32_t bits = 0;
    auto wake = [&] {
        if (word == nullptr || bits == 0) return;
        word->generation.fetch_add(1, std::memory_order_seq_cst);
        futexWakeBits(&word->generation, bits);
    };
    for (ReqMessage* msg : ended) {
        // Read before the store that ends the call: from then on the caller may delete it.
        SyncWakeWord* w = msg->_wakeWord;
        uint32_t bit = msg->_wakeBit;
        if (w != word) {
            wake();
            word = w;
            bits = 0;
        }
        // Release: the response written before is visible to the caller that sees kDone.
        if (msg->_syncState.exchange(kDone, std::memory_order_seq_cst) == kSleeping) bits |= bit;
    }
    wake();
    ended.clear();
}

}  // namespace tars
