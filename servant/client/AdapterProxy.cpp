#include "internal/AdapterProxy.h"

#include <algorithm>

#include "BaseF.h"
#include "internal/CommunicatorEpoll.h"
#include "internal/ObjectProxy.h"
#include "servant/Communicator.h"
#include "servant/TarsProtocol.h"
#include "util/tc_logger.h"

namespace tars {

AdapterProxy::AdapterProxy(ObjectProxy* objectProxy, const TC_Endpoint& endpoint)
    : _objectProxy(objectProxy),
      _epoll(objectProxy->epoll()),
      _endpoint(endpoint),
      _endpointString(endpoint.toString()),
      _trans(std::make_unique<Transceiver>(this, _epoll, endpoint)) {
    // No keep-alive on UDP: there is no connection to keep, and one lost datagram
    // would isolate a serving endpoint.
    if (int interval = objectProxy->keepAliveMs(); interval > 0 && !endpoint.isUdp()) {
        _keepAliveTimer = _epoll->timers().schedule(
            _epoll->nowMs() + interval, [this] { keepAlive(); }, interval);
    }
}

AdapterProxy::~AdapterProxy() {
    if (_keepAliveTimer != 0) _epoll->timers().cancel(_keepAliveTimer);
    closeAndFail(TARSPROXYCONNECTERR, "endpoint " + _endpointString + " removed");
}

void AdapterProxy::keepAlive() {
    int64_t now = _epoll->nowMs();
    int interval = _objectProxy->keepAliveMs();
    if (_pingId != 0) {
        if (now < _pingDeadline) return;
        _pingId = 0;
        std::string why = "endpoint " + _endpointString + " of " + _objectProxy->name() +
                          " did not answer tars_ping (nor anything else) within " + std::to_string(pingWaitMs()) +
                          " ms";
        if (_sent.empty()) {
            TLOGWARN("[client] " << why << ": connection closed" << std::endl);
            _trans->close();
            onClose(TARSPROXYCONNECTERR, why);
        } else {
            // Calls in flight end by their own deadlines (or replies); the connection stays.
            TLOGWARN("[client] " << why << "; " << _sent.size() << " calls still in flight" << std::endl);
        }
        isolate(now);
        return;
    }
    if (!_trans->isConnected() || !idle() || now - _lastIoMs < interval) return;
    int wait = pingWaitMs();
    RequestPacket ping;
    ping.iVersion = TARSVERSION;
    ping.cPacketType = TARSNORMAL;
    ping.iRequestId = _epoll->communicator()->nextRequestId();
    ping.sFuncName = "tars_ping";
    ping.iTimeout = wait;
    _pingId = ping.iRequestId;
    _pingDeadline = now + wait;
    _lastIoMs = now;
    _trans->send(ProxyProtocol::encodeTarsRequest(ping, _objectProxy->name(), {}));
}

int AdapterProxy::pingWaitMs() const {
    // A busy server answers tars_ping behind its request queue: wait at least as long as a
    // sync call would (sync-invoke-timeout), never less than the interval.
    return std::max(_objectProxy->keepAliveMs(), _epoll->communicator()->syncInvokeTimeout());
}

bool AdapterProxy::usable(int64_t nowMs) const {
    if (_isolatedUntil > nowMs) return false;
    if (_trans->state() == Transceiver::CLOSED && _nextConnectAt > nowMs) return false;
    return true;
}

int64_t AdapterProxy::usableAt() const {
    int64_t at = _isolatedUntil;
    if (_trans->state() == Transceiver::CLOSED) at = std::max(at, _nextConnectAt);
    return at;
}

void AdapterProxy::invoke(ReqMessage* msg) {
    msg->adapter = this;
    switch (_trans->state()) {
        case Transceiver::CONNECTED: sendNow(msg); return;
        case Transceiver::CONNECTING:
        case Transceiver::AUTHENTICATING: _waiting.push_back(msg); return;
        case Transceiver::CLOSED: break;
    }
    if (_nextConnectAt > _epoll->nowMs()) {
        // The cause stays visible (refused, timed out ...) while no attempt is made.
        _epoll->fail(msg, TARSPROXYCONNECTERR,
                     "no connection to " + _endpointString + " (reconnect back-off" +
                         (_lastConnectError.empty() ? "" : "; last attempt: " + _lastConnectError) + ")");
        return;
    }
    _waiting.push_back(msg);
    std::string why = _trans->connect(_objectProxy->connectTimeoutMs());
    if (!why.empty()) onConnectFailed(TARSPROXYCONNECTERR, why);
}

void AdapterProxy::sendNow(ReqMessage* msg) {
    if (_endpoint.isUdp() && msg->encoded.size() > TarsProtocol::kMaxDatagramSize) {
        // One datagram carries one whole packet: a larger request cannot go by UDP.
        _epoll->fail(msg, TARSSENDREQUESTERR,
                     "request of " + std::to_string(msg->encoded.size()) + " bytes is larger than the " +
                         std::to_string(TarsProtocol::kMaxDatagramSize) + " bytes one UDP datagram to " +
                         _endpointString + " carries");
        return;
    }
    _lastIoMs = _epoll->nowMs();
    msg->streamLength = msg->encoded.size();
    msg->streamOffset = _trans->send(std::move(msg->encoded));
    msg->sent = true;
    if (msg->eType == ReqMessage::ONE_WAY) {
        _epoll->complete(msg);  // nothing comes back: it ends once its bytes are queued
        return;
    }
    _sent.push_back(msg);
}

void AdapterProxy::onConnected() {
    _lastIoMs = _epoll->nowMs();
    _pingId = 0;
    _reconnectFailures = 0;
    _lastConnectError.clear();
    while (ReqMessage* msg = _waiting.pop_front()) {
        sendNow(msg);
        if (!_trans->isConnected()) break;
    }
}

void AdapterProxy::onConnectFailed(int code, const std::string& why) {
    int64_t now = _epoll->nowMs();
    const CheckTimeoutInfo& info = _objectProxy->checkTimeout();
    _lastConnectError = why;
    ++_reconnectFailures;
    int64_t backoff = info.minReconnectMs;
    for (int i = 1; i < _reconnectFailures && backoff < info.maxReconnectMs; ++i) backoff *= 2;
    _nextConnectAt = now + std::min<int64_t>(backoff, info.maxReconnectMs);
    _epoll->endpointStateChanged();
    TLOGWARN("[client] " << why << "; next attempt in " << (_nextConnectAt - now) << " ms" << std::endl);
    recordFailure(now, false);
    // Calls that were never written may still go to another endpoint.
    while (ReqMessage* msg = _waiting.pop_front()) {
        msg->adapter = nullptr;
        _objectProxy->redispatch(msg, code, why);
    }
}

void AdapterProxy::onClose(int code, const std::string& why) {
    int64_t now = _epoll->nowMs();
    _pingId = 0;
    _nextConnectAt = now;  // reconnect on the next call; a failed reconnect starts the back-off
    _epoll->endpointStateChanged();
    // A call written (even in part) may have run: it fails. A call whose bytes never left
    // this side goes out again, like the calls still waiting for the connection.
    ReqMessageList again;
    size_t failed = 0;
    while (ReqMessage* msg = _sent.front()) {
        std::string bytes;
        if (_trans->takeUnwritten(msg->streamOffset, msg->streamLength, bytes)) {
            _sent.erase(msg);
            msg->encoded = std::move(bytes);
            msg->sent = false;
            again.push_back(msg);
        } else {
            _epoll->fail(msg, code, why);
            ++failed;
        }
    }
    _trans->dropUnsent();
    if (failed > 0) {
        TLOGWARN("[client] " << why << "; " << failed << " calls fail" << std::endl);
        recordFailure(now, false);
    }
    while (ReqMessage* msg = _waiting.pop_front()) again.push_back(msg);
    if (!again.empty()) {
        TLOGDEBUG("[client] " << why << "; " << again.size() << " calls never written go out again" << std::endl);
    }
    while (ReqMessage* msg = again.pop_front()) {
        msg->adapter = nullptr;
        _objectProxy->redispatch(msg, code, why);
    }
}

void AdapterProxy::onResponse(ResponsePacket& rsp) {
    _lastIoMs = _epoll->nowMs();
    if (_pingId != 0) {
        // Any reply after the ping shows the peer alive: the ping ends here.
        bool pingReply = rsp.iRequestId == _pingId;
        _pingId = 0;
        if (pingReply) return;
    }
    if (rsp.iRequestId == 0) {
        _objectProxy->onPush(rsp);
        return;
    }
    bool custom = static_cast<bool>(_objectProxy->protocol().responseFunc);
    ReqMessage* msg =
        custom && rsp.iRequestId == ProxyProtocol::kOldestCall ? _sent.front() : _epoll->findCall(rsp.iRequestId);
    if (msg == nullptr || msg->adapter != this || msg->list != &_sent) {
        // Late (the call already ended with -7) or unknown: dropped.
        return;
    }
    int64_t now = _epoll->nowMs();
    if (!custom) {
        // TARS-FACTS 1.1: what TarsCpp clients reject.
        if (rsp.iVersion != msg->request.iVersion) {
            recordSuccess(now);
            _epoll->fail(msg, TARSCLIENTDECODEERR,
                         "response version " + std::to_string(rsp.iVersion) + " differs from request version " +
                             std::to_string(msg->request.iVersion));
            return;
        }
        if (rsp.cPacketType != TARSNORMAL || rsp.iRet < TARSSERVERUNKNOWNERR) {
            recordSuccess(now);
            _epoll->fail(msg, TARSCLIENTDECODEERR,
                         "invalid response (cPacketType " + std::to_string(rsp.cPacketType) + ", iRet " +
                             std::to_string(rsp.iRet) + ")" + (rsp.sResultDesc.empty() ? "" : ": " + rsp.sResultDesc));
            return;
        }
    }
    recordSuccess(now);
    msg->response = std::move(rsp);
    _epoll->complete(msg);
}

void AdapterProxy::onCallTimeout(ReqMessage* /*msg*/) { recordFailure(_epoll->nowMs(), true); }

void AdapterProxy::closeAndFail(int code, const std::string& why) {
    _pingId = 0;
    _trans->close();
    while (ReqMessage* msg = _sent.front()) _epoll->fail(msg, code, why);
    while (ReqMessage* msg = _waiting.front()) _epoll->fail(msg, code, why);
}

void AdapterProxy::recordSuccess(int64_t nowMs) {
    const CheckTimeoutInfo& info = _objectProxy->checkTimeout();
    _consecutiveFailures = 0;
    if (_probing) {
        _probing = false;
        _isolations = 0;
    }
    if (nowMs - _windowStart >= info.checkTimeoutInterval) {
        _windowStart = nowMs;
        _windowCalls = _windowTimeouts = 0;
    }
    ++_windowCalls;
}

void AdapterProxy::recordFailure(int64_t nowMs, bool timeout) {
    const CheckTimeoutInfo& info = _objectProxy->checkTimeout();
    if (_probing && nowMs >= _isolatedUntil) {
        isolate(nowMs);  // the probe failed
        return;
    }
    ++_consecutiveFailures;
    if (nowMs - _windowStart >= info.checkTimeoutInterval) {
        _windowStart = nowMs;
        _windowCalls = _windowTimeouts = 0;
    }
    ++_windowCalls;
    if (timeout) ++_windowTimeouts;
    if (_isolatedUntil > nowMs) return;
    if (_consecutiveFailures >= info.frequenceFailInvoke) {
        isolate(nowMs);
    } else if (timeout && _windowTimeouts >= info.minTimeoutInvoke &&
               static_cast<double>(_windowTimeouts) >= info.radio * _windowCalls) {
        isolate(nowMs);
    }
}

void AdapterProxy::isolate(int64_t nowMs) {
    const CheckTimeoutInfo& info = _objectProxy->checkTimeout();
    int64_t interval = static_cast<int64_t>(info.tryTimeInterval) << std::min(_isolations, 3);
    _isolatedUntil = nowMs + interval;
    _epoll->endpointStateChanged();
    ++_isolations;
    _probing = true;
    _consecutiveFailures = 0;
    _windowStart = nowMs;
    _windowCalls = _windowTimeouts = 0;
    TLOGWARN("[client] endpoint " << _endpointString << " of " << _objectProxy->name() << " isolated for " << interval
                                  << " ms" << std::endl);
}

}  // namespace tars
