#include "internal/Transceiver.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <cerrno>

#include "BaseF.h"
#include "internal/AdapterProxy.h"
#include "internal/CommunicatorEpoll.h"
#include "internal/ObjectProxy.h"
#include "util/tc_logger.h"

namespace tars {

namespace {
constexpr size_t kMaxIov = 64;
}  // namespace

Transceiver::Transceiver(AdapterProxy* adapter, CommunicatorEpoll* epoll, const TC_Endpoint& endpoint)
    : _adapter(adapter), _epoll(epoll), _endpoint(endpoint) {}

Transceiver::~Transceiver() { close(); }

std::string Transceiver::connect(int connectTimeoutMs) {
    close();
    auto failed = [this](int err) { return "connect to " + _endpoint.toString() + " failed: " + errnoText(err); };
    if (_endpoint.isSSL()) {
        std::string why;
        _tlsContext = _adapter->objectProxy()->tlsContext(why);
        if (!_tlsContext) return "connect to " + _endpoint.toString() + " failed: " + why;
    }
    auto addr = TC_SockAddr::parseNumeric(_endpoint.getHost(), static_cast<uint16_t>(_endpoint.getPort()));
    TC_SockAddr resolved;
    if (addr) {
        resolved = *addr;
    } else {
        try {
            // A host name: resolved here, once per connect (keep names out of hot paths).
            resolved = TC_SockAddr::parse(_endpoint.getHost(), static_cast<uint16_t>(_endpoint.getPort()));
        } catch (const TC_Exception&) {
            return failed(EHOSTUNREACH);
        }
    }
    try {
        _socket = TC_Socket::create(resolved.family(), SOCK_STREAM, true);
        _socket.setNoDelay(true);
    } catch (const TC_Exception& e) {
        _socket.close();
        return failed(e.getErrCode() ? e.getErrCode() : EMFILE);
    }
    int err = _socket.connect(resolved);
    if (err != 0 && err != EINPROGRESS) {
        _socket.close();
        return failed(err);
    }
    _key = _epoll->addHandle(this);
    try {
        _epoll->epoller().add(_socket.getfd(), _key, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
    } catch (const TC_Exception& e) {
        _epoll->removeHandle(_key);
        _key = 0;
        _socket.close();
        return failed(e.getErrCode() ? e.getErrCode() : EBADF);
    }
    _state = CONNECTING;
    _epoll->endpointStateChanged();
    uint64_t attempt = ++_attempt;
    uint64_t key = _key;
    CommunicatorEpoll* epoll = _epoll;
    _epoll->timers().schedule(_epoll->nowMs() + connectTimeoutMs, [epoll, key, attempt] {
        if (Transceiver* t = epoll->findHandle(key)) t->onConnectTimeout(attempt);
    });
    // A loopback connect may complete at once; the EPOLLOUT edge reports it either way.
    return "";
}

void Transceiver::close() {
    if (_key != 0) {
        if (_socket.isValid()) _epoll->epoller().del(_socket.getfd());
        _epoll->removeHandle(_key);
        _key = 0;
    }
    if (_tls) {
        if (_state == CONNECTED) _tls->shutdown();  // close_notify
        _tls.reset();
    }
    _socket.close();
    _state = CLOSED;
    _epoll->endpointStateChanged();
    dirty = false;
    _sendBuffer.clearBuffers();
    _recvBuffer.clearBuffers();
}

void Transceiver::send(std::string&& bytes) {
    _sendBuffer.addBuffer(std::move(bytes));
    if (_state == CONNECTED) _epoll->markDirty(this);
}

void Transceiver::flush() {
    if (_state != CONNECTED) return;
    iovec iov[kMaxIov];
    while (!_sendBuffer.empty()) {
        size_t count = _sendBuffer.getIovec(iov, kMaxIov);
        ssize_t written =
            _tls ? _tls->writev(iov, static_cast<int>(count)) : _socket.sendv(iov, static_cast<int>(count));
        if (written > 0) {
            _sendBuffer.moveHeader(static_cast<size_t>(written));
            continue;
        }
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // EPOLLOUT resumes
        fail(TARSPROXYCONNECTERR, "send to " + _endpoint.toString() + " failed: " + ioError(errno));
        return;
    }
}

void Transceiver::onConnectTimeout(uint64_t attempt) {
    if (_state != CONNECTING || attempt != _attempt) return;
    fail(TARSPROXYCONNECTERR,
         "connect to " + _endpoint.toString() + (_tls ? " timed out in the TLS handshake" : " timed out"));
}

void Transceiver::onConnectResult(int err) {
    if (err != 0) {
        fail(TARSPROXYCONNECTERR, "connect to " + _endpoint.toString() + " failed: " + errnoText(err));
        return;
    }
    if (_tlsContext) {
        // Still CONNECTING (the connect timeout covers the handshake) until TLS is up.
        _tls = std::make_unique<TC_SslStream>(_tlsContext, _socket.getfd(), _endpoint.getHost());
        continueHandshake();
        return;
    }
    _state = CONNECTED;       // usable() only asks whether it is CLOSED: no endpointStateChanged()
    _adapter->onConnected();  // queues the waiting calls
    if (_state == CONNECTED && !_sendBuffer.empty()) _epoll->markDirty(this);
}

void Transceiver::continueHandshake() {
    if (_tls->handshake()) {
        _state = CONNECTED;
        _adapter->onConnected();
        if (_state == CONNECTED && !_sendBuffer.empty()) _epoll->markDirty(this);
        return;
    }
    if (_tls->failed()) {
        fail(TARSPROXYCONNECTERR, "TLS handshake with " + _endpoint.toString() + " failed: " + _tls->failureText());
    }
}

ssize_t Transceiver::readSome(char* buffer, size_t length) {
    return _tls ? _tls->read(buffer, length) : _socket.recv(buffer, length);
}

std::string Transceiver::ioError(int err) const {
    if (_tls && _tls->failed()) return "TLS: " + _tls->failureText();
    return errnoText(err);
}

void Transceiver::onEvent(uint32_t events) {
    if (_state == CONNECTING && _tls) {
        continueHandshake();  // any event may move it on; errors show as a failed handshake
        if (_state != CONNECTED) return;
    }
    if (_state == CONNECTED && _tls && _tls->wantsWrite() && (events & EPOLLOUT)) doRead();
    if (_state == CONNECTING) {
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
            int err = _socket.getSockError();
            if (err == 0 && (events & (EPOLLERR | EPOLLHUP))) err = ECONNREFUSED;
            onConnectResult(err);
        }
        if (_state != CONNECTED) return;
    }
    if (_state != CONNECTED) return;
    if (events & EPOLLIN) {
        doRead();
        if (_state != CONNECTED) return;
    }
    if (events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
        // Read what is left first (a reply may precede the close), then report.
        doRead();
        if (_state == CONNECTED) fail(TARSPROXYCONNECTERR, "connection to " + _endpoint.toString() + " closed");
        return;
    }
    if (events & EPOLLOUT) flush();
}

void Transceiver::doRead() {
    bool closed = false;
    // Edge-triggered: read until the socket is drained (a short read means it is; bytes
    // arriving later raise a new edge).
    for (;;) {
        auto [space, size] = _recvBuffer.getWriteSpace(16 * 1024);
        ssize_t got = readSome(space, size);
        if (got > 0) {
            _recvBuffer.commitWrite(static_cast<size_t>(got));
            if (static_cast<size_t>(got) < size) break;  // drained
            continue;
        }
        _recvBuffer.commitWrite(0);
        if (got == 0) {
            closed = true;
        } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
            closed = true;
        }
        break;
    }

