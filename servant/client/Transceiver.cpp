#include "internal/Transceiver.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <cerrno>
#include <optional>

#include "BaseF.h"
#include "internal/AdapterProxy.h"
#include "internal/Auth.h"
#include "internal/CommunicatorEpoll.h"
#include "internal/ObjectProxy.h"
#include "servant/TarsProtocol.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {
constexpr size_t kMaxIov = 64;
}  // namespace

Transceiver::Transceiver(AdapterProxy* adapter, CommunicatorEpoll* epoll, const TC_Endpoint& endpoint)
    : _adapter(adapter), _epoll(epoll), _endpoint(endpoint) {}

Transceiver::~Transceiver() { close(); }

std::string Transceiver::connect(int connectTimeoutMs) {
    close();
    _queuedBytes = 0;
    _writtenBytes = 0;
    _unsent.clear();
    _unsentFrom = 0;
    auto failed = [this](int err) { return "connect to " + _endpoint.toString() + " failed: " + errnoText(err); };
    if (_endpoint.isSSL()) {
        std::string why;
        _tlsContext = _adapter->objectProxy()->tlsContext(why);
        if (!_tlsContext) return "connect to " + _endpoint.toString() + " failed: " + why;
    }
    std::optional<TC_SockAddr> addr;
    TC_SockAddr resolved;
    if (_endpoint.isUnix()) {
        try {
            addr = TC_SockAddr::unixPath(_endpoint.getHost());
        } catch (const TC_Exception& e) {
            return "connect to " + _endpoint.toString() + " failed: " + e.what();
        }
    } else {
        addr = TC_SockAddr::parseNumeric(_endpoint.getHost(), static_cast<uint16_t>(_endpoint.getPort()));
    }
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
        _socket = TC_Socket::create(resolved.family(), _endpoint.isUdp() ? SOCK_DGRAM : SOCK_STREAM, true);
        if (_endpoint.isTcp()) _socket.setNoDelay(true);
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
    // A loopback connect may complete at once (a udp or unix one always does); the EPOLLOUT
    // edge reports it either way.
    return "";
}

void Transceiver::close() {
    if (_key != 0) {
        if (_socket.isValid()) _epoll->epoller().del(_socket.getfd());
        _epoll->removeHandle(_key);
        _key = 0;
    }
    if (_tls) {
        if (isOpen()) _tls->shutdown();  // close_notify
        _tls.reset();
    }
    _socket.close();
    _state = CLOSED;
    _epoll->endpointStateChanged();
    dirty = false;
    _sendBuffer.clearBuffers();
    _recvBuffer.clearBuffers();
    _datagrams.clear();
}

uint64_t Transceiver::send(std::string&& bytes) {
    uint64_t offset = 0;
    if (_endpoint.isUdp()) {
        _datagrams.push_back(std::move(bytes));
    } else {
        offset = _queuedBytes;
        _queuedBytes += bytes.size();
        _sendBuffer.addBuffer(std::move(bytes));
    }
    if (_state == CONNECTED) _epoll->markDirty(this);
    return offset;
}

bool Transceiver::takeUnwritten(uint64_t offset, size_t length, std::string& out) const {
    if (_endpoint.isUdp() || offset < _unsentFrom || offset - _unsentFrom + length > _unsent.size()) return false;
    out.assign(_unsent, static_cast<size_t>(offset - _unsentFrom), length);
    return true;
}

void Transceiver::flush() {
    if (!isOpen()) return;
    if (_endpoint.isUdp()) {
        flushDatagrams();
        return;
    }
    iovec iov[kMaxIov];
    while (!_sendBuffer.empty()) {
        size_t count = _sendBuffer.getIovec(iov, kMaxIov);
        ssize_t written =
            _tls ? _tls->writev(iov, static_cast<int>(count)) : _socket.sendv(iov, static_cast<int>(count));
        if (written > 0) {
            _sendBuffer.moveHeader(static_cast<size_t>(written));
            _writtenBytes += static_cast<uint64_t>(written);
            continue;
        }
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // EPOLLOUT resumes
        fail(TARSPROXYCONNECTERR, "send to " + _endpoint.toString() + " failed: " + ioError(errno));
        return;
    }
}

