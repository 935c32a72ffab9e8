#include "util/tc_openssl.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "util/tc_common.h"

namespace tars {

namespace {

// The most plaintext one SSL_write takes: one TLS record, so one send per record.
constexpr size_t kRecordBytes = 16 * 1024;

// ---- a socket BIO that never raises SIGPIPE (OpenSSL's own writes with plain send()) and
// remembers whether its last recv drained the socket.

int bioWrite(BIO* bio, const char* data, int length) {
    auto* socket = static_cast<TC_SslStream::BioSocket*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    ssize_t n = ::send(socket->fd, data, static_cast<size_t>(length), MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_write(bio);
    return static_cast<int>(n);
}

int bioRead(BIO* bio, char* data, int length) {
    auto* socket = static_cast<TC_SslStream::BioSocket*>(BIO_get_data(bio));
    BIO_clear_retry_flags(bio);
    ssize_t n = ::recv(socket->fd, data, static_cast<size_t>(length), 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) BIO_set_retry_read(bio);
    socket->drained = n < length;  // short, EAGAIN, EOF or error: nothing more there now
    return static_cast<int>(n);
}

long bioCtrl(BIO*, int command, long, void*) { return command == BIO_CTRL_FLUSH ? 1 : 0; }

int bioCreate(BIO* bio) {
    BIO_set_init(bio, 1);
    return 1;
}

const BIO_METHOD* socketBioMethod() {
    // Made once and never changed (OpenSSL keeps a pointer to it in every BIO).
    static const BIO_METHOD* method = [] {
        BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tars nosignal socket");
        if (m != nullptr) {
            BIO_meth_set_write(m, bioWrite);
            BIO_meth_set_read(m, bioRead);
            BIO_meth_set_ctrl(m, bioCtrl);
            BIO_meth_set_create(m, bioCreate);
        }
        return m;
    }();
    return method;
}

// OpenSSL's reason for the first error queued on this thread (and the queue emptied).
std::string takeOpensslReason() {
    unsigned long first = ERR_get_error();
    std::string text;
    if (first != 0) {
        const char* reason = ERR_reason_error_string(first);
        if (reason != nullptr) {
            text = reason;
        } else {
            char buffer[256];
            ERR_error_string_n(first, buffer, sizeof buffer);
            text = buffer;
        }
    }
    ERR_clear_error();
    return text.empty() ? "unknown OpenSSL error" : text;
}

std::string bioText(BIO* bio) {
    char* data = nullptr;
    long length = BIO_get_mem_data(bio, &data);
    return length > 0 ? std::string(data, static_cast<size_t>(length)) : std::string();
}

std::string nameText(const X509_NAME* name) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio == nullptr) return "";
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
    std::string text = bioText(bio);
    BIO_free(bio);
    return text;
}

std::string timeText(const ASN1_TIME* time) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio == nullptr) return "";
    ASN1_TIME_print(bio, time);
    std::string text = bioText(bio);
    BIO_free(bio);
    return text;
}

// Throws unless path names a readable file: the OS's reason beats OpenSSL's "no such file".
void requireReadable(const std::string& key, const std::string& path) {
    if (::access(path.c_str(), R_OK) != 0) {
        throw TC_SslException(key + " " + path + ": cannot read: " + std::strerror(errno));
    }
}

bool isIpAddress(const std::string& host) {
    unsigned char buffer[sizeof(in6_addr)];
    return inet_pton(AF_INET, host.c_str(), buffer) == 1 || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

// Checks every entry of a cipher string on its own: OpenSSL skips names it does not know
// as long as one other matches, which would hide a typo.
void checkCiphers(const std::string& ciphers, std::string& list12, std::string& suites13) {
    for (const std::string& token : TC_Common::sepstr(ciphers, ":, ")) {
        if (token.starts_with("TLS_")) {
            SSL_CTX* probe = SSL_CTX_new(TLS_method());
            bool ok = probe != nullptr && SSL_CTX_set_ciphersuites(probe, token.c_str()) == 1;
            SSL_CTX_free(probe);
            ERR_clear_error();
            if (!ok) throw TC_SslException("ciphers: unknown TLS 1.3 cipher suite '" + token + "'");
            suites13 += (suites13.empty() ? "" : ":") + token;
            continue;
        }
        std::string name = token;
        while (!name.empty() && (name[0] == '!' || name[0] == '-' || name[0] == '+')) name.erase(0, 1);
        if (!name.empty() && name[0] != '@') {
            SSL_CTX* probe = SSL_CTX_new(TLS_method());
            bool ok = probe != nullptr && SSL_CTX_set_cipher_list(probe, name.c_str()) == 1;
            SSL_CTX_free(probe);
            ERR_clear_error();
            if (!ok) throw TC_SslException("ciphers: unknown cipher '" + name + "'");
        }
        list12 += (list12.empty() ? "" : ":") + token;
    }
}

}  // namespace

