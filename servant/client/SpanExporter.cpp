#include "internal/SpanExporter.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "internal/Hex.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {

// The length of the well-formed UTF-8 sequence at text[i] (RFC 3629: no overlong forms,
// no surrogates, at most U+10FFFF), or 0 when the bytes there are not one.
size_t utf8Sequence(std::string_view text, size_t i) {
    auto byte = [&](size_t k) { return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0u; };
    auto tail = [&](size_t k) { return (byte(k) & 0xC0) == 0x80; };
    unsigned c = byte(0);
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return tail(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return byte(1) >= lo && byte(1) <= hi && tail(2) ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return byte(1) >= lo && byte(1) <= hi && tail(2) && tail(3) ? 4 : 0;
    }
    return 0;
}

// The bytes a JSON string holds as they are: printable ASCII but the quote and backslash.
constexpr std::array<bool, 256> kPlainJson = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x7f; ++c) plain[static_cast<size_t>(c)] = c != '"' && c != '\\';
    return plain;
}();

// text as the inside of a JSON string: quotes, backslashes and control characters
// escaped; a byte that does not start well-formed UTF-8 (names come from peers) becomes
// U+FFFD, so the collector always gets valid JSON.
void appendJsonText(std::string& out, std::string_view text) {
    static constexpr char kDigits[] = "0123456789abcdef";
    for (size_t i = 0; i < text.size();) {
        // A run of printable ASCII that needs no escape goes in at once (names are that).
        size_t run = i;
        while (run < text.size() && kPlainJson[static_cast<unsigned char>(text[run])]) ++run;
        if (run != i) {
            out.append(text.data() + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
            ++i;
        } else if (c < 0x20 || c == 0x7f) {
            out += "\\u00";
            out += kDigits[c >> 4];
            out += kDigits[c & 0x0f];
            ++i;
        } else if (size_t n = utf8Sequence(text, i); n != 0) {
            out.append(text.data() + i, n);
            i += n;
        } else {
            out += "\\ufffd";
            ++i;
        }
    }
}

// A decimal integer, without the heap string std::to_string makes for 19-digit times.
void appendInt(std::string& out, int64_t value) {
    char digits[24];
    auto [end, error] = std::to_chars(digits, digits + sizeof(digits), value);
    (void)error;  // 24 characters hold every int64_t
    out.append(digits, end);
}

void appendJsonString(std::string& out, std::string_view text) {
    out += '"';
    appendJsonText(out, text);
    out += '"';
}

void stringAttribute(std::string& out, std::string_view key, std::string_view value) {
    out += R"({"key":)";
    appendJsonString(out, key);
    out += R"(,"value":{"stringValue":)";
    appendJsonString(out, value);
    out += "}}";
}

// Waits for `events` on fd until deadlineMs (steady clock); false on timeout or error.
bool waitFor(int fd, short events, int64_t deadlineMs) {
    while (true) {
        int64_t left = deadlineMs - TC_TimeProvider::steadyNowMs();
        if (left <= 0) return false;
        pollfd p{fd, events, 0};
        int n = ::poll(&p, 1, static_cast<int>(left));
        if (n > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0;
        if (n < 0 && errno != EINTR) return false;
    }
}

}  // namespace

SpanExporter::SpanExporter(Settings settings) : _settings(std::move(settings)) {
    const std::string& url = _settings.url;
    const std::string scheme = "http://";
    if (url.compare(0, scheme.size(), scheme) != 0) {
        throw std::invalid_argument("tracing endpoint '" + url +
                                    "': only http:// URLs are supported (a local collector)");
    }
    std::string rest = url.substr(scheme.size());
    size_t slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    _path = slash == std::string::npos ? "/v1/traces" : rest.substr(slash);
    size_t colon = authority.rfind(':');
    _host = authority;
    if (colon != std::string::npos && authority.find(']') == std::string::npos) {
        _host = authority.substr(0, colon);
        try {
            size_t used = 0;
            _port = std::stoi(authority.substr(colon + 1), &used);
            if (used != authority.size() - colon - 1 || _port <= 0 || _port > 65535) throw std::out_of_range("port");
        } catch (const std::exception&) {
            throw std::invalid_argument("tracing endpoint '" + url + "': bad port");
        }
    }
    if (_host.empty()) throw std::invalid_argument("tracing endpoint '" + url + "': no host");
    if (_settings.maxBatch == 0) _settings.maxBatch = 1;
    _thread = std::thread([this] { run(); });
}

SpanExporter::~SpanExporter() {
    {
        std::lock_guard lock(_mutex);
        _stopping = true;
    }
    _wake.notify_all();
    if (_thread.joinable()) _thread.join();
}

void SpanExporter::add(SpanRecord span) {
    bool wake = false;
    {
        std::lock_guard lock(_mutex);
        if (_stopping || _queue.size() >= _settings.maxQueue) {
            _dropped.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        _queue.push_back(std::move(span));
        wake = _queue.size() == _settings.maxBatch;
    }
    if (wake) _wake.notify_one();
}

SpanExporter::Counters SpanExporter::counters() const {
    return {_exported.load(std::memory_order_relaxed), _dropped.load(std::memory_order_relaxed),
            _failedPosts.load(std::memory_order_relaxed)};
}

void SpanExporter::run() {
    // The spans taken from the queue and the body they become: both kept between batches,
    // so their memory is reused rather than allocated and freed for every batch.
    std::vector<SpanRecord> taken;
    std::string body;
    std::unique_lock lock(_mutex);
    while (true) {
        _wake.wait_for(lock, std::chrono::milliseconds(_settings.flushIntervalMs),
                       [this] { return _stopping || _queue.size() >= _settings.maxBatch; });
        const bool last = _stopping;
        taken.swap(_queue);
        lock.unlock();
        // Stopping: one last batch only, so that a collector that is down delays the
        // destructor by one timeout at most.
        const size_t sending = last ? std::min(taken.size(), _settings.maxBatch) : taken.size();
        if (sending < taken.size()) _dropped.fetch_add(taken.size() - sending, std::memory_order_relaxed);
        for (size_t first = 0; first < sending; first += _settings.maxBatch) {
            size_t n = std::min(sending - first, _settings.maxBatch);
            body.clear();
            appendOtlpJson(body, _settings.serviceName, taken.data() + first, n);
            if (post(body)) {
                _exported.fetch_add(n, std::memory_order_relaxed);
            } else {
                _dropped.fetch_add(n, std::memory_order_relaxed);
                uint64_t failed = _failedPosts.fetch_add(1, std::memory_order_relaxed) + 1;
                if (failed == 1 || failed % 100 == 0) {
                    TLOGWARN("[trace] " << _settings.url << " did not take a batch of " << n << " spans (" << failed
                                        << " batches failed so far): dropped" << std::endl);
                }
            }
        }
        taken.clear();
        if (last) return;
        lock.lock();
    }
}

bool SpanExporter::connectCollector(int64_t deadlineMs) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(_host.c_str(), std::to_string(_port).c_str(), &hints, &found) != 0 || found == nullptr) {
        return false;
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
    int fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    _connection = TC_Socket(fd);
    if (::connect(fd, found->ai_addr, found->ai_addrlen) != 0) {
        int error = 0;
        socklen_t length = sizeof(error);
        if (errno != EINPROGRESS || !waitFor(fd, POLLOUT, deadlineMs) ||
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
            _connection.close();
            return false;
        }
    }
    return true;
}

bool SpanExporter::idleConnectionUsable() const {
    // Between batches the collector has nothing to say: anything readable on the idle
    // connection is its close (idle timeout, restart) or bytes out of step with ours.
    pollfd p{_connection.getfd(), POLLIN | POLLRDHUP, 0};
    return ::poll(&p, 1, 0) == 0;
}

SpanExporter::PostResult SpanExporter::exchange(const std::string& header, const std::string& body,
                                                int64_t deadlineMs) {
    const int fd = _connection.getfd();
    for (auto [part, more] : {std::pair<std::string_view, bool>{header, true}, {body, false}}) {
        size_t sent = 0;
        while (sent < part.size()) {
            ssize_t n = ::send(fd, part.data() + sent, part.size() - sent, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
            if (n > 0) {
                sent += static_cast<size_t>(n);
            } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                if (!waitFor(fd, POLLOUT, deadlineMs)) return PostResult::Failed;
            } else {
                return PostResult::NoAnswer;  // the peer had closed: nothing of ours was taken
            }
        }
    }
    // The answer's head, then its body when it has a Content-Length (skipped: only the
    // status matters). Without one the end of the body is unknown, so the connection is
    // not used again.
    _answer.clear();
    size_t headEnd = std::string::npos;
    char buffer[4096];
    while (headEnd == std::string::npos) {
        if (_answer.size() > 16384 || !waitFor(fd, POLLIN, deadlineMs)) return PostResult::Failed;
        ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
        if (n > 0) {
            _answer.append(buffer, static_cast<size_t>(n));
            headEnd = _answer.find("\r\n\r\n");
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            return _answer.empty() ? PostResult::NoAnswer : PostResult::Failed;
        }
    }
    std::string_view head(_answer.data(), headEnd + 2);
    const bool accepted = head.size() >= 12 && head.compare(0, 5, "HTTP/") == 0 && head[head.find(' ') + 1] == '2';
    bool reusable = head.compare(0, 8, "HTTP/1.1") == 0;
    std::optional<size_t> contentLength;
    for (size_t at = head.find("\r\n") + 2; at < head.size();) {
        size_t eol = head.find("\r\n", at);
        std::string_view line = head.substr(at, eol - at);
        at = eol + 2;
        size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string name(line.substr(0, colon));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        if (name == "content-length") {
            size_t length = 0;
            auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
            if (error == std::errc{} && length <= (64u << 20)) contentLength = length;
            (void)end;
        } else if (name == "connection") {
            std::string token(value);
            for (char& c : token) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (token.find("close") != std::string::npos) reusable = false;
        }
    }
    if (!contentLength) reusable = false;
    size_t have = _answer.size() - (headEnd + 4);
    while (reusable && have < *contentLength) {
        if (!waitFor(fd, POLLIN, deadlineMs)) {
            reusable = false;
            break;
        }
        ssize_t n = ::recv(fd, buffer, std::min(sizeof(buffer), *contentLength - have), 0);
        if (n > 0) {
            have += static_cast<size_t>(n);
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            reusable = false;
        }
    }
    if (!reusable || have > *contentLength) _connection.close();
    return accepted ? PostResult::Accepted : PostResult::Failed;
}

bool SpanExporter::post(const std::string& body) {
    const int64_t deadline = TC_TimeProvider::steadyNowMs() + _settings.timeoutMs;
    if (_header.empty()) {
        _header = "POST " + _path + " HTTP/1.1\r\nHost: " + _host + ":" + std::to_string(_port) +
                  "\r\nContent-Type: application/json\r\nContent-Length: ";
    }
    _request.assign(_header);
    _request += std::to_string(body.size());
    _request += "\r\n\r\n";
    // One connection kept between batches (HTTP/1.1 keep-alive). A kept connection the
    // collector closed while it was idle is found before use, or fails without an answer:
    // then the batch goes once more on a new connection.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = _connection.getfd() >= 0;
        if (reused && !idleConnectionUsable()) {
            _connection.close();
            continue;
        }
        if (!reused && !connectCollector(deadline)) return false;
        PostResult result = exchange(_request, body, deadline);
        if (result == PostResult::Accepted) return true;
        _connection.close();
        if (result == PostResult::Failed || !reused) return false;
    }
    return false;
}

