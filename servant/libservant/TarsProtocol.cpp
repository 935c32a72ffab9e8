#include "servant/TarsProtocol.h"

#include <algorithm>

#include "BaseF.h"
#include "tup/Tars.h"

namespace tars {

namespace {

void putLength(TarsOutputStream<BufferWriterString>& os) {
    uint32_t length = static_cast<uint32_t>(os.getLength());
    uint32_t wire = detail::toBigEndian(length);
    os.patch(0, &wire, sizeof(wire));
}

// Empty attribute map at tag 0, the body of a TUP reply without result (08 0c).
std::vector<char> emptyAttributes() {
    TarsOutputStream<BufferWriterVector> os;
    os.write(std::map<std::string, std::vector<char>>(), 0);
    return os.takeByteBuffer();
}

}  // namespace

ProtocolParser TarsProtocol::parser(uint32_t maxPacketSize) {
    maxPacketSize = std::clamp(maxPacketSize, kMinPacketSize, kMaxPacketSize);
    return [maxPacketSize](TC_NetWorkBuffer& in, std::vector<char>& out) { return parse(in, out, maxPacketSize); };
}

PACKET_TYPE TarsProtocol::parse(TC_NetWorkBuffer& in, std::vector<char>& out, uint32_t maxPacketSize) {
    uint32_t length = 0;
    if (!in.getUint32BE(length)) return PACKET_LESS;
    if (length < kMinPacketSize || length > maxPacketSize) return PACKET_ERR;
    if (in.getBufferLength() < length) return PACKET_LESS;
    std::string_view packet = in.peek(length);
    out.assign(packet.begin(), packet.end());
    in.moveHeader(length);
    return PACKET_FULL;
}

void TarsProtocol::decodeRequest(const char* packet, size_t length, RequestPacket& req) {
    if (length < 4) throw TarsDecodeException("packet shorter than its length prefix");
    TarsInputStream<BufferReader> is;
    is.setBuffer(packet + 4, length - 4);
    req.readFrom(is);
}

std::string TarsProtocol::encodeResponse(const RequestPacket& req, int iRet, const std::vector<char>& buffer,
                                         const std::map<std::string, std::string>& status,
                                         const std::string& resultDesc,
                                         const std::map<std::string, std::string>& context) {
    TarsOutputStream<BufferWriterString> os;
    os.reserve(64 + buffer.size());
    uint32_t zero = 0;
    os.writeBuf(&zero, sizeof(zero));
    if (req.iVersion == 2 || req.iVersion == TUPVERSION) {
        RequestPacket rsp;
        rsp.iVersion = req.iVersion;
        rsp.cPacketType = TARSNORMAL;
        rsp.iMessageType = req.iMessageType;
        rsp.iRequestId = req.iRequestId;
        rsp.sServantName = req.sServantName;
        rsp.sFuncName = req.sFuncName;
        rsp.sBuffer = buffer.empty() ? emptyAttributes() : buffer;
        rsp.iTimeout = 0;
        rsp.context = context;
        rsp.status = status;
        // Written even on success, as other TARS implementations do.
        rsp.status["STATUS_RESULT_CODE"] = std::to_string(iRet);
        rsp.status["STATUS_RESULT_DESC"] = resultDesc;
        rsp.writeTo(os);
    } else {
        ResponsePacket rsp;
        rsp.iVersion = req.iVersion;
        rsp.cPacketType = TARSNORMAL;
        rsp.iRequestId = req.iRequestId;
        rsp.iMessageType = req.iMessageType;
        rsp.iRet = iRet;
        rsp.sBuffer = buffer;
        rsp.status = status;
        rsp.sResultDesc = resultDesc;
        rsp.context = context;
        rsp.writeTo(os);
    }
    putLength(os);
    return os.takeByteBuffer();
}

void TarsProtocol::encodeResponse(std::string& out, const RequestPacket& req, int iRet, const std::vector<char>& buffer,
                                  const std::map<std::string, std::string>& status, const std::string& resultDesc,
                                  const std::map<std::string, std::string>& context) {
    if (req.iVersion == 2 || req.iVersion == TUPVERSION) {
        out = encodeResponse(req, iRet, buffer, status, resultDesc, context);
        return;
    }
    // ResponsePacket::writeTo, field by field, without copying the body into a packet.
    TarsOutputStream<BufferWriterString> os;
    os.swap(out);
    os.reset();
    uint32_t zero = 0;
    os.writeBuf(&zero, sizeof(zero));
    os.write(req.iVersion, 1);
    os.write(static_cast<Char>(TARSNORMAL), 2);
    os.write(req.iRequestId, 3);
    os.write(req.iMessageType, 4);
    os.write(static_cast<Int32>(iRet), 5);
    os.write(buffer, 6);
    os.write(status, 7);
    if (!resultDesc.empty()) os.write(resultDesc, 8);
    if (!context.empty()) os.write(context, 9);
    putLength(os);
    os.swap(out);
}

std::string TarsProtocol::encodePush(const std::string& funcName, const std::vector<char>& buffer, short version) {
    TarsOutputStream<BufferWriterString> os;
    uint32_t zero = 0;
    os.writeBuf(&zero, sizeof(zero));
    ResponsePacket rsp;
    rsp.iVersion = version;
    rsp.iRequestId = 0;
    rsp.sBuffer = buffer;
    rsp.status["TARS_FUNC"] = funcName;
    rsp.writeTo(os);
    putLength(os);
    return os.takeByteBuffer();
}

}  // namespace tars
