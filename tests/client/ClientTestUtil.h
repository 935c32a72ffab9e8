// Shared pieces of the client tests: a callback that records how each call ended, and a
// port nobody listens on.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "Hello.h"
#include "util/tc_socket.h"

namespace tars::test {

// A loopback port nobody listens on (bound, never listening, kept while the test runs).
class DeadPort {
public:
    DeadPort() {
        _socket = TC_Socket::create(AF_INET, SOCK_STREAM, true);
        _socket.bind("127.0.0.1", 0);
        _port = _socket.getSockName().port();
    }
    std::string endpoint() const { return "tcp -h 127.0.0.1 -p " + std::to_string(_port); }

private:
    TC_Socket _socket;
    int _port = 0;
};

// Counts callbacks; wait(n) polls until n calls ended (bounded).
class RecordingCallback : public TestApp::HelloPrxCallback {
public:
    void callback_testHello(tars::Int32 ret, const std::string& sRsp) override {
        std::lock_guard lock(_mutex);
        ++successes;
        lastRet = ret;
        lastRsp = sRsp;
        lastThread = std::this_thread::get_id();
        _cond.notify_all();
    }
    void callback_testHello_exception(tars::Int32 ret) override {
        std::lock_guard lock(_mutex);
        ++failures;
        lastError = ret;
        _cond.notify_all();
    }
    bool wait(int n, int timeoutMs = 10000) {
        std::unique_lock lock(_mutex);
        return _cond.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return successes + failures >= n; });
    }

    int successes = 0;
    int failures = 0;
    tars::Int32 lastRet = 0;
    tars::Int32 lastError = 0;
    std::string lastRsp;
    std::thread::id lastThread;

private:
    std::mutex _mutex;
    std::condition_variable _cond;
};

}  // namespace tars::test
