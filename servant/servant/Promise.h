// tars::Promise<T> / tars::Future<T>: the result of a promise_async_<method> call (and of
// co_<method>, and of a coroutine returning Future<T>, see Coroutine.h).
//
//   auto f = prx->promise_async_testHello("hi");
//   f.then([](const tars::Future<HelloPrxCallbackPromise::PromisetestHelloPtr>& r) {
//       std::cout << r.get()->sRsp;          // get() rethrows the call's error
//   });
//   auto r = f.get();                        // or block for it
//   co_await f;                              // or, in a coroutine, wait without blocking
//
// A Promise is completed once, by setValue or setException (later attempts are ignored
// and return false). Future::get() waits and returns the value or rethrows the
// exception (a TarsCallException carrying the TARS code for failed calls). then(f) runs f
// with the completed future on the thread that completes it (the callback thread for
// calls), or at once if already complete, and returns a future of f's result (a Future
// returned by f is unwrapped). co_await resumes the coroutine the same way.
// Thread-safety: Promise and Future are cheap shared handles; every member may be called
// from any thread. Ownership: the shared state lives while any handle or pending
// continuation refers to it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace tars {

template <typename T>
class Future;
template <typename T>
class Promise;

namespace detail {

template <typename T>
struct StoredValue {
    using type = T;
};
template <>
struct StoredValue<void> {
    using type = std::monostate;
};

template <typename T>
struct FutureState {
    std::mutex mutex;
    std::condition_variable cond;
    bool ready = false;
    std::optional<typename StoredValue<T>::type> value;
    std::exception_ptr error;
    std::vector<std::function<void()>> continuations;

    // Runs f once ready: now (on this thread) if it already is, else on the completing thread.
    void onReady(std::function<void()> f) {
        {
            std::lock_guard lock(mutex);
            if (!ready) {
                continuations.push_back(std::move(f));
                return;
            }
        }
        f();
    }

    template <typename Fill>
    bool complete(Fill&& fill) {
        std::vector<std::function<void()>> run;
        {
            std::lock_guard lock(mutex);
            if (ready) return false;
            fill();
            ready = true;
            run.swap(continuations);
        }
        cond.notify_all();
        for (auto& f : run) f();
        return true;
    }
};

template <typename T>
struct IsFuture : std::false_type {};
template <typename T>
struct IsFuture<Future<T>> : std::true_type {};

}  // namespace detail

template <typename T>
class Promise {
public:
    Promise() : _state(std::make_shared<detail::FutureState<T>>()) {}

    Future<T> getFuture() const { return Future<T>(_state); }

    template <typename U = T>
    requires(!std::is_void_v<U>) bool setValue(U value) {
        return _state->complete([&] { _state->value.emplace(std::move(value)); });
    }
    template <typename U = T>
    requires std::is_void_v<U>
    bool setValue() {
        return _state->complete([&] { _state->value.emplace(); });
    }
    bool setException(std::exception_ptr error) {
        return _state->complete([&] { _state->error = std::move(error); });
    }

private:
    std::shared_ptr<detail::FutureState<T>> _state;
};

template <typename T>
class Future {
public:
    using value_type = T;

    Future() = default;  // not valid until assigned
    explicit Future(std::shared_ptr<detail::FutureState<T>> state) : _state(std::move(state)) {}

    bool valid() const { return _state != nullptr; }
    bool isDone() const {
        std::lock_guard lock(checked()->mutex);
        return _state->ready;
    }
    bool hasException() const {
        std::lock_guard lock(checked()->mutex);
        return _state->ready && _state->error != nullptr;
    }

    // Waits up to timeout; true when complete.
    template <typename Rep, typename Period>
    bool wait_for(const std::chrono::duration<Rep, Period>& timeout) const {
        std::unique_lock lock(checked()->mutex);
        return _state->cond.wait_for(lock, timeout, [this] { return _state->ready; });
    }
    void wait() const {
        std::unique_lock lock(checked()->mutex);
        _state->cond.wait(lock, [this] { return _state->ready; });
    }

    // Waits, then returns the value (a copy) or rethrows the exception.
    T get() const {
        wait();
        if (_state->error) std::rethrow_exception(_state->error);
        if constexpr (!std::is_void_v<T>) return *_state->value;
    }

    // f(const Future<T>&) runs once this completes; returns a future of its result.
    template <typename F>
    auto then(F&& f) const {
        using R = std::invoke_result_t<F, const Future<T>&>;
        if constexpr (detail::IsFuture<R>::value) {
            using U = typename R::value_type;
            Promise<U> next;
            Future<U> result = next.getFuture();
            Future<T> self = *this;
            checked()->onReady([self, next, f = std::forward<F>(f)]() mutable {
                try {
                    R inner = f(self);
                    inner.forwardTo(next);
                } catch (...) {
                    next.setException(std::current_exception());
                }
            });
            return result;
        } else {
            Promise<R> next;
            Future<R> result = next.getFuture();
            Future<T> self = *this;
            checked()->onReady([self, next, f = std::forward<F>(f)]() mutable {
                try {
                    if constexpr (std::is_void_v<R>) {
                        f(self);
                        next.setValue();
                    } else {
                        next.setValue(f(self));
                    }
                } catch (...) {
                    next.setException(std::current_exception());
                }
            });
            return result;
        }
    }

    // ---- awaitable: co_await future
    bool await_ready() const { return isDone(); }
    bool await_suspend(std::coroutine_handle<> handle) const {
        auto* state = checked();
        std::lock_guard lock(state->mutex);
        if (state->ready) return false;  // completed meanwhile: carry on without suspending
        state->continuations.push_back([handle] { handle.resume(); });
        return true;
    }
    T await_resume() const { return get(); }

    // Completes `promise` with this future's outcome once it has one.
    void forwardTo(Promise<T> promise) const {
        Future<T> self = *this;
        checked()->onReady([self, promise]() mutable {
            if (self._state->error) {
                promise.setException(self._state->error);
            } else if constexpr (std::is_void_v<T>) {
                promise.setValue();
            } else {
                promise.setValue(*self._state->value);
            }
        });
    }

private:
    detail::FutureState<T>* checked() const {
        if (!_state) throw std::logic_error("tars::Future: no state (default-constructed)");
        return _state.get();
    }

    std::shared_ptr<detail::FutureState<T>> _state;
};

// A future already holding value.
template <typename T>
Future<std::decay_t<T>> makeReadyFuture(T&& value) {
    Promise<std::decay_t<T>> p;
    p.setValue(std::forward<T>(value));
    return p.getFuture();
}

template <typename T>
Future<T> makeExceptionFuture(std::exception_ptr error) {
    Promise<T> p;
    p.setException(std::move(error));
    return p.getFuture();
}

}  // namespace tars
