// ProxyProtocol: how a client proxy turns a request into bytes and cuts responses out of
// the bytes a server sends back. The default is the TARS protocol (4-byte big-endian
// length + RequestPacket / ResponsePacket); a proxy talking to a non-TARS server sets its
// own pair with ServantProxy::tars_set_protocol(ProxyProtocol) before its first call.
//
// requestFunc runs on the calling thread and must be thread-safe (a plain function of its
// argument). responseFunc runs on a network thread, once per complete packet: it either
// moves one packet out of `in` and fills `rsp` (returns PACKET_FULL; rsp.iRequestId
// matches the call, 0 marks a server push, kOldestCall matches the oldest call waiting on
// that connection, for protocols that answer in order and carry no id), leaves `in` alone (PACKET_LESS: wait for
// more bytes), or reports that the stream can never parse (PACKET_ERR: the connection is
// closed and its calls end with TARSPROXYCONNECTERR). It may throw after consuming a
// packet whose body is malformed: that packet is dropped (the call it belonged to ends
// with its timeout unless rsp.iRequestId was already read, then with -12).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "RequestF.h"
#include "util/tc_network_buffer.h"

namespace tars {

struct ProxyProtocol {
    // Scoped here so this header and the server's ProtocolParser.h can meet in one file.
    enum PACKET_TYPE { PACKET_LESS = 0, PACKET_FULL = 1, PACKET_ERR = -1 };

    // rsp.iRequestId of a reply that answers the oldest outstanding call of its connection.
    static constexpr int32_t kOldestCall = -1;

    using request_protocol = std::function<std::string(const RequestPacket& request)>;
    using response_protocol = std::function<PACKET_TYPE(TC_NetWorkBuffer& in, ResponsePacket& rsp)>;

    // Empty requestFunc: the built-in TARS encoder (the fast path, no RequestPacket copy).
    request_protocol requestFunc;
    // Empty responseFunc: tarsResponse.
    response_protocol responseFunc;

    // Largest packet tarsResponse accepts (TARS: 100 MiB).
    static constexpr uint32_t kMaxPacketSize = 100u * 1024u * 1024u;

    // Framed RequestPacket (length prefix included).
    static std::string tarsRequest(const RequestPacket& request);
    // A framed ResponsePacket; a TUP reply (iVersion 2 or 3, RequestPacket-shaped) is
    // turned into a ResponsePacket: iRet from status STATUS_RESULT_CODE, sResultDesc from
    // STATUS_RESULT_DESC, sBuffer the attribute map.
    static PACKET_TYPE tarsResponse(TC_NetWorkBuffer& in, ResponsePacket& rsp);
    // The request's sBuffer as it is (for protocols whose caller encodes everything).
    static std::string streamRequest(const RequestPacket& request);

    // Decodes one framed TARS reply (length prefix included) as tarsResponse does. A body
    // that does not decode but whose iRequestId could be read gives iRet -12 (the call
    // ends with a client decode error); one without a readable id throws.
    static void decodeTarsResponse(const char* packet, size_t length, ResponsePacket& rsp);

    // The framed RequestPacket of `header` (every field but sServantName and sBuffer),
    // servantName and body, written straight from them (the calling thread's fast path).
    static std::string encodeTarsRequest(const RequestPacket& header, const std::string& servantName,
                                         const std::vector<char>& body);
};

}  // namespace tars
