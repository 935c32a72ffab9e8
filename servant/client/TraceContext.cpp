#include "servant/TraceContext.h"

#include <algorithm>
#include <random>

#include "internal/Hex.h"
#include "util/tc_common.h"

namespace tars {

namespace {

uint64_t nextRandom() {
    thread_local std::mt19937_64 generator{[] {
        std::random_device device;
        return (static_cast<uint64_t>(device()) << 32) ^ device();
    }()};
    return generator();
}

template <size_t N>
void fillRandom(std::array<uint8_t, N>& bytes) {
    do {
        for (size_t i = 0; i < N; i += 8) {
            uint64_t r = nextRandom();
            for (size_t j = 0; j < 8 && i + j < N; ++j) bytes[i + j] = static_cast<uint8_t>(r >> (8 * j));
        }
    } while (std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; }));
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;  // uppercase is not allowed by the standard
}

// N bytes from exactly 2N lowercase hex digits; false otherwise.
template <size_t N>
bool readHex(std::string_view text, std::array<uint8_t, N>& out) {
    if (text.size() != 2 * N) return false;
    for (size_t i = 0; i < N; ++i) {
        int hi = hexValue(text[2 * i]);
        int lo = hexValue(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return false;
        out[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return true;
}

template <size_t N>
std::string toHex(const std::array<uint8_t, N>& bytes) {
    return TC_Common::bin2str(std::string_view(reinterpret_cast<const char*>(bytes.data()), N));
}

template <size_t N>
bool allZero(const std::array<uint8_t, N>& bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

// FNV-1a, 64 bits, from a given basis (two bases give two independent halves).
uint64_t fnv1a(std::string_view text, uint64_t basis) {
    uint64_t h = basis;
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

// An id of N bytes from a TarsCpp id: its bytes when it is 2N hex digits (any case), else a
// hash of its text (the same text, the same id, in every process).
template <size_t N>
void tarsId(std::string_view text, std::array<uint8_t, N>& out) {
    std::string lower = TC_Common::lower(std::string(text));
    if (readHex(lower, out) && !allZero(out)) return;
    const uint64_t halves[2] = {fnv1a(lower, 0xcbf29ce484222325ULL), fnv1a(lower, 0x84222325cbf29ce4ULL)};
    for (size_t i = 0; i < N; ++i) out[i] = static_cast<uint8_t>(halves[i / 8] >> (8 * (i % 8)));
    if (allZero(out)) out[N - 1] = 1;
}

}  // namespace

TraceContext TraceContext::newRoot(bool sampled) {
    TraceContext c;
    fillRandom(c.traceId);
    fillRandom(c.spanId);
    c.flags = sampled ? 0x01 : 0x00;
    return c;
}

TraceContext TraceContext::child() const {
    TraceContext c = *this;
    fillRandom(c.spanId);
    return c;
}

std::optional<TraceContext> TraceContext::parseTraceparent(std::string_view h) {
    // version "-" trace-id "-" parent-id "-" flags: 2 + 1 + 32 + 1 + 16 + 1 + 2 = 55
    if (h.size() < 55) return std::nullopt;
    std::array<uint8_t, 1> version{};
    if (!readHex(h.substr(0, 2), version) || version[0] == 0xff) return std::nullopt;
    if (version[0] == 0 && h.size() != 55) return std::nullopt;
    if (h.size() > 55 && h[55] != '-') return std::nullopt;
    if (h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
    TraceContext c;
    std::array<uint8_t, 1> flags{};
    if (!readHex(h.substr(3, 32), c.traceId) || !readHex(h.substr(36, 16), c.spanId) ||
        !readHex(h.substr(53, 2), flags)) {
        return std::nullopt;
    }
    if (allZero(c.traceId) || allZero(c.spanId)) return std::nullopt;
    c.flags = flags[0];
    return c;
}

std::string TraceContext::traceparent() const {
    // "00-" 32 "-" 16 "-" 2, written in place: this runs for every sampled call.
    std::string out(55, '-');
    out[0] = out[1] = '0';
    char* p = writeLowerHex(out.data() + 3, traceId) + 1;
    p = writeLowerHex(p, spanId) + 1;
    writeLowerHex(p, std::array<uint8_t, 1>{flags});
    return out;
}

std::string TraceContext::traceIdHex() const { return toHex(traceId); }
std::string TraceContext::spanIdHex() const { return toHex(spanId); }

std::optional<TraceContext> TraceContext::parseTarsTraceKey(std::string_view value) {
    size_t dash = value.find('-');
    if (dash == std::string_view::npos || value.size() > 1024) return std::nullopt;
    std::string_view ids = value.substr(dash + 1);
    size_t first = ids.find('|');
    if (first == std::string_view::npos) return std::nullopt;
    size_t second = ids.find('|', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    std::string_view trace = ids.substr(0, first);
    std::string_view span = ids.substr(first + 1, second - first - 1);
    if (trace.empty() || span.empty()) return std::nullopt;
    TraceContext c;
    tarsId(trace, c.traceId);
    tarsId(span, c.spanId);
    c.flags = 0x01;  // TarsCpp sends the key only for the calls it traces
    return c;
}

std::string TraceContext::tarsTraceKey(const std::array<uint8_t, 8>& parentSpanId) const {
    // "0-" 32 "|" 16 "|" 16, written in place.
    std::string out(2 + 32 + 1 + 16 + 1 + 16, '|');
    out[0] = '0';
    out[1] = '-';
    char* p = writeLowerHex(out.data() + 2, traceId) + 1;
    p = writeLowerHex(p, spanId) + 1;
    writeLowerHex(p, parentSpanId);
    return out;
}

std::string TraceContext::tarsTraceKey(const std::string& parentSpanHex) const {
    if (parentSpanHex.empty()) return tarsTraceKey(spanId);
    std::string out = tarsTraceKey(spanId);
    out.resize(2 + 32 + 1 + 16 + 1);
    out += parentSpanHex;
    return out;
}

}  // namespace tars
