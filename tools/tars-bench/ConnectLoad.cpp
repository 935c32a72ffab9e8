#include "ConnectLoad.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "RawLoad.h"
#include "util/tc_openssl.h"
#include "util/tc_sockaddr.h"
#include "util/tc_socket.h"

namespace tars::bench {

namespace {

constexpr int kTimedOut = -7;        // TARSINVOKETIMEOUT
constexpr int kLostConnection = -8;  // TARSPROXYCONNECTERR
constexpr int kBadReply = -12;       // TARSCLIENTDECODEERR
constexpr uint32_t kMinFrame = 5;
constexpr uint32_t kMaxFrame = 100u * 1024u * 1024u;

uint32_t readBigEndian32(const char* p) {
    auto b = [&](int i) { return uint32_t{static_cast<unsigned char>(p[i])}; };
    return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

// Waits until fd is ready for events or deadline (CLOCK_MONOTONIC ns) passes: false then.
bool waitFor(int fd, short events, uint64_t deadline) {
    for (;;) {
        uint64_t now = nowNanos();
        if (now >= deadline) return false;
        pollfd p{fd, events, 0};
        int ms = static_cast<int>((deadline - now + 999999) / 1000000);
        int n = ::poll(&p, 1, ms);
        if (n > 0) return true;
        if (n < 0 && errno != EINTR) return false;
    }
}

// What the threads of a run share; fixed before the first connection.
struct Plan {
    const BenchOptions& options;
    std::string frame;
    std::shared_ptr<TC_SslContext> tls;  // null without --ssl
    TC_SockAddr address;
    uint64_t begin = 0;
    MeasureWindow window;
    bool countMode = false;
    std::atomic<int64_t> quota{0};

    explicit Plan(const BenchOptions& o) : options(o) {}

    bool mayStart(uint64_t startedAt) {
        if (!countMode) return startedAt < window.end;
        if (startedAt < window.start) return true;
        return quota.fetch_sub(1, std::memory_order_relaxed) > 0;
    }
    bool shouldRecord(uint64_t startedAt, uint64_t endedAt) const {
        return countMode ? startedAt >= window.start : window.contains(endedAt);
    }
};

struct ThreadResult {
    LatencyHistogram latency;
    ErrorCounts errors;
    uint64_t lastEnd = 0;
    std::string firstFailure;
};

// One connection and one call: 0, or the code of the failure with why set.
int connectAndCall(Plan& plan, std::string& why) {
    const BenchOptions& o = plan.options;
    uint64_t deadline = nowNanos() + static_cast<uint64_t>(o.timeoutMs) * 1000000ull;
    TC_Socket socket = TC_Socket::create(plan.address.family(), SOCK_STREAM, true);
    int fd = socket.getfd();
    int rc = socket.connect(plan.address);
    if (rc == EINPROGRESS) {
        if (!waitFor(fd, POLLOUT, deadline)) {
            why = "connect timed out";
            return kTimedOut;
        }
        rc = socket.getSockError();
    }
    if (rc != 0) {
        why = std::string("connect: ") + std::strerror(rc);
        return kLostConnection;
    }
    socket.setNoDelay(true);

    std::optional<TC_SslStream> tls;
    if (plan.tls) {
        tls.emplace(plan.tls, fd, o.host);
        while (!tls->handshake()) {
            if (tls->failed()) {
                why = std::string("TLS handshake: ") + tls->failureText();
                return kLostConnection;
            }
            if (!waitFor(fd, tls->wantsWrite() ? POLLOUT : POLLIN, deadline)) {
                why = "TLS handshake timed out";
                return kTimedOut;
            }
        }
    }

    // The request.
    size_t sent = 0;
    while (sent < plan.frame.size()) {
        ssize_t n;
        if (tls) {
            iovec iov{const_cast<char*>(plan.frame.data() + sent), plan.frame.size() - sent};
            n = tls->writev(&iov, 1);
        } else {
            n = ::send(fd, plan.frame.data() + sent, plan.frame.size() - sent, MSG_NOSIGNAL);
        }
        if (n > 0) {
            sent += static_cast<size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            if (!waitFor(fd, POLLOUT, deadline)) {
                why = "send timed out";
                return kTimedOut;
            }
            continue;
        }
        why = std::string("send: ") + (tls && tls->failed() ? tls->failureText() : std::strerror(errno));
        return kLostConnection;
    }

    // The reply: 4-byte length, then the body.
    std::string in;
    char buffer[16 * 1024];
    uint32_t length = 0;
    while (length == 0 || in.size() < length) {
        ssize_t n = tls ? tls->read(buffer, sizeof buffer) : ::recv(fd, buffer, sizeof buffer, 0);
        if (n > 0) {
            in.append(buffer, static_cast<size_t>(n));
            if (length == 0 && in.size() >= 4) {
                length = readBigEndian32(in.data());
                if (length < kMinFrame || length > kMaxFrame) {
                    why = "reply with a bad length";
                    return kBadReply;
                }
            }
            continue;
        }
        if (n == 0) {
            why = "the server closed the connection before replying";
            return kLostConnection;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN) {
            if (!waitFor(fd, tls && tls->wantsWrite() ? POLLOUT : POLLIN, deadline)) {
                why = "reply timed out";
                return kTimedOut;
            }
            continue;
        }
        why = std::string("recv: ") + (tls && tls->failed() ? tls->failureText() : std::strerror(errno));
        return kLostConnection;
    }
    if (in.size() != length) {
        why = "bytes after the reply";
        return kBadReply;
    }
    int code = RawLoad::checkReply(o, in.substr(4));
    if (code != 0) why = "reply code " + std::to_string(code);
    if (tls) tls->shutdown();
    return code;  // the socket closes here
}

void connector(Plan& plan, ThreadResult& out) {
    std::string why;
    for (;;) {
        uint64_t startedAt = nowNanos();
        if (!plan.mayStart(startedAt)) return;
        why.clear();
        int code = connectAndCall(plan, why);
        uint64_t endedAt = nowNanos();
        if (code != 0 && out.firstFailure.empty()) out.firstFailure = why;
        if (!plan.shouldRecord(startedAt, endedAt)) continue;
        if (code == 0) {
            out.latency.record(endedAt - startedAt);
        } else {
            out.errors.add(code);
        }
        out.lastEnd = std::max(out.lastEnd, endedAt);
    }
}

}  // namespace

BenchResult ConnectLoad::run() {
    const BenchOptions& o = _options;
    Plan plan(o);
    plan.frame = RawLoad::encodeRequest(o);
    if (plan.frame.size() > kMaxFrame) throw std::runtime_error("--payload makes a request larger than 100 MB");
    plan.address = TC_SockAddr::parse(o.host, static_cast<uint16_t>(o.port));
    if (o.ssl) {
        TC_SslOptions tls;
        tls.ca = o.ca;
        tls.cert = o.cert;
        tls.key = o.key;
        plan.tls = TC_SslContext::create(TC_SslContext::Role::Client, tls);
    }
    plan.begin = nowNanos();
    plan.window.start = plan.begin + static_cast<uint64_t>(o.warmupSeconds() * 1e9);
    plan.countMode = o.requests > 0;
    plan.window.end = plan.countMode ? UINT64_MAX : plan.window.start + static_cast<uint64_t>(o.duration * 1e9);
    plan.quota.store(o.requests);

    std::vector<ThreadResult> results(static_cast<size_t>(o.threads));
    std::vector<std::thread> threads;
    for (auto& r : results) threads.emplace_back(connector, std::ref(plan), std::ref(r));
    for (auto& t : threads) t.join();

    BenchResult result;
    uint64_t lastEnd = 0;
    std::string firstFailure;
    for (auto& r : results) {
        result.latency.merge(r.latency);
        result.errors.merge(r.errors);
        lastEnd = std::max(lastEnd, r.lastEnd);
        if (firstFailure.empty()) firstFailure = r.firstFailure;
    }
    if (!firstFailure.empty()) std::cerr << "tars-bench: a connection failed: " << firstFailure << "\n";
    result.warmupSeconds = o.warmupSeconds();
    if (plan.countMode) {
        result.seconds = lastEnd > plan.window.start ? static_cast<double>(lastEnd - plan.window.start) / 1e9 : 0;
    } else {
        result.seconds = o.duration;
    }
    return result;
}

}  // namespace tars::bench
