#include "internal/EndpointManager.h"

#include <algorithm>

#include "BaseF.h"
#include "internal/CommunicatorEpoll.h"
#include "internal/EndpointCache.h"
#include "servant/Communicator.h"
#include "internal/ObjectProxy.h"
#include "servant/ProxyProtocol.h"
#include "tup/Tars.h"
#include "util/tc_logger.h"

namespace tars {

namespace {
// An object with no active endpoint yet (a service being deployed) is asked for again
// after 1 s, then 2, 4, 8 and every 10 s.
constexpr int kEmptyAnswerFirstRetryMs = 1000;
constexpr int kEmptyAnswerRetryMs = 10000;
constexpr int kFailureRetryMs = 2000;
constexpr int kRepeatedFailureRetryMs = 30000;
constexpr int kRetiredCheckMs = 1000;
}  // namespace

EndpointManager::EndpointManager(ObjectProxy* objectProxy, const std::string& balancer)
    : _objectProxy(objectProxy),
      _balancerName(balancer.empty() ? "roundrobin" : balancer),
      _default(LoadBalancer::create(_balancerName)),
      _hash(LoadBalancer::create("hash")),
      _consistent(LoadBalancer::create("consistenthash")) {}

EndpointManager::~EndpointManager() = default;

TC_Endpoint EndpointManager::toEndpoint(const EndpointF& ep) {
    TC_Endpoint out(ep.host, ep.port, ep.timeout > 0 ? ep.timeout : TC_Endpoint::kDefaultTimeoutMs,
                    ep.istcp == 0   ? TC_Endpoint::UDP
                    : ep.istcp == 2 ? TC_Endpoint::SSL
                                    : TC_Endpoint::TCP);
    out.setGrid(ep.grid);
    out.setQos(ep.qos);
    out.setWeight(ep.weight, ep.weightType);
    out.setAuthType(ep.authType);
    out.setSetId(ep.setId);
    return out;
}

void EndpointManager::setEndpoints(const std::vector<TC_Endpoint>& active) {
    updateEndpoints(active);
    _ready = true;
}

void EndpointManager::setLocator(ObjectProxy* locatorProxy, int refreshIntervalMs, int queryTimeoutMs) {
    _locator = locatorProxy;
    _refreshIntervalMs = refreshIntervalMs;
    _queryTimeoutMs = queryTimeoutMs;
    loadFromCache();
}

void EndpointManager::loadFromCache() {
    Communicator* comm = _objectProxy->epoll()->communicator();
    EndpointCache* cache = comm->endpointCache();
    if (cache == nullptr) return;
    std::string cached = cache->get(comm->endpointCacheDomain(), _objectProxy->name());
    if (cached.empty()) return;
    try {
        TC_ObjectEndpoints parsed = TC_ObjectEndpoints::parse(_objectProxy->name() + "@" + cached);
        updateEndpoints(parsed.endpoints);
    } catch (const TC_Exception& e) {
        TLOGERROR("[client] endpoint cache " << cache->path() << ": the entry of " << _objectProxy->name()
                                             << " cannot be parsed, ignored: " << e.what() << std::endl);
        return;
    }
    if (_adapters.empty()) return;
    _ready = true;
    _fromCache = true;
    // Said once per object, by whichever network thread reads the entry first.
    if (cache->firstNotice("loaded " + _objectProxy->name())) {
        TLOGINFO("[client] endpoints of " << _objectProxy->name() << " taken from the endpoint cache " << cache->path()
                                          << " until the registry answers: " << cached << std::endl);
    }
}

void EndpointManager::saveToCache(const std::vector<EndpointF>& active, const std::vector<EndpointF>& inactive) {
    Communicator* comm = _objectProxy->epoll()->communicator();
    EndpointCache* cache = comm->endpointCache();
    if (cache == nullptr) return;
    auto join = [](const std::vector<EndpointF>& list) {
        std::string text;
        for (const EndpointF& ep : list) text += (text.empty() ? "" : ":") + toEndpoint(ep).toString();
        return text;
    };
    cache->set(comm->endpointCacheDomain(), _objectProxy->name(), join(active));
    cache->set(comm->endpointCacheDomain(), "inactive_" + _objectProxy->name(), join(inactive));
}

void EndpointManager::updateEndpoints(const std::vector<TC_Endpoint>& active) {
    std::vector<std::unique_ptr<AdapterProxy>> next;
    for (const TC_Endpoint& ep : active) {
        std::string key = ep.toString();
        bool duplicate =
            std::any_of(next.begin(), next.end(), [&](const auto& a) { return a->endpointString() == key; });
        if (duplicate) continue;
        auto same = std::find_if(_adapters.begin(), _adapters.end(),
                                 [&](const auto& a) { return a && a->endpointString() == key; });
        if (same != _adapters.end()) {
            next.push_back(std::move(*same));
        } else {
            next.push_back(std::make_unique<AdapterProxy>(_objectProxy, ep));
        }
    }
    // What is left in _adapters was dropped: it drains its calls, then closes.
    for (auto& a : _adapters) {
        if (a) _retired.push_back(std::move(a));
    }
    _adapters = std::move(next);
    rebuildBalancers();
    dropIdleRetired();
}

void EndpointManager::dropIdleRetired() {
    std::erase_if(_retired, [](const std::unique_ptr<AdapterProxy>& a) { return a->idle(); });
    if (_retired.empty() || _retireTimerPending) return;
    // Checked again from the loop's timer, never from inside an adapter's own callback.
    _retireTimerPending = true;
    CommunicatorEpoll* epoll = _objectProxy->epoll();
    epoll->timers().schedule(epoll->nowMs() + kRetiredCheckMs, [this] {
        _retireTimerPending = false;
        dropIdleRetired();
    });
}

void EndpointManager::rebuildBalancers() {
    std::vector<LoadBalancer::Node> nodes;
    nodes.reserve(_adapters.size());
    bool allStatic = !_adapters.empty();
    for (const auto& a : _adapters) {
        int weight = a->endpoint().getWeight();
        nodes.push_back({a->endpointString(), weight > 0 ? weight : 1});
        if (a->endpoint().getWeightType() != 1) allStatic = false;
    }
    // TARS-FACTS 3: every endpoint of static weight -> weighted; otherwise the proxy's policy.
    std::string wanted = (allStatic && _balancerName == "roundrobin") ? "weighted" : _balancerName;
    if (wanted != _default->name()) _default = LoadBalancer::create(wanted);
    _default->setNodes(nodes);
    _hash->setNodes(nodes);
    _consistent->setNodes(nodes);
    _usable.assign(_adapters.size(), 0);
    _usableUntil = INT64_MIN;  // computed again at the next select()
}

void EndpointManager::refreshUsable(int64_t nowMs) {
    _anyUsable = false;
    _usableUntil = INT64_MAX;
    for (size_t i = 0; i < _adapters.size(); ++i) {
        const AdapterProxy& adapter = *_adapters[i];
        bool usable = adapter.usable(nowMs);
        _usable[i] = usable ? 1 : 0;
        _anyUsable = _anyUsable || usable;
        // A usable endpoint stays so until an event (which bumps the version); one that is
        // not comes back at usableAt() unless an event comes first.
        if (!usable) _usableUntil = std::min(_usableUntil, adapter.usableAt());
    }
    _usableVersion = _objectProxy->epoll()->endpointStateVersion();
}

AdapterProxy* EndpointManager::select(const ReqMessage* msg, int64_t nowMs) {
    if (_adapters.empty()) return nullptr;
    if (nowMs >= _usableUntil || _usableVersion != _objectProxy->epoll()->endpointStateVersion()) {
        refreshUsable(nowMs);
    }
    if (_anyUsable) {
        LoadBalancer* lb = msg->hashType == ReqMessage::HASH_MODULO       ? _hash.get()
                           : msg->hashType == ReqMessage::HASH_CONSISTENT ? _consistent.get()
                                                                          : _default.get();
        size_t index = lb->select(msg->hashCode, _usable);
        if (index != LoadBalancer::kNone) return _adapters[index].get();
    }
    // Nothing usable: the endpoint that comes back first takes the call (a probe), so a
    // fully isolated object is not dead for good.
    AdapterProxy* best = nullptr;
    for (const auto& a : _adapters) {
        if (!best || a->usableAt() < best->usableAt()) best = a.get();
    }
    return best;
}

void EndpointManager::refreshIfDue(int64_t nowMs) {
    if (_locator == nullptr || _querying) return;
    if (nowMs < _nextRefreshAt) return;
    queryLocator(nowMs);
}

void EndpointManager::queryLocator(int64_t nowMs) {
    CommunicatorEpoll* epoll = _objectProxy->epoll();
    auto* msg = new ReqMessage;
    msg->eType = ReqMessage::INTERNAL;
    msg->request.iVersion = TARSVERSION;
    msg->request.cPacketType = TARSNORMAL;
    msg->request.iRequestId = epoll->communicator()->nextRequestId();
    // A client in a set asks for its set's endpoints (the registry's rules, TARS-FACTS 4.2).
    const std::string& set = _objectProxy->servantProxy()->tars_set_division();
    _querySet = set;
    msg->request.sFuncName = set.empty() ? "findObjectById4Any" : "findObjectByIdInSameSet";
    msg->request.iTimeout = _queryTimeoutMs;
    // QueryF.findObjectById4Any(string id, out vector<EndpointF> activeEp, out inactiveEp):
    // the id at tag 1 (the outs at 2 and 3 are optional for servers and left out).
    // findObjectByIdInSameSet(string id, string setId, out activeEp, out inactiveEp): the
    // set at tag 2, the outs at 3 and 4.
    TarsOutputStream<BufferWriterVector> args;
    args.write(_objectProxy->name(), 1);
    if (!set.empty()) args.write(set, 2);
    msg->encoded = ProxyProtocol::encodeTarsRequest(msg->request, _locator->name(), args.getByteBuffer());
    msg->deadlineMs = nowMs + _queryTimeoutMs;
    msg->objectProxy = _locator;
    msg->done = [this](ReqMessage* m) { onLocatorResponse(m); };
    _querying = true;
    // The answer may come back at once (a failure): onLocatorResponse never asks again
    // itself, so this cannot recurse.
    _locator->invoke(msg);
}

void EndpointManager::onLocatorResponse(ReqMessage* msg) {
    _querying = false;
    int64_t now = _objectProxy->epoll()->nowMs();
    const ResponsePacket& rsp = msg->response;
    bool ok = false;
    if (rsp.iRet == TARSSERVERSUCCESS) {
        try {
            TarsInputStream<BufferReader> is;
            is.setBuffer(rsp.sBuffer);
            Int32 ret = 0;
            std::vector<EndpointF> active;
            std::vector<EndpointF> inactive;
            const int outTag = _querySet.empty() ? 2 : 3;
            is.read(ret, 0, true);
            is.read(active, outTag, false);
            is.read(inactive, outTag + 1, false);
            ok = true;
            _locatorFailureCode = 0;
            _locatorFailure.clear();
            if (ret == 0 && !active.empty()) {
                std::vector<TC_Endpoint> endpoints;
                endpoints.reserve(active.size());
                for (const EndpointF& ep : active) endpoints.push_back(toEndpoint(ep));
                updateEndpoints(endpoints);
                saveToCache(active, inactive);
                _ready = true;
                _fromCache = false;
                _queryFailures = 0;
                _emptyAnswers = 0;
                _nextRefreshAt = now + _refreshIntervalMs;
            } else {
                TLOGWARN("[client] locator has no active endpoint of "
                         << _objectProxy->name() << (_querySet.empty() ? "" : " in set " + _querySet) << " (ret " << ret
                         << ")" << std::endl);
                int shift = std::min(_emptyAnswers++, 4);
                _nextRefreshAt = now + std::min(kEmptyAnswerFirstRetryMs << shift, kEmptyAnswerRetryMs);
            }
        } catch (const TarsDecodeException& e) {
            TLOGERROR("[client] cannot decode the locator's answer for " << _objectProxy->name() << ": " << e.what()
                                                                         << std::endl);
        }
    }
    if (!ok) {
        ++_queryFailures;
        std::string endpoints;
        for (const auto& adapter : _locator->endpointManager().adapters()) {
            endpoints += (endpoints.empty() ? "" : ":") + adapter->endpointString();
        }
        bool unreachable = rsp.iRet == TARSPROXYCONNECTERR || rsp.iRet == TARSINVOKETIMEOUT;
        _locatorFailureCode = unreachable ? TARSPROXYCONNECTERR : TARSADAPTERNULL;
        _locatorFailure = "cannot resolve " + _objectProxy->name() + ": the registry " + _locator->name() +
                          (endpoints.empty() ? "" : "@" + endpoints) +
                          (unreachable ? " cannot be reached: " : " failed: ") +
                          (rsp.sResultDesc.empty() ? callErrorName(rsp.iRet) : rsp.sResultDesc) + " (" +
                          callErrorName(rsp.iRet) + ")";
        TLOGWARN("[client] locator query for " << _objectProxy->name() << " failed: " << callErrorName(rsp.iRet) << " "
                                               << rsp.sResultDesc << std::endl);
        if (_fromCache && _objectProxy->epoll()->communicator()->endpointCache()->firstNotice("unreachable " +
                                                                                              _objectProxy->name())) {
            TLOGWARN("[client] " << _objectProxy->name() << ": the registry cannot be asked, calls use the "
                                 << _adapters.size() << " endpoints of the endpoint cache "
                                 << _objectProxy->epoll()->communicator()->endpointCache()->path() << std::endl);
        }
        _nextRefreshAt = now + (_queryFailures > 3 ? kRepeatedFailureRetryMs : kFailureRetryMs);
    }
    _objectProxy->onEndpointsReady();
}

void EndpointManager::closeAll(int code, const std::string& why) {
    for (auto& a : _adapters) a->closeAndFail(code, why);
    for (auto& a : _retired) a->closeAndFail(code, why);
}

}  // namespace tars
