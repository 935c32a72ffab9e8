#include "util/tc_sockaddr.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/un.h>

#include <cerrno>
#include <algorithm>
#include <cstddef>
#include <cstring>

namespace tars {

TC_SockAddr::TC_SockAddr(const sockaddr* addr, socklen_t len) {
    if (len > sizeof(_addr)) len = sizeof(_addr);
    std::memcpy(&_addr, addr, len);
    _len = len;
}

namespace {
std::string stripBrackets(const std::string& host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
    return host;
}

std::optional<TC_SockAddr> resolve(const std::string& rawHost, uint16_t port, bool numericOnly, std::string* error) {
    std::string host = stripBrackets(rawHost);
    if (host.empty() || host == "*") host = "0.0.0.0";
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_flags = numericOnly ? AI_NUMERICHOST : 0;
    addrinfo* result = nullptr;
    int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &result);
    if (rc != 0 || result == nullptr) {
        if (error) *error = rc == EAI_SYSTEM ? errnoText(errno) : ::gai_strerror(rc);
        return std::nullopt;
    }
    TC_SockAddr out(result->ai_addr, result->ai_addrlen);
    ::freeaddrinfo(result);
    sockaddr* sa = out.addr();
    if (sa->sa_family == AF_INET) {
        reinterpret_cast<sockaddr_in*>(sa)->sin_port = htons(port);
    } else if (sa->sa_family == AF_INET6) {
        reinterpret_cast<sockaddr_in6*>(sa)->sin6_port = htons(port);
    } else {
        if (error) *error = "unsupported address family";
        return std::nullopt;
    }
    return out;
}
}  // namespace

std::optional<TC_SockAddr> TC_SockAddr::parseNumeric(const std::string& host, uint16_t port) {
    return resolve(host, port, true, nullptr);
}

TC_SockAddr TC_SockAddr::parse(const std::string& host, uint16_t port) {
    if (auto numeric = resolve(host, port, true, nullptr)) return *numeric;
    std::string error;
    if (auto named = resolve(host, port, false, &error)) return *named;
    throw TC_Socket_Exception("resolve host '" + host + "': " + error);
}

TC_SockAddr TC_SockAddr::unixPath(const std::string& path) {
    if (path.empty()) throw TC_Socket_Exception("unix socket path is empty");
    if (path.size() > kMaxUnixPath) {
        throw TC_Socket_Exception("unix socket path '" + path + "' is " + std::to_string(path.size()) +
                                  " bytes, more than the " + std::to_string(kMaxUnixPath) + " a socket address holds");
    }
    if (path.find('\0') != std::string::npos) throw TC_Socket_Exception("unix socket path holds a NUL byte");
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    std::memcpy(un.sun_path, path.data(), path.size());
    return TC_SockAddr(reinterpret_cast<const sockaddr*>(&un),
                       static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1));
}

std::string TC_SockAddr::ip() const {
    if (_addr.ss_family == AF_UNIX) {
        const auto* un = reinterpret_cast<const sockaddr_un*>(&_addr);
        size_t offset = offsetof(sockaddr_un, sun_path);
        if (_len <= offset) return {};  // unnamed (a connecting client)
        size_t max = std::min<size_t>(_len - offset, sizeof(un->sun_path));
        return std::string(un->sun_path, ::strnlen(un->sun_path, max));
    }
    char buf[INET6_ADDRSTRLEN] = {0};
    if (_addr.ss_family == AF_INET) {
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&_addr)->sin_addr, buf, sizeof(buf));
    } else if (_addr.ss_family == AF_INET6) {
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&_addr)->sin6_addr, buf, sizeof(buf));
    }
    return buf;
}

namespace {

// The IPv4 address of an AF_INET or IPv4-mapped AF_INET6 address (host order), if it has one.
std::optional<uint32_t> ipv4Of(const sockaddr_storage& addr) {
    if (addr.ss_family == AF_INET) return ntohl(reinterpret_cast<const sockaddr_in*>(&addr)->sin_addr.s_addr);
    if (addr.ss_family == AF_INET6) {
        const in6_addr& a6 = reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_addr;
        if (IN6_IS_ADDR_V4MAPPED(&a6)) {
            uint32_t v4;
            std::memcpy(&v4, &a6.s6_addr[12], 4);
            return ntohl(v4);
        }
    }
    return std::nullopt;
}

}  // namespace

bool TC_SockAddr::isLoopback() const {
    if (_addr.ss_family == AF_UNIX) return true;
    if (auto v4 = ipv4Of(_addr)) return (*v4 >> 24) == 127;
    if (_addr.ss_family == AF_INET6) {
        return IN6_IS_ADDR_LOOPBACK(&reinterpret_cast<const sockaddr_in6*>(&_addr)->sin6_addr);
    }
    return false;
}

uint16_t TC_SockAddr::port() const {
    if (_addr.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&_addr)->sin_port);
    if (_addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&_addr)->sin6_port);
    return 0;
}

std::string TC_SockAddr::toString() const {
    if (_addr.ss_family == AF_UNIX) return "unix:" + ip();
    if (_addr.ss_family == AF_INET6) return "[" + ip() + "]:" + std::to_string(port());
    return ip() + ":" + std::to_string(port());
}

bool TC_SockAddr::operator==(const TC_SockAddr& other) const {
    return family() == other.family() && port() == other.port() && ip() == other.ip();
}

}  // namespace tars
