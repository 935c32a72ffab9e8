// The push example's wire format, shared by server and client: each message is a 4-byte
// big-endian length (of the payload only) followed by that many bytes of text.
// Client -> server: "REGISTER" (start receiving pushes) or "PING"; the server answers
// "OK <n clients>" / "PONG". Server -> client, every interval: "PUSH <seq> <text>".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "servant/ProtocolParser.h"

namespace push {

constexpr size_t kMaxMessage = 64 * 1024;

inline std::string frame(const std::string& payload) {
    uint32_t n = static_cast<uint32_t>(payload.size());
    std::string out;
    out.push_back(static_cast<char>(n >> 24));
    out.push_back(static_cast<char>(n >> 16));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n));
    return out + payload;
}

// The server's ProtocolParser: cuts one message, hands the payload to doRequest.
inline tars::PACKET_TYPE parse(tars::TC_NetWorkBuffer& in, std::vector<char>& out) {
    uint32_t n = 0;
    if (!in.getUint32BE(n)) return tars::PACKET_LESS;
    if (n > kMaxMessage) return tars::PACKET_ERR;
    if (in.getBufferLength() < 4 + n) return tars::PACKET_LESS;
    in.moveHeader(4);
    std::string_view payload = in.peek(n);
    out.assign(payload.begin(), payload.end());
    in.moveHeader(n);
    return tars::PACKET_FULL;
}

}  // namespace push
