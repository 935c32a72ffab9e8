// libFuzzer target over the server's side of TARS authentication: any bytes, taken as a
// BasicAuthPackage (verifyAuthPackage) and as a connection's first packet
// (verifyAuthRequest), must give AUTH_SUCC or one of the codes -100..-106, never a crash,
// and a reply only on success. Whatever decodes as a BasicAuthPackage must re-encode to
// bytes that decode to the same package.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "AuthF.h"
#include "internal/Auth.h"
#include "tup/Tars.h"

namespace {

const std::string kObject = "TestApp.TestServer.EchoObj";
const tars::AuthKeys kKeys{"fuzz-access", "fuzz-secret"};
constexpr int64_t kNow = 1700000000;

void checkCode(int code) {
    if (code != 0 && (code > -100 || code < -106)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const char* bytes = reinterpret_cast<const char*>(data);
    checkCode(tars::verifyAuthPackage(std::string_view(bytes, size), kObject, kKeys, kNow));

    std::string reply;
    int code = tars::verifyAuthRequest(bytes, size, kObject, kKeys, kNow, &reply);
    checkCode(code);
    if ((code == 0) == reply.empty()) std::abort();

    tars::BasicAuthPackage package;
    try {
        tars::TarsInputStream<tars::BufferReader> is;
        is.setBuffer(bytes, size);
        package.readFrom(is);
    } catch (const tars::TarsDecodeException&) {
        return 0;
    }
    tars::TarsOutputStream<tars::BufferWriterString> os;
    package.writeTo(os);
    tars::BasicAuthPackage again;
    tars::TarsInputStream<tars::BufferReader> is;
    is.setBuffer(os.getByteBuffer().data(), os.getByteBuffer().size());
    again.readFrom(is);  // must not throw: we wrote it
    if (!(again == package)) std::abort();
    return 0;
}
