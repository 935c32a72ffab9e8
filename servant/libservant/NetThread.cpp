#include "internal/NetThread.h"

#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <future>
#include <sstream>

#include "internal/Auth.h"
#include "internal/ServantHandle.h"
#include "servant/TC_EpollServer.h"
#include "servant/TarsProtocol.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {

// The epoll user value: a kind in the top byte, an id below it.
constexpr uint64_t kKindMask = 0xffull << 56;
constexpr uint64_t kIdMask = ~kKindMask;
constexpr uint64_t kNotifyKind = 1ull << 56;
constexpr uint64_t kListenerKind = 2ull << 56;
constexpr uint64_t kConnectionKind = 3ull << 56;

constexpr size_t kReadBudget = 1024 * 1024;  // bytes read from one connection per loop turn
constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxIov = 64;
constexpr int kAcceptBatch = 64;
constexpr int64_t kSweepIntervalMs = 100;
constexpr int64_t kAcceptPauseMs = 100;
// The TLS handshake's limit on an endpoint without a timeout (-t 0).
constexpr int64_t kHandshakeTimeoutMs = 60000;
// An inbox arena grown past this by one burst is freed rather than kept.
constexpr size_t kMaxKeptInboxBytes = 4 * NetThread::kMoveThreshold * 16;

}  // namespace

NetThread::NetThread(TC_EpollServer* server, size_t index)
    : _server(server), _index(index), _inbox([this] { _notify.notify(); }, kMaxKeptInboxBytes) {
    _notify.init(&_epoller, kNotifyKind);
}

NetThread::~NetThread() {
    _stopFlag.store(true);
    _notify.notify();
    join();
}

void NetThread::addListener(const std::shared_ptr<BindAdapter>& adapter) { _listeners.push_back(adapter); }

void NetThread::start(StartLatch& latch, size_t mergeAdapters) {
    _started = true;
    _thread = std::thread([this, &latch, mergeAdapters] { run(&latch, mergeAdapters); });
}

void NetThread::run(StartLatch* latch, size_t mergeAdapters) {
    _threadId.store(std::this_thread::get_id(), std::memory_order_release);
    _nowMs = TC_TimeProvider::steadyNowMs();
    _nextSweepMs = _nowMs + kSweepIntervalMs;
    _idleLists.resize(_server->getAdapters().size());
    _pending.resize(_server->getAdapters().size());

    std::string error;
    if (mergeAdapters > 0) {
        for (const auto& adapter : _server->getAdapters()) {
            if (!adapter->isMerge()) continue;
            auto handle = std::make_unique<ServantHandle>(adapter.get());
            error = handle->initialize();
            if (!error.empty()) break;
            _mergeHandles.emplace(adapter.get(), std::move(handle));
        }
    }
    if (error.empty()) {
        try {
            for (size_t i = 0; i < _listeners.size(); ++i) {
                _epoller.add(_listeners[i]->listenSocket().getfd(), kListenerKind | i, EPOLLIN);
            }
        } catch (const std::exception& e) {
            error = std::string("net thread ") + std::to_string(_index) + ": " + e.what();
        }
    }
    latch->done(error);
    if (error.empty()) {
        try {
            loop();
        } catch (const std::exception& e) {
            TLOGERROR("[net] thread " << _index << " stopped on error: " << e.what() << std::endl);
        }
    }

    // Teardown, on the loop thread: connections, then merge-mode servants.
    std::vector<uint64_t> uids;
    uids.reserve(_connections.size());
    for (const auto& [uid, c] : _connections) uids.push_back(uid);
    for (uint64_t uid : uids) closeConnection(uid, CloseReason::Shutdown);
    for (auto& [adapter, handle] : _mergeHandles) handle->destroy();
    _mergeHandles.clear();
    // What is left in the inbox: connections are refused, replies dropped, tasks not run.
    auto& left = _inbox.close();
    for (InboxItem& item : left.items()) {
        if (auto* nc = std::get_if<NewConnection>(&item)) {
            nc->adapter->connectionCount().fetch_sub(1, std::memory_order_relaxed);
        }
    }
    left.forEachRecord([](const InboxHeader& header, std::string_view data, std::string* moved) {
        dropReply(header.adapter, header.uid, moved != nullptr ? moved->size() : data.size());
    });
    _inbox.recycle();
}

