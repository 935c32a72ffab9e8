#include "servant/ServantProxy.h"

#include <stdexcept>

#include "servant/Communicator.h"
#include "internal/CommunicatorEpoll.h"
#include "internal/LoadBalancer.h"
#include "internal/ObjectProxy.h"
#include "internal/Tracing.h"
#include "servant/SetDivision.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {

// Per calling thread: the hash of its next call and its network-thread round robin.
struct ThreadCallState {
    ReqMessage::HashType hashType = ReqMessage::HASH_NONE;
    int64_t hashCode = 0;
    uint32_t netSeq = 0;
    bool hasRouteKey = false;
    std::string routeKey;
};

constexpr const char* kGridKey = "STATUS_GRID_KEY";
constexpr const char* kDyedKey = "STATUS_DYED_KEY";
thread_local ThreadCallState t_call;

thread_local ReqMessage* t_dispatching = nullptr;

}  // namespace

// ---------------------------------------------------------------- callback

const std::map<std::string, std::string>& ServantProxyCallback::getResponseContext() {
    static const std::map<std::string, std::string> kEmpty;
    return t_dispatching ? t_dispatching->response.context : kEmpty;
}

void ServantProxyCallback::setCurrentMessage(ReqMessage* msg) { t_dispatching = msg; }

// ---------------------------------------------------------------- proxy

ServantProxy::ServantProxy() = default;
ServantProxy::~ServantProxy() = default;

void ServantProxy::tars_initialize(Communicator* communicator, const std::string& fullName, const std::string& name,
                                   std::vector<ObjectProxy*> objectProxies, int syncTimeout, int asyncTimeout) {
    _communicator = communicator;
    _fullName = fullName;
    _name = name;
    _objectProxies = std::move(objectProxies);
    _syncTimeout.store(syncTimeout);
    _asyncTimeout.store(asyncTimeout);
}

ServantProxy* ServantProxy::tars_set_timeout(int ms) {
    if (ms > 0) _syncTimeout.store(ms, std::memory_order_relaxed);
    return this;
}

ServantProxy* ServantProxy::tars_set_async_timeout(int ms) {
    if (ms > 0) _asyncTimeout.store(ms, std::memory_order_relaxed);
    return this;
}

ServantProxy* ServantProxy::tars_hash(int64_t code) {
    t_call.hashType = ReqMessage::HASH_MODULO;
    t_call.hashCode = code;
    return this;
}

ServantProxy* ServantProxy::tars_route_key(std::string key) {
    t_call.hasRouteKey = true;
    t_call.routeKey = std::move(key);
    return this;
}

ServantProxy* ServantProxy::tars_consistent_hash(int64_t code) {
    t_call.hashType = ReqMessage::HASH_CONSISTENT;
    t_call.hashCode = code;
    return this;
}

void ServantProxy::tars_set_protocol(SERVANT_PROTOCOL protocol) {
    switch (protocol) {
        case PROTOCOL_TUP: tars_set_version(TUPVERSION); break;
        case PROTOCOL_JSON: tars_set_version(JSONVERSION); break;
        default: tars_set_version(TARSVERSION); break;
    }
}

void ServantProxy::tars_set_protocol(const ProxyProtocol& protocol) {
    std::lock_guard lock(_mutex);
    _protocol = protocol;
    _customProtocol.store(static_cast<bool>(protocol.requestFunc), std::memory_order_release);
}

ProxyProtocol ServantProxy::tars_get_protocol() const {
    std::lock_guard lock(_mutex);
    return _protocol;
}

void ServantProxy::tars_set_version(short version) {
    if (version != TARSVERSION && version != TUPVERSION && version != JSONVERSION)
        throw std::invalid_argument("tars_set_version: " + std::to_string(version) +
                                    " is not 1 (TARS), 3 (TUP) or 5 (JSON)");
    _version.store(version, std::memory_order_relaxed);
}

void ServantProxy::tars_set_push_callback(const ServantProxyCallbackPtr& cb) {
    std::lock_guard lock(_mutex);
    _pushCallback = cb;
}

ServantProxyCallbackPtr ServantProxy::tars_get_push_callback() const {
    std::lock_guard lock(_mutex);
    return _pushCallback;
}

void ServantProxy::tars_set_check_timeout(const CheckTimeoutInfo& info) {
    std::lock_guard lock(_mutex);
    _checkTimeout = info;
}

