// C++20 coroutines over client calls. A function returning tars::Future<T> (alias
// tars::Task<T>) may be a coroutine; inside it, co_await a call's future:
//
//   tars::Task<std::string> greet(HelloPrx prx) {
//       auto r = co_await prx->co_testHello("hi");   // no thread waits meanwhile
//       co_return r->sRsp;                            // a failed call throws here
//   }
//   std::string s = greet(prx).get();                 // or co_await it in another coroutine
//
// The coroutine starts at once on the calling thread, runs until its first co_await of an
// unfinished future, and resumes on the thread that completes that future: for a call,
// one of the Communicator's callback threads (AsyncProcThread). So code after a co_await
// runs there; do not block in it for long. An exception leaving the coroutine completes its
// future with that exception. The frame is freed when the coroutine finishes; every call
// ends (at worst with its timeout, or at Communicator shutdown), so every awaiting
// coroutine resumes.
#pragma once

#include <coroutine>
#include <exception>
#include <utility>

#include "servant/Promise.h"

namespace tars {

template <typename T>
using Task = Future<T>;

namespace detail {

template <typename T>
struct FuturePromiseBase {
    Promise<T> promise;
    Future<T> get_return_object() { return promise.getFuture(); }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void unhandled_exception() { promise.setException(std::current_exception()); }
};

template <typename T>
struct FutureCoroutinePromise : FuturePromiseBase<T> {
    template <typename U>
    void return_value(U&& value) {
        this->promise.setValue(T(std::forward<U>(value)));
    }
};

template <>
struct FutureCoroutinePromise<void> : FuturePromiseBase<void> {
    void return_void() { this->promise.setValue(); }
};

}  // namespace detail

}  // namespace tars

template <typename T, typename... Args>
struct std::coroutine_traits<tars::Future<T>, Args...> {
    using promise_type = tars::detail::FutureCoroutinePromise<T>;
};
