// ServantProxy: the client's handle to one remote object ("App.Server.Obj"), the base of
// every generated XxxProxy. Get one from Communicator::stringToProxy; the generated
// methods (sync, async_, promise_async_, co_) call tars_invoke / tars_invoke_async.
//
// Thread-safety: a proxy is shared by any number of threads; every method may be called
// concurrently. tars_hash / tars_consistent_hash apply to the next call made by the
// calling thread only. The settings read by the network threads (tars_set_protocol,
// tars_set_push_callback, tars_set_check_timeout, tars_set_load_balance) take effect for
// calls made after them and should be set before the first call.
// Lifetime: the Communicator keeps every proxy it made until it is destroyed; a proxy must
// not be called after its Communicator is gone (calls made after terminate() throw
// TarsSendRequestException).
// Errors: a sync call that does not get iRet 0 throws a TarsCallException subclass (see
// CallException.h) carrying the code; an async call reports the code to
// callback_<method>_exception; calls never hang past their timeout.
//
// ServantProxyCallback: the base of generated XxxPrxCallback classes and of push
// callbacks. onDispatch runs on a callback thread (AsyncProcThread), once per call.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "BaseF.h"
#include "RequestF.h"
#include "servant/CallException.h"
#include "servant/ProxyProtocol.h"
#include "servant/ReqMessage.h"

// The default of the context parameter of generated methods: TARS_CONTEXT() is an empty map.
#define TARS_CONTEXT std::map<std::string, std::string>

namespace tars {

class Communicator;
class ObjectProxy;
class AsyncProcThread;

class ServantProxyCallback {
public:
    virtual ~ServantProxyCallback() = default;

    // One call ended (or a push arrived): decode msg->response and act. Generated
    // callbacks call callback_<method> or callback_<method>_exception. Exceptions thrown
    // here are caught and logged by the callback thread.
    virtual int onDispatch(ReqMessagePtr msg) = 0;

    // Inside onDispatch (and the callback_ methods it calls): the context the server sent
    // back with the response being dispatched; empty elsewhere.
    static const std::map<std::string, std::string>& getResponseContext();

    // TARS's option: true runs this callback on the network thread that ended the call,
    // with no hand-over to a callback thread (one thread wake less per call). The callback
    // then must not block: every other call of that network thread waits while it runs.
    // Set it before the call is made.
    void setNetThreadProcess(bool on) { _netThreadProcess.store(on, std::memory_order_relaxed); }
    bool getNetThreadProcess() const { return _netThreadProcess.load(std::memory_order_relaxed); }

private:
    friend class AsyncProcThread;
    static void setCurrentMessage(ReqMessage* msg);
    std::atomic<bool> _netThreadProcess{false};
};

// When an endpoint is isolated and how it comes back (AdapterProxy.h has the rules).
struct CheckTimeoutInfo {
    int minTimeoutInvoke = 2;          // timeouts needed in one check interval ...
    int checkTimeoutInterval = 60000;  // ... of this many ms ...
    float radio = 0.5f;                // ... that are at least this share of its calls
    int frequenceFailInvoke = 5;       // or this many failures in a row
    int tryTimeInterval = 30000;       // ms isolated before a probe (x2 per failed probe, up to x8)
    int minReconnectMs = 100;          // first reconnect back-off (doubling) ...
    int maxReconnectMs = 5000;         // ... up to this
};

class ServantProxy : public std::enable_shared_from_this<ServantProxy> {
public:
    enum SERVANT_PROTOCOL { PROTOCOL_TARS = 0, PROTOCOL_TUP = 1, PROTOCOL_JSON = 2 };

    ServantProxy();
    virtual ~ServantProxy();
    ServantProxy(const ServantProxy&) = delete;
    ServantProxy& operator=(const ServantProxy&) = delete;

    // The object name ("App.Server.Obj", without endpoints).
    const std::string& tars_name() const { return _name; }
    // The object string it was made from.
    const std::string& tars_full_name() const { return _fullName; }
    Communicator* tars_communicator() const { return _communicator; }

    // Timeout of sync calls (sync-invoke-timeout by default), in ms.
    ServantProxy* tars_set_timeout(int ms);
    int tars_timeout() const { return _syncTimeout.load(std::memory_order_relaxed); }
    // Timeout of async, promise, coroutine and one-way calls (async-invoke-timeout).
    ServantProxy* tars_set_async_timeout(int ms);
    int tars_async_timeout() const { return _asyncTimeout.load(std::memory_order_relaxed); }

    // The next call of this thread goes to the endpoint chosen by code: code % n ("hash"),
    // or by a consistent-hash ring ("consistenthash") that moves few codes when the list
    // changes.
    ServantProxy* tars_hash(int64_t code);
    ServantProxy* tars_consistent_hash(int64_t code);

    // The encoding of the generated methods: TARS (iVersion 1, the default), TUP (3) or
    // JSON (5). The server answers in the same encoding.
    void tars_set_protocol(SERVANT_PROTOCOL protocol);
    // A non-TARS protocol for rpc_call / rpc_call_async (see ProxyProtocol.h).
    void tars_set_protocol(const ProxyProtocol& protocol);
    ProxyProtocol tars_get_protocol() const;
    void tars_set_version(short version);
    short tars_version() const { return _version.load(std::memory_order_relaxed); }

