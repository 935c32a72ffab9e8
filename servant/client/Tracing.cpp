#include "internal/Tracing.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "BaseF.h"
#include "util/tc_common.h"

namespace tars {

namespace {

const std::string kTraceparent = "traceparent";
const std::string kTracestate = "tracestate";
const std::string kTarsTraceKey = "STATUS_TRACE_KEY";
constexpr size_t kMaxTraceState = 512;

std::string envOr(const std::string& value, const char* name) {
    if (!value.empty()) return value;
    const char* env = std::getenv(name);
    return env != nullptr ? TC_Common::trim(env) : std::string();
}

}  // namespace

void TraceSpanDeleter::operator()(TraceSpan* span) const noexcept { std::unique_ptr<TraceSpan> owned(span); }

TraceSpanPtr TraceSpan::make() { return TraceSpanPtr(std::make_unique<TraceSpan>().release()); }

void TraceSpan::finish(int code) {
    record.endUnixNs = Tracing::nowUnixNs();
    record.code = code;
    if (exporter) exporter->add(std::move(record));
}

Tracing::Tracing(const Settings& settings)
    : _ratio(settings.sampleRatio),
      _threshold(settings.sampleRatio >= 1.0  ? kAlways
                 : settings.sampleRatio > 0.0 ? static_cast<uint64_t>(std::ldexp(settings.sampleRatio, 64))
                                              : 0) {
    if (!settings.endpoint.empty()) {
        SpanExporter::Settings exporterSettings;
        exporterSettings.url = settings.endpoint;
        exporterSettings.serviceName = settings.serviceName;
        _exporter = std::make_shared<SpanExporter>(exporterSettings);
    }
}

bool Tracing::settingsFrom(const std::string& endpointKey, const std::string& ratioKey, Settings& out) {
    out.endpoint = envOr(TC_Common::trim(endpointKey), "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    std::string ratio = envOr(TC_Common::trim(ratioKey), "OTEL_TRACES_SAMPLER_ARG");
    if (out.endpoint.empty() && ratio.empty()) return false;
    if (ratio.empty()) {
        out.sampleRatio = out.endpoint.empty() ? 0.0 : 1.0;  // OTel's default: parentbased_always_on
        return true;
    }
    auto value = TC_Common::tryStrto<double>(ratio);
    if (!value || !(*value >= 0.0 && *value <= 1.0)) {
        throw std::invalid_argument("tracing-sample-ratio (or OTEL_TRACES_SAMPLER_ARG) '" + ratio +
                                    "' is not a number in 0..1");
    }
    out.sampleRatio = *value;
    return true;
}

uint64_t Tracing::seed() {
    std::random_device device;
    uint64_t seed = (static_cast<uint64_t>(device()) << 32) ^ device();
    return seed != 0 ? seed : 0x9e3779b97f4a7c15ULL;
}

SpanExporter::Counters Tracing::counters() const {
    return _exporter ? _exporter->counters() : SpanExporter::Counters{};
}

int64_t Tracing::nowUnixNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

TraceSpanPtr Tracing::startClientCall(const Tracing* tracing, const CallContext* context, RequestPacket& request,
                                      const std::string& objectName) {
    // At the edge a trace starts only when sampled: a call that is not sampled carries
    // nothing (no ids to make, no header to write or read downstream).
    if ((context == nullptr || !context->traced) && (tracing == nullptr || !tracing->sample())) return nullptr;
    return startTracedClientCall(tracing, context, request, objectName);
}

TraceSpanPtr Tracing::startTracedClientCall(const Tracing* tracing, const CallContext* context, RequestPacket& request,
                                            const std::string& objectName) {
    const bool hasParent = context != nullptr && context->traced;
    TraceContext span = hasParent ? context->trace.child() : TraceContext::newRoot(true);
    request.status[kTraceparent] = span.traceparent();
    if (!span.traceState.empty()) request.status[kTracestate] = span.traceState;
    if (!span.sampled()) return nullptr;  // passed on as not sampled, never recorded
    request.iMessageType |= TARSMESSAGETYPETRACE;
    request.status[kTarsTraceKey] = span.tarsTraceKey(hasParent ? context->trace.spanId : span.spanId);
    const std::shared_ptr<SpanExporter>* exporter = tracing != nullptr ? &tracing->exporter() : nullptr;
    if (exporter == nullptr || !*exporter) return nullptr;
    TraceSpanPtr traced = TraceSpan::make();
    SpanRecord& record = traced->record;
    record.context = std::move(span);
    if (hasParent) {
        record.parentSpanId = context->trace.spanId;
        record.hasParent = true;
    }
    record.kind = SpanRecord::Kind::Client;
    record.servant = objectName;
    record.method = request.sFuncName;
    record.startUnixNs = nowUnixNs();
    traced->exporter = *exporter;
    return traced;
}

bool Tracing::continueServerCall(const Tracing* tracing, const RequestPacket& request, TraceContext& trace,
                                 std::array<uint8_t, 8>& parent, bool& hasParent) {
    if (request.status.empty()) {  // nearly every request: nothing to continue
        if (tracing == nullptr || !tracing->sample()) return false;
        trace = TraceContext::newRoot(true);
        hasParent = false;
        return true;
    }
    std::optional<TraceContext> incoming;
    if (auto it = request.status.find(kTraceparent); it != request.status.end()) {
        incoming = TraceContext::parseTraceparent(it->second);  // malformed: ignored, never passed on
        if (incoming) {
            if (auto state = request.status.find(kTracestate); state != request.status.end()) {
                incoming->traceState = state->second.size() <= kMaxTraceState ? state->second : std::string();
            }
        }
    }
    if (!incoming && (request.iMessageType & TARSMESSAGETYPETRACE) != 0) {
        if (auto it = request.status.find(kTarsTraceKey); it != request.status.end()) {
            incoming = TraceContext::parseTarsTraceKey(it->second);
        }
    }
    if (incoming) {
        trace = incoming->child();
        parent = incoming->spanId;
        hasParent = true;
        return true;
    }
    if (tracing == nullptr || !tracing->sample()) return false;  // as at a client's edge: sampled or nothing
    trace = TraceContext::newRoot(true);
    hasParent = false;
    return true;
}

}  // namespace tars
