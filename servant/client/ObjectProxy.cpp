#include "internal/ObjectProxy.h"

#include "BaseF.h"
#include "servant/Communicator.h"
#include "internal/CommunicatorEpoll.h"
#include "util/tc_logger.h"

namespace tars {

ObjectProxy::ObjectProxy(CommunicatorEpoll* epoll, ServantProxy* servantProxy, const std::string& name,
                         const std::vector<TC_Endpoint>& endpoints, ObjectProxy* locator)
    : _epoll(epoll), _servantProxy(servantProxy), _name(name), _fixedEndpoints(endpoints), _locator(locator) {
    size_t first = _name.find('.');
    size_t second = first == std::string::npos ? std::string::npos : _name.find('.', first + 1);
    _statName = second == std::string::npos ? _name : _name.substr(0, second);
}

ObjectProxy::~ObjectProxy() {
    // Adapters close first (their calls end), then the calls still waiting for endpoints.
    _endpoints.reset();
    while (ReqMessage* msg = _waiting.front()) _epoll->fail(msg, TARSSENDREQUESTERR, "communicator terminated");
}

void ObjectProxy::initialize() {
    _initialized = true;
    // The proxy's settings, read once by this thread (set them before the first call).
    _protocol = _servantProxy->tars_get_protocol();
    _checkTimeout = _servantProxy->tars_get_check_timeout();
    _connectTimeoutMs = _epoll->communicator()->connectTimeout();
    bool customProtocol = _protocol.requestFunc || _protocol.responseFunc;
    _keepAliveMs = customProtocol ? 0 : _epoll->communicator()->keepAliveInterval();
    _authKeys.accessKey = _epoll->communicator()->getObjectProperty(_name, "accesskey");
    _authKeys.secretKey = _epoll->communicator()->getObjectProperty(_name, "secretkey");
    _endpoints = std::make_unique<EndpointManager>(this, _servantProxy->tars_get_load_balance());
    if (!_fixedEndpoints.empty()) {
        _endpoints->setEndpoints(_fixedEndpoints);
    } else if (_locator != nullptr) {
        _endpoints->setLocator(_locator, _epoll->communicator()->refreshEndpointInterval(),
                               _epoll->communicator()->syncInvokeTimeout());
    }
}

std::shared_ptr<TC_SslContext> ObjectProxy::tlsContext(std::string& why) {
    if (!_tlsContext) {
        try {
            _tlsContext = _epoll->communicator()->clientTlsContext(_name);
        } catch (const Communicator_Exception& e) {
            why = e.what();  // asked again at the next connect: the files may be fixed by then
        }
    }
    return _tlsContext;
}

void ObjectProxy::invoke(ReqMessage* msg) {
    msg->objectProxy = this;
    if (msg->deadlinePassed) {
        // Ended here, in the caller's call mode, like any timeout; never tracked or sent.
        _epoll->fail(msg, TARSINVOKETIMEOUT,
                     "not sent: the deadline of the request being served had passed when the call was made");
        return;
    }
    if (!_epoll->track(msg)) return;
    redispatch(msg, TARSSENDREQUESTERR, "");
}

void ObjectProxy::redispatch(ReqMessage* msg, int code, const std::string& why) {
    if (!_initialized) initialize();
    if (_terminated || _epoll->terminating()) {
        _epoll->fail(msg, TARSSENDREQUESTERR, "communicator terminated");
        return;
    }
    int64_t now = _epoll->nowMs();
    if (!_endpoints->ready()) {
        if (!_endpoints->hasLocator()) {
            _epoll->fail(msg, TARSADAPTERNULL, "no endpoint for " + _name);
            return;
        }
        _waiting.push_back(msg);
        _endpoints->refreshIfDue(now);
        if (!_endpoints->querying() && !_endpoints->ready()) {
            // The locator failed recently and will not be asked again yet.
            failWaiting();
        }
        return;
    }
    AdapterProxy* adapter = _endpoints->select(msg, now);
    if (adapter == nullptr) {
        _epoll->fail(msg, why.empty() ? TARSADAPTERNULL : code, why.empty() ? "no endpoint for " + _name : why);
        return;
    }
    adapter->invoke(msg);
    _endpoints->refreshIfDue(now);
}

void ObjectProxy::onEndpointsReady() {
    if (_waiting.empty()) return;
    if (_endpoints->ready() && !_endpoints->adapters().empty()) {
        ReqMessageList ready;
        while (ReqMessage* msg = _waiting.pop_front()) ready.push_back(msg);
        while (ReqMessage* msg = ready.pop_front()) redispatch(msg, TARSADAPTERNULL, "");
    } else if (!_endpoints->querying()) {
        failWaiting();
    }
}

void ObjectProxy::failWaiting() {
    // The registry unreachable (-8, naming it and the cause) is not "no such object" (-10).
    int code = _endpoints->locatorFailureCode() != 0 ? _endpoints->locatorFailureCode() : TARSADAPTERNULL;
    std::string why = _endpoints->locatorFailure().empty() ? "the registry knows no active endpoint of " + _name
                                                           : _endpoints->locatorFailure();
    while (ReqMessage* m = _waiting.front()) _epoll->fail(m, code, why);
}

void ObjectProxy::onPush(ResponsePacket& rsp) {
    ServantProxyCallbackPtr callback = _servantProxy->tars_get_push_callback();
    if (!callback) {
        TLOGDEBUG("[client] push to " << _name << " dropped: no push callback" << std::endl);
        return;
    }
    auto* msg = new ReqMessage;
    msg->eType = ReqMessage::PUSH;
    msg->callback = std::move(callback);
    msg->objectProxy = this;
    msg->request.iVersion = rsp.iVersion;
    auto func = rsp.status.find("TARS_FUNC");
    if (func != rsp.status.end()) msg->request.sFuncName = func->second;
    msg->response = std::move(rsp);
    _epoll->dispatchPush(msg);
}

void ObjectProxy::terminate(int code) {
    _terminated = true;
    while (ReqMessage* msg = _waiting.front()) _epoll->fail(msg, code, "communicator terminated");
    if (_endpoints) _endpoints->closeAll(TARSPROXYCONNECTERR, "communicator terminated");
}

}  // namespace tars
