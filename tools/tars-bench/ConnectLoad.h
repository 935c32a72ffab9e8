// ConnectLoad: tars-bench's connect mode, the rate of new connections. Each of
// options.threads threads repeats: open a TCP connection (with options.ssl, a TLS
// handshake through TC_SslStream, verifying the server against options.ca and its name
// against options.host: a full handshake each time, no session resumption), send the
// one request RawLoad::encodeRequest makes, read its reply and check it
// (RawLoad::checkReply), close (close_notify first over TLS). No client runtime: what is
// measured is the server's accept, handshake and one call, plus this loop's own cost
// (the client's half of the handshake, on the same machine).
//
// A connection that cannot be made, a failed handshake, or a reply that does not come
// counts as failed with -8 (or -7 past options.timeoutMs for the whole connection); the
// reason of the first failure goes to stderr. QPS in the result is connections per
// second; latency is connect + handshake + call + close. run() throws std::runtime_error
// (or TC_SslException) when the TLS settings do not load. One run per object.
#pragma once

#include "BenchOptions.h"
#include "BenchResult.h"

namespace tars::bench {

class ConnectLoad {
public:
    explicit ConnectLoad(const BenchOptions& options) : _options(options) {}
    BenchResult run();

private:
    BenchOptions _options;
};

}  // namespace tars::bench
