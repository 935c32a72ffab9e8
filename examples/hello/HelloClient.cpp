// HelloClient: calls TestApp.HelloServer.HelloObj once in each of the five call modes
// and prints what came back.
//
//   HelloClient                                      HelloServer on 127.0.0.1:20001
//   HelloClient --obj="TestApp.HelloServer.HelloObj@tcp -h 127.0.0.1 -p 20001"
//   HelloClient --locator="tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p 17890"
//               (then --obj=TestApp.HelloServer.HelloObj, the default name, goes through
//               the registry)
//   HelloClient --config=client.conf                 /tars/application/client of a file
//   HelloClient --locator=... --stat=tars.tarsstat.StatObj
//               also counts its calls and reports them to tarsstat (the Communicator
//               keys `stat` and `modulename` HelloClient); the report of the last,
//               partial interval goes when the Communicator ends, before the exit
//
// Exits 0 when every mode got its answer, 1 when one failed, 2 on bad arguments.
#include <chrono>
#include <condition_variable>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>

#include "Hello.h"
#include "servant/Communicator.h"
#include "servant/Coroutine.h"
#include "util/tc_config.h"

namespace {

constexpr const char* kObjectName = "TestApp.HelloServer.HelloObj";
constexpr const char* kDefaultEndpoint = "tcp -h 127.0.0.1 -p 20001";

// The callback mode: the generated HelloPrxCallback, overridden. Runs on a callback
// thread; the main thread waits for it (bounded).
class HelloCallback : public TestApp::HelloPrxCallback {
public:
    void callback_testHello(tars::Int32 ret, const std::string& sRsp) override {
        finish("ret " + std::to_string(ret) + ", sRsp \"" + sRsp + "\"", true);
    }
    void callback_testHello_exception(tars::Int32 ret) override { finish("failed with " + std::to_string(ret), false); }

    // The outcome, or nothing if none came within `timeout`.
    std::optional<std::pair<std::string, bool>> wait(std::chrono::milliseconds timeout) {
        std::unique_lock lock(_mutex);
        if (!_done.wait_for(lock, timeout, [this] { return _result.has_value(); })) return std::nullopt;
        return _result;
    }

private:
    void finish(const std::string& text, bool ok) {
        std::lock_guard lock(_mutex);
        _result = std::make_pair(text, ok);
        _done.notify_all();
    }

    std::mutex _mutex;
    std::condition_variable _done;
    std::optional<std::pair<std::string, bool>> _result;
};

// The coroutine mode: no thread waits while the call is on its way.
tars::Task<std::string> greetTwice(TestApp::HelloPrx prx) {
    auto first = co_await prx->co_testHello("co_await");
    auto second = co_await prx->co_testHello(first->sRsp + " again");
    co_return second->sRsp;
}

int usage(const std::string& error) {
    std::cerr
        << "HelloClient: " << error << "\n"
        << "usage: HelloClient [--obj=OBJECT] [--locator=QUERYOBJ] [--config=FILE] [--stat=STATOBJ] [--timeout=MS]\n";
    return 2;
}

}  // namespace

int main(int argc, char* argv[]) {
    std::string object;
    std::string locator;
    std::string configFile;
    std::string statObject;
    int timeoutMs = 3000;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.starts_with("--obj=")) {
            object = arg.substr(6);
        } else if (arg.starts_with("--locator=")) {
            locator = arg.substr(10);
        } else if (arg.starts_with("--config=")) {
            configFile = arg.substr(9);
        } else if (arg.starts_with("--stat=")) {
            statObject = arg.substr(7);
            if (statObject.empty()) return usage("--stat needs the stat object, e.g. tars.tarsstat.StatObj");
        } else if (arg.starts_with("--timeout=")) {
            try {
                timeoutMs = std::stoi(arg.substr(10));
            } catch (const std::exception&) {
                return usage("--timeout needs a number of milliseconds");
            }
            if (timeoutMs <= 0) return usage("--timeout needs a positive number of milliseconds");
        } else if (arg == "--help" || arg == "-h") {
            usage("calls TestApp.HelloServer.HelloObj in every call mode");
            return 0;
        } else {
            return usage("unknown argument '" + arg + "'");
        }
    }
    // Without a locator the object needs its endpoints.
    if (object.empty()) {
        object = locator.empty() && configFile.empty() ? std::string(kObjectName) + "@" + kDefaultEndpoint
                                                       : std::string(kObjectName);
    }

    int failures = 0;
    try {
        // The TARS way: a Communicator, an empty proxy, stringToProxy.
        tars::Communicator comm;
        if (!configFile.empty()) {
            tars::TC_Config config;
            config.parseFile(configFile);
            comm.setProperty(config);
        }
        if (!locator.empty()) comm.setProperty("locator", locator);
        if (!statObject.empty()) {
            comm.setProperty("stat", statObject);
            comm.setProperty("modulename", "HelloClient");
        }
        TestApp::HelloPrx prx;
        comm.stringToProxy(object, prx);
        prx->tars_set_timeout(timeoutMs);
        std::cout << "calling " << object << std::endl;

        auto report = [&failures](const char* mode, const std::string& text, bool ok) {
            std::cout << "  " << mode << ": " << text << std::endl;
            if (!ok) ++failures;
        };
        auto failed = [](const std::exception& e) { return std::string("failed: ") + e.what(); };

        // 1. sync: blocks, throws tars::TarsCallException on failure.
        try {
            std::string rsp;
            const tars::Int32 ret = prx->testHello("sync", rsp);
            report("sync     ", "ret " + std::to_string(ret) + ", sRsp \"" + rsp + "\"", true);
        } catch (const std::exception& e) {
            report("sync     ", failed(e), false);
        }

        // 2. callback: the answer comes to HelloCallback on a callback thread.
        try {
            auto callback = std::make_shared<HelloCallback>();
            prx->async_testHello(callback, "callback");
            const auto result = callback->wait(std::chrono::milliseconds(timeoutMs + 1000));
            if (result)
                report("callback ", result->first, result->second);
            else
                report("callback ", "no answer", false);
        } catch (const std::exception& e) {
            report("callback ", failed(e), false);
        }

        // 3. one-way: nothing comes back; the call after it on the same proxy shows the
        //    server is still there.
        try {
            prx->async_testHello(nullptr, "one-way");
            report("one-way  ", "sent (no answer expected)", true);
        } catch (const std::exception& e) {
            report("one-way  ", failed(e), false);
        }

        // 4. promise: a future, with then() to chain and get() to wait.
        try {
            const std::string rsp =
                prx->promise_async_testHello("promise")
                    .then([](const tars::Future<TestApp::HelloPrxCallbackPromise::PromisetestHelloPtr>& f) {
                        return f.get()->sRsp + " (via then)";
                    })
                    .get();
            report("promise  ", "sRsp \"" + rsp + "\"", true);
        } catch (const std::exception& e) {
            report("promise  ", failed(e), false);
        }

        // 5. co_await: a coroutine of two calls.
        try {
            report("co_await ", "sRsp \"" + greetTwice(prx).get() + "\"", true);
        } catch (const std::exception& e) {
            report("co_await ", failed(e), false);
        }
    } catch (const std::exception& e) {
        std::cerr << "HelloClient: " << e.what() << std::endl;
        return 1;
    }
    std::cout << (failures == 0 ? "all five call modes answered" : std::to_string(failures) + " call mode(s) failed")
              << std::endl;
    return failures == 0 ? 0 : 1;
}
