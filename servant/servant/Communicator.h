// Communicator: the client side of a process. It owns the network threads
// (CommunicatorEpoll, `netthread` of them), the callback threads (AsyncProcThread,
// `asyncthread`) and every proxy it made, and turns object strings into proxies:
//
//   tars::Communicator comm;                       // or Communicator(conf) for
//   auto prx = comm.stringToProxy<HelloPrx>(       //   /tars/application/client
//       "TestApp.HelloServer.HelloObj@tcp -h 127.0.0.1 -p 20001");
//   HelloPrx prx2; comm.stringToProxy("TestApp.HelloServer.HelloObj", prx2);  // via locator
//
// TLS: an `ssl` endpoint (in the object string or a registry answer) connects with TLS
// using the keys ca, cert, key, ciphers and verifyhost, each read from the object's own
// section /tars/application/client/<App.Server.Obj> (or setObjectProperty) first, then
// from /tars/application/client. The server's certificate is checked against ca (the
// system's trust store without it) and its name against the endpoint's host; a failed
// check ends the call as a connect error naming the reason.
//
// Configuration: /tars/application/client of a TC_Config, or setProperty(key, value),
// before the first stringToProxy (threads start then; later changes apply only to the
// timeouts of proxies made afterwards). keys() lists every key with its default.
// Per object, the sub-sections /tars/application/client/<App.Server.Obj> (or
// setObjectProperty) carry `accesskey` and `secretkey` (the keys the object's connections
// authenticate with when its endpoints say `-e 1`, TARS authentication) and the TLS keys.
// One Communicator per process is usual (a server's Application owns one); several work.
// Thread-safety: every method may be called from any thread.
// Lifetime: the destructor (or terminate()) stops the threads after ending every
// outstanding call with an error (callbacks run), then releases the proxies; proxies kept
// by the user must not be called afterwards.
// Errors: a malformed object string or config value throws Communicator_Exception; a bare
// object name without a configured locator too, and an object with only one of accesskey
// and secretkey.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <typeinfo>
#include <vector>

#include "servant/ServantProxy.h"
#include "servant/StatReport.h"
#include "util/tc_config.h"
#include "util/tc_ex.h"

namespace tars {

class AsyncProcThread;
class CommunicatorEpoll;
class EndpointCache;
class Tracing;
class TC_SslContext;
class ObjectProxy;
class StatCollector;

struct Communicator_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

// stringToProxy<HelloPrx> and stringToProxy<HelloProxy> both give a std::shared_ptr<HelloProxy>.
template <typename T>
struct ProxyTypeOf {
    using type = T;
};
template <typename T>
struct ProxyTypeOf<std::shared_ptr<T>> {
    using type = T;
};

class Communicator {
public:
    static constexpr const char* CONFIG_ROOT_PATH = "/tars/application/client";

    struct KeyInfo {
        const char* key;
        const char* defaultValue;
        const char* description;
    };
    // Every client key this Communicator reads, with its default and meaning.
    static const std::vector<KeyInfo>& keys();

    Communicator();
    explicit Communicator(const TC_Config& conf, const std::string& domain = CONFIG_ROOT_PATH);
    virtual ~Communicator();
    Communicator(const Communicator&) = delete;
    Communicator& operator=(const Communicator&) = delete;

    // Reads every key of domain (unknown keys are kept and ignored).
    void setProperty(const TC_Config& conf, const std::string& domain = CONFIG_ROOT_PATH);
    void setProperty(const std::string& name, const std::string& value);
    std::string getProperty(const std::string& name, const std::string& dft = "") const;
    // One object's own setting (a key of /tars/application/client/<objectName>), which
    // wins over the communicator's for that object: accesskey, secretkey, the TLS keys.
    // Read by the object's network threads once, at its first call or connect.
    void setObjectProperty(const std::string& objectName, const std::string& name, const std::string& value);
    // The object's own value of name, else the communicator's, else dft.
    std::string getObjectProperty(const std::string& objectName, const std::string& name,
                                  const std::string& dft = "") const;

    template <typename T>
    std::shared_ptr<typename ProxyTypeOf<T>::type> stringToProxy(const std::string& objectName,
                                                                 const std::string& setName = "") {
        using P = typename ProxyTypeOf<T>::type;
        static_assert(std::is_base_of_v<ServantProxy, P>, "stringToProxy<T>: T must be an XxxProxy or XxxPrx");
        auto base = getServantProxy(objectName, setName, typeid(P),
                                    [] { return std::static_pointer_cast<ServantProxy>(std::make_shared<P>()); });
        return std::static_pointer_cast<P>(base);
    }
    // The TARS form: comm.stringToProxy(objectName, prx).
    template <typename T>
    void stringToProxy(const std::string& objectName, T& proxy, const std::string& setName = "") {
        proxy = stringToProxy<T>(objectName, setName);
    }

    // The set this client is in (name.area.group), "" when it is in none: set when the
    // threads start, from enableset and setdivision (a malformed setdivision turns set
    // routing off with a warning naming the key).
    std::string setDivision() const {
        std::lock_guard lock(_mutex);
        return _setDivision;
    }

