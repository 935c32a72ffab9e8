// TARS authentication (servant/internal/Auth.h): the signature against known answers made
// by the openssl command line (auth_kat.sh, recorded and run again at test time), the
// package bytes against a hand encoding, and every failure code of the verifier.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "AuthF.h"
#include "RequestF.h"
#include "internal/Auth.h"
#include "tup/Tars.h"

namespace tars {
namespace {

const std::string kObject = "TestApp.TestServer.EchoObj";
const AuthKeys kKeys{"test-access-key", "123456"};
constexpr int64_t kNow = 1700000000;

std::string hex(const std::string& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += kDigits[c >> 4];
        out += kDigits[c & 0x0f];
    }
    return out;
}

// The fields auth_kat.sh prints for secret at time.
struct Kat {
    std::string secret1, secret2, tmpkey, signature;
};

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::optional<Kat> runKatScript(const std::string& secret, int64_t time) {
    std::string command =
        std::string("bash ") + AUTH_KAT_SCRIPT + " " + shellQuote(secret) + " " + std::to_string(time) + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return std::nullopt;
    std::string output;
    std::array<char, 512> buffer{};
    while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) output += buffer.data();
    if (::pclose(pipe) != 0) {
        ADD_FAILURE() << "auth_kat.sh failed (is the openssl command installed?): " << output;
        return std::nullopt;
    }
    auto field = [&](const std::string& name) {
        size_t at = output.find(name + "=");
        if (at == std::string::npos) return std::string();
        at += name.size() + 1;
        size_t end = output.find_first_of(" \n", at);
        return output.substr(at, end - at);
    };
    return Kat{field("secret1"), field("secret2"), field("tmpkey"), field("signature")};
}

// 3DES-ECB (PKCS#5) of plain under the first 24 bytes of key, straight from OpenSSL, for
// signatures the client code would never make.
std::string encrypt3des(const std::string& key, const std::string& plain) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    std::string out(plain.size() + 16, '\0');
    int n = 0;
    int last = 0;
    EVP_EncryptInit_ex(ctx, EVP_des_ede3_ecb(), nullptr, reinterpret_cast<const unsigned char*>(key.data()), nullptr);
    EVP_EncryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n,
                      reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size()));
    EVP_EncryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n, &last);
    EVP_CIPHER_CTX_free(ctx);
    out.resize(static_cast<size_t>(n + last));
    return out;
}

std::string encode(const BasicAuthPackage& package) {
    TarsOutputStream<BufferWriterString> os;
    package.writeTo(os);
    return os.getByteBuffer();
}

BasicAuthPackage validPackage() {
    BasicAuthPackage package;
    package.sObjName = kObject;
    package.sAccessKey = kKeys.accessKey;
    package.iTime = kNow;
    package.sSignature = authSignature(kKeys.secretKey, kNow);
    return package;
}

