// Helpers shared by the util unit tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

namespace tars::test {

// A fresh directory for one test, removed at the end; unique per process and test.
class TempDir {
public:
    TempDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = std::string("tars_util_") + std::to_string(::getpid()) + "_" +
                           (info ? std::string(info->test_suite_name()) + "_" + info->name() : "x");
        _path = std::filesystem::temp_directory_path() / name;
        std::filesystem::remove_all(_path);
        std::filesystem::create_directories(_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(_path, ec);
    }
    std::string path() const { return _path.string(); }
    std::string file(const std::string& name) const { return (_path / name).string(); }

private:
    std::filesystem::path _path;
};

// Fails a concurrency test that hangs (a lost wake-up) with a message instead of leaving
// it to ctest's timeout: past the limit it prints what and aborts the process.
class Watchdog {
public:
    Watchdog(std::chrono::seconds limit, std::string what) : _what(std::move(what)) {
        _thread = std::thread([this, limit] {
            std::unique_lock lock(_mutex);
            if (!_cond.wait_for(lock, limit, [this] { return _done; })) {
                std::fprintf(stderr, "watchdog: %s: still running after %lld s\n", _what.c_str(),
                             static_cast<long long>(limit.count()));
                std::abort();
            }
        });
    }
    ~Watchdog() {
        {
            std::lock_guard lock(_mutex);
            _done = true;
        }
        _cond.notify_one();
        _thread.join();
    }
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

private:
    std::string _what;
    std::mutex _mutex;
    std::condition_variable _cond;
    bool _done = false;
    std::thread _thread;
};

}  // namespace tars::test
