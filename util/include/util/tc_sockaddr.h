// TC_SockAddr: an IPv4, IPv6 or Unix-domain (AF_UNIX path) socket address, as a plain
// value (copy it, compare it, share it read-only between threads).
//
// parse() accepts numeric addresses (IPv6 with or without brackets), "" or "*" for
// 0.0.0.0, and host names (resolved with a blocking getaddrinfo: keep names out of event
// loops, or resolve once at start-up). Errors: parse() throws TC_Socket_Exception naming
// the host and the resolver's reason; parseNumeric() returns std::nullopt instead.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

#include "util/tc_ex.h"

namespace tars {

struct TC_Socket_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

class TC_SockAddr {
public:
    TC_SockAddr() = default;  // AF_UNSPEC, empty
    TC_SockAddr(const sockaddr* addr, socklen_t len);

    // host: a numeric IPv4 or IPv6 address (brackets "[::1]" allowed), "" or "*" for
    // 0.0.0.0, or a host name resolved with getaddrinfo (blocking). Throws on failure.
    static TC_SockAddr parse(const std::string& host, uint16_t port);
    // Numeric addresses only (never blocks); nullopt if host is not one.
    static std::optional<TC_SockAddr> parseNumeric(const std::string& host, uint16_t port);
    // A Unix-domain socket path (a file system path, at most kMaxUnixPath bytes). Throws
    // TC_Socket_Exception when it is empty or too long.
    static TC_SockAddr unixPath(const std::string& path);
    static constexpr size_t kMaxUnixPath = 107;  // sun_path less its terminating NUL

    int family() const { return _addr.ss_family; }
    bool isIPv6() const { return _addr.ss_family == AF_INET6; }
    bool isUnix() const { return _addr.ss_family == AF_UNIX; }
    const sockaddr* addr() const { return reinterpret_cast<const sockaddr*>(&_addr); }
    sockaddr* addr() { return reinterpret_cast<sockaddr*>(&_addr); }
    socklen_t len() const { return _len; }
    // For calls that fill the address in: pass addr() and &capacityLen() after reset().
    socklen_t& capacityLen() { return _len; }
    void reset() {
        _addr = {};
        _len = sizeof(_addr);
    }

    std::string ip() const;        // "127.0.0.1", "::1"; a Unix socket's path; "" when empty/unnamed
    uint16_t port() const;         // host byte order (0 for a Unix socket)
    std::string toString() const;  // "127.0.0.1:80", "[::1]:80", "unix:/run/app.sock"

    bool operator==(const TC_SockAddr& other) const;

    // 127.0.0.0/8, ::1, an IPv4-mapped 127.x (the port is not looked at), or a Unix
    // socket (same host by construction).
    bool isLoopback() const;

private:
    sockaddr_storage _addr{};
    socklen_t _len = 0;
};

}  // namespace tars