TEST(AuthDigest, HexDigestsAreLowercaseStandardValues) {
    // FIPS 180 and RFC 1321 test vectors.
    EXPECT_EQ(hexSha1("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(hexMd5("abc"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(AuthSignature, MatchesRecordedOpensslVectors) {
    // Recorded with: tests/unit/auth/auth_kat.sh <secret> <time>
    struct Vector {
        const char* secret;
        int64_t time;
        const char* signature;
    };
    const Vector vectors[] = {
        {"123456", 1700000000,
         "19c4e6bcb94f29a9cef2f7f97f2912844d6886b427ca7bb8a8b3b7c6cf5807e7df4f43fafcb00599adef5384f91b8819"},
        {"s3cr3t-\xd0\x9a\xd0\xbb\xd1\x8e\xd1\x87", 4102444800,
         "9c01fc53aec75300308f2ad14fed6f9e953b841f214daa1aec1819eb4e1fa0d289375e07c41fe01fbae7353a50fc7d36"},
        {"x", 1, "f8cfebd1ddea96855ac2c9f70e2ca6f05a4894d089f247c11a37b4fc639ee73fbd585a186489ca2f5e52e1c33fc11147"},
        {"ak-secret with spaces", 1712345678,
         "aaadd20a20571ffefd7c5d4c010ff56a5472650ef80368297aaf24b837c9c9f74cfd4ebc8a9b88926a57fd3b1ab02e56"},
    };
    for (const Vector& v : vectors) {
        EXPECT_EQ(hex(authSignature(v.secret, v.time)), v.signature) << v.secret << " at " << v.time;
    }
    // TarsCpp's AuthLogic.cpp names secret2 of "123456" in a comment: the same value.
    EXPECT_EQ(hexSha1(hexSha1("123456")), "69c5fcebaa65b560eaf06c3fbeb481ae44b8d618");
}

TEST(AuthSignature, MatchesTheOpensslCommandLineNow) {
    const std::pair<std::string, int64_t> cases[] = {
        {"123456", static_cast<int64_t>(::time(nullptr))},
        {"another secret", 0x0102030405060708},
        {"k", 0x7fffffff},
    };
    for (const auto& [secret, time] : cases) {
        auto kat = runKatScript(secret, time);
        ASSERT_TRUE(kat.has_value());
        EXPECT_EQ(hexSha1(secret), kat->secret1);
        EXPECT_EQ(hexSha1(kat->secret1), kat->secret2);
        EXPECT_EQ(hex(authSignature(secret, time)), kat->signature) << secret << " at " << time;
    }
}

TEST(AuthPackage, EncodesAsTarsCppDoes) {
    // Hand encoding (DESIGN.md's wire rules): tag 1 and 2 STRING1, tag 3 the time in the
    // smallest integer (1700000000 fits INT32: head 0x32), tag 4 absent (its default
    // "sha1"), tag 5 STRING1 holding the 48-byte signature.
    std::string signature = authSignature("123456", kNow);
    ASSERT_EQ(signature.size(), 48u);
    std::string expected;
    expected += '\x16';
    expected += static_cast<char>(kObject.size());
    expected += kObject;
    expected += '\x26';
    expected += static_cast<char>(kKeys.accessKey.size());
    expected += kKeys.accessKey;
    expected += std::string("\x32\x65\x53\xf1\x00", 5);
    expected += '\x56';
    expected += static_cast<char>(48);
    expected += signature;
    EXPECT_EQ(hex(makeAuthPackage(kObject, kKeys, kNow)), hex(expected));
}

TEST(AuthPackage, FirstPacketIsTarsCppsInnerAuthServerRequest) {
    std::string packet = makeAuthRequest(kObject, kKeys, kNow);
    ASSERT_GT(packet.size(), 4u);
    uint32_t length = (static_cast<uint8_t>(packet[0]) << 24) | (static_cast<uint8_t>(packet[1]) << 16) |
                      (static_cast<uint8_t>(packet[2]) << 8) | static_cast<uint8_t>(packet[3]);
    EXPECT_EQ(length, packet.size());
    RequestPacket request;
    TarsInputStream<BufferReader> is;
    is.setBuffer(packet.data() + 4, packet.size() - 4);
    request.readFrom(is);
    EXPECT_EQ(request.iVersion, 1);
    EXPECT_EQ(request.cPacketType, 0);
    EXPECT_EQ(request.iMessageType, 0x40);
    EXPECT_EQ(request.iRequestId, 1);
    EXPECT_EQ(request.sServantName, "authServant");
    EXPECT_EQ(request.sFuncName, "InnerAuthServer");
    EXPECT_EQ(std::string(request.sBuffer.begin(), request.sBuffer.end()), makeAuthPackage(kObject, kKeys, kNow));
}

TEST(AuthVerify, AcceptsAValidPackageWithinTheHour) {
    std::string package = encode(validPackage());
    EXPECT_EQ(verifyAuthPackage(package, kObject, kKeys, kNow), AUTH_SUCC);
    EXPECT_EQ(verifyAuthPackage(package, kObject, kKeys, kNow + 3599), AUTH_SUCC);
    EXPECT_EQ(verifyAuthPackage(package, kObject, kKeys, kNow - 3599), AUTH_SUCC);
}

TEST(AuthVerify, UndecodablePackageIsMinus100) {
    EXPECT_EQ(verifyAuthPackage("", kObject, kKeys, kNow), AUTH_PROTO_ERR);
    EXPECT_EQ(verifyAuthPackage(std::string(20, '\x16'), kObject, kKeys, kNow), AUTH_PROTO_ERR);
    std::string truncated = encode(validPackage());
    truncated.resize(truncated.size() - 10);
    EXPECT_EQ(verifyAuthPackage(truncated, kObject, kKeys, kNow), AUTH_PROTO_ERR);
    EXPECT_EQ(verifyAuthPackage(std::string(64, '\xff'), kObject, kKeys, kNow), AUTH_PROTO_ERR);
}

TEST(AuthVerify, OtherObjectIsMinus101) {
    EXPECT_EQ(verifyAuthPackage(encode(validPackage()), "TestApp.TestServer.OtherObj", kKeys, kNow), AUTH_WRONG_OBJ);
}

TEST(AuthVerify, UnknownAccessKeyIsMinus102) {
    BasicAuthPackage package = validPackage();
    package.sAccessKey = "someone-else";
    EXPECT_EQ(verifyAuthPackage(encode(package), kObject, kKeys, kNow), AUTH_WRONG_AK);
    // A server without keys knows no access key at all.
    EXPECT_EQ(verifyAuthPackage(encode(validPackage()), kObject, AuthKeys{}, kNow), AUTH_WRONG_AK);
}

TEST(AuthVerify, TimeAnHourOrMoreAwayIsMinus103) {
    std::string package = encode(validPackage());
    EXPECT_EQ(verifyAuthPackage(package, kObject, kKeys, kNow + 3600), AUTH_WRONG_TIME);
    EXPECT_EQ(verifyAuthPackage(package, kObject, kKeys, kNow - 3600), AUTH_WRONG_TIME);
    EXPECT_EQ(verifyAuthPackage(package, kObject, kKeys, kNow + 7200), AUTH_WRONG_TIME);
    BasicAuthPackage extreme = validPackage();
    extreme.iTime = INT64_MIN;
    EXPECT_EQ(verifyAuthPackage(encode(extreme), kObject, kKeys, kNow), AUTH_WRONG_TIME);
    extreme.iTime = INT64_MAX;
    EXPECT_EQ(verifyAuthPackage(encode(extreme), kObject, kKeys, kNow), AUTH_WRONG_TIME);
}

TEST(AuthVerify, HashMethodOtherThanSha1IsMinus104) {
    BasicAuthPackage package = validPackage();
    package.sHashMethod = "md5";
    EXPECT_EQ(verifyAuthPackage(encode(package), kObject, kKeys, kNow), AUTH_NOT_SUPPORT_ENC);
}

TEST(AuthVerify, SignatureThatDoesNotDecryptIsMinus105) {
    BasicAuthPackage package = validPackage();
    package.sSignature.pop_back();  // not whole 8-byte blocks
    EXPECT_EQ(verifyAuthPackage(encode(package), kObject, kKeys, kNow), AUTH_DEC_FAIL);
    package.sSignature.clear();
    EXPECT_EQ(verifyAuthPackage(encode(package), kObject, kKeys, kNow), AUTH_DEC_FAIL);
}

TEST(AuthVerify, SignatureOfAnotherSecretIsMinus106) {
    // Encrypted under the right temporary key, but it is not sha1 of the secret key.
    std::string secret2 = hexSha1(hexSha1(kKeys.secretKey));
    std::string mixed = secret2;
    for (int i = 0; i < 8; ++i) mixed[i] = static_cast<char>(mixed[i] | ((kNow >> (8 * i)) & 0xff));
    BasicAuthPackage package = validPackage();
    package.sSignature = encrypt3des(hexMd5(mixed), hexSha1("not the secret"));
    EXPECT_EQ(verifyAuthPackage(encode(package), kObject, kKeys, kNow), AUTH_ERROR);
}

TEST(AuthVerify, WrongSecretKeyFailsWithMinus105OrMinus106) {
    BasicAuthPackage package = validPackage();
    package.sSignature = authSignature("654321", kNow);
    int code = verifyAuthPackage(encode(package), kObject, kKeys, kNow);
    EXPECT_TRUE(code == AUTH_DEC_FAIL || code == AUTH_ERROR) << code;
}

TEST(AuthVerify, ServerAnswerEchoesIdAndMessageType) {
    RequestPacket request;
    request.iVersion = 1;
    request.iMessageType = 0x40;
    request.iRequestId = 0;  // older TarsCpp clients: id 0, "tarsInnerAuthServer"
    request.sServantName = "authServant";
    request.sFuncName = "tarsInnerAuthServer";
    std::string package = encode(validPackage());
    request.sBuffer.assign(package.begin(), package.end());
    TarsOutputStream<BufferWriterString> os;
    request.writeTo(os);
    std::string body = os.getByteBuffer();
    std::string framed = std::string(4, '\0') + body;
    framed[3] = static_cast<char>(framed.size());
    framed[2] = static_cast<char>(framed.size() >> 8);

    std::string reply;
    ASSERT_EQ(verifyAuthRequest(framed.data(), framed.size(), kObject, kKeys, kNow, &reply), AUTH_SUCC);
    ResponsePacket response;
    TarsInputStream<BufferReader> is;
    is.setBuffer(reply.data() + 4, reply.size() - 4);
    response.readFrom(is);
    EXPECT_EQ(static_cast<uint8_t>(reply[3]) | (static_cast<uint8_t>(reply[2]) << 8), reply.size());
    EXPECT_EQ(response.iVersion, 1);
    EXPECT_EQ(response.iRequestId, 0);
    EXPECT_EQ(response.iMessageType, 0x40);
    EXPECT_EQ(response.iRet, 0);
    EXPECT_EQ(std::string(response.sBuffer.begin(), response.sBuffer.end()), "AUTH_SUCC");

    reply.clear();
    EXPECT_EQ(verifyAuthRequest(framed.data(), framed.size(), kObject, kKeys, kNow + 7200, &reply), AUTH_WRONG_TIME);
    EXPECT_TRUE(reply.empty());
    EXPECT_EQ(verifyAuthRequest(framed.data(), 3, kObject, kKeys, kNow, &reply), AUTH_PROTO_ERR);
}

TEST(AuthVerify, SuccessTextIsComparedIgnoringCase) {
    EXPECT_TRUE(isAuthSuccess("AUTH_SUCC"));
    EXPECT_TRUE(isAuthSuccess("auth_succ"));
    EXPECT_FALSE(isAuthSuccess(""));
    EXPECT_FALSE(isAuthSuccess("AUTH_SUCC "));
    EXPECT_FALSE(isAuthSuccess("AUTH_ERROR"));
}

TEST(AuthVerify, StateNamesAreTarsCpps) {
    EXPECT_EQ(authStateName(-100), "AUTH_PROTO_ERR");
    EXPECT_EQ(authStateName(-103), "AUTH_WRONG_TIME");
    EXPECT_EQ(authStateName(-106), "AUTH_ERROR");
    EXPECT_EQ(authStateName(-3), "AUTH_STATE(-3)");
}

}  // namespace
}  // namespace tars
