// AsyncProcThread: a callback thread of a Communicator (asyncthread of them). Network
// threads hand it ended async calls and server pushes; it runs msg->callback->onDispatch
// (generated code then calls callback_<method>, completes a promise or resumes a
// coroutine) and deletes the message.
//
// Thread-safety: push() from any thread. terminate() runs whatever is still queued, then
// joins; the Communicator calls it after its network threads stopped, so every call ends
// before the Communicator is gone. An exception thrown by a callback is logged and
// dropped.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

#include "servant/ReqMessage.h"

namespace tars {

class AsyncProcThread {
public:
    explicit AsyncProcThread(size_t index);
    ~AsyncProcThread();
    AsyncProcThread(const AsyncProcThread&) = delete;
    AsyncProcThread& operator=(const AsyncProcThread&) = delete;

    void start();
    void push(ReqMessage* msg);
    // Takes every message of `messages` (left empty) with one lock and one wake-up.
    void push(std::vector<ReqMessage*>& messages);
    void terminate();
    // Callbacks queued or in the batch being run, not yet started (the `asyncqueue`
    // property samples it).
    size_t waiting();

    // Runs one message's callback and deletes the message (also used at shutdown, and by the
    // network threads for callbacks with setNetThreadProcess).
    static void dispatch(ReqMessage* msg);

private:
    void run();

    size_t _index;
    std::mutex _mutex;
    std::condition_variable _cond;
    std::vector<ReqMessage*> _queue;
    std::atomic<size_t> _batchLeft{0};  // of the batch the thread runs, the ones not yet run
    bool _stop = false;
    std::thread _thread;
};

}  // namespace tars
