// Tracing: a Communicator's trace settings (docs/observability.md, "Tracing"): the sample
// ratio that starts traces at the edge and the exporter finished spans go to.
//
// Made once, when the Communicator starts, from the keys tracing-endpoint and
// tracing-sample-ratio (else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and OTEL_TRACES_SAMPLER_ARG);
// none set: no Tracing at all, and calls pay one pointer test. Immutable afterwards, so
// any thread reads it without a lock. A span in flight (TraceSpan) holds the exporter it
// goes to, so it may end after the Communicator stopped.
//
// The server side: Application makes its communicator's Tracing the process's server one
// (setServer) while its adapters run; TarsServerProtocol reads it per request.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "RequestF.h"
#include "internal/SpanExporter.h"
#include "servant/CallContext.h"

namespace tars {

// A span being timed: its record and where it goes when it ends.
struct TraceSpan {
    SpanRecord record;
    std::shared_ptr<SpanExporter> exporter;

    // Sets the end time and code and hands the record to the exporter.
    void finish(int code);
    // A new, empty span.
    static TraceSpanPtr make();
};

class Tracing {
public:
    struct Settings {
        std::string endpoint;     // OTLP/HTTP traces URL; empty: spans are not exported
        double sampleRatio = 0;   // 0..1
        std::string serviceName;  // resource service.name
    };

    // Throws std::invalid_argument naming the URL when the endpoint is not a plain http URL.
    explicit Tracing(const Settings& settings);

    // The settings from the key values given (empty: unset) and the environment; false
    // when neither an endpoint nor a ratio is set. Throws std::invalid_argument naming
    // the key on a ratio that is not a number in 0..1.
    static bool settingsFrom(const std::string& endpointKey, const std::string& ratioKey, Settings& out);

    // Whether a new root trace is sampled (the ratio, per call). Inline: every call of a
    // process with tracing asks it.
    bool sample() const {
        if (_threshold == kAlways) return true;
        return _threshold != 0 && nextDraw() < _threshold;
    }
    double sampleRatio() const { return _ratio; }
    const std::shared_ptr<SpanExporter>& exporter() const { return _exporter; }
    SpanExporter::Counters counters() const;

    // A client call made now with context (nullptr: none current): fills the request's
    // status (traceparent, tracestate, STATUS_TRACE_KEY + message type 0x100) and returns
    // the span to time, or nullptr when the call is not sampled or nothing exports it.
    // tracing may be nullptr (only a context's trace is passed on).
    static TraceSpanPtr startClientCall(const Tracing* tracing, const CallContext* context, RequestPacket& request,
                                        const std::string& objectName);
    // The same for a call already known to be traced: context->traced, or tracing->sample()
    // said yes (the caller asks first, inline, so that an unsampled call costs no call).
    static TraceSpanPtr startTracedClientCall(const Tracing* tracing, const CallContext* context,
                                              RequestPacket& request, const std::string& objectName);
    // A request received: the trace its handling continues (a child of the incoming
    // traceparent or, without one, of STATUS_TRACE_KEY; else a new root when tracing is
    // set). False: no trace. parent gets the incoming span id when there is one.
    static bool continueServerCall(const Tracing* tracing, const RequestPacket& request, TraceContext& trace,
                                   std::array<uint8_t, 8>& parent, bool& hasParent);

    static int64_t nowUnixNs();

    static const Tracing* server() { return tServer.load(std::memory_order_acquire); }
    static void setServer(const Tracing* tracing) { tServer.store(tracing, std::memory_order_release); }

private:
    static constexpr uint64_t kAlways = ~uint64_t{0};
    // xorshift64*, one state per thread, seeded at the thread's first draw: a sampling
    // decision needs no better randomness. (Zero-initialized, so reading it needs no
    // thread-local constructor call.)
    static uint64_t nextDraw() {
        thread_local uint64_t state = 0;
        if (state == 0) [[unlikely]]
            state = seed();
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545f4914f6cdd1dULL;
    }
    static uint64_t seed();

    double _ratio;
    // A call is sampled when a random 64-bit draw is below it: ratio * 2^64; 0 never,
    // kAlways for a ratio of 1.
    uint64_t _threshold;
    std::shared_ptr<SpanExporter> _exporter;
    static inline std::atomic<const Tracing*> tServer{nullptr};
};

}  // namespace tars
