#include "internal/Auth.h"

#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <memory>
#include <vector>

#include "AuthF.h"
#include "BaseF.h"
#include "RequestF.h"
#include "servant/ProxyProtocol.h"
#include "tup/Tars.h"

namespace tars {

namespace {

std::string toHex(const unsigned char* bytes, size_t length) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(length * 2, '0');
    for (size_t i = 0; i < length; ++i) {
        out[2 * i] = kDigits[bytes[i] >> 4];
        out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
    }
    return out;
}

std::string hexDigest(const EVP_MD* md, std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, md, nullptr) != 1) return {};
    return toHex(digest, length);
}

// tmpKey: hex md5 of secret2 whose first 8 characters are OR-ed with the little-endian
// bytes of time.
std::string temporaryKey(const std::string& secret2, int64_t time) {
    std::string mixed = secret2;
    auto bits = static_cast<uint64_t>(time);
    for (size_t i = 0; i < 8 && i < mixed.size(); ++i) {
        mixed[i] = static_cast<char>(static_cast<unsigned char>(mixed[i]) | ((bits >> (8 * i)) & 0xff));
    }
    return hexMd5(mixed);
}

struct CipherContextDeleter {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

// 3DES-ECB with PKCS#5 padding under the first 24 bytes of key. False when OpenSSL
// refuses (on decryption: a length that is not whole blocks, or a bad padding).
bool tripleDes(bool encrypt, const std::string& key, std::string_view in, std::string& out) {
    if (key.size() < 24) return false;
    std::unique_ptr<EVP_CIPHER_CTX, CipherContextDeleter> ctx(EVP_CIPHER_CTX_new());
    if (!ctx) return false;
    const auto* keyBytes = reinterpret_cast<const unsigned char*>(key.data());
    if (EVP_CipherInit_ex(ctx.get(), EVP_des_ede3_ecb(), nullptr, keyBytes, nullptr, encrypt ? 1 : 0) != 1) {
        return false;
    }
    out.assign(in.size() + 16, '\0');
    int written = 0;
    int last = 0;
    auto* outBytes = reinterpret_cast<unsigned char*>(out.data());
    if (EVP_CipherUpdate(ctx.get(), outBytes, &written, reinterpret_cast<const unsigned char*>(in.data()),
                         static_cast<int>(in.size())) != 1) {
        return false;
    }
    if (EVP_CipherFinal_ex(ctx.get(), outBytes + written, &last) != 1) return false;
    out.resize(static_cast<size_t>(written + last));
    return true;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

}  // namespace

std::string hexSha1(std::string_view data) { return hexDigest(EVP_sha1(), data); }

std::string hexMd5(std::string_view data) { return hexDigest(EVP_md5(), data); }

std::string authSignature(const std::string& secretKey, int64_t time) {
    std::string secret1 = hexSha1(secretKey);
    std::string secret2 = hexSha1(secret1);
    std::string signature;
    if (!tripleDes(true, temporaryKey(secret2, time), secret1, signature)) return {};
    return signature;
}

std::string makeAuthPackage(const std::string& objectName, const AuthKeys& keys, int64_t time) {
    BasicAuthPackage package;
    package.sObjName = objectName;
    package.sAccessKey = keys.accessKey;
    package.iTime = time;
    package.sSignature = authSignature(keys.secretKey, time);
    TarsOutputStream<BufferWriterString> os;
    package.writeTo(os);
    return os.getByteBuffer();
}

std::string makeAuthRequest(const std::string& objectName, const AuthKeys& keys, int64_t time) {
    RequestPacket request;
    request.iVersion = TARSVERSION;
    request.cPacketType = TARSNORMAL;
    request.iMessageType = kAuthMessageType;
    request.iRequestId = kAuthRequestId;
    request.sServantName = kAuthServantName;
    request.sFuncName = kAuthFuncName;
    std::string package = makeAuthPackage(objectName, keys, time);
    request.sBuffer.assign(package.begin(), package.end());
    return ProxyProtocol::tarsRequest(request);
}

int verifyAuthPackage(std::string_view data, const std::string& objectName, const AuthKeys& keys, int64_t now) {
    // TarsCpp refuses 20 bytes or fewer before decoding; so do we (no valid package is
    // that short: the signature alone is 48 bytes).
    if (data.size() <= 20) return AUTH_PROTO_ERR;
    BasicAuthPackage package;
    try {
        TarsInputStream<BufferReader> is;
        is.setBuffer(data.data(), data.size());
        package.readFrom(is);
    } catch (const std::exception&) {
        return AUTH_PROTO_ERR;
    }
    if (package.sObjName != objectName) return AUTH_WRONG_OBJ;
    if (keys.accessKey.empty() || keys.secretKey.empty() || package.sAccessKey != keys.accessKey) {
        return AUTH_WRONG_AK;
    }
    // Written as a difference check so that no iTime near the int64 limits overflows.
    if (package.iTime <= now - kAuthTimeWindowSeconds || package.iTime >= now + kAuthTimeWindowSeconds) {
        return AUTH_WRONG_TIME;
    }
    if (package.sHashMethod != "sha1") return AUTH_NOT_SUPPORT_ENC;

    std::string secret2 = hexSha1(hexSha1(keys.secretKey));
    std::string decrypted;
    if (!tripleDes(false, temporaryKey(secret2, package.iTime), package.sSignature, decrypted)) return AUTH_DEC_FAIL;
    if (hexSha1(decrypted) != secret2) return AUTH_ERROR;
    return AUTH_SUCC;
}

int verifyAuthRequest(const char* packet, size_t length, const std::string& objectName, const AuthKeys& keys,
                      int64_t now, std::string* reply) {
    if (length < 4) return AUTH_PROTO_ERR;
    RequestPacket request;
    try {
        TarsInputStream<BufferReader> is;
        is.setBuffer(packet + 4, length - 4);
        request.readFrom(is);
    } catch (const std::exception&) {
        return AUTH_PROTO_ERR;
    }
    int code =
        verifyAuthPackage(std::string_view(request.sBuffer.data(), request.sBuffer.size()), objectName, keys, now);
    if (code != AUTH_SUCC || reply == nullptr) return code;

    ResponsePacket response;
    response.iVersion = TARSVERSION;
    response.cPacketType = request.cPacketType;
    response.iRequestId = request.iRequestId;
    response.iMessageType = request.iMessageType;
    response.iRet = TARSSERVERSUCCESS;
    std::string_view text = kAuthSuccessText;
    response.sBuffer.assign(text.begin(), text.end());
    TarsOutputStream<BufferWriterString> os;
    const char prefix[4] = {0, 0, 0, 0};
    os.writeBuf(prefix, sizeof(prefix));
    response.writeTo(os);
    std::string framed = os.getByteBuffer();
    auto total = static_cast<uint32_t>(framed.size());
    framed[0] = static_cast<char>(total >> 24);
    framed[1] = static_cast<char>(total >> 16);
    framed[2] = static_cast<char>(total >> 8);
    framed[3] = static_cast<char>(total);
    *reply = std::move(framed);
    return AUTH_SUCC;
}

bool isAuthSuccess(std::string_view answer) { return equalsIgnoringCase(answer, kAuthSuccessText); }

std::string authStateName(int code) {
    std::string name = etos(static_cast<AUTH_STATE>(code));
    if (!name.empty() && (name[0] == '-' || (name[0] >= '0' && name[0] <= '9'))) return "AUTH_STATE(" + name + ")";
    return name;
}

const char* authStateReason(int code) {
    switch (code) {
        case AUTH_SUCC: return "authenticated";
        case AUTH_PROTO_ERR: return "the authentication package does not decode";
        case AUTH_WRONG_OBJ: return "the package names another object than the adapter serves";
        case AUTH_WRONG_AK: return "unknown access key";
        case AUTH_WRONG_TIME: return "the package's time is an hour or more away from the server's clock";
        case AUTH_NOT_SUPPORT_ENC: return "unsupported hash method";
        case AUTH_DEC_FAIL: return "the signature does not decrypt (wrong secret key?)";
        case AUTH_ERROR: return "the signature does not match the secret key";
        default: return "unknown authentication state";
    }
}

}  // namespace tars