void NetThread::loop() {
    while (true) {
        int timeout = _readAgain.empty() ? static_cast<int>(kSweepIntervalMs) : 0;
        if (_exitWhenFlushed) timeout = std::min(timeout, 10);
        int n = _epoller.wait(timeout);
        _nowMs = TC_TimeProvider::steadyNowMs();
        for (int i = 0; i < n; ++i) {
            const epoll_event& ev = _epoller.get(i);
            uint64_t data = TC_Epoller::data(ev);
            uint64_t kind = data & kKindMask;
            if (kind == kNotifyKind) {
                _notify.clear();
                processInbox();
            } else if (kind == kListenerKind) {
                size_t index = data & kIdMask;
                if (_reading && index < _listeners.size()) {
                    BindAdapter* adapter = _listeners[index].get();
                    if (adapter->isDatagram()) {
                        readDatagrams(adapter);
                    } else {
                        accept(adapter);
                    }
                }
            } else {
                uint64_t uid = data & kIdMask;
                if (_reading && (ev.events & (EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) {
                    readConnection(uid, (ev.events & (EPOLLPRI | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0);
                } else if (ev.events & (EPOLLHUP | EPOLLERR)) {
                    closeConnection(uid, CloseReason::Peer);
                    continue;
                }
                if (ev.events & EPOLLOUT) {
                    Connection* c = find(uid);
                    if (c != nullptr && c->transport->wantsWrite() && _reading) {
                        readConnection(uid, false);  // a TLS handshake waited for room to write
                        c = find(uid);
                    }
                    if (c != nullptr && !c->send.empty()) markDirty(*c);
                }
            }
        }
        if (!_readAgain.empty()) {
            _readAgainWork.clear();
            _readAgainWork.swap(_readAgain);
            if (_reading) {
                for (uint64_t uid : _readAgainWork) readConnection(uid, true);  // rare: read to EAGAIN
            }
        }
        // The handles start on this turn's packets while the loop writes replies.
        flushPending();
        processInbox();
        flushDirty();
        if (_nowMs >= _nextSweepMs) {
            sweepIdle(_nowMs);
            if (!_handshaking.empty()) sweepHandshakes(_nowMs);
            _nextSweepMs = _nowMs + kSweepIntervalMs;
        }
        flushPending();  // close notices of connections closed by the writes or the sweep
        if (_acceptPausedUntilMs != 0 && _nowMs >= _acceptPausedUntilMs && _reading) pauseAccept(false);
        if (_stopFlag.load(std::memory_order_relaxed)) break;
        if (_exitWhenFlushed && (allFlushed() || _nowMs >= _exitDeadlineMs)) break;
    }
}

// ------------------------------------------------------------------ cross-thread entries

bool NetThread::send(uint64_t uid, BindAdapter* adapter, uint64_t seq, std::string_view data, std::string* moved,
                     bool close) {
    if (inLoopThread()) {
        if (Connection* c = find(uid)) {
            apply(*c, seq, data, moved, close);
            return true;
        }
    } else {
        const InboxHeader header{uid, seq, adapter, close};
        bool queued;
        if (moved == nullptr) {
            queued = _inbox.post(header, data);
        } else if (moved->size() >= kMoveThreshold) {
            queued = _inbox.post(header, std::move(*moved));
        } else {
            queued = _inbox.post(header, std::string_view(*moved));
        }
        if (queued) return true;
    }
    dropReply(adapter, uid, moved != nullptr ? moved->size() : data.size());
    return false;
}

void NetThread::dropReply(BindAdapter* adapter, uint64_t uid, size_t bytes) {
    if (bytes == 0 || adapter == nullptr) return;
    adapter->stats().droppedResponses.fetch_add(1, std::memory_order_relaxed);
    TLOGDEBUG("[net] " << adapter->getName() << ": reply of " << bytes << " bytes to connection " << uid
                       << " dropped: connection closed" << std::endl);
}

void NetThread::postConnection(TC_Socket&& socket, const TC_SockAddr& peer,
                               const std::shared_ptr<BindAdapter>& adapter) {
    if (!_inbox.post(InboxItem(NewConnection{std::move(socket), peer, adapter}))) {
        adapter->connectionCount().fetch_sub(1, std::memory_order_relaxed);  // stopped: the socket closes here
    }
}

bool NetThread::runInLoop(std::function<void()> task) { return _inbox.post(InboxItem(std::move(task))); }

void NetThread::stopAccepting() {
    if (!_started) {
        for (const auto& adapter : _listeners) adapter->closeListen();
        return;
    }
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> finished = done->get_future();
    bool queued = runInLoop([this, done] {
        for (const auto& adapter : _listeners) {
            _epoller.del(adapter->listenSocket().getfd());
            // udp: the socket also carries the replies still to come; it closes after the loop.
            if (!adapter->isDatagram()) adapter->closeListen();
        }
        // What the clients sent before this moment (in the kernel's buffers) is read once
        // more and answered like every request already read; nothing after it.
        std::vector<uint64_t> open;
        open.reserve(_connections.size());
        for (const auto& entry : _connections) open.push_back(entry.first);
        for (uint64_t uid : open) readConnection(uid, true);
        _reading = false;
        _readAgain.clear();
        done->set_value();
    });
    if (queued) {
        finished.wait_for(std::chrono::seconds(5));
    } else {
        for (const auto& adapter : _listeners) adapter->closeListen();
    }
}

void NetThread::stopWhenFlushed(int64_t deadlineMs) {
    if (!_started) return;
    if (!runInLoop([this, deadlineMs] {
            _exitWhenFlushed = true;
            _exitDeadlineMs = deadlineMs;
        })) {
        _stopFlag.store(true);
    }
}

void NetThread::join() {
    if (_thread.joinable()) _thread.join();
}

// ------------------------------------------------------------------ loop internals

void NetThread::processInbox() {
    auto& batch = _inbox.take();
    for (InboxItem& item : batch.items()) {
        if (auto* nc = std::get_if<NewConnection>(&item)) addConnection(std::move(*nc));
    }
    batch.forEachRecord([this](const InboxHeader& header, std::string_view data, std::string* moved) {
        if (Connection* c = find(header.uid)) {
            apply(*c, header.seq, data, moved, header.close);
        } else {
            dropReply(header.adapter, header.uid, moved != nullptr ? moved->size() : data.size());
        }
    });
    for (InboxItem& item : batch.items()) {
        if (auto* task = std::get_if<std::function<void()>>(&item)) (*task)();
    }
    _inbox.recycle();
}

void NetThread::pauseAccept(bool pause) {
    for (size_t i = 0; i < _listeners.size(); ++i) {
        int fd = _listeners[i]->listenSocket().getfd();
        if (fd < 0 || _listeners[i]->isDatagram()) continue;
        if (pause) {
            _epoller.del(fd);
        } else {
            _epoller.add(fd, kListenerKind | i, EPOLLIN);
        }
    }
    _acceptPausedUntilMs = pause ? _nowMs + kAcceptPauseMs : 0;
}

void NetThread::accept(BindAdapter* adapter) {
    std::shared_ptr<BindAdapter> shared;
    for (const auto& a : _listeners) {
        if (a.get() == adapter) shared = a;
    }
    AdapterStats& stats = adapter->stats();
    for (int i = 0; i < kAcceptBatch; ++i) {
        TC_Socket client;
        TC_SockAddr peer;
        int err = adapter->listenSocket().accept(client, &peer);
        if (err == EAGAIN || err == EWOULDBLOCK) return;
        if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
            TLOGERROR("[net] " << adapter->getName() << ": accept: " << errnoText(err) << "; pausing accepts for "
                               << kAcceptPauseMs << " ms" << std::endl);
            if (_acceptPausedUntilMs == 0) pauseAccept(true);
            return;
        }
        if (err != 0) continue;  // ECONNABORTED and the like: that one connection is gone
        std::string ip = peer.ip();
        // A Unix socket's callers are on this host; its file mode (0660) decides who may call.
        if (!adapter->getEndpoint().isUnix() && !adapter->isIpAllowed(ip)) {
            stats.refusedDenied.fetch_add(1, std::memory_order_relaxed);
            TLOGWARN("[net] " << adapter->getName() << ": connection from " << ip << " refused by allow/deny"
                              << std::endl);
            continue;
        }
        if (adapter->connectionCount().load(std::memory_order_relaxed) >= adapter->getMaxConns()) {
            stats.refusedMaxConns.fetch_add(1, std::memory_order_relaxed);
            TLOGWARN("[net] " << adapter->getName() << ": connection from " << peer.toString() << " refused: maxconns "
                              << adapter->getMaxConns() << " reached" << std::endl);
            continue;
        }
        adapter->connectionCount().fetch_add(1, std::memory_order_relaxed);
        stats.accepted.fetch_add(1, std::memory_order_relaxed);
        NetThread* target = _server->nextNetThread();
        if (target == this) {
            addConnection(NewConnection{std::move(client), peer, shared});
        } else {
            target->postConnection(std::move(client), peer, shared);
        }
    }
}

void NetThread::addConnection(NewConnection&& nc) {
    BindAdapter* adapter = nc.adapter.get();
    if (!_reading) {
        adapter->connectionCount().fetch_sub(1, std::memory_order_relaxed);
        return;
    }
    uint64_t uid = _server->nextUid();
    auto state = std::make_shared<ConnectionState>();
    state->uid = uid;
    state->ip = nc.peer.ip();
    state->port = nc.peer.port();
    state->fd = nc.socket.getfd();
    state->adapter = nc.adapter;
    state->owner = weak_from_this();
    try {
        if (!adapter->getEndpoint().isUnix()) nc.socket.setNoDelay(true);
        // EPOLLPRI: urgent data makes a read stop short at its mark with more behind it.
        _epoller.add(nc.socket.getfd(), kConnectionKind | uid, EPOLLIN | EPOLLPRI | EPOLLOUT | EPOLLRDHUP | EPOLLET);
    } catch (const std::exception& e) {
        TLOGERROR("[net] " << adapter->getName() << ": cannot add connection from " << nc.peer.toString() << ": "
                           << e.what() << std::endl);
        adapter->connectionCount().fetch_sub(1, std::memory_order_relaxed);
        return;
    }
    Connection& c = _connections[uid];
    c.transport = makeServerTransport(*adapter, std::move(nc.socket));
    c.state = std::move(state);
    c.adapter = adapter;
    c.lastActiveMs = _nowMs;
    if (c.transport->tls() != nullptr) {
        // A peer that stalls in the handshake is closed at the endpoint's timeout.
        int64_t timeout = adapter->getIdleTimeout() > 0 ? adapter->getIdleTimeout() : kHandshakeTimeoutMs;
        c.handshaking = true;
        c.handshakeDeadlineMs = _nowMs + timeout;
        _handshaking.push_back(uid);
    }
    std::list<uint64_t>& idle = _idleLists[adapter->getIndex()];
    c.idleIt = idle.insert(idle.end(), uid);
    _connectionCount.fetch_add(1, std::memory_order_relaxed);
    TLOGTARS("[net] " << adapter->getName() << ": connection " << uid << " from " << c.state->ip << ":" << c.state->port
                      << " on thread " << _index << std::endl);
}

void NetThread::readDatagrams(BindAdapter* adapter) {
    std::shared_ptr<BindAdapter> shared;
    for (const auto& a : _listeners) {
        if (a.get() == adapter) shared = a;
    }
    AdapterStats& stats = adapter->stats();
    // One byte more than the limit, and MSG_TRUNC: a larger datagram shows its true size.
    if (_datagramBuffer.size() != TarsProtocol::kMaxDatagramSize + 1) {
        _datagramBuffer.resize(TarsProtocol::kMaxDatagramSize + 1);
    }
    const size_t limit = std::min<size_t>(TarsProtocol::kMaxDatagramSize, adapter->getMaxPacketSize());
    int64_t recvTimeUs = TC_TimeProvider::steadyNowUs();
    for (int i = 0; i < kAcceptBatch; ++i) {
        TC_SockAddr peer;
        ssize_t n = adapter->listenSocket().recvfrom(_datagramBuffer.data(), _datagramBuffer.size(), peer, MSG_TRUNC);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            continue;  // e.g. ECONNREFUSED: an earlier reply's peer was gone; next datagram
        }
        size_t size = static_cast<size_t>(n);
        if (size > limit) {
            stats.datagramsTooLarge.fetch_add(1, std::memory_order_relaxed);
            if (uint64_t held = 0; _datagramLog.allow(held)) {
                TLOGWARN("[net] " << adapter->getName() << ": datagram of " << size << " bytes from " << peer.toString()
                                  << " dropped: larger than " << limit
                                  << (limit < TarsProtocol::kMaxDatagramSize ? " (maxpacketsize)" : "")
                                  << TC_LogThrottle::heldText(held) << std::endl);
            }
            continue;
        }
        std::string ip = peer.ip();
        if (!adapter->isIpAllowed(ip)) {
            stats.refusedDenied.fetch_add(1, std::memory_order_relaxed);
            if (uint64_t held = 0; _datagramLog.allow(held)) {
                TLOGWARN("[net] " << adapter->getName() << ": datagram from " << ip << " refused by allow/deny"
                                  << TC_LogThrottle::heldText(held) << std::endl);
            }
            continue;
        }
        // Exactly one packet: its 4-byte big-endian length counts the whole datagram.
        uint32_t length = 0;
        if (size >= 4) {
            const auto* b = reinterpret_cast<const unsigned char*>(_datagramBuffer.data());
            length = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
        }
        if (size < TarsProtocol::kMinPacketSize || length != size) {
            stats.datagramsBad.fetch_add(1, std::memory_order_relaxed);
            if (uint64_t held = 0; _datagramLog.allow(held)) {
                TLOGWARN("[net] " << adapter->getName() << ": datagram of " << size << " bytes from " << peer.toString()
                                  << " dropped: not one TARS packet (its length prefix says " << length << ")"
                                  << TC_LogThrottle::heldText(held) << std::endl);
            }
            continue;
        }
        std::vector<char> packet;
        if (_spareBuffers.empty() && !adapter->isMerge()) adapter->queue().takeReturned(_spareBuffers);
        if (!_spareBuffers.empty()) {
            packet = std::move(_spareBuffers.back());
            _spareBuffers.pop_back();
        }
        packet.assign(_datagramBuffer.data(), _datagramBuffer.data() + size);

        auto state = std::make_shared<ConnectionState>();
        state->uid = _server->nextUid();
        state->ip = std::move(ip);
        state->port = peer.port();
        state->fd = adapter->listenSocket().getfd();
        state->adapter = shared;
        state->owner = weak_from_this();
        state->datagram = true;
        state->peer = peer;

        RecvContext ctx;
        ctx.conn = state;
        ctx.recvTimeUs = recvTimeUs;
        ctx.buffer = std::move(packet);
        if (adapter->isMerge()) {
            if (ServantHandle* handle = mergeHandle(adapter)) handle->handle(ctx, false);
            RequestQueue::recycle(std::move(ctx.buffer), _spareBuffers);
            continue;
        }
        std::vector<RecvContext>& pending = _pending[adapter->getIndex()];
        size_t depth = adapter->queue().size() + pending.size();
        if (depth >= adapter->getQueueCapacity()) {
            ServerProtocol::Refusal refusal = adapter->protocol().refuse(ctx.buffer, stats);
            if (!refusal.reply.empty()) sendDatagram(state, {}, &refusal.reply);
            RequestQueue::recycle(std::move(ctx.buffer), _spareBuffers);
            continue;
        }
        stats.noteQueueDepth(depth + 1);
        pending.push_back(std::move(ctx));
        _anyPending = true;
    }
    // More may wait: the level-triggered listener event comes back on the next turn.
}

bool NetThread::sendDatagram(const std::shared_ptr<ConnectionState>& conn, std::string_view data, std::string* moved) {
    BindAdapter* adapter = conn->adapter.get();
    std::string_view bytes = moved != nullptr ? std::string_view(*moved) : data;
    if (bytes.empty()) return true;  // a close, or nothing: a datagram has no connection to close
    if (bytes.size() > TarsProtocol::kMaxDatagramSize) {
        adapter->stats().responsesTooLarge.fetch_add(1, std::memory_order_relaxed);
        TLOGWARN("[net] " << adapter->getName() << ": reply of " << bytes.size() << " bytes to "
                          << conn->peer.toString() << " not sent: larger than the " << TarsProtocol::kMaxDatagramSize
                          << " bytes one UDP datagram carries" << std::endl);
        return false;
    }
    if (inLoopThread()) {
        writeDatagram(adapter, *conn, bytes);
        return true;
    }
    std::string owned = moved != nullptr ? std::move(*moved) : std::string(data);
    size_t size = owned.size();
    if (runInLoop([this, conn, owned = std::move(owned)] { writeDatagram(conn->adapter.get(), *conn, owned); })) {
        return true;
    }
    dropReply(adapter, conn->uid, size);
    return false;
}

void NetThread::writeDatagram(BindAdapter* adapter, const ConnectionState& conn, std::string_view bytes) {
    TC_Socket& socket = adapter->listenSocket();
    if (!socket.isValid() || socket.sendto(bytes.data(), bytes.size(), conn.peer) < 0) {
        // A full send buffer or a vanished route: UDP gives no second chance; counted.
        int err = socket.isValid() ? errno : EBADF;
        adapter->stats().droppedResponses.fetch_add(1, std::memory_order_relaxed);
        TLOGDEBUG("[net] " << adapter->getName() << ": reply to " << conn.peer.toString()
                           << " not sent: " << errnoText(err) << std::endl);
    }
}

NetThread::Connection* NetThread::find(uint64_t uid) {
    auto it = _connections.find(uid);
    return it == _connections.end() ? nullptr : &it->second;
}

void NetThread::touch(Connection& c) {
    c.lastActiveMs = _nowMs;
    std::list<uint64_t>& idle = _idleLists[c.adapter->getIndex()];
    idle.splice(idle.end(), idle, c.idleIt);
}

void NetThread::readConnection(uint64_t uid, bool untilEnd) {
    Connection* c = find(uid);
    // Closing, or refused: nothing more is read (edge-triggered: no busy loop).
    if (c == nullptr || c->closeAfterFlush || c->refused) return;
    size_t total = 0;
    while (true) {
        auto [space, size] = c->recv.getWriteSpace(kReadChunk);
        ssize_t r = c->transport->read(space, size);
        if (c->handshaking && !checkTransport(*c)) return;
        if (r > 0) {
            c->recv.commitWrite(static_cast<size_t>(r));
            total += static_cast<size_t>(r);
            touch(*c);
            if (!parsePackets(*c)) return;
            if (c->closeAfterFlush || c->refused) return;
            if (total >= kReadBudget) {
                _readAgain.push_back(uid);
                return;
            }
            // Less than asked for: the socket is empty now, and bytes arriving later raise a
            // new edge. Saves the read that would only return EAGAIN. (Not so after the
            // peer's close or at a TCP urgent mark: the event said so, and untilEnd is set.)
            if (static_cast<size_t>(r) < size && !untilEnd) return;
        } else if (r == 0) {
            c->recv.commitWrite(0);
            closeConnection(uid, CloseReason::Peer);
            return;
        } else {
            c->recv.commitWrite(0);
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            if (checkTransport(*c)) closeConnection(uid, CloseReason::Error);
            return;
        }
    }
}

bool NetThread::checkTransport(Connection& c) {
    const TC_SslStream* tls = c.transport->tls();
    if (tls == nullptr) return true;
    AdapterStats& stats = c.adapter->stats();
    if (tls->established()) {
        if (c.handshaking) {
            c.handshaking = false;
            stats.tlsHandshakes.fetch_add(1, std::memory_order_relaxed);
            TLOGTARS("[net] " << c.adapter->getName() << ": " << c.state->ip << ":" << c.state->port << " "
                              << tls->version() << " " << tls->cipher()
                              << (tls->peerSubject().empty() ? "" : " client " + tls->peerSubject()) << std::endl);
        }
        if (!tls->failed()) return true;
    }
    if (!tls->failed()) return true;
    switch (tls->failure()) {
        case TC_SslStream::Failure::NotTls: stats.tlsNotTls.fetch_add(1, std::memory_order_relaxed); break;
        case TC_SslStream::Failure::Certificate: stats.tlsCertRejected.fetch_add(1, std::memory_order_relaxed); break;
        case TC_SslStream::Failure::Closed:
            if (!c.handshaking) return true;  // an ordinary close after the handshake: the caller counts it
            stats.tlsClosedInHandshake.fetch_add(1, std::memory_order_relaxed);
            break;
        default: stats.tlsProtocolErrors.fetch_add(1, std::memory_order_relaxed); break;
    }
    TLOGWARN("[net] " << c.adapter->getName() << ": TLS with " << c.state->ip << ":" << c.state->port << " failed ("
                      << toString(tls->failure()) << "): " << tls->failureText() << std::endl);
    closeConnection(c.state->uid, CloseReason::Tls);
    return false;
}

void NetThread::sweepHandshakes(int64_t nowMs) {
    std::erase_if(_handshaking, [&](uint64_t uid) {
        Connection* c = find(uid);
        if (c == nullptr || !c->handshaking) return true;
        if (nowMs < c->handshakeDeadlineMs) return false;
        closeStalledHandshake(*c);
        return true;
    });
}

void NetThread::closeStalledHandshake(Connection& c) {
    c.adapter->stats().tlsHandshakeTimeouts.fetch_add(1, std::memory_order_relaxed);
    TLOGWARN("[net] " << c.adapter->getName() << ": TLS handshake with " << c.state->ip << ":" << c.state->port
                      << " not done within the endpoint's timeout, closing" << std::endl);
    closeConnection(c.state->uid, CloseReason::Tls);
}

bool NetThread::parsePackets(Connection& c) {
    const ServerProtocol& protocol = c.adapter->protocol();
    // One clock read for every packet this read completed.
    _parseTimeUs = TC_TimeProvider::steadyNowUs();
    while (!c.closeAfterFlush && !c.refused) {
        std::vector<char> packet;
        // Out of spares within a turn (they come back with the turn's push): take those
        // the handles gave back since, before allocating a new one.
        if (_spareBuffers.empty() && !c.adapter->isMerge()) c.adapter->queue().takeReturned(_spareBuffers);
        if (!_spareBuffers.empty()) {
            packet = std::move(_spareBuffers.back());
            _spareBuffers.pop_back();
        }
        PACKET_TYPE type;
        try {
            type = protocol.parse(*c.adapter, c.recv, packet);
        } catch (const std::exception& e) {
            TLOGERROR("[net] " << c.adapter->getName() << ": protocol parser threw: " << e.what() << std::endl);
            type = PACKET_ERR;
        }
        if (type == PACKET_LESS) {
            RequestQueue::recycle(std::move(packet), _spareBuffers);
            return true;
        }
        if (type == PACKET_ERR) {
            c.adapter->stats().closedBadPacket.fetch_add(1, std::memory_order_relaxed);
            TLOGWARN("[net] " << c.adapter->getName() << ": bad packet from " << c.state->ip << ":" << c.state->port
                              << ", closing the connection" << std::endl);
            closeConnection(c.state->uid, CloseReason::BadPacket);
            return false;
        }
        if (!c.authenticated && c.adapter->requiresAuth()) {
            if (!authenticate(c, packet)) return false;
            RequestQueue::recycle(std::move(packet), _spareBuffers);
            continue;
        }
        dispatch(c, std::move(packet));
    }
    return true;
}

void NetThread::dispatch(Connection& c, std::vector<char>&& packet) {
    BindAdapter* adapter = c.adapter;
    RecvContext ctx;
    ctx.conn = c.state;
    ctx.recvTimeUs = _parseTimeUs;
    ctx.buffer = std::move(packet);
    const ServerProtocol& protocol = adapter->protocol();
    if (protocol.ordersReplies()) ctx.seq = c.nextSeq++;
    if (adapter->isMerge()) {
        if (ServantHandle* handle = mergeHandle(adapter)) handle->handle(ctx, false);
        RequestQueue::recycle(std::move(ctx.buffer), _spareBuffers);
        return;
    }
    std::vector<RecvContext>& pending = _pending[adapter->getIndex()];
    size_t depth = adapter->queue().size() + pending.size();
    if (depth >= adapter->getQueueCapacity()) {
        refuse(c, protocol.refuse(ctx.buffer, adapter->stats()), ctx.seq);
        RequestQueue::recycle(std::move(ctx.buffer), _spareBuffers);
        return;
    }
    adapter->stats().noteQueueDepth(depth + 1);
    pending.push_back(std::move(ctx));
    _anyPending = true;
}

bool NetThread::authenticate(Connection& c, const std::vector<char>& packet) {
    BindAdapter* adapter = c.adapter;
    std::string reply;
    int code = verifyAuthRequest(packet.data(), packet.size(), adapter->getServant(),
                                 AuthKeys{adapter->getAccessKey(), adapter->getSecretKey()}, static_cast<int64_t>(TNOW),
                                 &reply);
    if (code != 0) {
        adapter->stats().countAuthFailure(code);
        TLOGWARN("[net] " << adapter->getName() << ": authentication of " << c.state->ip << ":" << c.state->port
                          << " failed, " << authStateName(code) << " (" << authStateReason(code)
                          << "), closing the connection" << std::endl);
        closeConnection(c.state->uid, CloseReason::Auth);
        return false;
    }
    c.authenticated = true;
    adapter->stats().authSucceeded.fetch_add(1, std::memory_order_relaxed);
    apply(c, 0, {}, &reply, false);
    return true;
}

void NetThread::flushPending() {
    if (!_anyPending) return;
    _anyPending = false;
    const auto& adapters = _server->getAdapters();
    for (size_t i = 0; i < _pending.size(); ++i) {
        if (!_pending[i].empty()) adapters[i]->queue().push(_pending[i], &_spareBuffers);
    }
}

void NetThread::refuse(Connection& c, ServerProtocol::Refusal&& refusal, uint64_t seq) {
    if (refusal.badPacket) {
        closeLater(c, CloseReason::BadPacket);
        return;
    }
    // A reply, a close, or the turn of an ordered reply to release: queue it like any reply.
    if (refusal.reply.empty() && !refusal.close && seq == 0) return;
    if (refusal.close) {
        // Read no further request; the connection closes once the earlier replies are out.
        c.closeReason = CloseReason::Server;
        c.refused = true;
    }
    apply(c, seq, {}, &refusal.reply, refusal.close);
}

ServantHandle* NetThread::mergeHandle(BindAdapter* adapter) {
    auto it = _mergeHandles.find(adapter);
    return it == _mergeHandles.end() ? nullptr : it->second.get();
}

void NetThread::apply(Connection& c, uint64_t seq, std::string_view data, std::string* moved, bool close) {
    auto append = [&](std::string_view bytes, std::string* owned, bool closeAfter) {
        if (owned != nullptr) {
            if (!owned->empty()) c.send.addBuffer(std::move(*owned));
        } else if (!bytes.empty()) {
            c.send.addBuffer(bytes.data(), bytes.size());
        }
        if (closeAfter && !c.closeAfterFlush) {
            c.closeAfterFlush = true;
            c.closeReason = CloseReason::Server;
        }
    };
    if (seq == 0) {
        append(data, moved, close);
    } else if (seq == c.nextSendSeq) {
        append(data, moved, close);
        ++c.nextSendSeq;
        for (auto it = c.waiting.begin(); it != c.waiting.end() && it->first == c.nextSendSeq;
             it = c.waiting.erase(it)) {
            append({}, &it->second.data, it->second.close);
            ++c.nextSendSeq;
        }
    } else {
        // Before its turn (other protocols only): kept until the replies ahead are out.
        SendItem item;
        item.uid = c.state->uid;
        item.seq = seq;
        item.data = moved != nullptr ? std::move(*moved) : std::string(data);
        item.close = close;
        c.waiting.emplace(seq, std::move(item));
    }
    markDirty(c);
}

void NetThread::closeLater(Connection& c, CloseReason reason) {
    if (!c.closeAfterFlush) {
        c.closeAfterFlush = true;
        c.closeReason = reason;
    }
    markDirty(c);
}

void NetThread::markDirty(Connection& c) {
    if (!c.dirty) {
        c.dirty = true;
        _dirty.push_back(c.state->uid);
    }
}

void NetThread::flushDirty() {
    // Flushing may close connections and a merge-mode doClose may mark others dirty: loop
    // until nothing is left.
    while (!_dirty.empty()) {
        _dirtyWork.clear();
        _dirtyWork.swap(_dirty);
        for (uint64_t uid : _dirtyWork) {
            Connection* c = find(uid);
            if (c == nullptr) continue;
            c->dirty = false;
            flush(*c);
        }
    }
}

bool NetThread::flush(Connection& c) {
    uint64_t uid = c.state->uid;
    while (!c.send.empty()) {
        iovec iov[kMaxIov];
        size_t count = c.send.getIovec(iov, kMaxIov);
        ssize_t w = c.transport->writev(iov, static_cast<int>(count));
        if (w > 0) {
            c.send.moveHeader(static_cast<size_t>(w));
            touch(c);
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        closeConnection(uid, CloseReason::Error);
        return false;
    }
    if (c.send.empty()) {
        if (c.closeAfterFlush) {
            closeConnection(uid, c.closeReason);
            return false;
        }
    } else if (c.send.getBufferLength() > c.adapter->getBackPacketLimit()) {
        TLOGWARN("[net] " << c.adapter->getName() << ": " << c.state->ip << ":" << c.state->port << " holds "
                          << c.send.getBufferLength() << " unsent bytes (backpacketlimit "
                          << c.adapter->getBackPacketLimit() << "), closing" << std::endl);
        closeConnection(uid, CloseReason::SendLimit);
        return false;
    }
    return true;
}

void NetThread::closeConnection(uint64_t uid, CloseReason reason) {
    auto it = _connections.find(uid);
    if (it == _connections.end()) return;
    Connection& c = it->second;
    BindAdapter* adapter = c.adapter;
    AdapterStats& stats = adapter->stats();
    switch (reason) {
        case CloseReason::Peer: stats.closedByPeer.fetch_add(1, std::memory_order_relaxed); break;
        case CloseReason::Idle: stats.closedIdle.fetch_add(1, std::memory_order_relaxed); break;
        case CloseReason::BadPacket: break;  // counted where it was found
        case CloseReason::Tls: break;        // counted by reason where it was found
        case CloseReason::Auth: break;       // counted by code where it was found
        case CloseReason::SendLimit: stats.closedSendLimit.fetch_add(1, std::memory_order_relaxed); break;
        case CloseReason::Server: stats.closedByServer.fetch_add(1, std::memory_order_relaxed); break;
        case CloseReason::Error: stats.closedOnError.fetch_add(1, std::memory_order_relaxed); break;
        case CloseReason::Shutdown: break;
    }
    if (reason != CloseReason::Error && reason != CloseReason::Tls && reason != CloseReason::Peer) {
        c.transport->shutdown();  // TLS: close_notify
    }
    _epoller.del(c.transport->fd());
    c.state->closed.store(true, std::memory_order_release);
    std::shared_ptr<ConnectionState> state = c.state;
    _idleLists[adapter->getIndex()].erase(c.idleIt);
    _connections.erase(it);  // closes the socket
    adapter->connectionCount().fetch_sub(1, std::memory_order_relaxed);
    _connectionCount.fetch_sub(1, std::memory_order_relaxed);
    TLOGTARS("[net] " << adapter->getName() << ": connection " << uid << " closed (" << static_cast<int>(reason) << ")"
                      << std::endl);

    if (adapter->protocol().notifiesClose() && reason != CloseReason::Shutdown) {
        RecvContext ctx;
        ctx.conn = std::move(state);
        ctx.closeEvent = true;
        ctx.recvTimeUs = TC_TimeProvider::steadyNowUs();
        if (adapter->isMerge()) {
            if (ServantHandle* handle = mergeHandle(adapter)) handle->handle(ctx, false);
        } else {
            // After the packets of this connection still waiting for the batch.
            _pending[adapter->getIndex()].push_back(std::move(ctx));
            _anyPending = true;
        }
    }
}

void NetThread::sweepIdle(int64_t nowMs) {
    for (const auto& adapter : _server->getAdapters()) {
        int64_t timeout = adapter->getIdleTimeout();
        if (timeout <= 0) continue;
        std::list<uint64_t>& idle = _idleLists[adapter->getIndex()];
        while (!idle.empty()) {
            uint64_t uid = idle.front();
            Connection* c = find(uid);
            if (c == nullptr) {
                idle.pop_front();
                continue;
            }
            if (nowMs - c->lastActiveMs < timeout) break;
            if (c->handshaking) {  // never past the handshake: counted as its timeout
                closeStalledHandshake(*c);
                continue;
            }
            TLOGDEBUG("[net] " << adapter->getName() << ": " << c->state->ip << ":" << c->state->port << " idle for "
                               << nowMs - c->lastActiveMs << " ms, closing" << std::endl);
            closeConnection(uid, CloseReason::Idle);
        }
    }
}

bool NetThread::allFlushed() const {
    if (!_inbox.empty()) return false;
    if (!_dirty.empty() || _anyPending) return false;
    for (const auto& [uid, c] : _connections) {
        if (!c.send.empty() || !c.waiting.empty()) return false;
    }
    return true;
}

std::string NetThread::connectionsReport() {
    std::ostringstream os;
    for (const auto& [uid, c] : _connections) {
        os << "thread " << _index << " uid " << uid << " " << c.state->ip << ":" << c.state->port << " adapter "
           << c.adapter->getName() << " fd " << c.transport->fd() << " recvbuf " << c.recv.getBufferLength()
           << " sendbuf " << c.send.getBufferLength() << " idle " << (_nowMs - c.lastActiveMs) << "ms\n";
    }
    return os.str();
}

}  // namespace tars
