#include "servant/ReqMessage.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace tars {

namespace {

constexpr uint32_t kPending = 0;
constexpr uint32_t kDone = 1;
constexpr uint32_t kSleeping = 2;

// Process-private futexes: the key is the address alone, so a wake never reads the word.
void futexWait(std::atomic<uint32_t>* word, uint32_t expected) {
    static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
    // EAGAIN (the word changed), EINTR and spurious returns: the caller rechecks.
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
}

void futexWakeOne(std::atomic<uint32_t>* word) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

}  // namespace

void ReqMessage::wait() {
    uint32_t state = _syncState.load(std::memory_order_acquire);
    if (state == kDone) return;
    // Announce the sleep; if the call ended meanwhile the exchange fails with kDone.
    if (state == kPending &&
        !_syncState.compare_exchange_strong(state, kSleeping, std::memory_order_acquire, std::memory_order_acquire)) {
        if (state == kDone) return;
    }
    while (_syncState.load(std::memory_order_acquire) != kDone) futexWait(&_syncState, kSleeping);
}

void ReqMessage::signal() {
    // Release: the response written before is visible to the caller that sees kDone.
    if (_syncState.exchange(kDone, std::memory_order_acq_rel) == kSleeping) futexWakeOne(&_syncState);
}

}  // namespace tars
