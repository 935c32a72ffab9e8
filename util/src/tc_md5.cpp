#include "util/tc_md5.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "util/tc_ex.h"

namespace tars {

namespace {

void start(EVP_MD_CTX* ctx) {
    if (EVP_DigestInit_ex(ctx, EVP_md5(), nullptr) != 1) {
        throw TC_Exception("MD5: OpenSSL cannot start a digest (is MD5 disabled in this OpenSSL?)");
    }
}

}  // namespace

TC_MD5::TC_MD5() : _ctx(EVP_MD_CTX_new()) {
    if (_ctx == nullptr) throw TC_Exception("MD5: out of memory");
    try {
        start(_ctx);
    } catch (...) {
        EVP_MD_CTX_free(_ctx);
        throw;
    }
}

TC_MD5::~TC_MD5() { EVP_MD_CTX_free(_ctx); }

void TC_MD5::update(const void* data, size_t size) {
    if (size != 0 && EVP_DigestUpdate(_ctx, data, size) != 1) throw TC_Exception("MD5: OpenSSL refused the data");
}

std::string TC_MD5::final() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(_ctx, digest, &length) != 1) throw TC_Exception("MD5: OpenSSL cannot finish the digest");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        text += kHex[digest[i] >> 4];
        text += kHex[digest[i] & 0x0f];
    }
    start(_ctx);
    return text;
}

std::string TC_MD5::hex(std::string_view data) {
    TC_MD5 md5;
    md5.update(data);
    return md5.final();
}

std::string TC_MD5::fileHex(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw TC_Exception("cannot read " + path + ": " + std::strerror(errno));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    return fdHex(fd, path);
}

std::string TC_MD5::fdHex(int fd, const std::string& name) {
    TC_MD5 md5;
    std::vector<char> buffer(64 * 1024);
    while (true) {
        ssize_t n = ::read(fd, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw TC_Exception("cannot read " + name + ": " + std::strerror(errno));
        if (n == 0) break;
        md5.update(buffer.data(), static_cast<size_t>(n));
    }
    return md5.final();
}

}  // namespace tars
