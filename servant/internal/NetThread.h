// NetThread: one network event loop of TC_EpollServer. It owns the connections it was
// given (reads, parses with the adapter's protocol, writes), accepts on the listen sockets
// of the adapters assigned to it and hands new connections round-robin to every NetThread,
// and queues complete packets for the adapters' handles (or, in merge mode, runs the
// servant itself).
//
// Writes are batched: replies queued during one loop turn are written together with one
// writev per connection at the end of the turn. A connection whose unsent replies exceed
// backpacketlimit is closed (a client that never reads cannot grow the server's memory).
// Replies made by other threads reach the loop through the inbox (TC_Inbox: a locked byte
// arena, woken by an eventfd only when it goes from empty to non-empty); nothing but the
// loop ever touches a socket. Every reply goes out through send() and every reply that
// cannot (its connection or thread is gone) is dropped through dropReply(), which counts
// it in the adapter's droppedResponses. Packets cut during one turn reach the adapter
// queues in one batch per adapter at the end of the reads, and their buffers come back
// through the queue for reuse.
//
// A udp adapter's socket has no connections: its NetThread reads datagrams from it, each
// one whole length-prefixed TARS packet (TarsCpp's framing), gives each its own
// ConnectionState holding the sender's address, and writes each reply back as one
// datagram (sendDatagram). Datagrams above TarsProtocol::kMaxDatagramSize, and ones that
// are not exactly one packet, are dropped and counted; the others are served as usual.
//
// On an adapter with `-e 1` the first packet of every connection is its TARS
// authentication (internal/Auth.h), checked here on the loop thread: passed, it is
// answered AUTH_SUCC and the connection's requests flow; failed, the connection closes
// without a reply and the failure is counted by its AUTH_STATE code.
//
// Ownership: TC_EpollServer holds NetThreads in shared_ptrs; ConnectionState holds a
// weak_ptr so that a late reply after shutdown is dropped, never a dangling call.
// Threads: send(), dropReply(), postConnection(), runInLoop() and the stop requests are
// thread-safe; everything else runs on the loop thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <variant>
#include <vector>

#include "internal/RequestQueue.h"
#include "internal/ServerProtocol.h"
#include "internal/Transport.h"
#include "servant/BindAdapter.h"
#include "util/tc_epoller.h"
#include "util/tc_inbox.h"
#include "util/tc_log_throttle.h"
#include "util/tc_network_buffer.h"
#include "util/tc_sockaddr.h"
#include "util/tc_socket.h"

namespace tars {

class TC_EpollServer;
class ServantHandle;

class NetThread : public std::enable_shared_from_this<NetThread> {
public:
    // Bytes (and/or a close) for one connection.
    struct SendItem {
        uint64_t uid = 0;
        uint64_t seq = 0;  // > 0: released in this order per connection; 0: at once
        std::string data;
        bool close = false;
    };

    // Replies at least this long are moved into the inbox instead of copied.
    static constexpr size_t kMoveThreshold = 64 * 1024;

    NetThread(TC_EpollServer* server, size_t index);
    ~NetThread();
    NetThread(const NetThread&) = delete;
    NetThread& operator=(const NetThread&) = delete;

    size_t getIndex() const { return _index; }

    // Before start(): this thread accepts on adapter's (bound) listen socket.
    void addListener(const std::shared_ptr<BindAdapter>& adapter);
    // Starts the loop thread. Merge-mode servants are created in it; latch hears of them.
    void start(StartLatch& latch, size_t mergeAdapters);

    // ---- thread-safe
    // Queues a reply for connection uid (of adapter): bytes copied from data, or taken from
    // *moved when moved is not null, and/or a close; seq > 0: released in this order per
    // connection, 0: at once. From another thread, bytes shorter than kMoveThreshold are
    // copied into the inbox's arena (no allocation in steady state) and longer ones moved.
    // False when the reply is dropped (and counted): on the loop thread when the
    // connection is gone, from another thread when this thread has stopped. A reply queued
    // from another thread for a connection that closes before the loop takes it is dropped
    // and counted then.
    bool send(uint64_t uid, BindAdapter* adapter, uint64_t seq, std::string_view data, std::string* moved, bool close);
    // The one place a reply is dropped: counts it in adapter's droppedResponses (when it
    // has bytes; a close alone is no reply) and logs it.
    static void dropReply(BindAdapter* adapter, uint64_t uid, size_t bytes);
    // The reply to a UDP request: one datagram to conn->peer through the adapter's socket,
    // written on this thread's loop. Too large (TarsProtocol::kMaxDatagramSize): refused
    // and counted in responsesTooLarge. False when it is not sent.
    bool sendDatagram(const std::shared_ptr<ConnectionState>& conn, std::string_view data, std::string* moved);
    // Hands over an accepted connection (counted in adapter's connections already).
    void postConnection(TC_Socket&& socket, const TC_SockAddr& peer, const std::shared_ptr<BindAdapter>& adapter);
    // Runs task on the loop thread; false when the thread is stopped.
    bool runInLoop(std::function<void()> task);
    bool inLoopThread() const { return _threadId.load(std::memory_order_acquire) == std::this_thread::get_id(); }
    size_t getConnectionCount() const { return _connectionCount.load(std::memory_order_relaxed); }

    // Shutdown, in this order: stop accepting, read what each connection's socket holds
    // once more, stop reading (requests read are still answered); then exit once every
    // reply is written or at deadline (steady ms); join.
    void stopAccepting();
    void stopWhenFlushed(int64_t deadlineMs);
    void join();