void Transceiver::flushDatagrams() {
    while (!_datagrams.empty()) {
        const std::string& packet = _datagrams.front();
        ssize_t written = _socket.send(packet.data(), packet.size());
        if (written >= 0) {
            _datagrams.pop_front();
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) return;  // EPOLLOUT resumes
        fail(TARSPROXYCONNECTERR, "send to " + _endpoint.toString() + " failed: " + errnoText(errno));
        return;
    }
}

void Transceiver::onConnectTimeout(uint64_t attempt) {
    if (attempt != _attempt) return;
    if (_state == CONNECTING) {
        fail(TARSPROXYCONNECTERR,
             "connect to " + _endpoint.toString() + (_tls ? " timed out in the TLS handshake" : " timed out"));
    }
    if (_state == AUTHENTICATING) {
        fail(TARSPROXYCONNECTERR,
             "authentication to " + _endpoint.toString() + " timed out: no answer within the connect timeout");
    }
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
    onTcpConnected();
}

void Transceiver::onTcpConnected() {
    // usable() only asks whether it is CLOSED: no endpointStateChanged() from here on.
    if (_endpoint.getAuthType() == TC_Endpoint::AUTH_TYPELOCAL && _endpoint.isUdp()) {
        fail(TARSPROXYCONNECTERR,
             "endpoint " + _endpoint.toString() + " asks for authentication (-e 1), which a udp endpoint cannot carry");
        return;
    }
    if (_endpoint.getAuthType() == TC_Endpoint::AUTH_TYPELOCAL) {
        ObjectProxy* object = _adapter->objectProxy();
        const AuthKeys& keys = object->authKeys();
        if (keys.accessKey.empty() || keys.secretKey.empty()) {
            fail(TARSPROXYCONNECTERR, "endpoint " + _endpoint.toString() +
                                          " requires authentication (-e 1) but /tars/application/client/" +
                                          object->name() + " has no accesskey and secretkey");
            return;
        }
        if (object->protocol().requestFunc || object->protocol().responseFunc) {
            fail(TARSPROXYCONNECTERR,
                 "endpoint " + _endpoint.toString() + " requires authentication (-e 1), which needs the tars protocol");
            return;
        }
        _state = AUTHENTICATING;  // calls keep waiting in the AdapterProxy until AUTH_SUCC
        std::string auth = makeAuthRequest(object->name(), keys, static_cast<int64_t>(TNOW));
        _queuedBytes += auth.size();  // part of the stream: the calls' offsets come after it
        _sendBuffer.addBuffer(std::move(auth));
        _epoll->markDirty(this);
        return;
    }
    _state = CONNECTED;
    _adapter->onConnected();  // queues the waiting calls
    if (_state == CONNECTED && !_sendBuffer.empty()) _epoll->markDirty(this);
}

void Transceiver::onAuthAnswer(const ResponsePacket& rsp) {
    std::string_view answer(rsp.sBuffer.data(), rsp.sBuffer.size());
    if (!isAuthSuccess(answer)) {
        std::string shown;
        for (char ch : answer.substr(0, 64)) shown += (ch >= 0x20 && ch < 0x7f) ? ch : '?';
        fail(TARSPROXYCONNECTERR, "authentication to " + _endpoint.toString() + " refused: the server answered '" +
                                      shown + "' (iRet " + std::to_string(rsp.iRet) + ")");
        return;
    }
    _state = CONNECTED;
    _adapter->onConnected();  // queues the waiting calls
    if (_state == CONNECTED && !_sendBuffer.empty()) _epoll->markDirty(this);
}

