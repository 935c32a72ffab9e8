// TC_WaitState and TC_WaitWord: one thread waits for an event that another thread ends,
// with no mutex, and sleeps in the kernel (a process-private futex) only when the event
// has not ended yet.
//
// TC_WaitState is one event with one waiter: pending, done, or pending with the waiter
// asleep. The waiter calls wait(); another thread ends the event once, with a
// TC_WaitWord::Wake batch. Everything the ending thread wrote before the end is visible
// to the waiter when wait() returns. An event ends once: a state is not reused.
//
// TC_WaitWord is a futex word shared by up to 32 waiter threads, each holding a bit of it
// (takeBit/releaseBit). A waiter whose state names the word and its bit (setWaker) sleeps
// on the word (FUTEX_WAIT_BITSET with its bit), so that a thread ending many events in a
// row wakes all their sleeping waiters with one system call (FUTEX_WAKE_BITSET with the
// OR of their bits) when the batch commits. A waiter without a bit (all 32 are taken)
// sleeps on its state itself and is woken alone, at once.
//
// Ownership: the waiter owns its TC_WaitState (typically inside the object it waits for)
// and may destroy it as soon as wait() returns: the ending side reads nothing of the state
// after the store that ends the wait, and a futex wake of its address does not read the
// memory (a wake that reaches a later futex at that address is spurious, and every wait
// rechecks its word). A TC_WaitWord must outlive its waiters and the thread that ends
// their events: share it (e.g. a shared_ptr held by both sides).
// Threads: takeBit/releaseBit from any thread. setWaker() and wait() on the waiter's
// thread, before and after handing the event over; Wake on the one thread that ends it.
// Errors: none. The futex calls' EINTR, EAGAIN and spurious returns are rechecked inside
// wait(); a wake never fails in a way the caller could act on.
#pragma once

#include <atomic>
#include <cstdint>

namespace tars {

class TC_WaitWord;

class TC_WaitState {
public:
    TC_WaitState() = default;
    TC_WaitState(const TC_WaitState&) = delete;
    TC_WaitState& operator=(const TC_WaitState&) = delete;

    // Waiter, before the event is handed over: sleep on word with bit (a bit the waiter's
    // thread holds), or with (nullptr, 0) on this state.
    void setWaker(TC_WaitWord* word, uint32_t bit) {
        _word = word;
        _bit = bit;
    }
    // Waiter: returns once the event has ended.
    void wait();
    // True once the event has ended (acquire).
    bool isDone() const { return _state.load(std::memory_order_acquire) == kDone; }

private:
    friend class TC_WaitWord;
    static constexpr uint32_t kPending = 0;
    static constexpr uint32_t kDone = 1;
    static constexpr uint32_t kSleeping = 2;  // pending, and the waiter sleeps: wake it

    std::atomic<uint32_t> _state{kPending};
    uint32_t _bit = 0;
    TC_WaitWord* _word = nullptr;
};

class TC_WaitWord {
public:
    static constexpr uint32_t kBits = 32;

    TC_WaitWord() = default;
    TC_WaitWord(const TC_WaitWord&) = delete;
    TC_WaitWord& operator=(const TC_WaitWord&) = delete;

    // A free bit, now taken (the lowest); 0 when all are taken.
    uint32_t takeBit();
    void releaseBit(uint32_t bit) { _usedBits.fetch_and(~bit, std::memory_order_acq_rel); }

    // Ends events and wakes their sleeping waiters: those with a bit on `word` together at
    // commit() (or destruction), every other one at once. Not thread-safe: one per thread.
    class Wake {
    public:
        explicit Wake(TC_WaitWord& word) : _word(word) {}
        ~Wake() { commit(); }
        Wake(const Wake&) = delete;
        Wake& operator=(const Wake&) = delete;

        // Ends state's event; the waiter owns (and may free) state from here on.
        void end(TC_WaitState& state) {
            // Read before the store that ends the event: the waiter may free state after it.
            const uint32_t bit = state._bit;
            TC_WaitWord* const word = state._word;
            // Seq_cst, and release for what was written before: a waiter that sees kDone
            // sees it too.
            if (state._state.exchange(TC_WaitState::kDone, std::memory_order_seq_cst) != TC_WaitState::kSleeping) {
                return;
            }
            if (bit == 0) {
                wakeState(&state._state);
            } else if (word == &_word) {
                _bits |= bit;
            } else {
                word->wakeBits(bit);  // another word's waiter: woken alone
            }
        }
        // One system call for the sleeping waiters on the word ended since the last commit.
        void commit() {
            if (_bits != 0) {
                _word.wakeBits(_bits);
                _bits = 0;
            }
        }

    private:
        TC_WaitWord& _word;
        uint32_t _bits = 0;
    };

private:
    friend class TC_WaitState;
    // Bumps the generation and wakes the waiters sleeping on this word with one of bits.
    void wakeBits(uint32_t bits);
    // Wakes the one waiter sleeping on a state word (the address only).
    static void wakeState(std::atomic<uint32_t>* state);

    std::atomic<uint32_t> _generation{0};
    std::atomic<uint32_t> _usedBits{0};
};

}  // namespace tars
