// bench-grpc-client: the gRPC load generator beside tars-bench. Same options, same
// report (BenchResult), so compare.sh reads both alike:
//
//   sync:  --threads threads, each making one blocking Echo.Call at a time on its channel
//          (thread i uses channel i mod connections);
//   async: the completion-queue API; --connections channels, each its own TCP connection,
//          with --outstanding calls in flight each; --threads threads, each owning a
//          completion queue and the channels i, i + threads, ...; closed loop (a reply
//          starts the next call) or, with --rate, calls started at their due times (Pacer.h).
//
// With --ssl the channels are TLS ones (grpc::SslCredentials, trusting --ca).
//
// Failed calls are counted by gRPC status code (4 DEADLINE_EXCEEDED, 14 UNAVAILABLE, ...);
// a reply whose payload is not the request's counts as -12. Exit 0 when every call
// succeeded, 1 otherwise, 2 for bad usage.
#include <getopt.h>
#include <sys/prctl.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "BenchResult.h"
#include "CommandLine.h"
#include "Pacer.h"
#include "echo.grpc.pb.h"

namespace {

using namespace tars::bench;

constexpr int kBadReply = -12;

struct Options {
    std::string host = "127.0.0.1";
    int port = 0;
    bool async = true;
    int threads = 1;
    int connections = 1;
    int outstanding = 1;
    int64_t payload = 64;
    double duration = 10.0;
    double warmup = -1.0;
    int64_t requests = 0;
    double rate = 0.0;
    int timeoutMs = 3000;
    bool ssl = false;
    std::string caPem;       // --ca's contents
    std::string targetName;  // --target-name: the name checked against the certificate

    double warmupSeconds() const { return warmup >= 0 ? warmup : (requests > 0 ? 0.0 : 1.0); }
};

const char* kHelp = R"(bench-grpc-client: the gRPC load generator beside tars-bench.

Usage: bench-grpc-client --port PORT [options]

Calls benchgrpc.Echo/Call (tests/bench/grpc/echo.proto) on bench-grpc-server and
prints the report tars-bench prints (QPS, latency percentiles, failures by gRPC status
code, and a RESULT line). Options mean what they mean for tars-bench:

