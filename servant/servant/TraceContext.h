// TraceContext: the identity of a span in a distributed trace, as W3C Trace Context
// (https://www.w3.org/TR/trace-context/) carries it in `traceparent` / `tracestate`, and
// as TarsCpp 3.x carries it in the request status `STATUS_TRACE_KEY` (message type bit
// 0x100): "<traceType>[.<paramMaxLenKB>]-<traceId>|<spanId>|<parentSpanId>".
//
// parseTraceparent() is strict where the standard is: a version of two lowercase hex
// digits other than "ff"; for version 00 exactly 55 characters; a trace id of 32 and a
// span id of 16 lowercase hex digits, neither all zeros; two hex digits of flags (bit 0:
// sampled). A later version may append "-..." fields, which are ignored. Anything else is
// nullopt: a malformed header is dropped, never propagated.
//
// Ids come from a per-thread generator seeded from std::random_device.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tars {

struct TraceContext {
    std::array<uint8_t, 16> traceId{};
    std::array<uint8_t, 8> spanId{};
    uint8_t flags = 0;       // W3C trace-flags; bit 0 = sampled
    std::string traceState;  // the `tracestate` header, passed on as it came (at most 512 bytes kept)

    bool sampled() const { return (flags & 0x01) != 0; }

    // A new trace: fresh trace and span ids.
    static TraceContext newRoot(bool sampled);
    // A span of the same trace, this one its parent: a fresh span id, the same trace id,
    // flags and tracestate.
    TraceContext child() const;

    static std::optional<TraceContext> parseTraceparent(std::string_view header);
    std::string traceparent() const;  // "00-<trace id>-<span id>-<flags>"
    std::string traceIdHex() const;
    std::string spanIdHex() const;

    // TarsCpp's STATUS_TRACE_KEY: its trace id and span id are used as they are when they
    // are 32 and 16 hex digits, else hashed into ids of those sizes (the same text gives the
    // same id, so spans of one TarsCpp trace stay one trace here). nullopt when the value
    // has no "-" or not three "|"-separated ids.
    static std::optional<TraceContext> parseTarsTraceKey(std::string_view value);
    // "0-<trace id>|<span id>|<parent span id>" (trace type 0: no parameters logged) for a
    // call whose span is this context and whose parent span is parentSpanHex (the span's
    // own id when it has no parent, as TarsCpp writes a root).
    std::string tarsTraceKey(const std::string& parentSpanHex) const;
    // The same with the parent span's id as bytes (the span's own spanId for a root).
    std::string tarsTraceKey(const std::array<uint8_t, 8>& parentSpanId) const;
};

}  // namespace tars
