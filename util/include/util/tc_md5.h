// TC_MD5: MD5 digests in lowercase hex, OpenSSL's EVP underneath. TARS uses MD5 to check
// packages (tarspatch, the node, tarsadmin publish); this is the one implementation of it.
//
//   TC_MD5::hex("abc")                       "900150983cd24fb0d6963f7d28e17f72"
//   TC_MD5 md5; md5.update(a); md5.update(b); md5.final()
//   TC_MD5::fileHex(path), fdHex(fd, name)   a file's, read in 64 KiB pieces
//
// Errors throw TC_Exception: OpenSSL without MD5 (a FIPS-only build), a file that cannot
// be read (naming it and the system's reason). One object per thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace tars {

class TC_MD5 {
public:
    TC_MD5();
    ~TC_MD5();
    TC_MD5(const TC_MD5&) = delete;
    TC_MD5& operator=(const TC_MD5&) = delete;

    void update(const void* data, size_t size);
    void update(std::string_view data) { update(data.data(), data.size()); }
    // The digest of everything given; the object starts over afterwards.
    std::string final();

    static std::string hex(std::string_view data);
    static std::string fileHex(const std::string& path);
    // What fd reads from its offset to the end; name is for the error message.
    static std::string fdHex(int fd, const std::string& name);

private:
    evp_md_ctx_st* _ctx;
};

}  // namespace tars
