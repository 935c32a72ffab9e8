// NetThread: one network event loop of TC_EpollServer. It owns the connections it was
// given (reads, parses with the adapter's protocol, writes), accepts on the listen sockets
// of the adapters assigned to it and hands new connections round-robin to every NetThread,
// and queues complete packets for the adapters' handles (or, in merge mode, runs the
// servant itself).
//
// Writes are batched: replies queued during one loop turn are written together with one
// writev per connection at the end of the turn. A connection whose unsent replies exceed
// backpacketlimit is closed (a client that never reads cannot grow the server's memory).
// Replies made by other threads reach the loop through the inbox (a locked vector, woken
// by an eventfd only when it goes from empty to non-empty); nothing but the loop ever
// touches a socket.
//
// Ownership: TC_EpollServer holds NetThreads in shared_ptrs; ConnectionState holds a
// weak_ptr so that a late reply after shutdown is dropped, never a dangling call.
// Threads: send(), postConnection(), runInLoop() and the stop requests are thread-safe;
// everything else runs on the loop thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "servant/BindAdapter.h"
#include "util/tc_epoller.h"
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
        BindAdapter* adapter = nullptr;  // for counting a drop
        uint64_t seq = 0;   // > 0: released in this order per connection; 0: at once
        std::string data;
        bool close = false;
    };

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
    // Queues bytes for a connection of this thread; false when the thread is stopped.
    bool send(SendItem&& item);
    // Hands over an accepted connection (counted in adapter's connections already).
    void postConnection(TC_Socket&& socket, const TC_SockAddr& peer, const std::shared_ptr<BindAdapter>& adapter);
    // Runs task on the loop thread; false when the thread is stopped.
    bool runInLoop(std::function<void()> task);
    bool inLoopThread() const { return _threadId.load(std::memory_order_acquire) == std::this_thread::get_id(); }
    size_t getConnectionCount() const { return _connectionCount.load(std::memory_order_relaxed); }

    // Shutdown, in this order: stop accepting and reading (requests already read are still
    // answered); then exit once every reply is written or at deadline (steady ms); join.
    void stopAccepting();
    void stopWhenFlushed(int64_t deadlineMs);
    void join();

    // One line per connection ("uid ip:port adapter fd recvBytes sendPending idleMs"); loop
    // thread only (use runInLoop).
    std::string connectionsReport();

private:
    enum class CloseReason { Peer, Idle, BadPacket, SendLimit, Server, Error, Shutdown };
    struct Connection {
        TC_Socket socket;
        std::shared_ptr<ConnectionState> state;
        BindAdapter* adapter = nullptr;
        TC_NetWorkBuffer recv;
        TC_NetWorkBuffer send;
        int64_t lastActiveMs = 0;
        std::list<uint64_t>::iterator idleIt;
        uint64_t nextSeq = 1;      // next sequence number to give a request
        uint64_t nextSendSeq = 1;  // next sequence number to release
        std::map<uint64_t, SendItem> waiting;  // replies that came before their turn
        bool closeAfterFlush = false;
        CloseReason closeReason = CloseReason::Server;
        bool dirty = false;
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
    void readConnection(uint64_t uid);
    // false when the connection was closed.
    bool parsePackets(Connection& c);
    void dispatch(Connection& c, std::vector<char>&& packet);
    void answerOverload(Connection& c, const std::vector<char>& packet);
    void applySend(SendItem&& item);
    void apply(Connection& c, SendItem&& item);
    void markDirty(Connection& c);
    void flushDirty();
    // Writes what it can; false when the connection was closed.
    bool flush(Connection& c);
    void touch(Connection& c);
    void closeConnection(uint64_t uid, CloseReason reason);
    void closeLater(Connection& c, CloseReason reason);
    void pauseAccept(bool pause);
    void sweepIdle(int64_t nowMs);
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

    mutable std::mutex _inboxMutex;
    std::vector<SendItem> _inSends;
    std::vector<NewConnection> _inConnections;
    std::vector<std::function<void()>> _inTasks;
    bool _wakePending = false;
    bool _stopped = false;  // under _inboxMutex: the loop has exited

    // Loop thread only.
    std::unordered_map<uint64_t, Connection> _connections;
    std::vector<std::list<uint64_t>> _idleLists;  // per adapter index, least recently active first
    std::vector<uint64_t> _dirty;
    std::vector<uint64_t> _readAgain;  // connections that used their read budget
    std::unordered_map<BindAdapter*, std::unique_ptr<ServantHandle>> _mergeHandles;
    bool _reading = true;
    bool _exitWhenFlushed = false;
    int64_t _exitDeadlineMs = 0;
    int64_t _acceptPausedUntilMs = 0;
    int64_t _nowMs = 0;
    int64_t _nextSweepMs = 0;
    std::atomic<bool> _stopFlag{false};
    bool _started = false;  // start() was called (controlling thread only)
    std::atomic<size_t> _connectionCount{0};
};

}  // namespace tars