    const ProxyProtocol& protocol = _adapter->objectProxy()->protocol();
    while (_state == CONNECTED && !_recvBuffer.empty()) {
        ResponsePacket rsp;
        ProxyProtocol::PACKET_TYPE result;
        size_t before = _recvBuffer.getBufferLength();
        try {
            result = protocol.responseFunc ? protocol.responseFunc(_recvBuffer, rsp)
                                           : ProxyProtocol::tarsResponse(_recvBuffer, rsp);
        } catch (const std::exception& e) {
            if (_recvBuffer.getBufferLength() == before) {
                fail(TARSPROXYCONNECTERR, std::string("response parser failed without consuming: ") + e.what());
                return;
            }
            TLOGERROR("[client] dropped a malformed response from " << _endpoint.toString() << ": " << e.what()
                                                                    << std::endl);
            continue;
        }
        if (result == ProxyProtocol::PACKET_LESS) break;
        if (result == ProxyProtocol::PACKET_ERR) {
            fail(TARSPROXYCONNECTERR, "unparsable stream from " + _endpoint.toString());
            return;
        }
        _adapter->onResponse(rsp);
    }
    if (closed && _state == CONNECTED) {
        fail(TARSPROXYCONNECTERR, _tls && _tls->failed()
                                      ? "connection to " + _endpoint.toString() + " failed: TLS: " + _tls->failureText()
                                      : "connection to " + _endpoint.toString() + " closed by peer");
    }
}

void Transceiver::fail(int code, const std::string& why) {
    bool wasConnecting = _state == CONNECTING;
    close();
    if (wasConnecting)
        _adapter->onConnectFailed(code, why);
    else
        _adapter->onClose(code, why);
}

}  // namespace tars
