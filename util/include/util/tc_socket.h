// TC_Socket: an owning handle of one TCP or UDP socket, IPv4, IPv6 or Unix-domain, made for
// non-blocking event loops (addresses are TC_SockAddr values).
//
// Ownership: a TC_Socket owns its fd and closes it when destroyed (RAII); it is
// move-only. release() hands the fd over to the caller.
// Thread-safety: one socket belongs to one thread at a time (the kernel calls are
// thread-safe, the object is not synchronised).
// Errors: setup calls (create, bind, listen, set*, getPeerName ...) throw
// TC_Socket_Exception whose message names the call, the address and the errno text.
// Data-path calls report like POSIX, because "would block" is normal flow there:
// send/recv/sendto/recvfrom/sendv return -1 with errno set (EINTR is retried
// internally); accept() and connect() return an errno value (0 on success).
// Sends use MSG_NOSIGNAL: a closed peer gives EPIPE, never SIGPIPE.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <string>

#include "util/tc_sockaddr.h"

namespace tars {

class TC_Socket {
public:
    TC_Socket() = default;                   // invalid until create() or adoption
    explicit TC_Socket(int fd) : _fd(fd) {}  // adopts fd
    ~TC_Socket();
    TC_Socket(TC_Socket&& other) noexcept : _fd(other.release()) {}
    TC_Socket& operator=(TC_Socket&& other) noexcept;
    TC_Socket(const TC_Socket&) = delete;
    TC_Socket& operator=(const TC_Socket&) = delete;

    // domain AF_INET, AF_INET6 or AF_UNIX; type SOCK_STREAM or SOCK_DGRAM. The socket is
    // close-on-exec, and non-blocking unless nonBlocking=false.
    static TC_Socket create(int domain, int type, bool nonBlocking = true);

    int getfd() const { return _fd; }
    bool isValid() const { return _fd >= 0; }
    int release() noexcept;  // gives up ownership; the object becomes invalid
    void close() noexcept;

    void bind(const TC_SockAddr& addr);
    void bind(const std::string& host, uint16_t port) { bind(TC_SockAddr::parse(host, port)); }
    void listen(int backlog = 1024);

    // 0: client holds the new connection (non-blocking, close-on-exec) and peer, if
    // given, its address. Otherwise the errno value: EAGAIN when nothing is pending,
    // ECONNABORTED/EMFILE/ENFILE/... which a server loop handles.
    int accept(TC_Socket& client, TC_SockAddr* peer = nullptr);

    // 0: connected. EINPROGRESS: a non-blocking connect is under way; wait for
    // writability, then getSockError() tells the result. Any other value: errno.
    int connect(const TC_SockAddr& addr);
    // SO_ERROR: the pending error of the socket (0 once a connect has succeeded).
    int getSockError() const;

    ssize_t send(const void* buf, size_t len, int flags = 0);
    ssize_t sendv(const iovec* iov, int iovcnt);
    ssize_t recv(void* buf, size_t len, int flags = 0);
    ssize_t sendto(const void* buf, size_t len, const TC_SockAddr& to, int flags = 0);
    ssize_t recvfrom(void* buf, size_t len, TC_SockAddr& from, int flags = 0);

    TC_SockAddr getPeerName() const;
    TC_SockAddr getSockName() const;

    void setReuseAddr(bool on = true);
    void setReusePort(bool on = true);
    void setNoDelay(bool on = true);
    void setKeepAlive(bool on = true);
    void setCloseOnExec(bool on = true);
    void setNonBlock(bool on = true);
    // on=false: close() returns at once (the default). on=true, seconds=0: close()
    // resets the connection (RST) instead of a graceful FIN.
    void setLinger(bool on, int seconds);
    void setRecvBufferSize(int bytes);
    void setSendBufferSize(int bytes);
    // SO_RCVBUF as the kernel reports it (twice what was set, for its bookkeeping).
    int getRecvBufferSize() const;
    // how: SHUT_RD, SHUT_WR, SHUT_RDWR. Returns 0 or the errno value.
    int shutdown(int how);

private:
    void setIntOption(int level, int name, int value, const char* what);

    int _fd = -1;
};

}  // namespace tars
