// ProxyLoad: tars-bench's sync and async modes. Calls go through our client runtime (a
// Communicator with options.netThreads network threads and options.asyncThreads callback
// threads) and the proxy tars2cpp generates for examples/hello/Hello.tars
// (TestApp::HelloPrx), exactly as an application makes them; with options.ssl the
// endpoints are ssl ones and the Communicator's ca, cert and key are options'.
//
// sync:  options.threads threads, each making one blocking testHello at a time.
// async: connections x outstanding callback calls in flight; in a closed loop a call's
//        callback (on a callback thread) starts the next one; with a rate, the
//        options.threads caller threads start calls at their due times (Pacer.h) while a
//        slot is free.
// A call that throws or ends with iRet != 0 (or a reply whose sRsp is not the payload)
// counts as failed with its code. run() returns once every call it started has ended (or,
// past the call timeout, the Communicator ended them); it throws std::runtime_error for
// a bad object string. One run per object.
#pragma once

#include "BenchOptions.h"
#include "BenchResult.h"

namespace tars::bench {

class ProxyLoad {
public:
    explicit ProxyLoad(const BenchOptions& options) : _options(options) {}
    BenchResult run();

private:
    BenchOptions _options;
};

}  // namespace tars::bench
