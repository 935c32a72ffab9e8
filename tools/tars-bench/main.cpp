// tars-bench: a load generator for TARS servants. `tars-bench --help` says everything;
// BenchOptions.cpp holds that text.
#include <signal.h>

#include <cstdio>
#include <exception>
#include <iostream>

#include "BenchOptions.h"
#include "CommandLine.h"
#include "ConnectLoad.h"
#include "ProxyLoad.h"
#include "RawLoad.h"

namespace {

std::string describeTarsCode(int code) {
    switch (code) {
        case -1: return "server decode error";
        case -2: return "server encode error";
        case -3: return "no such function";
        case -4: return "no such servant";
        case -6: return "queue timeout";
        case -7: return "invoke timeout";
        case -8: return "connect error / connection lost";
        case -9: return "server overload";
        case -10: return "no endpoint";
        case -12: return "bad reply";
        case -13: return "send error";
        case -99: return "unknown error";
        default: return "";
    }
}

}  // namespace

int main(int argc, char** argv) {
    using namespace tars::bench;
    signal(SIGPIPE, SIG_IGN);
    BenchOptions options;
    try {
        options = BenchOptions::parse(argc, argv);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "tars-bench: %s\nTry 'tars-bench --help'.\n", e.what());
        return 2;
    }
    if (options.help) {
        std::fputs(BenchOptions::helpText(), stdout);
        return 0;
    }

    std::cout << options.describe() << std::flush;
    BenchResult result;
    try {
        if (options.mode == BenchMode::Raw) {
            result = RawLoad(options).run();
        } else if (options.mode == BenchMode::Connect) {
            result = ConnectLoad(options).run();
        } else {
            result = ProxyLoad(options).run();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tars-bench: %s\n", e.what());
        return 1;
    }
    result.print(std::cout, describeTarsCode);
    if (result.failed() > 0 || result.ok() == 0) {
        std::fprintf(stderr, "tars-bench: %s\n",
                     result.ok() == 0 ? "no call succeeded" : "some calls failed (see errors above)");
        return 1;
    }
    return 0;
}
