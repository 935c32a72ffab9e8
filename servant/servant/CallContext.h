// CallContext: what the request a thread is serving hands on to the calls it makes.
//
// The server sets one around each dispatch of a TARS request (Scope); the client reads it
// when a proxy call is made. Today it carries the request's deadline (deadline propagation,
// docs/client.md): every call made while the request is served, and before its reply is
// sent, gets at most the time the request has left, and one made after the deadline fails
// at once with -7 without being sent. It also carries the request's trace (tracing,
// docs/observability.md): with `traced` set, every call made is a child span of `trace`
// and passes the trace on. And it carries dyeing: calls made while a dyed request is
// served are dyed.
//
// Ownership: the server's context lives on the dispatching thread's stack; Scope makes it
// the thread's current one and puts the previous one back. An async call copies the
// context into its ReqMessage, and the callback thread makes that copy current while the
// callback runs, so calls made from a callback (or after a co_await) honour the deadline of
// the request that made the first call. `answered` keeps the request's reply flag (and the
// Current holding it) alive for as long as a copy exists.
// Threads: current() and Scope are per thread; a context is only read by other threads
// through its copies. `answered` is set once, by whichever thread sends the reply.
// Cost: a call made with no context reads one thread-local pointer and tests it; the clock
// is read only when a deadline applies or a trace is active.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "servant/TraceContext.h"

namespace tars {

// A span being timed (internal/Tracing.h), owned by the call or the request it times.
struct TraceSpan;
struct TraceSpanDeleter {
    void operator()(TraceSpan* span) const noexcept;
};
using TraceSpanPtr = std::unique_ptr<TraceSpan, TraceSpanDeleter>;

struct CallContext {
    // Steady clock, microseconds: when the request being served must be answered; 0: none.
    int64_t deadlineUs = 0;
    // Set once the request's reply has been sent: work done after that (a servant that goes
    // on after replying, a callback that runs later) is not cut by the deadline. Null: the
    // deadline holds until it passes.
    std::shared_ptr<const std::atomic<bool>> answered;
    // The span of the request being served (its trace id, its span id: the parent of the
    // calls made), when traced is set. A trace that is not sampled is passed on all the same.
    TraceContext trace;
    bool traced = false;
    // Dyeing (docs/admin.md, tars.setdyeing): the request being served is dyed, so every
    // call made under it is dyed too (message type 0x04, status STATUS_DYED_KEY = dyeingKey)
    // and the thread's log lines also go to the dyeing log. A client that is no server
    // dyes its calls by making a context with dyed set current (Scope).
    bool dyed = false;
    std::string dyeingKey;

    // Whether the context has anything for the calls made under it.
    bool active() const noexcept { return deadlineUs != 0 || traced || dyed; }

    // The deadline calls made now must honour: deadlineUs, or 0 when there is none or the
    // request was answered.
    int64_t activeDeadlineUs() const noexcept {
        if (deadlineUs == 0 || (answered && answered->load(std::memory_order_acquire))) return 0;
        return deadlineUs;
    }

    // The calling thread's context, or nullptr.
    static const CallContext* current() noexcept { return tCurrent; }

    // Makes context (nullptr: none) the thread's current one until the scope ends. The
    // server opens one around a dispatch, a callback thread around a callback; work that is
    // not part of the request being served (a report, an alarm) opens one with nullptr.
    class Scope {
    public:
        explicit Scope(const CallContext* context) noexcept : _previous(tCurrent) { tCurrent = context; }
        ~Scope() { tCurrent = _previous; }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        const CallContext* _previous;
    };

private:
    static inline thread_local constinit const CallContext* tCurrent = nullptr;
};

}  // namespace tars
