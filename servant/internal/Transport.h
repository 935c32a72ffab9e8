// Transport: how the bytes of one server connection cross the wire, below the protocol.
// NetThread reads and writes a connection only through its Transport, and protocols only
// ever see the bytes, so a transport that encrypts (TLS, for `ssl` endpoints) plugs in
// here, chosen by makeServerTransport() from the adapter's endpoint, without touching any
// protocol. TcpTransport is plain TCP; TlsTransport is TLS (TC_SslStream) for ssl endpoints.
//
// Contract (the non-blocking socket calls' own): read() returns the bytes read, 0 at the
// peer's orderly close, or -1 with errno (EAGAIN/EWOULDBLOCK: nothing to read now);
// writev() returns the bytes written or -1 with errno (EAGAIN: try again when writable).
// A transport that must exchange bytes of its own before or between the caller's (a
// handshake) does so inside these calls and reports EAGAIN until the caller's bytes can
// move. Ownership: the connection owns its transport, which owns the socket (closed with
// it). One thread (the connection's NetThread) uses a transport.
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

#include <memory>

#include "util/tc_openssl.h"
#include "util/tc_socket.h"

namespace tars {

class BindAdapter;

class Transport {
public:
    virtual ~Transport() = default;
    virtual ssize_t read(char* buffer, size_t length) = 0;
    virtual ssize_t writev(const iovec* iov, int count) = 0;
    virtual int fd() const = 0;
    // A TLS transport's session (handshake state, failure, peer subject); null for TCP.
    virtual const TC_SslStream* tls() const { return nullptr; }
    // True while the transport waits for the socket to become writable to go on with bytes
    // of its own (a TLS handshake blocked on a full send buffer): read() again on EPOLLOUT.
    virtual bool wantsWrite() const { return false; }
    // Before the socket closes: a TLS close_notify (never blocks).
    virtual void shutdown() {}
};

class TcpTransport final : public Transport {
public:
    explicit TcpTransport(TC_Socket&& socket) : _socket(std::move(socket)) {}
    ssize_t read(char* buffer, size_t length) override { return _socket.recv(buffer, length); }
    ssize_t writev(const iovec* iov, int count) override { return _socket.sendv(iov, count); }
    int fd() const override { return _socket.getfd(); }

private:
    TC_Socket _socket;
};

class TlsTransport final : public Transport {
public:
    TlsTransport(TC_Socket&& socket, std::shared_ptr<TC_SslContext> context)
        : _socket(std::move(socket)), _stream(std::move(context), _socket.getfd()) {}
    ssize_t read(char* buffer, size_t length) override { return _stream.read(buffer, length); }
    ssize_t writev(const iovec* iov, int count) override { return _stream.writev(iov, count); }
    int fd() const override { return _socket.getfd(); }
    const TC_SslStream* tls() const override { return &_stream; }
    bool wantsWrite() const override { return _stream.wantsWrite(); }
    void shutdown() override { _stream.shutdown(); }

private:
    TC_Socket _socket;  // declared first: the stream borrows its fd
    TC_SslStream _stream;
};

// The transport of a connection accepted on adapter's endpoint.
std::unique_ptr<Transport> makeServerTransport(const BindAdapter& adapter, TC_Socket&& socket);

}  // namespace tars
