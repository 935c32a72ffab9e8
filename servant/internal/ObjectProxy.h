// ObjectProxy: one remote object (servant) as seen from one network thread. Every
// ServantProxy has one ObjectProxy per CommunicatorEpoll; a caller thread picks the
// network thread (first level balance) and the ObjectProxy there picks the endpoint
// (EndpointManager, second level).
//
// It holds the calls that wait for the first locator answer, applies the proxy's
// settings (protocol, health rules, balancer; read once, at its first call, so set them
// before calling), and routes server pushes (iRequestId 0) to the proxy's push callback.
// Ownership: its CommunicatorEpoll owns it (created from any thread, used only by the
// network thread afterwards); it outlives every call it carries.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "internal/Auth.h"
#include "internal/EndpointManager.h"
#include "servant/ProxyProtocol.h"
#include "servant/ReqMessage.h"
#include "servant/ServantProxy.h"
#include "util/tc_endpoint.h"

namespace tars {

class CommunicatorEpoll;

class ObjectProxy {
public:
    // locator: the locator's ObjectProxy of the same network thread, for a bare name.
    ObjectProxy(CommunicatorEpoll* epoll, ServantProxy* servantProxy, const std::string& name,
                const std::vector<TC_Endpoint>& endpoints, ObjectProxy* locator);
    ~ObjectProxy();
    ObjectProxy(const ObjectProxy&) = delete;
    ObjectProxy& operator=(const ObjectProxy&) = delete;

    const std::string& name() const { return _name; }
    // The callee in call statistics: App.Server, the object name's first two parts.
    const std::string& statName() const { return _statName; }
    CommunicatorEpoll* epoll() const { return _epoll; }
    ServantProxy* servantProxy() const { return _servantProxy; }

    // Network thread: routes msg to an endpoint (or keeps it until endpoints are known).
    void invoke(ReqMessage* msg);
    // Network thread: routes again a call that was never written (its connection could
    // not be made); it ends with -8 when no other endpoint can take it.
    void redispatch(ReqMessage* msg, int code, const std::string& why);
    // Network thread: the endpoint list is (newly) known.
    void onEndpointsReady();
    // Network thread: a packet with iRequestId 0 arrived.
    void onPush(ResponsePacket& rsp);
    // Network thread, at shutdown: ends every call it holds with code.
    void terminate(int code);

    const ProxyProtocol& protocol() const { return _protocol; }
    const CheckTimeoutInfo& checkTimeout() const { return _checkTimeout; }
    int connectTimeoutMs() const { return _connectTimeoutMs; }
    // keep-alive-interval (ms) for this object's connections; 0 (also for non-TARS
    // protocols, whose servers would not understand tars_ping): no keep-alive.
    int keepAliveMs() const { return _keepAliveMs; }
    // The object's accesskey/secretkey (empty: none), for endpoints with `-e 1`.
    const AuthKeys& authKeys() const { return _authKeys; }
    EndpointManager& endpointManager() { return *_endpoints; }
    // Network thread: the TLS context of this object's ssl connections, or null with why.
    std::shared_ptr<TC_SslContext> tlsContext(std::string& why);

private:
    // Ends every call waiting for the locator: -8 when it could not be reached, else -10.
    void failWaiting();
    void initialize();

    CommunicatorEpoll* _epoll;
    ServantProxy* _servantProxy;
    std::string _name;
    std::string _statName;
    std::vector<TC_Endpoint> _fixedEndpoints;
    ObjectProxy* _locator;
    bool _initialized = false;
    bool _terminated = false;
    ProxyProtocol _protocol;
    CheckTimeoutInfo _checkTimeout;
    int _connectTimeoutMs = 1500;
    int _keepAliveMs = 0;
    AuthKeys _authKeys;
    std::unique_ptr<EndpointManager> _endpoints;
    ReqMessageList _waiting;  // calls waiting for the first locator answer
    std::shared_ptr<TC_SslContext> _tlsContext;
};

}  // namespace tars