  -H, --host ADDR        server address (default 127.0.0.1)
  -p, --port PORT        server port (required)
  -m, --mode MODE        sync (blocking stubs, one call per thread) or async (default:
                         completion queues, --outstanding calls per channel)
  -t, --threads N        caller threads (sync) or completion-queue threads (async); default 1
  -c, --connections N    channels, each its own TCP connection (default 1)
  -k, --outstanding N    calls in flight per channel (async; default 1)
  -s, --payload BYTES    payload size (default 64; K, M suffixes)
  -d, --duration SEC     seconds to measure (default 10) after the warm-up
  -n, --requests N       make N calls instead
      --warmup SEC       seconds before measuring (default 1; 0 with -n)
      --rate QPS         open loop at a fixed total rate (latency from each call's due time)
      --timeout MS       call deadline (default 3000)
      --ssl              TLS channels (grpc::SslCredentials): the server's certificate
                         is verified against --ca, its name against --host
      --ca FILE          PEM file of the CAs that sign the server's certificate
                         (default: gRPC's roots)
      --target-name NAME check the certificate against NAME instead of --host
  -h, --help             this text

Latency accuracy: as tars-bench (log-linear histogram, percentiles within 1.6 %).
)";

Options parse(int argc, char** argv, bool& help) {
    static const option longOptions[] = {
        {"host", required_argument, nullptr, 'H'},
        {"port", required_argument, nullptr, 'p'},
        {"mode", required_argument, nullptr, 'm'},
        {"threads", required_argument, nullptr, 't'},
        {"connections", required_argument, nullptr, 'c'},
        {"outstanding", required_argument, nullptr, 'k'},
        {"payload", required_argument, nullptr, 's'},
        {"duration", required_argument, nullptr, 'd'},
        {"requests", required_argument, nullptr, 'n'},
        {"warmup", required_argument, nullptr, 'W'},
        {"rate", required_argument, nullptr, 'R'},
        {"timeout", required_argument, nullptr, 'T'},
        {"ssl", no_argument, nullptr, 'S'},
        {"ca", required_argument, nullptr, 'A'},
        {"target-name", required_argument, nullptr, 'N'},
        {"help", no_argument, nullptr, 'h'},
        {nullptr, 0, nullptr, 0},
    };
    Options o;
    bool portGiven = false;
    bool durationGiven = false;
    bool outstandingGiven = false;
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, ":H:p:m:t:c:k:s:d:n:h", longOptions, nullptr)) != -1;) {
        if (c == '?' || c == ':') {
            std::string given = optopt ? std::string("-") + static_cast<char>(optopt) : argv[optind - 1];
            throw UsageError(c == '?' ? "unknown option " + given : "option " + given + " needs a value");
        }
        std::string value = optarg ? optarg : "";
        switch (c) {
            case 'h': help = true; return o;
            case 'H': o.host = value; break;
            case 'p':
                o.port = static_cast<int>(parseInteger("--port", value, 1, 65535));
                portGiven = true;
                break;
            case 'm':
                if (value != "sync" && value != "async")
                    throw UsageError("option --mode: '" + value + "' is not sync or async");
                o.async = value == "async";
                break;
            case 't': o.threads = static_cast<int>(parseInteger("--threads", value, 1, 1024)); break;
            case 'c': o.connections = static_cast<int>(parseInteger("--connections", value, 1, 100000)); break;
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
            case 'W': o.warmup = parseNumber("--warmup", value, 0, 3600); break;
            case 'R': o.rate = parseNumber("--rate", value, 0, 1e9); break;
            case 'T': o.timeoutMs = static_cast<int>(parseInteger("--timeout", value, 1, 3600000)); break;
            case 'S': o.ssl = true; break;
            case 'A': {
                std::ifstream in(value, std::ios::binary);
                std::ostringstream text;
                text << in.rdbuf();
                if (!in || text.str().empty()) throw UsageError("option --ca: cannot read '" + value + "'");
                o.caPem = text.str();
                break;
            }
            case 'N':
                if (value.empty()) throw UsageError("option --target-name: empty name");
                o.targetName = value;
                break;
            default: throw UsageError("unknown option " + std::string(argv[optind - 1]));
        }
    }
    if (optind < argc) throw UsageError("unexpected argument '" + std::string(argv[optind]) + "'");
    if (!portGiven) throw UsageError("--port is required");
    if (!o.ssl && (!o.caPem.empty() || !o.targetName.empty())) throw UsageError("--ca and --target-name need --ssl");
    if (durationGiven && o.requests > 0) throw UsageError("--duration and --requests do not go together");
    if (!o.async && outstandingGiven && o.outstanding != 1) {
        throw UsageError("--outstanding does not apply to sync mode (one call per thread; use --threads)");
    }
    if (o.async && o.threads > o.connections) {
        throw UsageError("--threads exceeds --connections: each completion-queue thread owns whole channels");
    }
    return o;
}

std::string describeGrpcCode(int code) {
    switch (code) {
        case 1: return "CANCELLED";
        case 2: return "UNKNOWN";
        case 4: return "DEADLINE_EXCEEDED";
        case 8: return "RESOURCE_EXHAUSTED";
        case 13: return "INTERNAL";
        case 14: return "UNAVAILABLE";
        case kBadReply: return "reply payload differs";
        default: return "";
    }
}

void sleepUntil(uint64_t nanos) {
    timespec ts{static_cast<time_t>(nanos / 1000000000ull), static_cast<long>(nanos % 1000000000ull)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
}

// What the threads of a run share; the window is fixed before the first call.
struct Run {
    const Options& options;
    std::string payload;
    uint64_t begin = 0;
    MeasureWindow window;
    bool countMode = false;
    std::atomic<int64_t> quota{0};

    explicit Run(const Options& o) : options(o), payload(static_cast<size_t>(o.payload), 'x') {}

    bool mayStart(uint64_t startedAt) {
        if (!countMode) return startedAt < window.end;
        if (startedAt < window.start) return true;
        return quota.fetch_sub(1, std::memory_order_relaxed) > 0;
    }
    bool shouldRecord(uint64_t startedAt, uint64_t endedAt) const {
        return countMode ? startedAt >= window.start : window.contains(endedAt);
    }
};

// What one thread measured.
struct ThreadResult {
    LatencyHistogram latency;
    ErrorCounts errors;
    uint64_t lastEnd = 0;

    void record(const Run& run, uint64_t startedAt, uint64_t endedAt, int code) {
        if (!run.shouldRecord(startedAt, endedAt)) return;
        if (code == 0) {
            latency.record(endedAt - startedAt);
        } else {
            errors.add(code);
        }
        lastEnd = std::max(lastEnd, endedAt);
    }
};

std::shared_ptr<grpc::Channel> makeChannel(const Options& o, int index) {
    grpc::ChannelArguments args;
    // A channel of its own connection: no subchannel shared between channels.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("tars.bench.channel", index);
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (o.ssl) {
        grpc::SslCredentialsOptions tls;
        tls.pem_root_certs = o.caPem;
        credentials = grpc::SslCredentials(tls);
        if (!o.targetName.empty()) args.SetSslTargetNameOverride(o.targetName);
    }
    return grpc::CreateCustomChannel(o.host + ":" + std::to_string(o.port), credentials, args);
}

int codeOf(const grpc::Status& status, const benchgrpc::EchoReply& reply, size_t payload) {
    if (!status.ok()) return static_cast<int>(status.error_code());
    if (reply.ret() != 0) return reply.ret();
    return reply.payload().size() == payload ? 0 : kBadReply;
}

void syncCaller(Run& run, benchgrpc::Echo::Stub& stub, int index, ThreadResult& out) {
    const Options& o = run.options;
    Pacer pacer(o.rate / o.threads, run.begin, static_cast<double>(index) / o.threads);
    if (pacer.paced()) prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    benchgrpc::EchoRequest request;
    request.set_payload(run.payload);
    benchgrpc::EchoReply reply;
    for (;;) {
        uint64_t startedAt = nowNanos();
        if (pacer.paced()) {
            uint64_t due = pacer.nextDue();
            if (due > startedAt) sleepUntil(due);
            startedAt = pacer.take(startedAt);
        }
        if (!run.mayStart(startedAt)) return;
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(o.timeoutMs));
        reply.Clear();
        grpc::Status status = stub.Call(&context, request, &reply);
        out.record(run, startedAt, nowNanos(), codeOf(status, reply, run.payload.size()));
    }
}

