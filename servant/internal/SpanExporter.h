// SpanExporter: sends finished spans to an OpenTelemetry collector as OTLP over HTTP with
// JSON (POST <url>, Content-Type application/json, one ExportTraceServiceRequest per
// batch), from a thread of its own.
//
// add() never waits for the network: it queues the span (one short lock) and returns; a
// full queue (maxQueue) drops the span and counts it. The thread sends a batch when
// maxBatch spans wait or flushIntervalMs passed; a batch the collector refuses or does not
// answer within timeoutMs is dropped and counted (no retry: traces are samples). The URL
// is plain http://host[:port][/path] (a local collector or agent; the path defaults to
// /v1/traces); anything else is refused when the exporter is made, naming the URL. One
// HTTP/1.1 connection is kept between batches while the collector keeps it open
// (Content-Length answers, no "Connection: close"); a kept connection the collector closed
// while idle is replaced, and the batch sent on the new one.
//
// Thread-safety: add() and counters() from any thread. The destructor sends what is
// queued (one last batch, bounded by timeoutMs) and joins.
#pragma once

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "servant/TraceContext.h"
#include "util/tc_socket.h"

namespace tars {

struct SpanRecord {
    enum class Kind { Server = 2, Client = 3 };  // OTLP's SpanKind values

    TraceContext context;  // the span's trace id and its own span id
    std::array<uint8_t, 8> parentSpanId{};
    bool hasParent = false;
    Kind kind = Kind::Server;
    int64_t startUnixNs = 0;
    int64_t endUnixNs = 0;
    int code = 0;         // the TARS return code; not 0 makes the span's status an error
    std::string servant;  // the span's name is servant/method
    std::string method;
    std::string peerHost;  // the other side, exported as "host:port"
    int peerPort = 0;
};

class SpanExporter {
public:
    struct Settings {
        std::string url;          // http://host[:port][/path]
        std::string serviceName;  // the resource's service.name (App.Server, or the program)
        size_t maxQueue = 2048;
        size_t maxBatch = 512;
        int flushIntervalMs = 1000;
        int timeoutMs = 3000;
    };
    struct Counters {
        uint64_t exported = 0;     // spans the collector accepted
        uint64_t dropped = 0;      // spans dropped: queue full, or their batch failed
        uint64_t failedPosts = 0;  // batches not accepted
    };

    // Throws std::invalid_argument naming the URL when it is not a plain http URL.
    explicit SpanExporter(Settings settings);
    ~SpanExporter();
    SpanExporter(const SpanExporter&) = delete;
    SpanExporter& operator=(const SpanExporter&) = delete;

    void add(SpanRecord span);
    Counters counters() const;

    // The OTLP/JSON body of one batch (ids in lowercase hex, as OTLP/JSON wants them).
    static std::string toOtlpJson(const std::string& serviceName, const std::vector<SpanRecord>& spans);
    // The same, appended to out (the exporter reuses one buffer for every batch).
    static void appendOtlpJson(std::string& out, const std::string& serviceName, const SpanRecord* spans, size_t count);

private:
    // How one request on the kept connection went: Accepted (2xx), Failed (an answer that
    // is not 2xx, or a timeout), or NoAnswer (the connection was closed before any byte of
    // an answer came: the request can go again on a new connection).
    enum class PostResult { Accepted, Failed, NoAnswer };

    void run();
    bool post(const std::string& body);
    bool connectCollector(int64_t deadlineMs);
    bool idleConnectionUsable() const;
    PostResult exchange(const std::string& header, const std::string& body, int64_t deadlineMs);

    Settings _settings;
    std::string _host;
    int _port = 80;
    std::string _path;
    // Used by the exporter's thread only: the connection kept to the collector, the
    // request head's fixed part, and buffers reused for every batch.
    TC_Socket _connection;
    std::string _header;
    std::string _request;
    std::string _answer;

    mutable std::mutex _mutex;
    std::condition_variable _wake;
    std::vector<SpanRecord> _queue;
    bool _stopping = false;
    std::atomic<uint64_t> _exported{0};
    std::atomic<uint64_t> _dropped{0};
    std::atomic<uint64_t> _failedPosts{0};
    std::thread _thread;
};

}  // namespace tars