// ------------------------------------------------------------------ TC_SslContext

TC_SslContext::TC_SslContext(Role role, TC_SslOptions options) : _role(role), _options(std::move(options)) {}

TC_SslContext::~TC_SslContext() { SSL_CTX_free(_ctx); }

std::shared_ptr<TC_SslContext> TC_SslContext::create(Role role, const TC_SslOptions& options) {
    std::shared_ptr<TC_SslContext> self(new TC_SslContext(role, options));
    const bool server = role == Role::Server;
    ERR_clear_error();
    self->_ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    SSL_CTX* ctx = self->_ctx;
    if (ctx == nullptr) throw TC_SslException("cannot create a TLS context: " + takeOpensslReason());
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    uint64_t flags = SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF;
    if (server) flags |= SSL_OP_CIPHER_SERVER_PREFERENCE;
    SSL_CTX_set_options(ctx, flags);
    SSL_CTX_set_read_ahead(ctx, 1);  // fewer reads: a record and what follows it come in one recv
    // TLS 1.3 servers send two session tickets by default. Our client and TarsCpp's never
    // resume, so one is enough for the clients that do (browsers on an https servant).
    if (server) SSL_CTX_set_num_tickets(ctx, 1);

    if (!options.ciphers.empty()) {
        std::string list12, suites13;
        checkCiphers(options.ciphers, list12, suites13);
        if (!list12.empty() && SSL_CTX_set_cipher_list(ctx, list12.c_str()) != 1) {
            throw TC_SslException("ciphers '" + list12 + "': " + takeOpensslReason());
        }
        if (!suites13.empty() && SSL_CTX_set_ciphersuites(ctx, suites13.c_str()) != 1) {
            throw TC_SslException("ciphers '" + suites13 + "': " + takeOpensslReason());
        }
    }

    if (options.cert.empty() != options.key.empty()) {
        throw TC_SslException(options.cert.empty() ? "key " + options.key + " is set but cert is not"
                                                   : "cert " + options.cert + " is set but key is not");
    }
    if (server && options.cert.empty()) throw TC_SslException("a TLS server needs cert and key");
    if (!options.cert.empty()) {
        requireReadable("cert", options.cert);
        if (SSL_CTX_use_certificate_chain_file(ctx, options.cert.c_str()) != 1) {
            throw TC_SslException("cert " + options.cert + ": " + takeOpensslReason());
        }
        X509* cert = SSL_CTX_get0_certificate(ctx);
        if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) {
            throw TC_SslException("cert " + options.cert + ": certificate expired on " +
                                  timeText(X509_get0_notAfter(cert)));
        }
        if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0) {
            throw TC_SslException("cert " + options.cert + ": certificate is not valid before " +
                                  timeText(X509_get0_notBefore(cert)));
        }
        self->_summary =
            "subject " + nameText(X509_get_subject_name(cert)) + ", expires " + timeText(X509_get0_notAfter(cert));
        requireReadable("key", options.key);
        if (SSL_CTX_use_PrivateKey_file(ctx, options.key.c_str(), SSL_FILETYPE_PEM) != 1) {
            bool mismatch = ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
            std::string reason = takeOpensslReason();
            if (mismatch) {
                throw TC_SslException("key " + options.key + " does not match cert " + options.cert + ": " + reason);
            }
            throw TC_SslException("key " + options.key + ": " + reason);
        }
        if (SSL_CTX_check_private_key(ctx) != 1) {
            throw TC_SslException("key " + options.key + " does not match cert " + options.cert + ": " +
                                  takeOpensslReason());
        }
    }

    if (!options.ca.empty()) {
        requireReadable("ca", options.ca);
        if (SSL_CTX_load_verify_locations(ctx, options.ca.c_str(), nullptr) != 1) {
            throw TC_SslException("ca " + options.ca + ": " + takeOpensslReason());
        }
    }
    if (server) {
        if (options.verifyPeer) {
            if (options.ca.empty())
                throw TC_SslException("verifyclient=1 needs ca (the CA of the client certificates)");
            // Tells clients which CAs to pick a certificate for.
            STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.ca.c_str());
            if (names != nullptr) SSL_CTX_set_client_CA_list(ctx, names);
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
        }
        static const unsigned char kSessionContext[] = "tars";
        SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
    } else {
        if (options.ca.empty() && SSL_CTX_set_default_verify_paths(ctx) != 1) {
            throw TC_SslException("cannot load the system's trusted CAs: " + takeOpensslReason());
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    }
    ERR_clear_error();
    return self;
}

