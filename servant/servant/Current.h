// Current: one request as its servant sees it, and the way to answer it.
//
// A handle creates one Current per request and passes it to Servant::onDispatch (TARS
// protocols) or doRequest (others). It gives the caller's address, the decoded request
// (TARS) or the raw packet (others), and it carries the reply back to the connection's
// network thread: the framework sends the reply when the dispatch returns, unless the
// servant called setResponse(false) to answer later (async) with sendResponse().
//
// Lifetime: a Current may be kept after the dispatch returned (async replies, the push
// pattern) and used from any thread. It keeps the connection's ConnectionState, never the
// socket: when the connection is gone, sendResponse() drops the bytes, counts them and
// returns false. It is never a crash.
// Threads: the getters are safe from any thread (they read what was fixed at creation);
// the setters belong to the thread that runs the dispatch; sendResponse() and close() are
// thread-safe.
// Reuse: the handles make Currents with create(), which takes a finished Current (and a
// control block) from a small per-thread cache instead of the heap; the one holding the last
// reference puts it back, with the capacity of its strings kept, so that decoding the next
// RequestPacket into it allocates nothing. A Current made with make_shared works the same.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "BaseF.h"
#include "RequestF.h"
#include "servant/CallContext.h"
#include "servant/ConnectionState.h"

namespace tars {

class BindAdapter;

class Current {
public:
    // seq: the reply's place in its connection's order (protocols that order replies), or 0.
    Current(std::shared_ptr<ConnectionState> conn, uint64_t seq, int64_t recvTimeUs);
    Current(const Current&) = delete;
    Current& operator=(const Current&) = delete;

    // A Current from this thread's cache of finished ones (or a new one).
    static std::shared_ptr<Current> create(std::shared_ptr<ConnectionState> conn, uint64_t seq, int64_t recvTimeUs);

    // ---- the caller
    const std::string& getIp() const { return _conn->ip; }
    int getPort() const { return _conn->port; }
    uint64_t getUId() const { return _conn->uid; }
    int getFd() const { return _conn->fd; }
    BindAdapter* getBindAdapter() const { return _conn->adapter.get(); }
    // True while the connection is open (it may close the next instant).
    bool isConnectionOpen() const { return !_conn->closed.load(std::memory_order_acquire); }

    // ---- the request (TARS protocols)
    // The request's servant (for other protocols: the adapter's).
    const std::string& getServantName() const { return _request.sServantName; }
    const std::string& getFuncName() const { return _request.sFuncName; }
    short getRequestVersion() const { return _request.iVersion; }
    char getPacketType() const { return _request.cPacketType; }
    int getMessageType() const { return _request.iMessageType; }
    int getRequestId() const { return _request.iRequestId; }
    int getTimeout() const { return _request.iTimeout; }
    const std::map<std::string, std::string>& getContext() const { return _request.context; }
    const std::map<std::string, std::string>& getRequestStatus() const { return _request.status; }
    const RequestPacket& getRequest() const { return _request; }
    // RequestPacket.sBuffer for TARS protocols; the whole packet for others.
    const std::vector<char>& getRequestBuffer() const { return _request.sBuffer; }
    bool isTarsProtocol() const { return _tarsRequest; }
    bool isOneway() const { return _request.cPacketType == TARSONEWAY; }
    // When the packet was complete (steady clock, microseconds).
    int64_t getRecvTimeUs() const { return _recvTimeUs; }

    // ---- the reply
    void setResponseContext(const std::map<std::string, std::string>& context) { _responseContext = context; }
    const std::map<std::string, std::string>& getResponseContext() const { return _responseContext; }
    // false: the framework does not answer when the dispatch returns; the servant answers
    // later with sendResponse() (generated async_response_xxx call it).
    void setResponse(bool value) { _response = value; }
    bool isResponse() const { return _response; }
    // True once the TARS reply was sent (by the framework or by sendResponse): the end of
    // the request's deadline for calls made after it (CallContext.h).
    bool isAnswered() const { return _answered.load(std::memory_order_acquire); }

    // Sends the TARS reply (in the request's version) with iRet and the encoded result;
    // nothing for one-way requests. False when it was dropped (connection gone, not TARS).
    bool sendResponse(int iRet, const std::vector<char>& buffer = {},
                      const std::map<std::string, std::string>& status = {}, const std::string& resultDesc = "");
    // Sends raw bytes on the connection (other protocols, pushes). False when dropped.
    bool sendResponse(const char* data, size_t length);
    bool sendResponse(const std::string& data) { return sendResponse(data.data(), data.size()); }
    // Closes the connection once the replies queued before have been written.
    void close();

    // ---- used by the handles
    RequestPacket& mutableRequest() { return _request; }
    // The request is a whole packet of a protocol the framework does not decode.
    void setRawRequest(std::vector<char>&& raw);
    // Brackets the dispatch: a close() during it is delayed until the framework's reply is
    // queued. endDispatch() says whether close() was called.
    void beginDispatch();
    bool endDispatch();
    uint64_t getSeq() const { return _seq; }
    // The request's server span when it is traced and sampled: set by the dispatch, taken
    // (and ended) by whoever sends the reply.
    void setTraceSpan(TraceSpanPtr span) { _traceSpan = std::move(span); }
    TraceSpanPtr takeTraceSpan() { return std::move(_traceSpan); }
    bool hasTraceSpan() const { return _traceSpan != nullptr; }
    void markAnswered() { _answered.store(true, std::memory_order_release); }
    // The flag isAnswered() reads, owning this Current (the server's CallContext keeps it).
    static std::shared_ptr<const std::atomic<bool>> answeredFlag(const std::shared_ptr<Current>& current) {
        return {current, &current->_answered};
    }
    const std::shared_ptr<ConnectionState>& connection() const { return _conn; }

    // Queues bytes (and/or a close) for the connection; the routing used by all of the above.
    static bool post(const std::shared_ptr<ConnectionState>& conn, uint64_t seq, std::string&& data, bool close);
    // The same, copying data (nothing is allocated once the network thread's inbox has grown).
    static bool post(const std::shared_ptr<ConnectionState>& conn, uint64_t seq, std::string_view data, bool close);

private:
    friend struct CurrentRecycler;
    // Back to the state of a new Current (strings keep their capacity) for reuse.
    void recycle();

    std::shared_ptr<ConnectionState> _conn;
    bool _tarsRequest = true;
    uint64_t _seq;
    int64_t _recvTimeUs;
    RequestPacket _request;  // for other protocols: sBuffer holds the packet, sServantName the adapter's servant
    std::map<std::string, std::string> _responseContext;
    bool _response = true;
    std::atomic<bool> _answered{false};
    TraceSpanPtr _traceSpan;

    // kDispatching while the handle runs the dispatch; kCloseRequested when close() came
    // during it (no lock: two atomic operations per request).
    static constexpr int kDispatching = 1;
    static constexpr int kCloseRequested = 2;
    std::atomic<int> _dispatchState{0};
};

using CurrentPtr = std::shared_ptr<Current>;
using TarsCurrentPtr = CurrentPtr;

}  // namespace tars
