// Lowercase hex of fixed-size ids (trace and span ids), written in place: the tracing path
// formats a few of them for every sampled call, without a temporary string per id.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace tars {

// Writes the 2N hex digits of bytes at out; returns the end.
template <size_t N>
char* writeLowerHex(char* out, const std::array<uint8_t, N>& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    for (uint8_t b : bytes) {
        *out++ = kDigits[b >> 4];
        *out++ = kDigits[b & 0x0f];
    }
    return out;
}

template <size_t N>
void appendLowerHex(std::string& out, const std::array<uint8_t, N>& bytes) {
    size_t at = out.size();
    out.resize(at + 2 * N);
    writeLowerHex(out.data() + at, bytes);
}

}  // namespace tars