std::string SpanExporter::toOtlpJson(const std::string& serviceName, const std::vector<SpanRecord>& spans) {
    std::string out;
    appendOtlpJson(out, serviceName, spans.data(), spans.size());
    return out;
}

void SpanExporter::appendOtlpJson(std::string& out, const std::string& serviceName, const SpanRecord* spans,
                                  size_t count) {
    // Written straight into out, without a document tree: a batch is hundreds of spans, and
    // building then freeing a tree of them cost the exporter's thread several times more
    // than the calls it traces (docs/PERFORMANCE.md).
    out += R"({"resourceSpans":[{"resource":{"attributes":[)";
    stringAttribute(out, "service.name", serviceName);
    out += R"(]},"scopeSpans":[{"scope":{"name":"tars-cpp20"},"spans":[)";
    for (size_t i = 0; i < count; ++i) {
        const SpanRecord& s = spans[i];
        if (i != 0) out += ',';
        out += R"({"traceId":")";
        appendLowerHex(out, s.context.traceId);
        out += R"(","spanId":")";
        appendLowerHex(out, s.context.spanId);
        out += '"';
        if (s.hasParent) {
            out += R"(,"parentSpanId":")";
            appendLowerHex(out, s.parentSpanId);
            out += '"';
        }
        if (!s.context.traceState.empty()) {
            out += R"(,"traceState":)";
            appendJsonString(out, s.context.traceState);
        }
        out += R"(,"name":")";
        appendJsonText(out, s.servant);
        out += '/';
        appendJsonText(out, s.method);
        out += R"(","kind":)";
        appendInt(out, static_cast<int>(s.kind));
        out += R"(,"startTimeUnixNano":")";
        appendInt(out, s.startUnixNs);
        out += R"(","endTimeUnixNano":")";
        appendInt(out, s.endUnixNs);
        // The keys (and rpc.system's value) are constants: written as they are, only the
        // values from the span go through escaping.
        out += R"(","attributes":[{"key":"rpc.system","value":{"stringValue":"tars"}},)"
               R"({"key":"rpc.service","value":{"stringValue":")";
        appendJsonText(out, s.servant);
        out += R"("}},{"key":"rpc.method","value":{"stringValue":")";
        appendJsonText(out, s.method);
        out += R"("}},{"key":"net.peer.name","value":{"stringValue":")";
        // host:port, an IPv6 address in brackets; nothing for a call that reached no peer.
        if (!s.peerHost.empty()) {
            const bool v6 = s.peerHost.find(':') != std::string::npos;
            if (v6) out += '[';
            appendJsonText(out, s.peerHost);
            out += v6 ? "]:" : ":";
            appendInt(out, s.peerPort);
        }
        out += R"("}})";
        // OTLP/JSON carries 64-bit integers as strings.
        out += R"(,{"key":"tars.return_code","value":{"intValue":")";
        appendInt(out, s.code);
        // OTLP status codes: 1 OK, 2 ERROR.
        if (s.code == 0) {
            out += R"("}}],"status":{"code":1}})";
        } else {
            out += R"("}}],"status":{"code":2,"message":"TARS return code )";
            appendInt(out, s.code);
            out += R"("}})";
        }
    }
    out += "]}]}]}";
}

}  // namespace tars
