// AdapterProxy: one endpoint of one object, seen from one network thread: its
// connection (Transceiver), the calls waiting for that connection and the calls sent on
// it, and the endpoint's health.
//
// Health rules (CheckTimeoutInfo of the proxy):
//  - connect failures back off exponentially (minReconnectMs, doubling, up to
//    maxReconnectMs); while backing off the endpoint takes no calls;
//  - frequenceFailInvoke consecutive failures (timeouts, connect errors, lost
//    connections), or, within checkTimeoutInterval, at least minTimeoutInvoke timeouts
//    making up at least `radio` of the calls, isolate the endpoint for tryTimeInterval
//    (doubling after each failed probe, up to 8x);
//  - once that time passes the endpoint is probed: it takes calls again; the first
//    success makes it healthy, a failure isolates it again at once.
// The EndpointManager's balancers skip endpoints that are not usable().
//
// Keep-alive (keep-alive-interval > 0, TARS protocol, TCP/SSL/unix only, never UDP): a
// connected connection with no call outstanding and no bytes sent or received for the
// interval sends tars_ping (a normal two-way request the server answers without reaching
// the servant). Any reply on the connection after the ping counts as alive. No reply
// within max(interval, sync-invoke-timeout): the endpoint is isolated as above, so calls
// go elsewhere until it is probed again, and the connection is closed if no call is in
// flight on it (calls in flight keep it; they end by their own deadlines).
//
// Every call handed to invoke() ends exactly once: with its response, or (through the
// CommunicatorEpoll) with -7 at its deadline, -8 when the connection is lost after the
// call was written (even in part: it may have run) or cannot be made, -12 when the reply
// is malformed. Calls whose bytes were never written to the socket when the connection
// closed or failed to connect (waiting for it, or still in the Transceiver's send
// buffer) are re-routed (ObjectProxy::redispatch) to another endpoint, or to a new
// connection, within their own deadline.
// Ownership: the EndpointManager owns it; network thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "servant/ReqMessage.h"
#include "internal/Transceiver.h"
#include "util/tc_endpoint.h"

namespace tars {

class CommunicatorEpoll;
class ObjectProxy;

class AdapterProxy {
public:
    AdapterProxy(ObjectProxy* objectProxy, const TC_Endpoint& endpoint);
    ~AdapterProxy();
    AdapterProxy(const AdapterProxy&) = delete;
    AdapterProxy& operator=(const AdapterProxy&) = delete;

    const TC_Endpoint& endpoint() const { return _endpoint; }
    const std::string& endpointString() const { return _endpointString; }
    ObjectProxy* objectProxy() const { return _objectProxy; }

    // Whether the balancers may give it a call at nowMs. It reads _isolatedUntil,
    // _nextConnectAt and whether the transceiver is CLOSED: whatever writes one of them
    // calls CommunicatorEpoll::endpointStateChanged(), or EndpointManager keeps a stale
    // answer (it only re-asks on that signal or once usableAt() has come).
    bool usable(int64_t nowMs) const;
    // When it becomes usable again (nowMs or earlier if usable).
    int64_t usableAt() const;
    bool isolated(int64_t nowMs) const { return _isolatedUntil > nowMs; }

    // Sends msg now, or once connected; connects if needed. A call that cannot be sent
    // (reconnect back-off) ends with -8 at once.
    void invoke(ReqMessage* msg);

    // From the Transceiver.
    void onConnected();
    void onConnectFailed(int code, const std::string& why);
    void onClose(int code, const std::string& why);
    void onResponse(ResponsePacket& rsp);

    // From the CommunicatorEpoll: msg (carried by this adapter) reached its deadline.
    void onCallTimeout(ReqMessage* msg);

    // Ends every call it holds with code and closes the connection.
    void closeAndFail(int code, const std::string& why);
    // Calls waiting or sent.
    size_t outstanding() const { return _waiting.size() + _sent.size(); }
    bool idle() const { return outstanding() == 0; }

private:
    void sendNow(ReqMessage* msg);
    // The keep-alive timer: sends tars_ping on an idle connection, or gives up on a peer
    // that left the last one unanswered.
    void keepAlive();
    // How long a sent tars_ping waits for a reply: max(interval, sync-invoke-timeout).
    int pingWaitMs() const;
    void recordSuccess(int64_t nowMs);
    void recordFailure(int64_t nowMs, bool timeout);
    void isolate(int64_t nowMs);

    ObjectProxy* _objectProxy;
    CommunicatorEpoll* _epoll;
    TC_Endpoint _endpoint;
    std::string _endpointString;
    std::string _lastConnectError;  // why the latest connect failed ("" once connected)
    std::unique_ptr<Transceiver> _trans;
    ReqMessageList _waiting;  // not written yet: waiting for the connection
    ReqMessageList _sent;     // written, waiting for the response

    // health
    int _reconnectFailures = 0;
    int64_t _nextConnectAt = 0;  // written with endpointStateChanged() (see usable())
    int _consecutiveFailures = 0;
    int64_t _windowStart = 0;
    int _windowCalls = 0;
    int _windowTimeouts = 0;
    int64_t _isolatedUntil = 0;  // written with endpointStateChanged() (see usable())
    int _isolations = 0;
    bool _probing = false;

    // keep-alive
    uint64_t _keepAliveTimer = 0;  // 0: keep-alive off
    int64_t _lastIoMs = 0;         // last call written or reply received
    int32_t _pingId = 0;           // the tars_ping waiting for its answer (0: none)
    int64_t _pingDeadline = 0;
};

}  // namespace tars
