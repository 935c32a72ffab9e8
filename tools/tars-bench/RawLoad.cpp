#include "RawLoad.h"

#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "Pacer.h"
#include "RequestF.h"
#include "tup/Tars.h"
#include "util/tc_socket.h"

namespace tars::bench {

namespace {

constexpr uint32_t kMinFrame = 5;
constexpr uint32_t kMaxFrame = 100u * 1024u * 1024u;
constexpr size_t kReadBufferSize = 256 * 1024;
constexpr size_t kRepeatTargetBytes = 4 * 1024 * 1024;
constexpr uint32_t kTimerKey = UINT32_MAX;
constexpr int kLostConnection = -8;  // TARSPROXYCONNECTERR
constexpr int kTimedOut = -7;        // TARSINVOKETIMEOUT
constexpr int kBadReply = -12;       // TARSCLIENTDECODEERR

uint32_t readBigEndian32(const unsigned char* p) {
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

// The timing of one run, shared by every thread (read-only once threads start).
struct RunPlan {
    uint64_t start = 0;       // load begins
    MeasureWindow window;     // duration mode: replies ending inside are recorded
    bool countMode = false;   // count mode: calls started at or after window.start are recorded
    uint64_t drainNanos = 0;  // after the end: how long replies in flight are waited for
};

struct Connection {
    TC_Socket socket;
    bool alive = true;
    // Sending: the connection's byte stream is the request frame repeated forever.
    size_t sendOffset = 0;  // position in that stream, modulo the frame length
    size_t owedBytes = 0;   // queued but not yet written
    bool dirty = false;
    // Frames in flight (queued or written, not answered): their start or due times, oldest first.
    std::vector<uint64_t> startedAt;
    size_t head = 0;
    size_t inFlight = 0;
    // Reading: the 4-byte length of the current reply, then its body to skip (or check).
    unsigned char header[4] = {};
    uint32_t headerHave = 0;
    uint32_t frameLength = 0;
    uint32_t bodyLeft = 0;
    bool checking = false;
    std::string checkBody;
    uint32_t goodLength = 0;  // length of a reply that checked good (0 until one did)
};

// One epoll loop and the connections it owns.
class RawWorker {
public:
    RawWorker(const BenchOptions& options, const RunPlan& plan, const std::string& frame,
              std::vector<Connection*> connections, double rate, double phase, int64_t quota)
        : _options(options),
          _plan(plan),
          _frame(frame),
          _connections(std::move(connections)),
          _pacer(rate, plan.start, phase),
          _quota(quota) {
        size_t copies = std::clamp<size_t>(kRepeatTargetBytes / std::max<size_t>(frame.size(), 1), 2,
                                           static_cast<size_t>(options.outstanding) + 1);
        _repeated.reserve(copies * frame.size());
        for (size_t i = 0; i < copies; ++i) _repeated += frame;
        _readBuffer = std::make_unique<unsigned char[]>(kReadBufferSize);
    }

    void run();

    BenchResult result;
    uint64_t lastReplyAt = 0;

private:
    bool mayStart(uint64_t startedAt) {
        if (!_plan.countMode || startedAt < _plan.window.start) return true;
        if (_startedCounted >= _quota) return false;
        ++_startedCounted;
        return true;
    }
    bool shouldRecord(uint64_t startedAt, uint64_t now) const {
        return _plan.countMode ? startedAt >= _plan.window.start : _plan.window.contains(now);
    }
    void enqueue(Connection& c, uint64_t startedAt);
    void flush(Connection& c);
    void onReadable(Connection& c, uint64_t now);
    void onReply(Connection& c, uint64_t now);
    int checkReply(const Connection& c) const;
    void fail(Connection& c, int code, uint64_t now);
    // Sends the calls that are due; false when one is due but every slot is taken.
    bool sendDue(uint64_t now);
    void checkTimeouts(uint64_t now);
    size_t totalInFlight() const {
        size_t n = 0;
        for (auto* c : _connections) n += c->alive ? c->inFlight : 0;
        return n;
    }

    const BenchOptions& _options;
    const RunPlan& _plan;
    const std::string& _frame;
    std::vector<Connection*> _connections;
    Pacer _pacer;
    int64_t _quota;
    int64_t _startedCounted = 0;
    bool _stopping = false;
    uint64_t _lastPacedSend = 0;
    size_t _nextConnection = 0;
    std::string _repeated;
    std::unique_ptr<unsigned char[]> _readBuffer;
};

void RawWorker::enqueue(Connection& c, uint64_t startedAt) {
    size_t capacity = c.startedAt.size();
    c.startedAt[(c.head + c.inFlight) % capacity] = startedAt;
    ++c.inFlight;
    c.owedBytes += _frame.size();
    c.dirty = true;
}

void RawWorker::flush(Connection& c) {
    c.dirty = false;
    while (c.alive && c.owedBytes > 0) {
        size_t length = std::min(c.owedBytes, _repeated.size() - c.sendOffset);
        ssize_t n = ::send(c.socket.getfd(), _repeated.data() + c.sendOffset, length, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;  // EPOLLOUT (edge) resumes
            fail(c, kLostConnection, nowNanos());
            return;
        }
        c.owedBytes -= static_cast<size_t>(n);
        c.sendOffset = (c.sendOffset + static_cast<size_t>(n)) % _frame.size();
    }
}

void RawWorker::fail(Connection& c, int code, uint64_t /*now*/) {
    if (!c.alive) return;
    c.alive = false;
    for (size_t i = 0; i < c.inFlight; ++i) result.errors.add(code);
    c.inFlight = 0;
    c.owedBytes = 0;
    c.socket.close();
}

int RawWorker::checkReply(const Connection& c) const {
    if (_options.expect == RawExpect::Echo) {
        bool same = c.frameLength == _frame.size() &&
                    std::memcmp(c.checkBody.data(), _frame.data() + 4, c.checkBody.size()) == 0;
        return same ? 0 : kBadReply;
    }
    return RawLoad::checkReply(_options, c.checkBody);
}

void RawWorker::onReply(Connection& c, uint64_t now) {
    int code = 0;
    if (c.checking) {
        code = checkReply(c);
        if (code == 0 && c.goodLength == 0) c.goodLength = c.frameLength;
    }
    c.headerHave = 0;
    if (c.inFlight == 0) {  // a reply nobody asked for
        fail(c, kBadReply, now);
        result.errors.add(kBadReply);
        return;
    }
    uint64_t startedAt = c.startedAt[c.head];
    c.head = (c.head + 1) % c.startedAt.size();
    --c.inFlight;
    lastReplyAt = now;
    if (shouldRecord(startedAt, now)) {
        if (code == 0) {
            result.latency.record(now - startedAt);
        } else {
            result.errors.add(code);
        }
    }
    // Closed loop: the reply frees a slot for the next request at once.
    if (!_pacer.paced() && !_stopping && mayStart(now)) enqueue(c, now);
}

void RawWorker::onReadable(Connection& c, uint64_t now) {
    unsigned char* buffer = _readBuffer.get();
    while (c.alive) {
        ssize_t n = ::read(c.socket.getfd(), buffer, kReadBufferSize);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) break;
            fail(c, kLostConnection, now);
            return;
        }
        if (n == 0) {
            fail(c, kLostConnection, now);
            return;
        }
        size_t pos = 0;
        auto size = static_cast<size_t>(n);
        while (pos < size && c.alive) {
            if (c.headerHave < 4) {
                size_t take = std::min<size_t>(4 - c.headerHave, size - pos);
                std::memcpy(c.header + c.headerHave, buffer + pos, take);
                c.headerHave += static_cast<uint32_t>(take);
                pos += take;
                if (c.headerHave < 4) break;
                c.frameLength = readBigEndian32(c.header);
                if (c.frameLength < kMinFrame || c.frameLength > kMaxFrame) {
                    fail(c, kBadReply, now);
                    return;
                }
                c.bodyLeft = c.frameLength - 4;
                c.checking = c.goodLength == 0 || c.frameLength != c.goodLength;
                if (c.checking) c.checkBody.clear();
                continue;
            }
            size_t take = std::min<size_t>(c.bodyLeft, size - pos);
            if (c.checking) c.checkBody.append(reinterpret_cast<const char*>(buffer + pos), take);
            pos += take;
            c.bodyLeft -= static_cast<uint32_t>(take);
            if (c.bodyLeft == 0) onReply(c, now);
        }
        if (static_cast<size_t>(n) < kReadBufferSize) break;  // drained (saves the EAGAIN read)
    }
    if (c.dirty) flush(c);
}

bool RawWorker::sendDue(uint64_t now) {
    size_t count = _connections.size();
    while (!_stopping && _pacer.due(now)) {
        // The next connection with a free slot, round robin.
        Connection* chosen = nullptr;
        for (size_t i = 0; i < count; ++i) {
            Connection* c = _connections[(_nextConnection + i) % count];
            if (c->alive && c->inFlight < static_cast<size_t>(_options.outstanding)) {
                chosen = c;
                _nextConnection = (_nextConnection + i + 1) % count;
                break;
            }
        }
        if (!chosen) return false;  // every slot taken: the due call waits, its latency counts from due
        uint64_t dueAt = _pacer.nextDue();
        if (!mayStart(dueAt)) {
            _stopping = true;
            return true;
        }
        _pacer.take(now);
        enqueue(*chosen, dueAt);
        _lastPacedSend = now;
    }
    return true;
}

void RawWorker::checkTimeouts(uint64_t now) {
    auto limit = static_cast<uint64_t>(_options.timeoutMs) * 1000000ull;
    for (auto* c : _connections) {
        if (c->alive && c->inFlight > 0 && now > c->startedAt[c->head] + limit) fail(*c, kTimedOut, now);
    }
}

void RawWorker::run() {
    int epollFd = epoll_create1(EPOLL_CLOEXEC);
    if (epollFd < 0) throw std::runtime_error(std::string("epoll_create1: ") + std::strerror(errno));
    TC_Socket epollOwner(epollFd);  // closes the epoll fd on every path
    int timerFd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (timerFd < 0) throw std::runtime_error(std::string("timerfd_create: ") + std::strerror(errno));
    TC_Socket timerOwner(timerFd);

    epoll_event ev{};
    for (size_t i = 0; i < _connections.size(); ++i) {
        Connection& c = *_connections[i];
        c.startedAt.assign(static_cast<size_t>(_options.outstanding), 0);
        ev.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP;
        ev.data.u32 = static_cast<uint32_t>(i);
        if (epoll_ctl(epollFd, EPOLL_CTL_ADD, c.socket.getfd(), &ev) != 0) {
            throw std::runtime_error(std::string("epoll_ctl: ") + std::strerror(errno));
        }
    }
    ev.events = EPOLLIN;
    ev.data.u32 = kTimerKey;
    epoll_ctl(epollFd, EPOLL_CTL_ADD, timerFd, &ev);

    uint64_t now = nowNanos();
    if (!_pacer.paced()) {
        for (auto* c : _connections) {
            for (int i = 0; i < _options.outstanding && mayStart(now); ++i) enqueue(*c, now);
            flush(*c);
        }
    }
    uint64_t armedFor = 0;
    uint64_t nextTimeoutCheck = now + 100'000'000ull;
    uint64_t drainUntil = UINT64_MAX;
    std::vector<epoll_event> events(256);
    for (;;) {
        now = nowNanos();
        if (!_stopping && !_plan.countMode && now >= _plan.window.end) _stopping = true;
        bool slotFree = !_pacer.paced() || sendDue(now);
        if (_stopping && drainUntil == UINT64_MAX) drainUntil = now + _plan.drainNanos;
        for (auto* c : _connections) {
            if (c->dirty) flush(*c);
        }
        size_t inFlight = totalInFlight();
        if (_stopping && inFlight == 0) break;
        if (now >= drainUntil) {
            for (auto* c : _connections) fail(*c, kTimedOut, now);
            break;
        }
        bool anyAlive = std::any_of(_connections.begin(), _connections.end(), [](auto* c) { return c->alive; });
        if (!anyAlive) break;
        if (_plan.countMode && !_stopping && !_pacer.paced() && inFlight == 0) break;  // quota done
        if (now >= nextTimeoutCheck) {
            checkTimeouts(now);
            nextTimeoutCheck = now + 100'000'000ull;
        }

        // Wake for: replies, the next due calls (timerfd: finer than epoll's milliseconds),
        // the end of the run, the next timeout check.
        uint64_t wakeAt = std::min(nextTimeoutCheck, drainUntil);
        if (!_stopping && !_plan.countMode) wakeAt = std::min(wakeAt, _plan.window.end);
        if (_pacer.paced() && !_stopping && slotFree) {  // else a reply frees a slot and wakes us
            uint64_t due = _pacer.wakeAt(_lastPacedSend);
            if (due != armedFor) {
                itimerspec spec{};
                spec.it_value.tv_sec = static_cast<time_t>(due / 1000000000ull);
                spec.it_value.tv_nsec = static_cast<long>(due % 1000000000ull);
                timerfd_settime(timerFd, TFD_TIMER_ABSTIME, &spec, nullptr);
                armedFor = due;
            }
        }
        int timeoutMs = wakeAt > now ? static_cast<int>((wakeAt - now + 999999) / 1000000) : 0;
        int n = epoll_wait(epollFd, events.data(), static_cast<int>(events.size()), timeoutMs);
        if (n < 0 && errno != EINTR) throw std::runtime_error(std::string("epoll_wait: ") + std::strerror(errno));
        now = nowNanos();
        for (int i = 0; i < n; ++i) {
            uint32_t key = events[static_cast<size_t>(i)].data.u32;
            uint32_t what = events[static_cast<size_t>(i)].events;
            if (key == kTimerKey) {
                uint64_t expirations = 0;
                ssize_t r = ::read(timerFd, &expirations, sizeof expirations);
                (void)r;
                armedFor = 0;
                continue;
            }
            Connection& c = *_connections[key];
            if (!c.alive) continue;
            if (what & EPOLLIN) onReadable(c, now);
            if (c.alive && (what & (EPOLLERR | EPOLLHUP | EPOLLRDHUP))) {
                onReadable(c, now);  // take what arrived before the close
                fail(c, kLostConnection, now);
                continue;
            }
            if (c.alive && (what & EPOLLOUT)) flush(c);
        }
    }
}

TC_Socket connectTo(const BenchOptions& options) {
    TC_SockAddr address = TC_SockAddr::parse(options.host, static_cast<uint16_t>(options.port));
    TC_Socket socket = TC_Socket::create(address.family(), SOCK_STREAM, false);
    int rc = socket.connect(address);
    if (rc != 0) {
        throw std::runtime_error("cannot connect to " + options.host + ":" + std::to_string(options.port) + ": " +
                                 std::strerror(rc));
    }
    socket.setNoDelay(true);
    socket.setNonBlock(true);
    return socket;
}

}  // namespace

