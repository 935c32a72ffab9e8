#include "util/tc_socket.h"

#include <fcntl.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tars {

TC_Socket::~TC_Socket() { close(); }

TC_Socket& TC_Socket::operator=(TC_Socket&& other) noexcept {
    if (this != &other) {
        close();
        _fd = other.release();
    }
    return *this;
}

TC_Socket TC_Socket::create(int domain, int type, bool nonBlocking) {
    int flags = SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0);
    int fd = ::socket(domain, type | flags, 0);
    if (fd < 0) {
        throw TC_Socket_Exception(std::string("socket(") +
                                      (domain == AF_INET6  ? "AF_INET6"
                                       : domain == AF_UNIX ? "AF_UNIX"
                                                           : "AF_INET") +
                                      (type == SOCK_DGRAM ? ", SOCK_DGRAM)" : ", SOCK_STREAM)"),
                                  errno);
    }
    return TC_Socket(fd);
}

int TC_Socket::release() noexcept {
    int fd = _fd;
    _fd = -1;
    return fd;
}

void TC_Socket::close() noexcept {
    if (_fd >= 0) {
        ::close(_fd);
        _fd = -1;
    }
}

void TC_Socket::bind(const TC_SockAddr& addr) {
    if (::bind(_fd, addr.addr(), addr.len()) != 0) {
        throw TC_Socket_Exception("bind " + addr.toString(), errno);
    }
}

void TC_Socket::listen(int backlog) {
    if (::listen(_fd, backlog) != 0) throw TC_Socket_Exception("listen fd " + std::to_string(_fd), errno);
}

int TC_Socket::accept(TC_Socket& client, TC_SockAddr* peer) {
    TC_SockAddr local;
    TC_SockAddr& out = peer ? *peer : local;
    out.reset();
    while (true) {
        int fd = ::accept4(_fd, out.addr(), &out.capacityLen(), SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            client = TC_Socket(fd);
            return 0;
        }
        if (errno != EINTR) return errno;
    }
}

int TC_Socket::connect(const TC_SockAddr& addr) {
    if (::connect(_fd, addr.addr(), addr.len()) == 0) return 0;
    // An interrupted connect goes on asynchronously, like EINPROGRESS.
    if (errno == EINTR) return EINPROGRESS;
    return errno;
}

int TC_Socket::getSockError() const {
    int err = 0;
    socklen_t len = sizeof(err);
    if (::getsockopt(_fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
    return err;
}

ssize_t TC_Socket::send(const void* buf, size_t len, int flags) {
    ssize_t n;
    do {
        n = ::send(_fd, buf, len, flags | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
}

ssize_t TC_Socket::sendv(const iovec* iov, int iovcnt) {
    msghdr msg{};
    msg.msg_iov = const_cast<iovec*>(iov);
    msg.msg_iovlen = static_cast<size_t>(iovcnt);
    ssize_t n;
    do {
        n = ::sendmsg(_fd, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n;
}

ssize_t TC_Socket::recv(void* buf, size_t len, int flags) {
    ssize_t n;
    do {
        n = ::recv(_fd, buf, len, flags);
    } while (n < 0 && errno == EINTR);
    return n;
}

ssize_t TC_Socket::sendto(const void* buf, size_t len, const TC_SockAddr& to, int flags) {
    ssize_t n;
    do {
        n = ::sendto(_fd, buf, len, flags | MSG_NOSIGNAL, to.addr(), to.len());
    } while (n < 0 && errno == EINTR);
    return n;
}

ssize_t TC_Socket::recvfrom(void* buf, size_t len, TC_SockAddr& from, int flags) {
    ssize_t n;
    do {
        from.reset();
        n = ::recvfrom(_fd, buf, len, flags, from.addr(), &from.capacityLen());
    } while (n < 0 && errno == EINTR);
    return n;
}

TC_SockAddr TC_Socket::getPeerName() const {
    TC_SockAddr addr;
    addr.reset();
    if (::getpeername(_fd, addr.addr(), &addr.capacityLen()) != 0) {
        throw TC_Socket_Exception("getpeername fd " + std::to_string(_fd), errno);
    }
    return addr;
}

TC_SockAddr TC_Socket::getSockName() const {
    TC_SockAddr addr;
    addr.reset();
    if (::getsockname(_fd, addr.addr(), &addr.capacityLen()) != 0) {
        throw TC_Socket_Exception("getsockname fd " + std::to_string(_fd), errno);
    }
    return addr;
}

void TC_Socket::setIntOption(int level, int name, int value, const char* what) {
    if (::setsockopt(_fd, level, name, &value, sizeof(value)) != 0) {
        throw TC_Socket_Exception(std::string("setsockopt ") + what + " fd " + std::to_string(_fd), errno);
    }
}

void TC_Socket::setReuseAddr(bool on) { setIntOption(SOL_SOCKET, SO_REUSEADDR, on, "SO_REUSEADDR"); }
void TC_Socket::setReusePort(bool on) { setIntOption(SOL_SOCKET, SO_REUSEPORT, on, "SO_REUSEPORT"); }
void TC_Socket::setNoDelay(bool on) { setIntOption(IPPROTO_TCP, TCP_NODELAY, on, "TCP_NODELAY"); }
void TC_Socket::setKeepAlive(bool on) { setIntOption(SOL_SOCKET, SO_KEEPALIVE, on, "SO_KEEPALIVE"); }
void TC_Socket::setRecvBufferSize(int bytes) { setIntOption(SOL_SOCKET, SO_RCVBUF, bytes, "SO_RCVBUF"); }
void TC_Socket::setSendBufferSize(int bytes) { setIntOption(SOL_SOCKET, SO_SNDBUF, bytes, "SO_SNDBUF"); }

int TC_Socket::getRecvBufferSize() const {
    int value = 0;
    socklen_t len = sizeof(value);
    if (::getsockopt(_fd, SOL_SOCKET, SO_RCVBUF, &value, &len) != 0) {
        throw TC_Socket_Exception("getsockopt SO_RCVBUF fd " + std::to_string(_fd), errno);
    }
    return value;
}

void TC_Socket::setCloseOnExec(bool on) {
    int flags = ::fcntl(_fd, F_GETFD);
    if (flags < 0 || ::fcntl(_fd, F_SETFD, on ? (flags | FD_CLOEXEC) : (flags & ~FD_CLOEXEC)) != 0) {
        throw TC_Socket_Exception("fcntl FD_CLOEXEC fd " + std::to_string(_fd), errno);
    }
}

void TC_Socket::setNonBlock(bool on) {
    int flags = ::fcntl(_fd, F_GETFL);
    if (flags < 0 || ::fcntl(_fd, F_SETFL, on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK)) != 0) {
        throw TC_Socket_Exception("fcntl O_NONBLOCK fd " + std::to_string(_fd), errno);
    }
}

void TC_Socket::setLinger(bool on, int seconds) {
    linger l{};
    l.l_onoff = on ? 1 : 0;
    l.l_linger = seconds;
    if (::setsockopt(_fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l)) != 0) {
        throw TC_Socket_Exception("setsockopt SO_LINGER fd " + std::to_string(_fd), errno);
    }
}

int TC_Socket::shutdown(int how) { return ::shutdown(_fd, how) == 0 ? 0 : errno; }

}  // namespace tars
