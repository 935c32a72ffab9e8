// hello_caller: calls TestApp.HelloServer.HelloObj by name through a locator, again and
// again, and prints one line per call so that a test can see when calls failed:
//
//   <ms since the epoch when the call ended> <return code>
//
// (the wall clock, so that a script can compare it with `date +%s%3N`)
// then a summary line "calls N ok M failed F". The multi-host test runs it while it
// kills one host and checks that no call fails after the refresh bound.
//
//   hello_caller --locator=OBJ --duration=MS [--interval=MS] [--timeout=MS]
//                [--refresh=MS] [--stop-file=PATH]
//
// --stop-file: stop early once that file exists. Exits 0 when it ran (whatever the calls
// returned), 2 on bad arguments.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

#include "Hello.h"
#include "servant/Communicator.h"
#include "servant/CallException.h"

namespace {

int usage(const std::string& error) {
    std::cerr << "hello_caller: " << error << "\n"
              << "usage: hello_caller --locator=OBJ --duration=MS [--interval=MS] [--timeout=MS] [--refresh=MS]"
                 " [--stop-file=PATH]\n";
    return 2;
}

bool numberArg(const std::string& arg, const std::string& name, long& out) {
    if (!arg.starts_with(name)) return false;
    try {
        size_t used = 0;
        out = std::stol(arg.substr(name.size()), &used);
        return used == arg.size() - name.size() && out >= 0;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace

int main(int argc, char* argv[]) {
    std::string locator;
    std::string stopFile;
    long durationMs = -1;
    long intervalMs = 50;
    long timeoutMs = 1000;
    long refreshMs = 5000;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.starts_with("--locator=")) {
            locator = arg.substr(10);
        } else if (arg.starts_with("--stop-file=")) {
            stopFile = arg.substr(12);
        } else if (arg.starts_with("--duration=")) {
            if (!numberArg(arg, "--duration=", durationMs)) return usage("bad " + arg);
        } else if (arg.starts_with("--interval=")) {
            if (!numberArg(arg, "--interval=", intervalMs)) return usage("bad " + arg);
        } else if (arg.starts_with("--timeout=")) {
            if (!numberArg(arg, "--timeout=", timeoutMs)) return usage("bad " + arg);
        } else if (arg.starts_with("--refresh=")) {
            if (!numberArg(arg, "--refresh=", refreshMs)) return usage("bad " + arg);
        } else {
            return usage("unknown argument " + arg);
        }
    }
    if (locator.empty() || durationMs < 0) return usage("--locator and --duration are required");

    tars::Communicator communicator;
    communicator.setProperty("locator", locator);
    communicator.setProperty("refresh-endpoint-interval", std::to_string(refreshMs));
    communicator.setProperty("sync-invoke-timeout", std::to_string(timeoutMs));
    auto prx = communicator.stringToProxy<TestApp::HelloPrx>("TestApp.HelloServer.HelloObj");

    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const auto end = start + std::chrono::milliseconds(durationMs);
    long calls = 0;
    long ok = 0;
    while (Clock::now() < end) {
        if (!stopFile.empty() && ::access(stopFile.c_str(), F_OK) == 0) break;
        const auto begin = Clock::now();
        int ret = 0;
        try {
            std::string rsp;
            ret = prx->testHello("ping", rsp);
            if (ret == 0 && rsp != "ping") ret = -999;  // a wrong answer is a failure too
        } catch (const tars::TarsCallException& e) {
            ret = e.getErrCode() != 0 ? e.getErrCode() : -1;
        } catch (const std::exception&) {
            ret = -1;
        }
        ++calls;
        if (ret == 0) ++ok;
        auto ended =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        std::cout << ended << " " << ret << "\n" << std::flush;
        std::this_thread::sleep_until(begin + std::chrono::milliseconds(intervalMs));
    }
    std::cout << "calls " << calls << " ok " << ok << " failed " << calls - ok << std::endl;
    communicator.terminate();
    return 0;
}
