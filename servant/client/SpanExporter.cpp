#include "internal/SpanExporter.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>

#include "tup/TarsJson.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {

template <size_t N>
std::string hex(const std::array<uint8_t, N>& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * N);
    for (uint8_t b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 0x0f];
    }
    return out;
}

JsonValue stringAttribute(const char* key, const std::string& value) {
    return JsonValue{{"key", key}, {"value", {{"stringValue", value}}}};
}

JsonValue intAttribute(const char* key, int64_t value) {
    // OTLP/JSON carries 64-bit integers as strings.
    return JsonValue{{"key", key}, {"value", {{"intValue", std::to_string(value)}}}};
}

// A socket fd that closes itself.
class Fd {
public:
    explicit Fd(int fd) : _fd(fd) {}
    ~Fd() {
        if (_fd >= 0) ::close(_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return _fd; }

private:
    int _fd;
};

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
    std::unique_lock lock(_mutex);
    while (true) {
        _wake.wait_for(lock, std::chrono::milliseconds(_settings.flushIntervalMs),
                       [this] { return _stopping || _queue.size() >= _settings.maxBatch; });
        bool last = _stopping;
        while (!_queue.empty()) {
            size_t n = std::min(_queue.size(), _settings.maxBatch);
            std::vector<SpanRecord> batch(std::make_move_iterator(_queue.begin()),
                                          std::make_move_iterator(_queue.begin() + static_cast<std::ptrdiff_t>(n)));
            _queue.erase(_queue.begin(), _queue.begin() + static_cast<std::ptrdiff_t>(n));
            lock.unlock();
            if (post(toOtlpJson(_settings.serviceName, batch))) {
                _exported.fetch_add(batch.size(), std::memory_order_relaxed);
            } else {
                _dropped.fetch_add(batch.size(), std::memory_order_relaxed);
                uint64_t failed = _failedPosts.fetch_add(1, std::memory_order_relaxed) + 1;
                if (failed == 1 || failed % 100 == 0) {
                    TLOGWARN("[trace] " << _settings.url << " did not take a batch of " << batch.size() << " spans ("
                                        << failed << " batches failed so far): dropped" << std::endl);
                }
            }
            lock.lock();
            if (last) {
                _dropped.fetch_add(_queue.size(), std::memory_order_relaxed);  // one last batch only
                _queue.clear();
            } else if (_queue.size() < _settings.maxBatch) {
                break;  // the rest waits for the interval
            }
        }
        if (last) return;
    }
}

bool SpanExporter::post(const std::string& body) {
    const int64_t deadline = TC_TimeProvider::steadyNowMs() + _settings.timeoutMs;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(_host.c_str(), std::to_string(_port).c_str(), &hints, &found) != 0 || found == nullptr) {
        return false;
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
    Fd fd(::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) return false;
    if (::connect(fd.get(), found->ai_addr, found->ai_addrlen) != 0) {
        if (errno != EINPROGRESS || !waitFor(fd.get(), POLLOUT, deadline)) return false;
        int error = 0;
        socklen_t length = sizeof(error);
        if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) return false;
    }
    std::string request = "POST " + _path + " HTTP/1.1\r\nHost: " + _host + ":" + std::to_string(_port) +
                          "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                          "\r\nConnection: close\r\n\r\n" + body;
    size_t sent = 0;
    while (sent < request.size()) {
        ssize_t n = ::send(fd.get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!waitFor(fd.get(), POLLOUT, deadline)) return false;
        } else {
            return false;
        }
    }
    // The status line is enough: 2xx is accepted.
    std::string answer;
    char buffer[1024];
    while (answer.find("\r\n") == std::string::npos && answer.size() < 4096) {
        if (!waitFor(fd.get(), POLLIN, deadline)) return false;
        ssize_t n = ::recv(fd.get(), buffer, sizeof(buffer), 0);
        if (n > 0) {
            answer.append(buffer, static_cast<size_t>(n));
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            break;
        }
    }
    return answer.size() >= 12 && answer.compare(0, 5, "HTTP/") == 0 && answer[answer.find(' ') + 1] == '2';
}

std::string SpanExporter::toOtlpJson(const std::string& serviceName, const std::vector<SpanRecord>& spans) {
    JsonValue list = JsonValue::array();
    for (const SpanRecord& s : spans) {
        JsonValue span = {{"traceId", hex(s.context.traceId)},
                          {"spanId", hex(s.context.spanId)},
                          {"name", s.name},
                          {"kind", static_cast<int>(s.kind)},
                          {"startTimeUnixNano", std::to_string(s.startUnixNs)},
                          {"endTimeUnixNano", std::to_string(s.endUnixNs)}};
        if (s.hasParent) span["parentSpanId"] = hex(s.parentSpanId);
        if (!s.context.traceState.empty()) span["traceState"] = s.context.traceState;
        JsonValue attributes = JsonValue::array();
        attributes.push_back(stringAttribute("rpc.system", "tars"));
        attributes.push_back(stringAttribute("rpc.service", s.servant));
        attributes.push_back(stringAttribute("rpc.method", s.method));
        attributes.push_back(stringAttribute("net.peer.name", s.peer));
        attributes.push_back(intAttribute("tars.return_code", s.code));
        span["attributes"] = std::move(attributes);
        // OTLP status codes: 1 OK, 2 ERROR.
        span["status"] = s.code == 0
                             ? JsonValue{{"code", 1}}
                             : JsonValue{{"code", 2}, {"message", "TARS return code " + std::to_string(s.code)}};
        list.push_back(std::move(span));
    }
    JsonValue resource = {{"attributes", JsonValue::array({stringAttribute("service.name", serviceName)})}};
    JsonValue scope = {{"scope", {{"name", "tars-cpp20"}}}, {"spans", std::move(list)}};
    JsonValue root = {{"resourceSpans", JsonValue::array({{{"resource", std::move(resource)},
                                                           {"scopeSpans", JsonValue::array({scope})}}})}};
    return root.dump(-1, ' ', false, JsonValue::error_handler_t::replace);
}

}  // namespace tars
