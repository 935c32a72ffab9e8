// RawLoad: tars-bench's raw mode. It measures a server with almost no client cost: one
// RequestPacket is encoded once (our codec, the generated RequestF), and every request on
// every connection is those same bytes; replies are counted by their 4-byte length
// prefix and their bodies skipped.
//
// Threads: options.threads epoll loops, each owning connections i, i + threads, ...;
// each keeps options.outstanding frames in flight per connection (closed loop), or sends
// at its share of options.rate (open loop, see Pacer.h), never more than outstanding in
// flight. Checked replies (the first of a connection, and any whose length differs from
// it) are decoded in full: a ResponsePacket with iRet 0 whose sRsp is the payload (or,
// with RawExpect::Echo, the request frame itself); others count as failed with their
// iRet, or -12 when they do not decode. A lost connection counts its frames in flight as
// failed with -8.
//
// run() connects (throws std::runtime_error when the server cannot be reached), runs,
// and returns the merged result once every thread stopped. One run per object.
#pragma once

#include <string>

#include "BenchOptions.h"
#include "BenchResult.h"

namespace tars::bench {

class RawLoad {
public:
    explicit RawLoad(const BenchOptions& options) : _options(options) {}
    BenchResult run();

    // The framed request of options (4-byte big-endian length, then the RequestPacket).
    static std::string encodeRequest(const BenchOptions& options);
    // The code of a reply body (the frame after its 4-byte length) to that request: 0 for a
    // ResponsePacket with iRet 0 whose sRsp has the payload's size, else iRet or -12.
    static int checkReply(const BenchOptions& options, const std::string& body);

private:
    BenchOptions _options;
};

}  // namespace tars::bench
