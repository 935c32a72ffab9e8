// TLS over a non-blocking socket, on OpenSSL 3: TC_SslContext is the configuration one
// side of many connections shares (certificate, key, trusted CAs, ciphers, whether the
// peer must show a certificate); TC_SslStream is one connection's TLS session over a
// connected non-blocking fd.
//
//   auto ctx = TC_SslContext::create(TC_SslContext::Role::Server, options);  // throws
//   TC_SslStream tls(ctx, fd);             // server side
//   ssize_t n = tls.read(buf, sizeof buf);  // drives the handshake first; -1/EAGAIN until data
//
// Policy: TLS 1.2 and 1.3 only; renegotiation and compression are off; a peer that closes
// without close_notify is an ordinary end of stream (RPC framing detects truncation).
// Verification: a client always verifies the server's chain (against `ca`, or the
// system's trust store without it) and, unless verifyHost is false, the server's name
// against the host it connected to (DNS name or IP address, SAN first). A server with
// verifyPeer requires a client certificate signed by `ca` and, when allowedSubjects is not
// empty, whose subject (RFC 2253 form, as `openssl x509 -noout -subject -nameopt RFC2253`
// prints it) is in that list.
//
// Ownership and threads: a context is immutable once made and shared by shared_ptr; a
// stream holds its context and borrows the fd (the caller closes it). A stream is used by
// one thread at a time. Errors: create() throws TC_SslException naming the file or key
// and OpenSSL's reason; a stream never throws: failure() says why it stopped.
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "util/tc_ex.h"

struct ssl_st;
struct ssl_ctx_st;

namespace tars {

struct TC_SslException : TC_Exception {
    using TC_Exception::TC_Exception;
};

struct TC_SslOptions {
    std::string ca;           // PEM file of trusted CA certificates
    std::string cert;         // PEM certificate (chain) presented to the peer
    std::string key;          // PEM private key of cert
    std::string ciphers;      // OpenSSL cipher list (TLS 1.2) and/or TLS_* suites (TLS 1.3), ':'-separated
    bool verifyPeer = false;  // server: require a client certificate signed by ca
    std::vector<std::string> allowedSubjects;  // server, with verifyPeer: accepted client subjects
    bool verifyHost = true;                    // client: check the server's name against the host
};

class TC_SslContext {
public:
    enum class Role { Server, Client };

    // Loads and checks everything now: a missing, unreadable or mismatched certificate or
    // key, an expired or not yet valid certificate, an unknown cipher, or a server that
    // verifies peers without a CA throws TC_SslException.
    static std::shared_ptr<TC_SslContext> create(Role role, const TC_SslOptions& options);

    ~TC_SslContext();
    TC_SslContext(const TC_SslContext&) = delete;
    TC_SslContext& operator=(const TC_SslContext&) = delete;

    Role role() const { return _role; }
    const TC_SslOptions& options() const { return _options; }
    ssl_ctx_st* native() const { return _ctx; }
    // "subject CN=..., expires 2027-12-01" of the own certificate ("" without one).
    const std::string& certificateSummary() const { return _summary; }

private:
    TC_SslContext(Role role, TC_SslOptions options);

    Role _role;
    TC_SslOptions _options;
    ssl_ctx_st* _ctx = nullptr;
    std::string _summary;
};

class TC_SslStream {
public:
    // Why a stream stopped, in the classes a server counts.
    enum class Failure {
        None,
        NotTls,       // the peer does not speak TLS (plain TARS, HTTP, garbage)
        Certificate,  // verification failed: the peer's certificate, its absence, or its subject
        Protocol,     // any other TLS error (version, cipher, alert)
        Closed,       // the peer closed or reset the connection during the handshake
    };

    // fd: a connected non-blocking socket (borrowed). Client side: host is the name or IP
    // the caller connected to (SNI and name check).
    TC_SslStream(std::shared_ptr<TC_SslContext> context, int fd, const std::string& host = "");
    ~TC_SslStream();
    TC_SslStream(const TC_SslStream&) = delete;
    TC_SslStream& operator=(const TC_SslStream&) = delete;

    // Moves the handshake on: true once it is done (again true afterwards); false while it
    // waits for the socket or when it failed (failed() tells which).
    bool handshake();
    bool established() const { return _established; }
    bool failed() const { return _failure != Failure::None; }
    // The handshake waits until the socket is writable (rare: a full send buffer).
    bool wantsWrite() const { return _wantWrite; }

    // The contract of a non-blocking socket: bytes read, 0 at the peer's close, -1 with
    // errno (EAGAIN: nothing now; EPROTO: TLS failed, see failure()). The handshake runs
    // first. A read shorter than length means the socket is drained (so an edge-triggered
    // caller may wait for the next event): records are read until length is full or the
    // socket has nothing more.
    ssize_t read(char* buffer, size_t length);
    // Bytes of iov accepted (encrypted and written), or -1 with errno (EAGAIN: try again
    // when writable, with the same bytes first; EPIPE/EPROTO...).
    ssize_t writev(const iovec* iov, int count);
    // Best effort close_notify (never blocks).
    void shutdown();

    Failure failure() const { return _failure; }
    // What the stream's BIO reads and writes (internal; public for the BIO's callbacks).
    struct BioSocket {
        int fd = -1;
        bool drained = false;  // the last recv returned less than asked (or nothing)
    };
    // OpenSSL's reason, with the verification result when there is one, e.g.
    // "certificate verify failed: certificate has expired".
    const std::string& failureText() const { return _failureText; }
    // After the handshake: the peer's certificate subject (RFC 2253; "" without one),
    // the protocol ("TLSv1.3") and the cipher.
    std::string peerSubject() const;
    std::string version() const;
    std::string cipher() const;

private:
    void fail(Failure failure, std::string text);
    void failFromQueue(int sslError);

    std::shared_ptr<TC_SslContext> _context;
    BioSocket _socket;  // the BIO points here: a stream never moves
    ssl_st* _ssl = nullptr;
    bool _established = false;
    bool _wantWrite = false;
    bool _eof = false;
    Failure _failure = Failure::None;
    std::string _failureText;
    std::string _staged;  // plaintext handed to SSL_write and not yet accepted: retried as is
};

const char* toString(TC_SslStream::Failure failure);

}  // namespace tars
