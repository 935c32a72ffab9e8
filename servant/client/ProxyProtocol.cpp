#include "servant/ProxyProtocol.h"

#include <charconv>

#include "BaseF.h"
#include "tup/Tars.h"
#include "tup/TarsUniAttribute.h"

namespace tars {

namespace {

void patchLength(TarsOutputStream<BufferWriterString>& os) {
    uint32_t wire = detail::toBigEndian(static_cast<uint32_t>(os.getLength()));
    os.patch(0, &wire, sizeof(wire));
}

size_t mapBytes(const std::map<std::string, std::string>& m) {
    size_t n = 0;
    for (const auto& [k, v] : m) n += k.size() + v.size() + 4;
    return n;
}

}  // namespace

std::string ProxyProtocol::encodeTarsRequest(const RequestPacket& header, const std::string& servantName,
                                             const std::vector<char>& body) {
    TarsOutputStream<BufferWriterString> os;
    os.reserve(48 + servantName.size() + header.sFuncName.size() + body.size() + mapBytes(header.context) +
               mapBytes(header.status));
    uint32_t zero = 0;
    os.writeBuf(&zero, sizeof(zero));
    os.write(header.iVersion, 1);
    os.write(header.cPacketType, 2);
    os.write(header.iMessageType, 3);
    os.write(header.iRequestId, 4);
    os.write(servantName, 5);
    os.write(header.sFuncName, 6);
    os.write(body, 7);
    os.write(header.iTimeout, 8);
    os.write(header.context, 9);
    os.write(header.status, 10);
    patchLength(os);
    return os.takeByteBuffer();
}

std::string ProxyProtocol::tarsRequest(const RequestPacket& request) {
    return encodeTarsRequest(request, request.sServantName, request.sBuffer);
}

std::string ProxyProtocol::streamRequest(const RequestPacket& request) {
    return std::string(request.sBuffer.begin(), request.sBuffer.end());
}

void ProxyProtocol::decodeTarsResponse(const char* packet, size_t length, ResponsePacket& rsp) {
    if (length < 4) throw TarsDecodeException("packet shorter than its length prefix");
    const char* body = packet + 4;
    size_t bodyLength = length - 4;
    Short version = 0;
    {
        TarsInputStream<BufferReader> is;
        is.setBuffer(body, bodyLength);
        is.read(version, 1, true);
    }
    const bool tup = version == TUPVERSION || version == TUP_VERSION_COMPLEX;
    try {
        TarsInputStream<BufferReader> is;
        is.setBuffer(body, bodyLength);
        if (tup) {
            // TUP replies travel in the RequestPacket layout.
            RequestPacket req;
            req.readFrom(is);
            rsp.resetDefautlt();
            rsp.iVersion = req.iVersion;
            rsp.cPacketType = req.cPacketType;
            rsp.iRequestId = req.iRequestId;
            rsp.iMessageType = req.iMessageType;
            rsp.sBuffer = std::move(req.sBuffer);
            rsp.context = std::move(req.context);
            rsp.status = std::move(req.status);
            auto code = rsp.status.find("STATUS_RESULT_CODE");
            if (code != rsp.status.end() && !code->second.empty()) {
                int value = 0;
                const std::string& text = code->second;
                auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
                if (ec != std::errc() || ptr != text.data() + text.size())
                    throw TarsDecodeException("STATUS_RESULT_CODE '" + text + "' is not a number");
                rsp.iRet = value;
            }
            auto desc = rsp.status.find("STATUS_RESULT_DESC");
            if (desc != rsp.status.end()) rsp.sResultDesc = desc->second;
        } else {
            rsp.readFrom(is);
        }
    } catch (const TarsDecodeException& e) {
        // Find the id (tag 4 in the request layout, 3 in the response layout) so the call
        // ends with a decode error rather than a timeout.
        Int32 id = 0;
        try {
            TarsInputStream<BufferReader> is;
            is.setBuffer(body, bodyLength);
            is.read(id, tup ? 4 : 3, true);
        } catch (const TarsDecodeException&) {
            throw e;
        }
        if (id == 0) throw;
        rsp.resetDefautlt();
        rsp.iVersion = version;
        rsp.iRequestId = id;
        rsp.iRet = TARSCLIENTDECODEERR;
        rsp.sResultDesc = std::string("malformed response: ") + e.what();
    }
}

ProxyProtocol::PACKET_TYPE ProxyProtocol::tarsResponse(TC_NetWorkBuffer& in, ResponsePacket& rsp) {
    uint32_t length = 0;
    if (!in.getUint32BE(length)) return PACKET_LESS;
    if (length < 5 || length > kMaxPacketSize) return PACKET_ERR;
    if (in.getBufferLength() < length) return PACKET_LESS;
    std::string_view packet = in.peek(length);
    try {
        decodeTarsResponse(packet.data(), packet.size(), rsp);
    } catch (...) {
        in.moveHeader(length);
        throw;
    }
    in.moveHeader(length);
    return PACKET_FULL;
}

}  // namespace tars