    // One line per connection ("uid ip:port adapter fd recvBytes sendPending idleMs"); loop
    // thread only (use runInLoop).
    std::string connectionsReport();

private:
    enum class CloseReason { Peer, Idle, BadPacket, SendLimit, Server, Error, Tls, Auth, Shutdown };
    struct Connection {
        std::unique_ptr<Transport> transport;  // owns the socket
        std::shared_ptr<ConnectionState> state;
        BindAdapter* adapter = nullptr;
        TC_NetWorkBuffer recv;
        TC_NetWorkBuffer send;
        int64_t lastActiveMs = 0;
        std::list<uint64_t>::iterator idleIt;
        uint64_t nextSeq = 1;                  // next sequence number to give a request
        uint64_t nextSendSeq = 1;              // next sequence number to release
        std::map<uint64_t, SendItem> waiting;  // replies that came before their turn
        bool closeAfterFlush = false;
        bool refused = false;        // an overload reply is on its way: read no further request
        bool authenticated = false;  // -e 1: the first packet passed authentication
        CloseReason closeReason = CloseReason::Server;
        bool dirty = false;
        bool handshaking = false;         // a TLS handshake is under way
        int64_t handshakeDeadlineMs = 0;  // ... and is given up at this time
    };
    struct NewConnection {
        TC_Socket socket;
        TC_SockAddr peer;
        std::shared_ptr<BindAdapter> adapter;
    };
    void run(StartLatch* latch, size_t mergeAdapters);
    void loop();
    void processInbox();
    void accept(BindAdapter* adapter);
    void addConnection(NewConnection&& nc);
    // udp: reads the datagrams waiting on adapter's socket (a bounded batch per turn).
    void readDatagrams(BindAdapter* adapter);
    void writeDatagram(BindAdapter* adapter, const ConnectionState& conn, std::string_view bytes);
    // Reads until the socket is drained: a short read is enough unless untilEnd, which reads
    // to EAGAIN or EOF. untilEnd: the event signalled the peer's close (its FIN may sit
    // behind the data) or urgent data (a read stops at its mark), or the connection is
    // read again after its read budget.
    void readConnection(uint64_t uid, bool untilEnd);
    // false when the connection was closed.
    bool parsePackets(Connection& c);
    void dispatch(Connection& c, std::vector<char>&& packet);
    // The first packet of a connection on an -e 1 adapter; false when it failed (the
    // connection is closed).
    bool authenticate(Connection& c, const std::vector<char>& packet);
    // Queues the protocol's answer to a request that found the adapter's queue full.
    void refuse(Connection& c, ServerProtocol::Refusal&& refusal, uint64_t seq);
    // Appends data (or *moved when not null) to c's send buffer in its sequence order.
    void apply(Connection& c, uint64_t seq, std::string_view data, std::string* moved, bool close);
    // Hands the packets cut during this turn to their adapters' queues (one lock each).
    void flushPending();
    void markDirty(Connection& c);
    void flushDirty();
    // Writes what it can; false when the connection was closed.
    bool flush(Connection& c);
    void touch(Connection& c);
    void closeConnection(uint64_t uid, CloseReason reason);
    void closeLater(Connection& c, CloseReason reason);
    void pauseAccept(bool pause);
    void sweepIdle(int64_t nowMs);
    // TLS: counts a finished handshake, or closes a connection whose transport failed
    // (counted by reason). False when the connection was closed.
    bool checkTransport(Connection& c);
    void sweepHandshakes(int64_t nowMs);
    void closeStalledHandshake(Connection& c);
    bool allFlushed() const;
    ServantHandle* mergeHandle(BindAdapter* adapter);
    Connection* find(uint64_t uid);

    TC_EpollServer* _server;
    size_t _index;
    std::thread _thread;
    std::atomic<std::thread::id> _threadId{};
    TC_Epoller _epoller;
    TC_Epoller::NotifyInfo _notify;
    std::vector<std::shared_ptr<BindAdapter>> _listeners;

    // The inbox: replies as records (a header, then their bytes) in its byte arena, large
    // ones moved in; new connections and tasks as items.
    struct InboxHeader {
        uint64_t uid;
        uint64_t seq;
        BindAdapter* adapter;  // to count the reply if its connection is gone
        bool close;
    };
    using InboxItem = std::variant<NewConnection, std::function<void()>>;
    TC_Inbox<InboxHeader, InboxItem> _inbox;

    // Loop thread only.
    std::unordered_map<uint64_t, Connection> _connections;
    std::vector<std::list<uint64_t>> _idleLists;  // per adapter index, least recently active first
    std::vector<uint64_t> _dirty;
    std::vector<uint64_t> _dirtyWork;
    std::vector<uint64_t> _readAgain;  // connections that used their read budget
    std::vector<uint64_t> _readAgainWork;
    std::vector<uint64_t> _handshaking;  // TLS connections still in their handshake (some may be done)
    // Packets cut this turn, per adapter index, not yet in the adapter's queue.
    std::vector<std::vector<RecvContext>> _pending;
    bool _anyPending = false;
    // Packet buffers handed back by the handles, reused for the next packets.
    std::vector<std::vector<char>> _spareBuffers;
    std::vector<char> _datagramBuffer;  // udp: one datagram being read
    TC_LogThrottle _datagramLog;        // udp: dropped datagrams, a line a second at most
    std::unordered_map<BindAdapter*, std::unique_ptr<ServantHandle>> _mergeHandles;
    bool _reading = true;
    bool _exitWhenFlushed = false;
    int64_t _exitDeadlineMs = 0;
    int64_t _acceptPausedUntilMs = 0;
    int64_t _nowMs = 0;
    int64_t _parseTimeUs = 0;  // when the packets being parsed were complete
    int64_t _nextSweepMs = 0;
    std::atomic<bool> _stopFlag{false};
    bool _started = false;  // start() was called (controlling thread only)
    std::atomic<size_t> _connectionCount{0};
};

}  // namespace tars