CheckTimeoutInfo ServantProxy::tars_get_check_timeout() const {
    std::lock_guard lock(_mutex);
    return _checkTimeout;
}

void ServantProxy::tars_set_load_balance(const std::string& name) {
    if (!LoadBalancer::isKnown(name)) LoadBalancer::create(name);  // throws naming the known ones
    std::lock_guard lock(_mutex);
    _balancer = name;
}

std::string ServantProxy::tars_get_load_balance() const {
    std::lock_guard lock(_mutex);
    return _balancer;
}

uint32_t ServantProxy::tars_gen_requestid() { return static_cast<uint32_t>(_communicator->nextRequestId()); }

int64_t ServantProxy::applyDeadline(ReqMessage& msg, const CallContext& context, int& timeoutMs) {
    int64_t nowUs = TC_TimeProvider::steadyNowUs();
    // The callback runs on another thread: it takes the context along.
    if (msg.eType == ReqMessage::ASYNC_CALL) msg.callContext = context;
    int64_t deadlineUs = context.activeDeadlineUs();
    if (deadlineUs == 0) return nowUs / 1000;  // no deadline, or the request was answered: not bound
    // Whole milliseconds left, rounded down: the callee never gets more than the caller has.
    int64_t leftMs = (deadlineUs - nowUs) / 1000;
    if (leftMs <= 0) {
        msg.deadlinePassed = true;
        timeoutMs = 0;
    } else if (leftMs < timeoutMs) {
        msg.cappedByDeadline = true;
        timeoutMs = static_cast<int>(leftMs);
    }
    return nowUs / 1000;
}

ReqMessage* ServantProxy::newMessage(ReqMessage::CallType type, Char packetType, int32_t requestId,
                                     const std::string& funcName, std::vector<char>&& buffer,
                                     const std::map<std::string, std::string>& context, int timeoutMs) {
    auto msg = std::make_unique<ReqMessage>();
    msg->eType = type;
    int64_t nowMs;
    const CallContext* serving = CallContext::current();
    const Tracing* tracing = _communicator->tracing();
    if (serving == nullptr || !serving->active()) [[likely]] {
        nowMs = TC_TimeProvider::steadyNowMs();
    } else {
        nowMs = applyDeadline(*msg, *serving, timeoutMs);
    }
    RequestPacket& req = msg->request;
    req.iVersion = tars_version();
    req.cPacketType = packetType;
    req.iRequestId = requestId;
    req.sFuncName = funcName;
    req.iTimeout = timeoutMs;
    req.context = context;
    msg->hashType = t_call.hashType;
    msg->hashCode = t_call.hashCode;
    t_call.hashType = ReqMessage::HASH_NONE;
    if (msg->hashType != ReqMessage::HASH_NONE) req.iMessageType |= TARSMESSAGETYPEHASH;
    if (t_call.hasRouteKey) [[unlikely]] {
        t_call.hasRouteKey = false;
        req.status[kGridKey] = std::move(t_call.routeKey);
        t_call.routeKey.clear();
    }
    if (!_setDivision.empty()) [[unlikely]] {
        req.iMessageType |= TARSMESSAGETYPESETNAME;
        req.status[SetDivision::kStatusKey] = _setDivision;
    }
    if (serving != nullptr && serving->dyed) [[unlikely]] {
        req.iMessageType |= TARSMESSAGETYPEDYED;
        req.status[kDyedKey] = serving->dyeingKey;
    }
    msg->deadlineMs = nowMs + timeoutMs;
    if (msg->deadlinePassed) return msg.release();  // never sent: nothing to encode
    if ((serving != nullptr && serving->traced) || (tracing != nullptr && tracing->sample())) [[unlikely]] {
        msg->traceSpan = Tracing::startTracedClientCall(tracing, serving, req, _name);
    }
    if (_customProtocol.load(std::memory_order_acquire)) {
        ProxyProtocol protocol = tars_get_protocol();
        req.sServantName = _name;
        req.sBuffer = std::move(buffer);
        msg->encoded = protocol.requestFunc(req);
        std::vector<char>().swap(req.sBuffer);  // the frame has it: no memory held per call
    } else {
        msg->encoded = ProxyProtocol::encodeTarsRequest(req, _name, buffer);
    }
    return msg.release();
}