std::string RawLoad::encodeRequest(const BenchOptions& options) {
    TarsOutputStream<BufferWriterString> args;
    args.write(std::string(static_cast<size_t>(options.payload), 'x'), 1);
    const std::string& argBytes = args.getByteBuffer();

    RequestPacket request;
    request.iVersion = 1;  // TARS binary
    request.cPacketType = 0;
    request.iRequestId = 1;  // every request carries the same id: replies are counted, not matched
    request.sServantName = options.servant;
    request.sFuncName = options.func;
    request.sBuffer.assign(argBytes.begin(), argBytes.end());
    request.iTimeout = options.timeoutMs;
    TarsOutputStream<BufferWriterString> os;
    request.writeTo(os);
    const std::string& body = os.getByteBuffer();

    auto length = static_cast<uint32_t>(body.size() + 4);
    std::string frame(4, '\0');
    frame[0] = static_cast<char>(length >> 24);
    frame[1] = static_cast<char>(length >> 16);
    frame[2] = static_cast<char>(length >> 8);
    frame[3] = static_cast<char>(length);
    frame += body;
    return frame;
}

int RawLoad::checkReply(const BenchOptions& options, const std::string& body) {
    try {
        TarsInputStream<BufferReader> is;
        is.setBuffer(body.data(), body.size());
        ResponsePacket rsp;
        rsp.readFrom(is);
        if (rsp.iRet != 0) return rsp.iRet;
        TarsInputStream<BufferReader> args;
        args.setBuffer(rsp.sBuffer.data(), rsp.sBuffer.size());
        Int32 ret = 0;
        std::string sRsp;
        args.read(ret, 0, false);
        args.read(sRsp, 2, false);
        if (sRsp.size() != static_cast<size_t>(options.payload)) return kBadReply;
        return 0;
    } catch (const std::exception&) {
        return kBadReply;
    }
}