// ------------------------------------------------------------------ TC_SslStream

const char* toString(TC_SslStream::Failure failure) {
    switch (failure) {
        case TC_SslStream::Failure::None: return "none";
        case TC_SslStream::Failure::NotTls: return "not TLS";
        case TC_SslStream::Failure::Certificate: return "certificate";
        case TC_SslStream::Failure::Protocol: return "protocol";
        case TC_SslStream::Failure::Closed: return "closed";
    }
    return "?";
}

TC_SslStream::TC_SslStream(std::shared_ptr<TC_SslContext> context, int fd, const std::string& host)
    : _context(std::move(context)) {
    ERR_clear_error();
    _ssl = SSL_new(_context->native());
    BIO* bio = socketBioMethod() != nullptr ? BIO_new(socketBioMethod()) : nullptr;
    if (_ssl == nullptr || bio == nullptr) {
        BIO_free(bio);
        fail(Failure::Protocol, "cannot create a TLS session: " + takeOpensslReason());
        return;
    }
    _socket.fd = fd;
    BIO_set_data(bio, &_socket);
    SSL_set_bio(_ssl, bio, bio);
    if (_context->role() == TC_SslContext::Role::Server) {
        SSL_set_accept_state(_ssl);
        return;
    }
    SSL_set_connect_state(_ssl);
    bool ip = isIpAddress(host);
    if (!host.empty() && !ip) SSL_set_tlsext_host_name(_ssl, host.c_str());
    if (_context->options().verifyHost && !host.empty()) {
        int ok =
            ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(_ssl), host.c_str()) : SSL_set1_host(_ssl, host.c_str());
        if (ok != 1) fail(Failure::Protocol, "cannot check the server's name against '" + host + "'");
    }
    ERR_clear_error();
}

TC_SslStream::~TC_SslStream() { SSL_free(_ssl); }

void TC_SslStream::fail(Failure failure, std::string text) {
    if (_failure != Failure::None) return;
    _failure = failure;
    _failureText = std::move(text);
}

void TC_SslStream::failFromQueue(int sslError) {
    int savedErrno = errno;
    if (sslError == SSL_ERROR_ZERO_RETURN) {
        ERR_clear_error();
        fail(Failure::Closed, "the peer closed the connection");
        return;
    }
    if (sslError == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
        fail(Failure::Closed, savedErrno == 0 ? std::string("the peer closed the connection")
                                              : std::string("connection error: ") + std::strerror(savedErrno));
        return;
    }
    unsigned long first = ERR_peek_error();
    int reason = ERR_GET_REASON(first);
    std::string text = takeOpensslReason();
    long verify = SSL_get_verify_result(_ssl);
    Failure kind = Failure::Protocol;
    switch (reason) {
        case SSL_R_WRONG_VERSION_NUMBER:
        case SSL_R_HTTP_REQUEST:
        case SSL_R_HTTPS_PROXY_REQUEST:
        case SSL_R_UNKNOWN_PROTOCOL:
        case SSL_R_PACKET_LENGTH_TOO_LONG:
        case SSL_R_RECORD_LENGTH_MISMATCH:
        case SSL_R_UNEXPECTED_RECORD:
        case SSL_R_UNEXPECTED_MESSAGE:
        case SSL_R_LENGTH_TOO_SHORT:
        case SSL_R_BAD_PACKET_LENGTH: kind = _established ? Failure::Protocol : Failure::NotTls; break;
        case SSL_R_CERTIFICATE_VERIFY_FAILED:
        case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
        case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
        case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
        case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
        case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
        case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
        case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
        case SSL_R_TLSV1_ALERT_UNKNOWN_CA: kind = Failure::Certificate; break;
        default: break;
    }
    if (reason == SSL_R_CERTIFICATE_VERIFY_FAILED && verify != X509_V_OK) {
        text += std::string(": ") + X509_verify_cert_error_string(verify);
    }
    fail(kind, text);
}