    // The reporter of this communicator's call statistics (StatReport.h). Starts the
    // communicator's threads (the keys are read then), like a first stringToProxy.
    StatReport* getStatReport();
    // For the ops endpoint's metrics: totals of the calls made (and served, by the
    // Application's adapters) since now, and properties rolled over every report-interval,
    // with or without `stat` and `property`. Before the first stringToProxy or
    // getStatReport (network threads started earlier do not count).
    void keepCallTotals();
    // The reporter, without starting the communicator's threads as getStatReport() does.
    StatReport* reporter() const { return _statReport.get(); }

    // Ends every outstanding call with an error, stops the threads. Idempotent; calls
    // made afterwards throw TarsSendRequestException.
    void terminate();
    bool isTerminating() const { return _terminating.load(std::memory_order_acquire); }

    // Tracing (docs/observability.md): spans exported and dropped so far; all 0 when no
    // tracing-endpoint is set. tracingSampleRatio() is -1 when tracing is off.
    struct TraceCounters {
        uint64_t exported = 0;
        uint64_t dropped = 0;
        uint64_t failedPosts = 0;
    };
    TraceCounters traceCounters() const;
    double tracingSampleRatio() const;
    // The runtime's tracing (internal/Tracing.h), made when the threads start; nullptr: off.
    const Tracing* tracing() const { return _tracing.get(); }

private:
    // The runtime's view (its own classes, never user code).
    friend class AdapterProxy;
    friend class CommunicatorEpoll;
    friend class EndpointManager;
    friend class ObjectProxy;
    friend class ServantProxy;
    size_t netThreadNum() const { return _epolls.size(); }
    CommunicatorEpoll* epoll(size_t index) const { return _epolls[index].get(); }
    AsyncProcThread* asyncThread(size_t index) const { return _asyncThreads[index % _asyncThreads.size()].get(); }
    size_t asyncThreadNum() const { return _asyncThreads.size(); }
    int32_t nextRequestId();
    int refreshEndpointInterval() const { return _refreshInterval.load(std::memory_order_relaxed); }
    int connectTimeout() const { return _connectTimeout.load(std::memory_order_relaxed); }
    int syncInvokeTimeout() const { return _syncTimeout.load(std::memory_order_relaxed); }
    int asyncInvokeTimeout() const { return _asyncTimeout.load(std::memory_order_relaxed); }
    int keepAliveInterval() const { return _keepAliveInterval.load(std::memory_order_relaxed); }
    // The endpoint cache (`endpoint-cache`), or nullptr; fixed once the threads start.
    EndpointCache* endpointCache() const { return _endpointCache.get(); }
    // Its section for this communicator's locator: the locator string, plus
    // "_<setdivision>" when set routing is on (TarsCpp's key).
    const std::string& endpointCacheDomain() const { return _endpointCacheDomain; }
    StatCollector* callStats() const { return _statReport->clientCalls(); }

    // The client TLS context of objectName's ssl connections (one per distinct setting,
    // made once). Throws Communicator_Exception naming the file or key and the reason.
    std::shared_ptr<TC_SslContext> clientTlsContext(const std::string& objectName);
    std::shared_ptr<TC_SslContext> clientTlsContextLocked(const std::string& objectName);
    std::string objectPropertyLocked(const std::string& objectName, const std::string& name) const;
    using ProxyMaker = std::function<std::shared_ptr<ServantProxy>()>;
    std::shared_ptr<ServantProxy> getServantProxy(const std::string& objectName, const std::string& setName,
                                                  const std::type_info& type, const ProxyMaker& make);
    void startLocked();
    void applyPropertiesLocked();
    std::vector<ObjectProxy*> makeObjectProxies(ServantProxy* proxy, const std::string& objectName, bool forLocator);

    mutable std::mutex _mutex;
    std::map<std::string, std::string> _properties;
    std::map<std::string, std::map<std::string, std::string>> _objectProperties;  // per object name
    std::map<std::string, std::shared_ptr<TC_SslContext>> _tlsContexts;           // by their settings
    bool _started = false;
    std::atomic<bool> _terminating{false};
    std::atomic<uint32_t> _requestId{0};

    int _netThreads = 1;
    int _asyncThreadCount = 3;
    // Read by network threads at any time, so atomics.
    std::atomic<int> _syncTimeout{3000};
    std::atomic<int> _asyncTimeout{5000};
    std::atomic<int> _connectTimeout{1500};
    std::atomic<int> _refreshInterval{60000};
    std::atomic<int> _keepAliveInterval{0};  // ms; 0: no tars_ping on idle connections
    std::string _setDivision;                // fixed when the threads start
    StatReport::Settings _reportSettings;    // handed to the reporter when the threads start

    std::unique_ptr<Tracing> _tracing;              // set once, in startLocked, before any call
    std::unique_ptr<EndpointCache> _endpointCache;  // set once, in startLocked, before any call
    std::string _endpointCacheDomain;
    std::unique_ptr<StatReport> _statReport;  // started before the network threads, stopped before them
    std::vector<std::unique_ptr<CommunicatorEpoll>> _epolls;
    std::vector<std::unique_ptr<AsyncProcThread>> _asyncThreads;
    std::map<std::string, std::shared_ptr<ServantProxy>> _proxies;
    std::shared_ptr<ServantProxy> _locatorProxy;
};

using CommunicatorPtr = std::shared_ptr<Communicator>;

}  // namespace tars
