// Transceiver: one client connection (TCP, or TLS for an ssl endpoint) of an AdapterProxy:
// the socket, the non-blocking connect with its timeout (which also bounds the TLS
// handshake), the bytes waiting to be written and the bytes received but not yet parsed.
//
// Ownership: the AdapterProxy owns it; it lives on one network thread (CommunicatorEpoll)
// and is registered in that loop's epoll under a handle key that is never reused, so a
// stale event for a closed connection finds nothing. Writes are batched: send() only
// appends and marks the connection dirty; the loop flushes every dirty connection once per
// turn with writev.
// Authentication: on an endpoint with `-e 1` the connection, once TCP (and TLS) is up,
// sends the object's auth package first (internal/Auth.h) and stays AUTHENTICATING,
// taking no call, until the server answers AUTH_SUCC; a refusal, a close or no answer
// within the connect timeout is a failed connect, reported with the reason.
// Errors: every failure (connect refused or timed out, a TLS handshake or verification
// that fails, reset, EOF, write error, a stream that cannot parse) closes the socket and
// is reported once to the owner
// (AdapterProxy::onConnectFailed or onClose); the object can connect again afterwards.
// UDP (udp endpoints): a connected datagram socket; every send() is one datagram holding
// one whole packet, and every datagram received must be one whole response (others, and
// ones above TarsProtocol::kMaxDatagramSize, are dropped and logged). The "connect" is
// local (no handshake); an ICMP refusal from the server shows as a failed connection.
// Unix (unix endpoints): a stream connection to a socket path, otherwise like TCP.
// Thread-safety: none; network thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "servant/ProxyProtocol.h"
#include "util/tc_endpoint.h"
#include "util/tc_log_throttle.h"
#include "util/tc_network_buffer.h"
#include "util/tc_openssl.h"
#include "util/tc_socket.h"

namespace tars {

class AdapterProxy;
class CommunicatorEpoll;

class Transceiver {
public:
    enum State { CLOSED, CONNECTING, AUTHENTICATING, CONNECTED };

    Transceiver(AdapterProxy* adapter, CommunicatorEpoll* epoll, const TC_Endpoint& endpoint);
    ~Transceiver();
    Transceiver(const Transceiver&) = delete;
    Transceiver& operator=(const Transceiver&) = delete;

    State state() const { return _state; }
    bool isConnected() const { return _state == CONNECTED; }

    // Starts a non-blocking connect bounded by connectTimeoutMs. Returns "", or why it
    // failed at once (the state stays CLOSED and nothing is reported).
    std::string connect(int connectTimeoutMs);
    // Closes the socket and drops unsent bytes (no report to the owner).
    void close();

    // Queues bytes for the next flush (CONNECTED: marks the connection dirty). Returns
    // where they start in this connection's outgoing stream (0 for udp).
    uint64_t send(std::string&& bytes);
    // After a failure was reported: the bytes at [offset, offset + length) of the closed
    // connection's stream when not one of them was written to the socket (moved into
    // out, true); false when some were written (or the range is unknown). The tail of
    // unwritten bytes is kept from the failure until the next connect() or dropUnsent().
    bool takeUnwritten(uint64_t offset, size_t length, std::string& out) const;
    void dropUnsent() { _unsent.clear(); }
    // Writes what it can now; on a write error closes and reports.
    void flush();
    bool hasPendingWrite() const { return !_sendBuffer.empty() || !_datagrams.empty(); }

    // From the loop: the epoll events of this connection.
    void onEvent(uint32_t events);
    // From the loop's timer: the connect attempt `attempt` took too long.
    void onConnectTimeout(uint64_t attempt);

    // The loop's handle key (0 when closed).
    uint64_t handleKey() const { return _key; }
    bool dirty = false;  // in the loop's flush list

private:
    void onConnectResult(int err);
    // TCP (and TLS) is up: CONNECTED, or AUTHENTICATING after queueing the auth package (-e 1).
    void onTcpConnected();
    void onAuthAnswer(const ResponsePacket& rsp);
    // Bytes may move (TCP is up).
    bool isOpen() const { return _state == AUTHENTICATING || _state == CONNECTED; }
    // TLS: moves the handshake on; CONNECTED once it is done.
    void continueHandshake();
    ssize_t readSome(char* buffer, size_t length);
    // The failure of a read or write, in words (TLS: OpenSSL's reason).
    std::string ioError(int err) const;
    void doRead();
    void doReadDatagrams();
    void flushDatagrams();
    void fail(int code, const std::string& why);

    AdapterProxy* _adapter;
    CommunicatorEpoll* _epoll;
    TC_Endpoint _endpoint;
    TC_Socket _socket;
    std::shared_ptr<TC_SslContext> _tlsContext;  // ssl endpoints: set at connect
    std::unique_ptr<TC_SslStream> _tls;          // after the TCP connect (borrows _socket's fd)
    State _state = CLOSED;
    uint64_t _key = 0;
    uint64_t _attempt = 0;
    TC_NetWorkBuffer _sendBuffer;
    uint64_t _queuedBytes = 0;   // stream bytes queued on this connection (since connect)
    uint64_t _writtenBytes = 0;  // of which written to the socket
    std::string _unsent;         // after a failure: the bytes never written ...
    uint64_t _unsentFrom = 0;    // ... starting at this stream offset
    TC_NetWorkBuffer _recvBuffer;
    std::deque<std::string> _datagrams;  // udp: packets not yet sent, one datagram each
    std::vector<char> _datagramBuffer;   // udp: the datagram being read
    TC_LogThrottle _datagramLog;         // udp: dropped datagrams, a line a second at most
};

}  // namespace tars
