// TarsProtocol: the framing and the reply encoding of TARS connections.
//
// Framing: a 4-byte big-endian length that counts itself, then one RequestPacket. A length
// below 5 or above the adapter's maximum (100 MB at most) is PACKET_ERR.
// Replies: answer in the version the request came in (TARS-FACTS 1.5): iVersion 2/3 (TUP)
// get a RequestPacket-shaped reply with STATUS_RESULT_CODE / STATUS_RESULT_DESC in status
// and iTimeout 0; every other version gets a ResponsePacket echoing iVersion, iRequestId
// and iMessageType.
// Stateless functions: safe from any thread. Decoding throws tars::TarsDecodeException.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "RequestF.h"
#include "servant/ProtocolParser.h"

namespace tars {

class TarsProtocol {
public:
    static constexpr uint32_t kMinPacketSize = 5;
    static constexpr uint32_t kMaxPacketSize = 100 * 1024 * 1024;
    // On a udp endpoint each datagram carries exactly one packet, length prefix included,
    // as TarsCpp sends it; this is the most one IPv4 UDP datagram carries (just under
    // 64 KiB). Larger requests and replies are refused, never split.
    static constexpr uint32_t kMaxDatagramSize = 65507;

    // The parser of an adapter whose packets may be up to maxPacketSize bytes.
    static ProtocolParser parser(uint32_t maxPacketSize = kMaxPacketSize);
    static PACKET_TYPE parse(TC_NetWorkBuffer& in, std::vector<char>& out, uint32_t maxPacketSize);

    // Decodes a framed packet (length prefix included) into req; throws TarsDecodeException.
    static void decodeRequest(const char* packet, size_t length, RequestPacket& req);

    // The framed reply to req (see above). buffer is the encoded result (for TUP the
    // encoded attributes; empty becomes an empty attribute map; for JSON the object text).
    static std::string encodeResponse(const RequestPacket& req, int iRet, const std::vector<char>& buffer,
                                      const std::map<std::string, std::string>& status, const std::string& resultDesc,
                                      const std::map<std::string, std::string>& context);

    // The same, written into out (its capacity reused; TARS and JSON versions allocate
    // nothing once out has grown).
    static void encodeResponse(std::string& out, const RequestPacket& req, int iRet, const std::vector<char>& buffer,
                               const std::map<std::string, std::string>& status, const std::string& resultDesc,
                               const std::map<std::string, std::string>& context);

    // A server push: a ResponsePacket with iRequestId 0 and status TARS_FUNC = funcName.
    static std::string encodePush(const std::string& funcName, const std::vector<char>& buffer, short version = 1);
};

}  // namespace tars