// One call slot of the async client; its address is the completion-queue tag.
struct AsyncSlot {
    benchgrpc::Echo::Stub* stub = nullptr;
    std::optional<grpc::ClientContext> context;  // a context serves one call only
    std::unique_ptr<grpc::ClientAsyncResponseReader<benchgrpc::EchoReply>> reader;
    benchgrpc::EchoReply reply;
    grpc::Status status;
    uint64_t startedAt = 0;
};

void asyncCaller(Run& run, std::vector<benchgrpc::Echo::Stub*> stubs, int index, ThreadResult& out) {
    const Options& o = run.options;
    grpc::CompletionQueue queue;
    benchgrpc::EchoRequest request;
    request.set_payload(run.payload);
    std::vector<std::unique_ptr<AsyncSlot>> slots;
    std::vector<AsyncSlot*> freeSlots;
    for (auto* stub : stubs) {
        for (int k = 0; k < o.outstanding; ++k) {
            slots.push_back(std::make_unique<AsyncSlot>());
            slots.back()->stub = stub;
            freeSlots.push_back(slots.back().get());
        }
    }
    size_t inFlight = 0;
    auto start = [&](AsyncSlot* slot, uint64_t startedAt) {
        slot->startedAt = startedAt;
        slot->context.emplace();
        slot->context->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(o.timeoutMs));
        slot->reply.Clear();
        slot->reader = slot->stub->AsyncCall(&*slot->context, request, &queue);
        slot->reader->Finish(&slot->reply, &slot->status, slot);
        ++inFlight;
    };

    Pacer pacer(o.rate / o.threads, run.begin, static_cast<double>(index) / o.threads);
    if (pacer.paced()) prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
    bool stopping = false;
    uint64_t lastPacedSend = 0;
    if (!pacer.paced()) {
        uint64_t now = nowNanos();
        while (!freeSlots.empty() && run.mayStart(now)) {
            start(freeSlots.back(), now);
            freeSlots.pop_back();
        }
        if (!freeSlots.empty()) stopping = true;
    }
    for (;;) {
        uint64_t now = nowNanos();
        if (pacer.paced() && !stopping) {
            while (!freeSlots.empty() && pacer.due(now)) {
                uint64_t due = pacer.nextDue();
                if (!run.mayStart(due)) {
                    stopping = true;
                    break;
                }
                pacer.take(now);
                start(freeSlots.back(), due);
                freeSlots.pop_back();
                lastPacedSend = now;
            }
        }
        if (stopping && inFlight == 0) break;
        // Wake for a reply, or for the next due call when a slot is free to take it.
        uint64_t wakeAt = now + 100'000'000ull;
        if (pacer.paced() && !stopping && !freeSlots.empty()) wakeAt = std::min(wakeAt, pacer.wakeAt(lastPacedSend));
        auto deadline = std::chrono::system_clock::now() + std::chrono::nanoseconds(wakeAt > now ? wakeAt - now : 0);
        void* tag = nullptr;
        bool ok = false;
        auto got = queue.AsyncNext(&tag, &ok, deadline);
        if (got == grpc::CompletionQueue::SHUTDOWN) break;
        if (got == grpc::CompletionQueue::TIMEOUT) {
            if (!pacer.paced() && !run.countMode && nowNanos() >= run.window.end) stopping = true;
            continue;
        }
        auto* slot = static_cast<AsyncSlot*>(tag);
        --inFlight;
        uint64_t endedAt = nowNanos();
        int code = ok ? codeOf(slot->status, slot->reply, run.payload.size()) : 1;
        out.record(run, slot->startedAt, endedAt, code);
        if (!pacer.paced() && !stopping && run.mayStart(endedAt)) {
            start(slot, endedAt);
        } else {
            freeSlots.push_back(slot);
            if (!pacer.paced()) stopping = true;
        }
        if (pacer.paced() && !run.countMode && endedAt >= run.window.end) stopping = true;
    }
    queue.Shutdown();
    void* tag = nullptr;
    bool ok = false;
    while (queue.Next(&tag, &ok)) {
    }
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    try {
        bool help = false;
        o = parse(argc, argv, help);
        if (help) {
            std::fputs(kHelp, stdout);
            return 0;
        }
    } catch (const UsageError& e) {
        std::fprintf(stderr, "bench-grpc-client: %s\nTry 'bench-grpc-client --help'.\n", e.what());
        return 2;
    }

    std::ostringstream header;
    if (o.async) {
        header << "mode       grpc-async (completion queues: " << o.connections << " connections x " << o.outstanding
               << " outstanding, " << o.threads << " threads)\n";
    } else {
        header << "mode       grpc-sync (blocking stubs: " << o.threads << " threads, " << o.connections
               << " connections)\n";
    }
    header << "target     benchgrpc.Echo/Call@" << o.host << ":" << o.port << (o.ssl ? " (TLS)" : "") << "\npayload    "
           << o.payload << " bytes\n";
    if (o.rate > 0) {
        header << "rate       " << o.rate << " calls/s (open loop)\n";
    } else {
        header << "rate       as fast as possible (closed loop)\n";
    }
    std::cout << header.str() << std::flush;

    std::vector<std::shared_ptr<grpc::Channel>> channels;
    std::vector<std::unique_ptr<benchgrpc::Echo::Stub>> stubs;
    for (int i = 0; i < o.connections; ++i) {
        channels.push_back(makeChannel(o, i));
        if (!channels.back()->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
            std::fprintf(stderr, "bench-grpc-client: cannot connect to %s:%d\n", o.host.c_str(), o.port);
            return 1;
        }
        stubs.push_back(benchgrpc::Echo::NewStub(channels.back()));
    }

    Run run(o);
    run.begin = nowNanos();
    run.window.start = run.begin + static_cast<uint64_t>(o.warmupSeconds() * 1e9);
    run.countMode = o.requests > 0;
    run.window.end = run.countMode ? UINT64_MAX : run.window.start + static_cast<uint64_t>(o.duration * 1e9);
    run.quota.store(o.requests);

    std::vector<ThreadResult> results(static_cast<size_t>(o.threads));
    std::vector<std::thread> threads;
    for (int t = 0; t < o.threads; ++t) {
        if (o.async) {
            std::vector<benchgrpc::Echo::Stub*> mine;
            for (size_t i = static_cast<size_t>(t); i < stubs.size(); i += static_cast<size_t>(o.threads)) {
                mine.push_back(stubs[i].get());
            }
            threads.emplace_back(asyncCaller, std::ref(run), std::move(mine), t,
                                 std::ref(results[static_cast<size_t>(t)]));
        } else {
            threads.emplace_back(syncCaller, std::ref(run), std::ref(*stubs[static_cast<size_t>(t % o.connections)]), t,
                                 std::ref(results[static_cast<size_t>(t)]));
        }
    }
    for (auto& t : threads) t.join();

    BenchResult result;
    uint64_t lastEnd = 0;
    for (auto& r : results) {
        result.latency.merge(r.latency);
        result.errors.merge(r.errors);
        lastEnd = std::max(lastEnd, r.lastEnd);
    }
    result.warmupSeconds = o.warmupSeconds();
    result.seconds = run.countMode
                         ? (lastEnd > run.window.start ? static_cast<double>(lastEnd - run.window.start) / 1e9 : 0)
                         : o.duration;
    result.print(std::cout, describeGrpcCode);
    if (result.failed() > 0 || result.ok() == 0) {
        std::fprintf(stderr, "bench-grpc-client: %s\n", result.ok() == 0 ? "no call succeeded" : "some calls failed");
        return 1;
    }
    return 0;
}