namespace {

// A sync call made on a network thread (from a callback that runs there) would block the
// thread that has to read its response: refused with an error instead of a hang.
void refuseSyncOnNetworkThread(const std::string& funcName) {
    if (CommunicatorEpoll::current() != nullptr) {
        t_call.hashType = ReqMessage::HASH_NONE;  // tars_hash() and tars_route_key() were for this call
        t_call.hasRouteKey = false;
        throwCallException(TARSSENDREQUESTERR, funcName,
                           "sync call on a network thread (a callback with setNetThreadProcess): it would wait "
                           "for itself; make an async call there");
    }
}

}  // namespace

bool ServantProxy::submit(ReqMessage* msg) {
    if (_communicator == nullptr || _communicator->isTerminating()) return false;
    size_t n = _objectProxies.size();
    ObjectProxy* op = _objectProxies[n == 1 ? 0 : (t_call.netSeq++ % n)];
    msg->objectProxy = op;
    return op->epoll()->push(msg);
}

void ServantProxy::tars_invoke(Char packetType, const std::string& funcName, std::vector<char>&& buffer,
                               const std::map<std::string, std::string>& context, ResponsePacket& rsp) {
    if (packetType == TARSONEWAY) {
        tars_invoke_async(packetType, funcName, std::move(buffer), context, nullptr);
        return;
    }
    refuseSyncOnNetworkThread(funcName);
    std::unique_ptr<ReqMessage> msg(newMessage(ReqMessage::SYNC_CALL, packetType, _communicator->nextRequestId(),
                                               funcName, std::move(buffer), context, tars_timeout()));
    if (!submit(msg.get())) throwCallException(TARSSENDREQUESTERR, funcName, "communicator terminated");
    msg->wait();
    rsp = std::move(msg->response);
    if (rsp.iRet != TARSSERVERSUCCESS) throwCallException(rsp.iRet, funcName, rsp.sResultDesc);
}

void ServantProxy::tars_invoke_async(Char packetType, const std::string& funcName, std::vector<char>&& buffer,
                                     const std::map<std::string, std::string>& context,
                                     ServantProxyCallbackPtr callback) {
    bool oneway = packetType == TARSONEWAY || !callback;
    std::unique_ptr<ReqMessage> msg(newMessage(oneway ? ReqMessage::ONE_WAY : ReqMessage::ASYNC_CALL,
                                               oneway ? TARSONEWAY : TARSNORMAL, _communicator->nextRequestId(),
                                               funcName, std::move(buffer), context, tars_async_timeout()));
    msg->callback = std::move(callback);
    if (!submit(msg.get())) throwCallException(TARSSENDREQUESTERR, funcName, "communicator terminated");
    msg.release();  // the network thread owns it now
}

void ServantProxy::tars_ping() {
    ResponsePacket rsp;
    tars_invoke(TARSNORMAL, "tars_ping", std::vector<char>(), TARS_CONTEXT(), rsp);
}

void ServantProxy::rpc_call(uint32_t requestId, const std::string& funcName, const char* buff, uint32_t len,
                            ResponsePacket& rsp) {
    refuseSyncOnNetworkThread(funcName);
    int32_t id = requestId != 0 ? static_cast<int32_t>(requestId) : _communicator->nextRequestId();
    std::unique_ptr<ReqMessage> msg(newMessage(ReqMessage::SYNC_CALL, TARSNORMAL, id, funcName,
                                               std::vector<char>(buff, buff + len), TARS_CONTEXT(), tars_timeout()));
    if (!submit(msg.get())) throwCallException(TARSSENDREQUESTERR, funcName, "communicator terminated");
    msg->wait();
    rsp = std::move(msg->response);
    if (rsp.iRet != TARSSERVERSUCCESS) throwCallException(rsp.iRet, funcName, rsp.sResultDesc);
}

void ServantProxy::rpc_call_async(uint32_t requestId, const std::string& funcName, const char* buff, uint32_t len,
                                  const ServantProxyCallbackPtr& callback) {
    int32_t id = requestId != 0 ? static_cast<int32_t>(requestId) : _communicator->nextRequestId();
    bool oneway = !callback;
    std::unique_ptr<ReqMessage> msg(
        newMessage(oneway ? ReqMessage::ONE_WAY : ReqMessage::ASYNC_CALL, oneway ? TARSONEWAY : TARSNORMAL, id,
                   funcName, std::vector<char>(buff, buff + len), TARS_CONTEXT(), tars_async_timeout()));
    msg->callback = callback;
    if (!submit(msg.get())) throwCallException(TARSSENDREQUESTERR, funcName, "communicator terminated");
    msg.release();
}

}  // namespace tars