BenchResult RawLoad::run() {
    const std::string frame = encodeRequest(_options);
    if (frame.size() > kMaxFrame) throw std::runtime_error("--payload makes a request larger than 100 MB");

    std::vector<std::unique_ptr<Connection>> connections;
    for (int i = 0; i < _options.connections; ++i) {
        auto c = std::make_unique<Connection>();
        c->socket = connectTo(_options);
        connections.push_back(std::move(c));
    }

    RunPlan plan;
    plan.start = nowNanos();
    plan.window.start = plan.start + static_cast<uint64_t>(_options.warmupSeconds() * 1e9);
    plan.countMode = _options.requests > 0;
    plan.window.end = plan.countMode ? UINT64_MAX : plan.window.start + static_cast<uint64_t>(_options.duration * 1e9);
    plan.drainNanos = static_cast<uint64_t>(_options.timeoutMs) * 1000000ull;

    int threads = _options.threads;
    std::vector<std::unique_ptr<RawWorker>> workers;
    for (int t = 0; t < threads; ++t) {
        std::vector<Connection*> mine;
        for (size_t i = static_cast<size_t>(t); i < connections.size(); i += static_cast<size_t>(threads)) {
            mine.push_back(connections[i].get());
        }
        int64_t quota = _options.requests / threads + (t < _options.requests % threads ? 1 : 0);
        workers.push_back(std::make_unique<RawWorker>(_options, plan, frame, std::move(mine), _options.rate / threads,
                                                      static_cast<double>(t) / threads, quota));
    }
    std::vector<std::thread> running;
    std::vector<std::exception_ptr> failures(workers.size());
    for (size_t t = 0; t < workers.size(); ++t) {
        running.emplace_back([&, t] {
            try {
                workers[t]->run();
            } catch (...) {
                failures[t] = std::current_exception();
            }
        });
    }
    for (auto& thread : running) thread.join();
    for (auto& failure : failures) {
        if (failure) std::rethrow_exception(failure);
    }

    BenchResult result;
    uint64_t lastReply = 0;
    for (auto& w : workers) {
        result.latency.merge(w->result.latency);
        result.errors.merge(w->result.errors);
        lastReply = std::max(lastReply, w->lastReplyAt);
    }
    result.warmupSeconds = _options.warmupSeconds();
    if (plan.countMode) {
        result.seconds = lastReply > plan.window.start ? static_cast<double>(lastReply - plan.window.start) / 1e9 : 0;
    } else {
        result.seconds = static_cast<double>(plan.window.end - plan.window.start) / 1e9;
    }
    return result;
}

}  // namespace tars::bench
