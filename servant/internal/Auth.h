// Auth: TARS authentication of a connection (endpoint option `-e 1`), wire-compatible
// with TarsCpp 3.x. The client's first packet on a connection is a RequestPacket whose
// sBuffer holds a BasicAuthPackage (protocol/AuthF.tars); the server answers it with a
// ResponsePacket whose sBuffer is the text AUTH_SUCC, or closes the connection. Nothing
// else is sent on the connection before that answer, either way.
//
// The signature (all hex is lowercase): secret1 = hex sha1(secretKey); secret2 = hex
// sha1(secret1); the first 8 characters of secret2 are OR-ed with the 8 little-endian
// bytes of iTime; tmpKey = hex md5 of those 40 bytes; sSignature = 3DES-ECB (PKCS#5
// padding) of secret1 under the first 24 characters of tmpKey. The server, knowing the
// secret key too, decrypts and compares sha1(decrypted) with secret2.
//
// What the package does not protect: it carries no nonce, so a recorded package opens a
// connection to the same object with the same keys for as long as its time is within
// the hour of the server's clock. Use TLS where the network is not trusted.
//
// Stateless functions (OpenSSL's EVP digests and 3DES, default provider): safe from any
// thread. Nothing here throws for bad input; verification returns an AUTH_STATE code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tars {

// The access key and secret key of one adapter (server) or one object (client).
struct AuthKeys {
    std::string accessKey;
    std::string secretKey;
    bool empty() const { return accessKey.empty() && secretKey.empty(); }
};

// The RequestPacket fields of the first packet, as TarsCpp 3.x's client sends them.
// Our server reads the package whatever the servant, function and id say (other TarsCpp
// versions send "tarsInnerAuthServer" and id 0).
inline constexpr const char* kAuthServantName = "authServant";
inline constexpr const char* kAuthFuncName = "InnerAuthServer";
inline constexpr int32_t kAuthRequestId = 1;
inline constexpr int32_t kAuthMessageType = 0x40;
// The server's answer text on success (TarsCpp's client compares it ignoring case).
inline constexpr const char* kAuthSuccessText = "AUTH_SUCC";
// iTime may be at most this far (exclusive) from the server's clock.
inline constexpr int64_t kAuthTimeWindowSeconds = 3600;

// The raw signature bytes of secretKey at time (seconds since the epoch).
std::string authSignature(const std::string& secretKey, int64_t time);

// The encoded BasicAuthPackage a client sends for objectName (sHashMethod left at its
// default, "sha1", so not written, as TarsCpp does).
std::string makeAuthPackage(const std::string& objectName, const AuthKeys& keys, int64_t time);

// The whole first packet (length prefix included) of a client connection.
std::string makeAuthRequest(const std::string& objectName, const AuthKeys& keys, int64_t time);

// Checks an encoded BasicAuthPackage against the adapter's servant name and keys at now:
// AUTH_SUCC (0), or AUTH_PROTO_ERR, AUTH_WRONG_OBJ, AUTH_WRONG_AK, AUTH_WRONG_TIME,
// AUTH_NOT_SUPPORT_ENC, AUTH_DEC_FAIL, AUTH_ERROR (-100 .. -106), checked in that order.
// A wrong secret key is usually AUTH_DEC_FAIL (the padding does not check out) and
// sometimes AUTH_ERROR.
int verifyAuthPackage(std::string_view package, const std::string& objectName, const AuthKeys& keys, int64_t now);

// The server's side of the first packet (length prefix included): its RequestPacket is
// decoded and its sBuffer verified. On AUTH_SUCC *reply holds the framed answer (a
// ResponsePacket echoing iVersion, cPacketType, iRequestId and iMessageType, iRet 0,
// sBuffer AUTH_SUCC); on failure the connection is to be closed without a reply.
int verifyAuthRequest(const char* packet, size_t length, const std::string& objectName, const AuthKeys& keys,
                      int64_t now, std::string* reply);

// Whether a server's answer (its sBuffer) says the connection is authenticated.
bool isAuthSuccess(std::string_view answer);

// "AUTH_WRONG_AK" for -102, "AUTH_STATE(<n>)" for a code AuthF.tars does not name.
std::string authStateName(int code);
// What a code means, for error messages ("unknown access key").
const char* authStateReason(int code);

// Lowercase hex digests (exposed for tests).
std::string hexSha1(std::string_view data);
std::string hexMd5(std::string_view data);

}  // namespace tars