bool TC_SslStream::handshake() {
    if (_established) return true;
    if (failed()) return false;
    ERR_clear_error();
    int r = SSL_do_handshake(_ssl);
    if (r == 1) {
        _wantWrite = false;
        const TC_SslOptions& options = _context->options();
        if (_context->role() == TC_SslContext::Role::Server && options.verifyPeer && !options.allowedSubjects.empty()) {
            std::string subject = peerSubject();
            if (std::find(options.allowedSubjects.begin(), options.allowedSubjects.end(), subject) ==
                options.allowedSubjects.end()) {
                fail(Failure::Certificate, "client certificate subject '" + subject + "' is not in allowsubjects");
                return false;
            }
        }
        _established = true;
        return true;
    }
    int e = SSL_get_error(_ssl, r);
    if (e == SSL_ERROR_WANT_READ) {
        _wantWrite = false;
        return false;
    }
    if (e == SSL_ERROR_WANT_WRITE) {
        _wantWrite = true;
        return false;
    }
    failFromQueue(e);
    return false;
}

ssize_t TC_SslStream::read(char* buffer, size_t length) {
    if (!_established && !handshake()) {
        errno = !failed() ? EAGAIN : _failure == Failure::Closed ? ECONNRESET : EPROTO;
        return -1;
    }
    if (failed()) {
        errno = EPROTO;
        return -1;
    }
    size_t got = 0;
    _wantWrite = false;
    // Only a recv of this call says the socket is drained: data that came after it raises
    // a new edge for the caller, while an older one's may already be consumed.
    _socket.drained = false;
    while (got < length && !_eof && !failed()) {
        ERR_clear_error();
        int n = SSL_read(_ssl, buffer + got, static_cast<int>(std::min<size_t>(length - got, INT_MAX)));
        if (n > 0) {
            got += static_cast<size_t>(n);
            // The socket came back short and OpenSSL holds nothing more: drained, like a short
            // plain read (saves the recv that would only say EAGAIN).
            if (_socket.drained && SSL_has_pending(_ssl) == 0) break;
            continue;
        }
        int e = SSL_get_error(_ssl, n);
        if (e == SSL_ERROR_WANT_READ) break;
        if (e == SSL_ERROR_WANT_WRITE) {
            _wantWrite = true;
            break;
        }
        if (e == SSL_ERROR_ZERO_RETURN) {  // close_notify, or a bare close (SSL_OP_IGNORE_UNEXPECTED_EOF)
            _eof = true;
            break;
        }
        failFromQueue(e);
    }
    if (got > 0) return static_cast<ssize_t>(got);
    if (_eof) return 0;
    errno = !failed() ? EAGAIN : _failure == Failure::Closed ? ECONNRESET : EPROTO;
    return -1;
}

ssize_t TC_SslStream::writev(const iovec* iov, int count) {
    if (!_established && !handshake()) {
        errno = !failed() ? EAGAIN : EPROTO;
        return -1;
    }
    if (failed()) {
        errno = EPROTO;
        return -1;
    }
    // Copies the next record's bytes, those after the first `from` bytes of iov.
    auto stage = [&](size_t from) {
        for (int i = 0; i < count && _staged.size() < kRecordBytes; ++i) {
            size_t len = iov[i].iov_len;
            if (from >= len) {
                from -= len;
                continue;
            }
            const char* base = static_cast<const char*>(iov[i].iov_base) + from;
            size_t take = std::min(len - from, kRecordBytes - _staged.size());
            _staged.append(base, take);
            from = 0;
        }
    };
    // Bytes staged by an earlier call that could not write them are iov's first bytes:
    // the caller keeps unaccepted bytes at the head of what it passes.
    if (_staged.empty()) stage(0);
    size_t accepted = 0;
    while (!_staged.empty()) {
        ERR_clear_error();
        int n = SSL_write(_ssl, _staged.data(), static_cast<int>(_staged.size()));
        if (n > 0) {
            accepted += _staged.size();
            _staged.clear();
            stage(accepted);
            continue;
        }
        int e = SSL_get_error(_ssl, n);
        if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) break;
        failFromQueue(e);
        break;
    }
    if (accepted > 0) return static_cast<ssize_t>(accepted);
    errno = !failed() ? EAGAIN : _failure == Failure::Closed ? EPIPE : EPROTO;
    return -1;
}

void TC_SslStream::shutdown() {
    if (_ssl == nullptr || !_established || failed()) return;
    ERR_clear_error();
    SSL_shutdown(_ssl);
    ERR_clear_error();
}

std::string TC_SslStream::peerSubject() const {
    X509* peer = _ssl != nullptr ? SSL_get0_peer_certificate(_ssl) : nullptr;
    return peer != nullptr ? nameText(X509_get_subject_name(peer)) : std::string();
}

std::string TC_SslStream::version() const { return _ssl != nullptr ? SSL_get_version(_ssl) : ""; }

std::string TC_SslStream::cipher() const {
    const char* name = _ssl != nullptr ? SSL_get_cipher_name(_ssl) : nullptr;
    return name != nullptr ? name : "";
}

}  // namespace tars
