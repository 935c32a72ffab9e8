// BenchOptions: what a tars-bench run does, parsed from its command line.
// parse() returns the options, or throws UsageError (bad option, bad value, options that
// do not go together); `--help` sets `help` and nothing else is checked. Plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tars::bench {

enum class BenchMode {
    Sync,     // blocking proxy calls, one per caller thread at a time
    Async,    // callback proxy calls, `outstanding` per connection in flight
    Raw,      // pre-encoded frames on our own sockets: the server's cost alone
    Connect,  // a new connection per call (TLS with --ssl): connections per second
};

// What raw mode checks in the replies it validates (see --help).
enum class RawExpect { Tars, Echo };

struct BenchOptions {
    BenchMode mode = BenchMode::Async;
    std::string host = "127.0.0.1";
    int port = 0;
    std::string servant = "TestApp.HelloServer.HelloObj";
    std::string func = "testHello";  // raw mode only: proxy modes call testHello
    int threads = 1;
    int connections = 1;
    int outstanding = 1;
    int64_t payload = 64;
    double duration = 10.0;  // seconds measured, when requests == 0
    double warmup = -1.0;    // seconds before measuring; < 0: the default (1 s, 0 with --requests)
    int64_t requests = 0;    // > 0: this many calls instead of a duration
    double rate = 0.0;       // calls per second for the whole run; 0: as fast as possible
    int netThreads = 1;      // client network threads (proxy modes)
    int asyncThreads = 1;    // client callback threads (async mode); 0: callbacks on the network threads
    int timeoutMs = 3000;    // call timeout (proxy modes; sent as iTimeout in raw mode)
    RawExpect expect = RawExpect::Tars;
    bool ssl = false;        // ssl endpoints (TLS) instead of tcp
    std::string unixPath;    // --unix: a Unix-domain socket path instead of host and port
    std::string ca;          // --ssl: PEM file of the CAs that sign the server's certificate
    std::string cert;        // --ssl: client certificate (servers with verifyclient=1)
    std::string key;         // --ssl: its private key
    std::string statObject;  // --stat: the Communicator's `stat` (call statistics on)
    bool help = false;

    double warmupSeconds() const { return warmup >= 0 ? warmup : (requests > 0 ? 0.0 : 1.0); }
    // "TestApp.HelloServer.HelloObj@tcp -h ... -p ... -t 60000:tcp ..." with one endpoint
    // per connection of a network thread (see --help: connections); ssl with --ssl.
    std::string objectString() const;
    const char* transport() const { return !unixPath.empty() ? "unix" : ssl ? "ssl" : "tcp"; }
    // "-h HOST -p PORT", or "-h PATH" for a Unix socket.
    std::string address() const;
    // One line describing the run, printed before the results.
    std::string describe() const;

    static BenchOptions parse(int argc, char** argv);
    static const char* helpText();
};

const char* modeName(BenchMode mode);

}  // namespace tars::bench
