// EndpointManager: the endpoints of one object in one network thread, and the choice of
// one of them for each call.
//
// Endpoints come from the object string ("Obj@tcp -h .. -p ..:tcp ...", fixed) or from
// the locator (a bare "Obj": QueryF.findObjectById4Any on the Communicator's `locator`, or
// findObjectByIdInSameSet when the proxy is in a set (SetDivision.h),
// asked on first use and again, lazily on a call, every refresh-endpoint-interval; an
// empty answer keeps the old list and asks again after 10 s, a failed one after 2 s).
// Each endpoint has an AdapterProxy. select() asks a balancer (LoadBalancer.h): the
// call's hash kind picks "hash" or "consistenthash", other calls use the proxy's policy
// ("roundrobin" by default; "weighted" when every endpoint has weightType 1). Only usable
// endpoints (not isolated, not backing off) are offered; when none is, the one that
// becomes usable first is taken, so calls still probe rather than all failing at once.
// With an endpoint cache (internal/EndpointCache.h) a bare name starts from the cached
// endpoints (ready at once) while the locator is asked as usual; each answer with active
// endpoints is written back to the cache.
// Ownership: its ObjectProxy owns it; network thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "EndpointF.h"
#include "internal/AdapterProxy.h"
#include "internal/LoadBalancer.h"
#include "servant/ReqMessage.h"
#include "util/tc_endpoint.h"

namespace tars {

class ObjectProxy;

class EndpointManager {
public:
    EndpointManager(ObjectProxy* objectProxy, const std::string& balancer);
    ~EndpointManager();
    EndpointManager(const EndpointManager&) = delete;
    EndpointManager& operator=(const EndpointManager&) = delete;

    // Fixed endpoints (from the object string).
    void setEndpoints(const std::vector<TC_Endpoint>& active);
    // Endpoints resolved by the locator through locatorProxy (an ObjectProxy of the same
    // network thread for tars.tarsregistry.QueryObj).
    void setLocator(ObjectProxy* locatorProxy, int refreshIntervalMs, int queryTimeoutMs);

    // True once endpoints are known (fixed, or a first locator answer came).
    bool ready() const { return _ready; }
    bool hasLocator() const { return _locator != nullptr; }
    bool querying() const { return _querying; }
    // Why the latest locator query failed, "" once one was answered: the code the waiting
    // calls end with (-8 when the registry could not be reached or did not answer in
    // time, else -10) and a text naming the registry's endpoints and the cause.
    int locatorFailureCode() const { return _locatorFailureCode; }
    const std::string& locatorFailure() const { return _locatorFailure; }
    // Asks the locator if it is time (or if nothing is known yet and no query is under way).
    void refreshIfDue(int64_t nowMs);

    // The endpoint for msg, or nullptr when there is none.
    AdapterProxy* select(const ReqMessage* msg, int64_t nowMs);

    // Replaces the list: adapters of endpoints still present stay (with their
    // connections and health); the others take no new calls and close once their
    // outstanding calls have ended.
    void updateEndpoints(const std::vector<TC_Endpoint>& active);

    const std::vector<std::unique_ptr<AdapterProxy>>& adapters() const { return _adapters; }
    // Closes every connection, failing every call held with code.
    void closeAll(int code, const std::string& why);

    static TC_Endpoint toEndpoint(const EndpointF& ep);

private:
    void queryLocator(int64_t nowMs);
    // The endpoint cache (Communicator `endpoint-cache`): read at the first call, written
    // with every registry answer that has active endpoints.
    void loadFromCache();
    void saveToCache(const std::vector<EndpointF>& active, const std::vector<EndpointF>& inactive);
    void onLocatorResponse(ReqMessage* msg);
    void rebuildBalancers();
    // Recomputes _usable, and how long it holds, from the adapters.
    void refreshUsable(int64_t nowMs);
    void dropIdleRetired();

    ObjectProxy* _objectProxy;
    std::string _balancerName;
    std::vector<std::unique_ptr<AdapterProxy>> _adapters;
    std::vector<std::unique_ptr<AdapterProxy>> _retired;  // dropped, draining
    bool _retireTimerPending = false;
    std::unique_ptr<LoadBalancer> _default;
    std::unique_ptr<LoadBalancer> _hash;
    std::unique_ptr<LoadBalancer> _consistent;
    // Which adapters the balancers may choose: kept until _usableUntil or until the
    // network thread's endpoint state version moves past _usableVersion.
    std::vector<uint8_t> _usable;
    bool _anyUsable = false;
    int64_t _usableUntil = INT64_MIN;
    uint64_t _usableVersion = 0;
    bool _ready = false;
    bool _fromCache = false;  // the endpoints came from the endpoint cache, not yet from the registry

    ObjectProxy* _locator = nullptr;
    int _refreshIntervalMs = 60000;
    int _queryTimeoutMs = 5000;
    int64_t _nextRefreshAt = 0;
    bool _querying = false;
    std::string _querySet;  // the set of the query under way ("" = none)
    int _queryFailures = 0;
    int _emptyAnswers = 0;  // answers in a row without an active endpoint
    int _locatorFailureCode = 0;
    std::string _locatorFailure;
};

}  // namespace tars