void Transceiver::continueHandshake() {
    if (_tls->handshake()) {
        onTcpConnected();  // authentication, if any, runs inside TLS
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
    // A step below may fail the connection, and the failure may send the calls never written
    // again at once, over a new connection of this same object (one endpoint): the rest of
    // these events belong to the old connection and must not touch the new one. Each
    // connection has its own handle key.
    const uint64_t key = _key;
    auto current = [&] { return _key == key && isOpen(); };
    if (_state == CONNECTING && _tls) {
        continueHandshake();  // any event may move it on; errors show as a failed handshake
        if (!current()) return;
    }
    if (isOpen() && _tls && _tls->wantsWrite() && (events & EPOLLOUT)) doRead();
    if (_key != key) return;
    if (_state == CONNECTING) {
        if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
            int err = _socket.getSockError();
            if (err == 0 && (events & (EPOLLERR | EPOLLHUP))) err = ECONNREFUSED;
            onConnectResult(err);
        }
    }
    if (!current()) return;
    if (_endpoint.isUdp()) {
        // EPOLLERR: an ICMP error (nothing listens there); the read reports it.
        if (events & (EPOLLIN | EPOLLERR)) doReadDatagrams();
        if (current() && (events & EPOLLOUT)) flush();
        return;
    }
    if (events & EPOLLIN) {
        doRead();
        if (!current()) return;
    }
    if (events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
        // Read what is left first (a reply may precede the close), then report.
        doRead();
        if (current()) fail(TARSPROXYCONNECTERR, "connection to " + _endpoint.toString() + " closed");
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
    while (isOpen() && !_recvBuffer.empty()) {
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
        if (_state == AUTHENTICATING) {
            onAuthAnswer(rsp);  // the first packet back answers the auth package
        } else {
            _adapter->onResponse(rsp);
        }
    }
    if (closed && _state == AUTHENTICATING) {
        fail(TARSPROXYCONNECTERR, "authentication to " + _endpoint.toString() +
                                      " refused: the server closed the connection (wrong object, access key or "
                                      "secret key, or a clock an hour or more apart; the server counts the reason)");
    } else if (closed && _state == CONNECTED) {
        fail(TARSPROXYCONNECTERR, _tls && _tls->failed()
                                      ? "connection to " + _endpoint.toString() + " failed: TLS: " + _tls->failureText()
                                      : "connection to " + _endpoint.toString() + " closed by peer");
    }
}

void Transceiver::doReadDatagrams() {
    // One byte more than the limit, and MSG_TRUNC: a larger datagram shows its true size.
    _datagramBuffer.resize(TarsProtocol::kMaxDatagramSize + 1);
    const ProxyProtocol& protocol = _adapter->objectProxy()->protocol();
    // Edge-triggered: read until the socket is drained.
    while (isOpen()) {
        ssize_t got = _socket.recv(_datagramBuffer.data(), _datagramBuffer.size(), MSG_TRUNC);
        if (got < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            fail(TARSPROXYCONNECTERR, "udp to " + _endpoint.toString() + " failed: " + errnoText(errno));
            return;
        }
        size_t size = static_cast<size_t>(got);
        if (size > TarsProtocol::kMaxDatagramSize) {
            if (uint64_t held = 0; _datagramLog.allow(held)) {
                TLOGERROR("[client] dropped a response datagram of "
                          << size << " bytes from " << _endpoint.toString() << ": larger than "
                          << TarsProtocol::kMaxDatagramSize << TC_LogThrottle::heldText(held) << std::endl);
            }
            continue;
        }
        _recvBuffer.clearBuffers();
        _recvBuffer.addBuffer(_datagramBuffer.data(), size);
        ResponsePacket rsp;
        ProxyProtocol::PACKET_TYPE result = ProxyProtocol::PACKET_ERR;
        try {
            result = protocol.responseFunc ? protocol.responseFunc(_recvBuffer, rsp)
                                           : ProxyProtocol::tarsResponse(_recvBuffer, rsp);
        } catch (const std::exception&) {
            result = ProxyProtocol::PACKET_ERR;
        }
        bool whole = result == ProxyProtocol::PACKET_FULL && _recvBuffer.empty();
        _recvBuffer.clearBuffers();
        if (!whole) {
            if (uint64_t held = 0; _datagramLog.allow(held)) {
                TLOGERROR("[client] dropped a datagram of " << size << " bytes from " << _endpoint.toString()
                                                            << ": not one whole response packet"
                                                            << TC_LogThrottle::heldText(held) << std::endl);
            }
            continue;
        }
        _adapter->onResponse(rsp);
    }
}

void Transceiver::fail(int code, const std::string& why) {
    bool wasConnecting = _state == CONNECTING || _state == AUTHENTICATING;
    // What was never written may be sent again elsewhere (a copy, on this rare path only).
    _unsent = _sendBuffer.empty() ? std::string() : _sendBuffer.getBuffersString();
    _unsentFrom = _writtenBytes;
    close();
    if (wasConnecting)
        _adapter->onConnectFailed(code, why);
    else
        _adapter->onClose(code, why);
}

}  // namespace tars