    // Unsolicited packets (iRequestId 0) from the server go to cb->onDispatch.
    void tars_set_push_callback(const ServantProxyCallbackPtr& cb);
    ServantProxyCallbackPtr tars_get_push_callback() const;

    void tars_set_check_timeout(const CheckTimeoutInfo& info);
    CheckTimeoutInfo tars_get_check_timeout() const;
    // The policy of calls without a hash code: "roundrobin" (default), "weighted", ...
    // (LoadBalancer.h). Throws std::invalid_argument for an unknown name.
    void tars_set_load_balance(const std::string& name);
    std::string tars_get_load_balance() const;

    // Whether this proxy's calls count in the call statistics (StatReport.h): true, except
    // for the reporters' own proxies, so that reporting never reports itself. Set it
    // before the first call.
    void tars_set_report_stats(bool on) { _reportStats.store(on, std::memory_order_relaxed); }
    bool tars_report_stats() const { return _reportStats.load(std::memory_order_relaxed); }

    // The set its calls are routed in (SetDivision.h): the one named in stringToProxy, else
    // the communicator's; "" when none.
    const std::string& tars_set_division() const { return _setDivision; }

    // The routing key of the next call of this thread (the IDL's `routekey` parameter;
    // generated methods set it): sent as status STATUS_GRID_KEY, which a server's
    // `tars.setdyeing` rule matches.
    ServantProxy* tars_route_key(std::string key);
    template <typename T>
    static std::string tars_route_key_text(const T& key) {
        if constexpr (std::is_convertible_v<const T&, std::string>) {
            return std::string(key);
        } else {
            static_assert(std::is_arithmetic_v<T> || std::is_enum_v<T>, "a routekey parameter is a string or a number");
            if constexpr (std::is_enum_v<T>) {
                return std::to_string(static_cast<long long>(key));
            } else if constexpr (std::is_same_v<T, bool>) {
                return key ? "1" : "0";
            } else if constexpr (std::is_floating_point_v<T>) {
                return std::to_string(key);
            } else {
                return std::to_string(static_cast<long long>(key));
            }
        }
    }

    // tars_ping: iRet 0 with an empty body from any TARS servant; throws on failure.
    void tars_ping();

    // Raw calls for non-TARS protocols: buff becomes request.sBuffer, the protocol's
    // requestFunc encodes it; the reply parsed by responseFunc is matched by requestId
    // (from tars_gen_requestid(), or the protocol's own ids; never 0).
    void rpc_call(uint32_t requestId, const std::string& funcName, const char* buff, uint32_t len, ResponsePacket& rsp);
    void rpc_call_async(uint32_t requestId, const std::string& funcName, const char* buff, uint32_t len,
                        const ServantProxyCallbackPtr& callback);
    uint32_t tars_gen_requestid();

    // ---- for generated code
    // A sync call: blocks until the response (rsp) or throws TarsCallException.
    void tars_invoke(Char packetType, const std::string& funcName, std::vector<char>&& buffer,
                     const std::map<std::string, std::string>& context, ResponsePacket& rsp);
    // An async call: callback->onDispatch runs on a callback thread when it ends. With
    // packetType TARSONEWAY (and no callback) nothing comes back.
    void tars_invoke_async(Char packetType, const std::string& funcName, std::vector<char>&& buffer,
                           const std::map<std::string, std::string>& context, ServantProxyCallbackPtr callback);

private:
    friend class Communicator;
    friend class ObjectProxy;

    // Called once by the Communicator right after construction.
    void tars_initialize(Communicator* communicator, const std::string& fullName, const std::string& name,
                         std::vector<ObjectProxy*> objectProxies, int syncTimeout, int asyncTimeout);

    ReqMessage* newMessage(ReqMessage::CallType type, Char packetType, int32_t requestId, const std::string& funcName,
                           std::vector<char>&& buffer, const std::map<std::string, std::string>& context,
                           int timeoutMs);
    // A call made while a request with a deadline is served: caps timeoutMs at the time
    // left, or marks msg deadlinePassed; keeps the context for an async call's callback.
    // Returns now (steady clock, ms).
    static int64_t applyDeadline(ReqMessage& msg, const CallContext& context, int& timeoutMs);
    // Hands msg to a network thread; false (msg untouched) once the communicator is
    // terminating.
    bool submit(ReqMessage* msg);

    Communicator* _communicator = nullptr;
    std::string _fullName;
    std::string _name;
    std::string _setDivision;  // fixed before the first call
    std::vector<ObjectProxy*> _objectProxies;
    std::atomic<int> _syncTimeout{3000};
    std::atomic<int> _asyncTimeout{5000};
    std::atomic<short> _version{1};
    std::atomic<bool> _customProtocol{false};
    std::atomic<bool> _reportStats{true};

    mutable std::mutex _mutex;  // guards the settings below (rarely read: not the call path)
    ProxyProtocol _protocol;
    ServantProxyCallbackPtr _pushCallback;
    CheckTimeoutInfo _checkTimeout;
    std::string _balancer = "roundrobin";
};

using ServantPrx = std::shared_ptr<ServantProxy>;

}  // namespace tars
