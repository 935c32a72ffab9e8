#include "BenchOptions.h"

#include <getopt.h>

#include <cstdio>
#include <sstream>

#include "CommandLine.h"

namespace tars::bench {

namespace {

constexpr int kFirstEndpointTimeoutMs = 60000;

enum LongOnly {
    OPT_SERVANT = 1000,
    OPT_FUNC,
    OPT_WARMUP,
    OPT_RATE,
    OPT_NETTHREADS,
    OPT_ASYNCTHREADS,
    OPT_TIMEOUT,
    OPT_EXPECT,
    OPT_SSL,
    OPT_CA,
    OPT_CERT,
    OPT_KEY,
    OPT_STAT,
    OPT_UNIX,
};

}  // namespace

const char* modeName(BenchMode mode) {
    switch (mode) {
        case BenchMode::Sync: return "sync";
        case BenchMode::Async: return "async";
        case BenchMode::Raw: return "raw";
        case BenchMode::Connect: return "connect";
    }
    return "?";
}

const char* BenchOptions::helpText() {
    return R"(tars-bench: a load generator for TARS servants (like wrk, for TARS).

Usage: tars-bench --port PORT [options]

It calls TestApp.HelloServer.HelloObj's
    int testHello(string sReq, out string sRsp)
(examples/hello/Hello.tars) with sReq of --payload bytes, and prints QPS, latency
percentiles and failed calls by return code. Exit status: 0 when every call succeeded,
1 when any call failed (or none succeeded, or the server could not be reached), 2 for
bad usage.

Modes (--mode):
  sync    blocking calls through the generated proxy (TestApp::HelloPrx) of our client
          runtime: each of --threads threads makes one call at a time (ping-pong).
  async   callback calls through the same proxy: --outstanding calls in flight per
          connection (connections x outstanding in all); a call's callback issues the
          next one. --threads threads start the calls (and pace them with --rate).
  raw     no client runtime: tars-bench opens --connections TCP connections itself
          (epoll, --threads threads, connections spread over them), writes one
          RequestPacket encoded once at start (4-byte big-endian length framing) and
          keeps --outstanding frames in flight on each connection. Replies are only
          counted: the 4-byte length is read and the body skipped, so the client costs
          almost nothing and the figure is the server's. The first reply of each
          connection, and any reply whose length differs from it, is checked in full
          (see --expect); a reply that fails the check counts as failed.
  connect new connections: each of --threads threads opens a connection (TLS with
          --ssl: a full handshake, no session resumption), sends one pre-encoded
          testHello request as raw mode does, reads and checks the reply, closes the
          connection, and starts over. QPS is connections per second; latency is
          connect + handshake + call. No client runtime: the cost measured is the
          server's accept (and handshake) plus this loop's own.

Target:
  -H, --host ADDR        server address (default 127.0.0.1)
  -p, --port PORT        server port (required, unless --unix)
      --unix PATH        sync and async modes: call over the Unix-domain socket PATH
                         (endpoints `unix -h PATH`) instead of TCP to --host/--port
      --servant NAME     servant object (default TestApp.HelloServer.HelloObj)
      --func NAME        function name of raw-mode requests (default testHello)
      --expect KIND      raw mode: what a checked reply must be. tars (default): a
                         ResponsePacket with iRet 0 whose sRsp equals sReq; echo: the
                         request frame itself (for tests/bench/floor's bench-floor-echo)

Load:
  -m, --mode MODE        sync, async (default), raw or connect
  -t, --threads N        caller threads (sync, async) or epoll threads (raw); default 1
  -c, --connections N    TCP connections (default 1). Our client runtime opens one
                         connection per endpoint per network thread, so tars-bench lists
                         the server connections / netthreads times in the object string,
                         each copy with its own -t value (60000, 60001, ...) so they are
                         distinct endpoints; calls are balanced round robin over them.
                         Must be a multiple of --netthreads in sync and async modes.
  -k, --outstanding N    calls in flight per connection (async, raw; default 1)
  -s, --payload BYTES    size of sReq (default 64; K and M suffixes: 4K, 1M)
  -d, --duration SEC     seconds to measure (default 10), after the warm-up
  -n, --requests N       make N calls instead (no warm-up unless --warmup is given)
      --warmup SEC       seconds of load before measuring (default 1; 0 with -n)
      --rate QPS         open loop at a fixed total rate: call i of a thread is due at
                         start + i / (QPS / threads), evenly spread. Latency is measured
                         from the due time, so time spent waiting for a free slot (more
                         than outstanding calls due) or behind a slow server counts (no
                         coordinated omission). A sending thread wakes at most every
                         50 us and sends every call then due, so a call may leave up to
                         50 us late (counted in its latency). Default 0: closed loop, as
                         fast as the server answers.

TLS (sync, async, connect):
      --ssl              ssl endpoints instead of tcp: the server's certificate is
                         verified (against --ca) and its name against --host
      --ca FILE          PEM file of the CAs that sign the server's certificate (the
                         Communicator's `ca`); without it, the system's trust store
      --cert FILE        client certificate, for servers with verifyclient=1
      --key FILE         private key of --cert

Client runtime (sync, async):
      --netthreads N     client network threads, the Communicator's netthread (default 1)
      --asyncthreads N   callback threads, the Communicator's asyncthread (default 1); 0 runs
                         the callbacks on the network threads instead (TARS's
                         ServantProxyCallback::setNetThreadProcess), one thread hop less
      --timeout MS       call timeout (default 3000; raw mode: sent as iTimeout)
      --stat OBJ         count every call in call statistics and report them to OBJ every
                         second (the Communicator's `stat`, report-interval 1000): the
                         reporting overhead (tests/bench/stat_overhead.sh)

  -h, --help             this text

Output: a block for people, then one line for scripts:
  RESULT qps=.. ok=.. failed=.. p50_us=.. p90_us=.. p99_us=.. p999_us=.. max_us=.. mean_us=..
QPS counts successful calls per measured second. Latency percentiles cover successful
calls ending in the measured window, from the call's start (closed loop) or due time
(--rate) to its end.

Accuracy: latencies go into a log-linear histogram (32 buckets per power of two from
32 ns up, 1 ns buckets below; no allocation per call). A reported percentile is the
middle of its bucket: within 1.6 % of the true value; min, max and mean are exact.
Timestamps are CLOCK_MONOTONIC. In raw mode replies are matched to requests in order per
connection; a server that answers one connection's requests out of order (several
handle threads) makes single latencies approximate, their mean stays exact.

Examples:
  tars-bench -p 20001 -m sync -t 16 -c 16 -d 5          # ping-pong, 16 connections
  tars-bench -p 20001 -m async -c 16 -k 32 -d 5         # pipelined through the runtime
  tars-bench -p 20001 -m raw -c 16 -k 32 -d 5           # server capacity
  tars-bench -p 20001 -m async -c 16 -k 32 --rate 20000 # latency at a fixed load
  tars-bench -p 20002 --ssl --ca ca.pem -m async -c 16 -k 32  # pipelined over TLS
  tars-bench -p 20002 --ssl --ca ca.pem -m connect -t 4 # TLS handshakes per second
)";
}

std::string BenchOptions::objectString() const {
    std::string object = servant + "@";
    int perThread = connections / (netThreads > 0 ? netThreads : 1);
    if (perThread < 1) perThread = 1;
    for (int i = 0; i < perThread; ++i) {
        if (i) object += ":";
        object += std::string(transport()) + " " + address() + " -t " + std::to_string(kFirstEndpointTimeoutMs + i);
    }
    return object;
}

std::string BenchOptions::address() const {
    return unixPath.empty() ? "-h " + host + " -p " + std::to_string(port) : "-h " + unixPath;
}

std::string BenchOptions::describe() const {
    std::ostringstream out;
    out << "mode       " << modeName(mode);
    switch (mode) {
        case BenchMode::Sync:
            out << " (blocking proxy calls: " << threads << " threads, " << connections << " connections, "
                << netThreads << " network threads)";
            break;
        case BenchMode::Async:
            out << " (callback proxy calls: " << connections << " connections x " << outstanding << " outstanding, "
                << threads << " caller threads, " << netThreads << " network threads, "
                << (asyncThreads > 0 ? std::to_string(asyncThreads) + " callback threads)"
                                     : std::string("callbacks on the network threads)"));
            break;
        case BenchMode::Raw:
            out << " (pre-encoded frames: " << connections << " connections x " << outstanding << " outstanding, "
                << threads << " epoll threads, replies checked as " << (expect == RawExpect::Tars ? "tars" : "echo")
                << ")";
            break;
        case BenchMode::Connect:
            out << " (a new " << (ssl ? "TLS " : "") << "connection per call: " << threads << " threads)";
            break;
    }
    out << "\ntarget     " << servant << "@" << transport() << " " << address();
    if (ssl) out << " (ca " << (ca.empty() ? std::string("the system's trust store") : ca) << ")";
    if (mode == BenchMode::Raw || mode == BenchMode::Connect) out << " (function " << func << ")";
    out << "\npayload    " << payload << " bytes";
    if (rate > 0) {
        out << "\nrate       " << rate << " calls/s (open loop)";
    } else {
        out << "\nrate       as fast as possible (closed loop)";
    }
    out << "\n";
    return out.str();
}

BenchOptions BenchOptions::parse(int argc, char** argv) {
    static const option longOptions[] = {
        {"host", required_argument, nullptr, 'H'},
        {"port", required_argument, nullptr, 'p'},
        {"servant", required_argument, nullptr, OPT_SERVANT},
        {"func", required_argument, nullptr, OPT_FUNC},
        {"expect", required_argument, nullptr, OPT_EXPECT},
        {"mode", required_argument, nullptr, 'm'},
        {"threads", required_argument, nullptr, 't'},
        {"connections", required_argument, nullptr, 'c'},
        {"outstanding", required_argument, nullptr, 'k'},
        {"payload", required_argument, nullptr, 's'},
        {"duration", required_argument, nullptr, 'd'},
        {"requests", required_argument, nullptr, 'n'},
        {"warmup", required_argument, nullptr, OPT_WARMUP},
        {"rate", required_argument, nullptr, OPT_RATE},
        {"netthreads", required_argument, nullptr, OPT_NETTHREADS},
        {"asyncthreads", required_argument, nullptr, OPT_ASYNCTHREADS},
        {"timeout", required_argument, nullptr, OPT_TIMEOUT},
        {"ssl", no_argument, nullptr, OPT_SSL},
        {"ca", required_argument, nullptr, OPT_CA},
        {"cert", required_argument, nullptr, OPT_CERT},
        {"key", required_argument, nullptr, OPT_KEY},
        {"stat", required_argument, nullptr, OPT_STAT},
        {"unix", required_argument, nullptr, OPT_UNIX},
        {"help", no_argument, nullptr, 'h'},
        {nullptr, 0, nullptr, 0},
    };
    BenchOptions o;
    bool durationGiven = false;
    bool outstandingGiven = false;
    bool portGiven = false;
    bool funcGiven = false;
    bool expectGiven = false;
    bool connectionsGiven = false;
    opterr = 0;  // our own messages
    optind = 1;
    for (;;) {
        int index = 0;
        int c = getopt_long(argc, argv, ":H:p:m:t:c:k:s:d:n:h", longOptions, &index);
        if (c == -1) break;
        std::string name;
        if (c == '?' || c == ':') {
            std::string given = optopt ? std::string("-") + static_cast<char>(optopt) : argv[optind - 1];
            throw UsageError(c == '?' ? "unknown option " + given : "option " + given + " needs a value");
        }
        std::string value = optarg ? optarg : "";
        switch (c) {
            case 'h': o.help = true; return o;
            case 'H':
                if (value.empty()) throw UsageError("option --host: empty address");
                o.host = value;
                break;
            case 'p':
                o.port = static_cast<int>(parseInteger("--port", value, 1, 65535));
                portGiven = true;
                break;
            case OPT_SERVANT:
                if (value.empty() || value.find_first_of("@: \t") != std::string::npos) {
                    throw UsageError("option --servant: '" + value + "' is not an object name (App.Server.Obj)");
                }
                o.servant = value;
                break;
            case OPT_FUNC:
                if (value.empty()) throw UsageError("option --func: empty function name");
                o.func = value;
                funcGiven = true;
                break;
            case OPT_EXPECT:
                if (value == "tars") {
                    o.expect = RawExpect::Tars;
                } else if (value == "echo") {
                    o.expect = RawExpect::Echo;
                } else {
                    throw UsageError("option --expect: '" + value + "' is not tars or echo");
                }
                expectGiven = true;
                break;
            case 'm':
                if (value == "sync") {
                    o.mode = BenchMode::Sync;
                } else if (value == "async") {
                    o.mode = BenchMode::Async;
                } else if (value == "raw") {
                    o.mode = BenchMode::Raw;
                } else if (value == "connect") {
                    o.mode = BenchMode::Connect;
                } else {
                    throw UsageError("option --mode: '" + value + "' is not sync, async, raw or connect");
                }
                break;
            case 't': o.threads = static_cast<int>(parseInteger("--threads", value, 1, 1024)); break;
            case 'c':
                o.connections = static_cast<int>(parseInteger("--connections", value, 1, 100000));
                connectionsGiven = true;
                break;
            case 'k':
                o.outstanding = static_cast<int>(parseInteger("--outstanding", value, 1, 65536));
                outstandingGiven = true;
                break;
            case 's': o.payload = parseBytes("--payload", value, 0, 64 * 1024 * 1024); break;
            case 'd':
                o.duration = parseNumber("--duration", value, 0.001, 86400);
                durationGiven = true;
                break;
            case 'n': o.requests = parseInteger("--requests", value, 1, int64_t{1} << 50); break;
            case OPT_WARMUP: o.warmup = parseNumber("--warmup", value, 0, 3600); break;
            case OPT_RATE: o.rate = parseNumber("--rate", value, 0, 1e9); break;
            case OPT_NETTHREADS: o.netThreads = static_cast<int>(parseInteger("--netthreads", value, 1, 64)); break;
            case OPT_ASYNCTHREADS:
                o.asyncThreads = static_cast<int>(parseInteger("--asyncthreads", value, 0, 1024));
                break;
            case OPT_TIMEOUT: o.timeoutMs = static_cast<int>(parseInteger("--timeout", value, 1, 3600000)); break;
            case OPT_SSL: o.ssl = true; break;
            case OPT_CA:
            case OPT_CERT:
            case OPT_KEY: {
                if (value.empty())
                    throw UsageError(std::string("option --") + longOptions[index].name + ": empty file name");
                (c == OPT_CA ? o.ca : c == OPT_CERT ? o.cert : o.key) = value;
                break;
            }
            case OPT_UNIX:
                if (value.empty() || value.find_first_of(" \t:") != std::string::npos) {
                    throw UsageError("option --unix: '" + value + "' is not a socket path (no spaces or ':')");
                }
                o.unixPath = value;
                break;
            case OPT_STAT:
                if (value.empty()) throw UsageError("option --stat: empty object");
                o.statObject = value;
                break;
            default: throw UsageError("unknown option " + std::string(argv[optind - 1]));
        }
    }
    if (optind < argc) throw UsageError("unexpected argument '" + std::string(argv[optind]) + "'");
    if (!o.unixPath.empty()) {
        if (portGiven) throw UsageError("--unix and --port do not go together");
        if (o.ssl) throw UsageError("--unix and --ssl do not go together");
        if (o.mode != BenchMode::Sync && o.mode != BenchMode::Async) {
            throw UsageError("--unix applies to sync and async modes (raw and connect open TCP connections)");
        }
    } else if (!portGiven) {
        throw UsageError("--port is required");
    }
    if (durationGiven && o.requests > 0) throw UsageError("--duration and --requests do not go together");
    if (o.mode == BenchMode::Sync && outstandingGiven && o.outstanding != 1) {
        throw UsageError("--outstanding does not apply to sync mode (one call per thread; use --threads)");
    }
    if (o.mode != BenchMode::Raw && (funcGiven || expectGiven)) {
        throw UsageError("--func and --expect apply to raw mode only (proxy modes call testHello)");
    }
    if (!o.ssl && !(o.ca.empty() && o.cert.empty() && o.key.empty())) {
        throw UsageError("--ca, --cert and --key need --ssl");
    }
    if (o.cert.empty() != o.key.empty()) throw UsageError("--cert and --key go together");
    if (o.ssl && o.mode == BenchMode::Raw) throw UsageError("--ssl applies to sync, async and connect modes");
    if (o.mode == BenchMode::Connect && (connectionsGiven || outstandingGiven || o.rate > 0)) {
        throw UsageError(
            "--connections, --outstanding and --rate do not apply to connect mode (--threads "
            "connections at a time, one call each)");
    }
    if (o.mode != BenchMode::Raw && o.connections % o.netThreads != 0) {
        throw UsageError("--connections (" + std::to_string(o.connections) + ") must be a multiple of --netthreads (" +
                         std::to_string(o.netThreads) + "): each network thread has one connection per endpoint");
    }
    if (o.mode == BenchMode::Raw && o.threads > o.connections) {
        throw UsageError("--threads (" + std::to_string(o.threads) + ") exceeds --connections (" +
                         std::to_string(o.connections) + "): raw mode gives each thread its own connections");
    }
    return o;
}

}  // namespace tars::bench
