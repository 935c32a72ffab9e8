#include "servant/Communicator.h"

#include "servant/SetDivision.h"

#include <algorithm>
#include <stdexcept>

#include "internal/AsyncProcThread.h"
#include "internal/CommunicatorEpoll.h"
#include "internal/EndpointCache.h"
#include "internal/ObjectProxy.h"
#include "internal/Tracing.h"
#include "util/tc_common.h"
#include "util/tc_endpoint.h"
#include "util/tc_logger.h"
#include "util/tc_openssl.h"

namespace tars {

namespace {

struct Range {
    int min;
    int max;
};

// keep-alive-interval floor (0 stays "off"): a ping every few ms would only add load.
constexpr int kMinKeepAliveMs = 100;

// Bounds of the numeric keys: values outside are clamped (with a warning).
Range rangeOf(const std::string& key) {
    if (key == "netthread") return {1, 64};
    if (key == "asyncthread") return {1, 1024};
    if (key == "refresh-endpoint-interval") return {5000, 24 * 3600 * 1000};
    if (key == "keep-alive-interval") return {0, 24 * 3600 * 1000};  // 1..99 raised to kMinKeepAliveMs
    // TarsCpp floors report-interval at 10000; 1000 lets a quickstart show figures quickly.
    if (key == "report-interval") return {1000, 24 * 3600 * 1000};
    if (key == "report-timeout") return {100, 60000};
    if (key == "max-report-size") return {500, 1400};
    return {1, 24 * 3600 * 1000};
}

}  // namespace

const std::vector<Communicator::KeyInfo>& Communicator::keys() {
    // Each key is declared once, here: its default and what it does. docs/client.md
    // lists the same table.
    static const std::vector<KeyInfo> kKeys = {
        {"locator", "",
         "QueryF object of the registry (tars.tarsregistry.QueryObj@tcp -h .. -p 17890); "
         "resolves object names given without endpoints"},
        {"sync-invoke-timeout", "3000", "timeout of sync calls, ms (sent as iTimeout)"},
        {"async-invoke-timeout", "5000", "timeout of async, promise, coroutine and one-way calls, ms"},
        {"connect-timeout", "1500", "how long a TCP connect may take, ms"},
        {"netthread", "1", "network threads (CommunicatorEpoll), 1..64"},
        {"asyncthread", "3", "callback threads (AsyncProcThread), 1..1024"},
        {"refresh-endpoint-interval", "60000", "how often the locator is asked again, ms (at least 5000)"},
        {"endpoint-cache", "",
         "file the endpoints resolved through the locator are kept in (TarsCpp's .tarsdat format) and read from "
         "at the first call of each object, so calls work while the registry cannot be reached; empty: none (a "
         "server: <datapath>/<ServerName>.tarsdat)"},
        {"keep-alive-interval", "0",
         "ms; > 0 (at least 100): a TCP/SSL/unix connection idle that long sends tars_ping; no reply on it "
         "within max(interval, sync-invoke-timeout) isolates the endpoint and closes the connection unless "
         "calls are in flight (0: off; UDP endpoints never ping)"},
        {"modulename", "",
         "this program's name in call statistics (masterName <modulename>@<version>); empty: the executable's "
         "name (a server: App.Server)"},
        {"stat", "",
         "stat object (tars.tarsstat.StatObj) that call statistics go to (StatF.reportMicMsg); empty: none are "
         "counted or sent"},
        {"property", "",
         "property object (tars.tarsproperty.PropertyObj) properties go to (PropertyF.reportPropMsg); empty: "
         "properties are not sent"},
        {"enableset", "n",
         "y: this client is in the set of setdivision: objects resolve to endpoints of its set "
         "(findObjectByIdInSameSet) and calls carry the set (message type 0x80, STATUS_SETNAME_VALUE)"},
        {"setdivision", "", "the set with enableset=y: name.area.group, name and area not '*'"},
        {"tracing-endpoint", "",
         "OTLP/HTTP JSON traces URL (http://host:port/v1/traces) spans are exported to; empty: "
         "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else spans are not exported"},
        {"tracing-sample-ratio", "",
         "share of calls that start a new trace, 0..1; empty: OTEL_TRACES_SAMPLER_ARG, else 1 with an endpoint, "
         "0 without"},
        {"report-interval", "60000", "how often statistics and properties are sent, ms (1000..86400000)"},
        {"report-timeout", "5000", "timeout of each report call, ms (100..60000)"},
        {"max-report-size", "1400",
         "largest encoded size of one reportMicMsg map, bytes (500..1400): bigger reports are split"},
        {"ca", "",
         "ssl endpoints: PEM file of the CAs that sign server certificates (empty: the system's trust store)"},
        {"cert", "", "ssl endpoints: PEM client certificate, for servers that verify clients (verifyclient=1)"},
        {"key", "", "ssl endpoints: PEM private key of cert"},
        {"ciphers", "", "ssl endpoints: OpenSSL cipher list and TLS_* suites, ':'-separated (empty: OpenSSL's)"},
        {"verifyhost", "1",
         "ssl endpoints: 1 checks the server certificate's name (DNS or IP SAN) against the endpoint's host; 0 "
         "does not (certificates with a CN only and IP endpoints need it)"},
    };
    return kKeys;
}

namespace {

// An object's keys come in pairs: half a pair is a configuration mistake, refused early.
void checkAuthKeys(const std::string& objectName, const std::map<std::string, std::string>& keys) {
    auto has = [&](const char* key) {
        auto it = keys.find(key);
        return it != keys.end() && !it->second.empty();
    };
    if (has("accesskey") != has("secretkey")) {
        throw Communicator_Exception("client config " + std::string(Communicator::CONFIG_ROOT_PATH) + "/" + objectName +
                                     ": " + (has("accesskey") ? "accesskey" : "secretkey") + " is set without " +
                                     (has("accesskey") ? "secretkey" : "accesskey") +
                                     " (TARS authentication needs both)");
    }
}

}  // namespace

Communicator::Communicator() : _statReport(std::make_unique<StatReport>(*this)) {
    for (const KeyInfo& k : keys()) _properties[k.key] = k.defaultValue;
}

Communicator::Communicator(const TC_Config& conf, const std::string& domain) : Communicator() {
    setProperty(conf, domain);
}

Communicator::~Communicator() {
    terminate();
    _epolls.clear();  // the ObjectProxies go with them; they only point at the proxies
    _asyncThreads.clear();
    std::lock_guard lock(_mutex);
    _proxies.clear();
    _locatorProxy.reset();
}

void Communicator::setProperty(const TC_Config& conf, const std::string& domain) {
    std::map<std::string, std::string> values = conf.getDomainMap(domain);
    std::map<std::string, std::map<std::string, std::string>> objects;
    for (const std::string& object : conf.getDomainVector(domain)) {
        objects[object] = conf.getDomainMap(domain + "/" + object);
        checkAuthKeys(object, objects[object]);
    }
    std::lock_guard lock(_mutex);
    for (auto& [key, value] : values) _properties[key] = value;
    for (auto& [object, keys] : objects) {
        for (auto& [key, value] : keys) _objectProperties[object][key] = value;
    }
    applyPropertiesLocked();
}

void Communicator::setObjectProperty(const std::string& objectName, const std::string& name, const std::string& value) {
    std::lock_guard lock(_mutex);
    _objectProperties[objectName][name] = value;
}

std::string Communicator::getObjectProperty(const std::string& objectName, const std::string& name,
                                            const std::string& dft) const {
    std::lock_guard lock(_mutex);
    std::string value = objectPropertyLocked(objectName, name);
    return value.empty() ? dft : value;
}

std::string Communicator::objectPropertyLocked(const std::string& objectName, const std::string& name) const {
    if (auto object = _objectProperties.find(objectName); object != _objectProperties.end()) {
        if (auto it = object->second.find(name); it != object->second.end() && !it->second.empty()) {
            return TC_Common::trim(it->second);
        }
    }
    auto it = _properties.find(name);
    return it == _properties.end() ? "" : TC_Common::trim(it->second);
}

std::shared_ptr<TC_SslContext> Communicator::clientTlsContext(const std::string& objectName) {
    std::lock_guard lock(_mutex);
    return clientTlsContextLocked(objectName);
}

std::shared_ptr<TC_SslContext> Communicator::clientTlsContextLocked(const std::string& objectName) {
    TC_SslOptions options;
    options.ca = objectPropertyLocked(objectName, "ca");
    options.cert = objectPropertyLocked(objectName, "cert");
    options.key = objectPropertyLocked(objectName, "key");
    options.ciphers = objectPropertyLocked(objectName, "ciphers");
    std::string verifyHost = objectPropertyLocked(objectName, "verifyhost");
    auto check = TC_Common::tryStrto<bool>(verifyHost.empty() ? "1" : verifyHost);
    if (!check) {
        throw Communicator_Exception("client TLS for " + objectName + ": verifyhost='" + verifyHost +
                                     "' is not 0/1/true/false");
    }
    options.verifyHost = *check;
    std::string id = options.ca + '\n' + options.cert + '\n' + options.key + '\n' + options.ciphers + '\n' +
                     (options.verifyHost ? "1" : "0");
    auto& context = _tlsContexts[id];
    if (!context) {
        try {
            context = TC_SslContext::create(TC_SslContext::Role::Client, options);
        } catch (const TC_SslException& e) {
            _tlsContexts.erase(id);
            throw Communicator_Exception("client TLS for " + objectName + ": " + e.what());
        }
    }
    return context;
}

void Communicator::setProperty(const std::string& name, const std::string& value) {
    std::lock_guard lock(_mutex);
    _properties[name] = value;
    applyPropertiesLocked();
}

std::string Communicator::getProperty(const std::string& name, const std::string& dft) const {
    std::lock_guard lock(_mutex);
    auto it = _properties.find(name);
    return it == _properties.end() || it->second.empty() ? dft : it->second;
}

void Communicator::applyPropertiesLocked() {
    auto number = [this](const std::string& key) {
        const std::string& text = _properties[key];
        std::string fallback;
        for (const KeyInfo& k : keys()) {
            if (key == k.key) fallback = k.defaultValue;
        }
        auto value = TC_Common::tryStrto<int>(text.empty() ? fallback : text);
        if (!value) {
            throw Communicator_Exception("client config " + std::string(CONFIG_ROOT_PATH) + "<" + key + ">: '" + text +
                                         "' is not a number");
        }
        Range r = rangeOf(key);
        int clamped = std::clamp(*value, r.min, r.max);
        if (clamped != *value) {
            TLOGWARN("[client] " << key << "=" << *value << " is out of range, using " << clamped << std::endl);
        }
        return clamped;
    };
    int netThreads = number("netthread");
    int asyncThreads = number("asyncthread");
    _syncTimeout = number("sync-invoke-timeout");
    _asyncTimeout = number("async-invoke-timeout");
    _connectTimeout = number("connect-timeout");
    _refreshInterval = number("refresh-endpoint-interval");
    int keepAlive = number("keep-alive-interval");
    if (keepAlive > 0 && keepAlive < kMinKeepAliveMs) {
        TLOGWARN("[client] keep-alive-interval=" << keepAlive << " is below " << kMinKeepAliveMs << " ms, using "
                                                 << kMinKeepAliveMs << std::endl);
        keepAlive = kMinKeepAliveMs;
    }
    _keepAliveInterval = keepAlive;
    _reportSettings.intervalMs = number("report-interval");
    _reportSettings.timeoutMs = number("report-timeout");
    _reportSettings.maxReportSize = number("max-report-size");
    _reportSettings.statObject = TC_Common::trim(_properties["stat"]);
    _reportSettings.propertyObject = TC_Common::trim(_properties["property"]);
    _reportSettings.moduleName = TC_Common::trim(_properties["modulename"]);
    std::string setWhy;
    _reportSettings.setDivision = SetDivision::fromConfig(_properties["enableset"], _properties["setdivision"], setWhy);
    if (!_started) {
        _netThreads = netThreads;
        _asyncThreadCount = asyncThreads;
    }
}

int32_t Communicator::nextRequestId() {
    // Non-zero (0 marks a push) and positive, unique within this Communicator until it wraps.
    for (;;) {
        uint32_t id = (_requestId.fetch_add(1, std::memory_order_relaxed) + 1) & 0x7fffffffu;
        if (id != 0) return static_cast<int32_t>(id);
    }
}

void Communicator::startLocked() {
    if (_started) return;
    _started = true;
    std::string setWhy;
    _setDivision = SetDivision::fromConfig(_properties["enableset"], _properties["setdivision"], setWhy);
    if (!setWhy.empty()) {
        TLOGWARN("[client] set routing is off: " << CONFIG_ROOT_PATH << "<setdivision> " << setWhy << std::endl);
    } else if (!_setDivision.empty()) {
        TLOGINFO("[client] set routing on: this client is in set " << _setDivision << std::endl);
    }
    Tracing::Settings tracing;
    try {
        if (Tracing::settingsFrom(_properties["tracing-endpoint"], _properties["tracing-sample-ratio"], tracing)) {
            tracing.serviceName = _reportSettings.moduleName.empty() ? "tars-client" : _reportSettings.moduleName;
            _tracing = std::make_unique<Tracing>(tracing);
        }
    } catch (const std::invalid_argument& e) {
        _started = false;
        throw Communicator_Exception(std::string("client config ") + CONFIG_ROOT_PATH + ": " + e.what());
    }
    if (std::string cacheFile = TC_Common::trim(_properties["endpoint-cache"]); !cacheFile.empty()) {
        _endpointCache = std::make_unique<EndpointCache>(cacheFile);
        _endpointCacheDomain = TC_Common::trim(_properties["locator"]);
        if (!_reportSettings.setDivision.empty()) _endpointCacheDomain += "_" + _reportSettings.setDivision;
    }
    _statReport->start(_reportSettings);
    for (int i = 0; i < _asyncThreadCount; ++i) {
        _asyncThreads.push_back(std::make_unique<AsyncProcThread>(static_cast<size_t>(i)));
        _asyncThreads.back()->start();
    }
    if (!_reportSettings.propertyObject.empty()) {
        // The framework's client property, as TARS reports it: the callbacks waiting for the
        // callback threads (all of them), sampled once per report interval.
        auto asyncQueue = _statReport->createPropertyReport("asyncqueue", PropertyReport::avg());
        _statReport->addSampler([this, asyncQueue] {
            size_t waiting = 0;
            for (auto& thread : _asyncThreads) waiting += thread->waiting();
            asyncQueue->report(static_cast<int64_t>(waiting));
        });
    }
    for (int i = 0; i < _netThreads; ++i) {
        _epolls.push_back(std::make_unique<CommunicatorEpoll>(this, static_cast<size_t>(i)));
        _epolls.back()->start();
    }
}

std::vector<ObjectProxy*> Communicator::makeObjectProxies(ServantProxy* proxy, const std::string& objectName,
                                                          bool forLocator) {
    TC_ObjectEndpoints parsed;
    try {
        parsed = TC_ObjectEndpoints::parse(objectName);
    } catch (const TC_Exception& e) {
        throw Communicator_Exception("bad object string '" + objectName + "': " + e.what());
    }
    std::vector<ObjectProxy*> locatorProxies;
    if (parsed.endpoints.empty()) {
        if (forLocator) throw Communicator_Exception("locator '" + objectName + "' has no endpoint");
        std::string locator = _properties["locator"];
        if (locator.empty()) {
            throw Communicator_Exception("object '" + objectName + "' has no endpoints and no locator is configured (" +
                                         std::string(CONFIG_ROOT_PATH) + "<locator>)");
        }
        if (!_locatorProxy) {
            auto locatorProxy = std::make_shared<ServantProxy>();
            auto ops = makeObjectProxies(locatorProxy.get(), locator, true);
            TC_ObjectEndpoints locatorParsed = TC_ObjectEndpoints::parse(locator);
            locatorProxy->tars_initialize(this, locator, locatorParsed.name, ops, _syncTimeout, _asyncTimeout);
            _locatorProxy = locatorProxy;
        }
        locatorProxies = _locatorProxy->_objectProxies;
    }
    // Explicit ssl endpoints: a TLS setting that cannot work fails here, not at each call.
    for (const TC_Endpoint& ep : parsed.endpoints) {
        if (ep.isSSL()) {
            clientTlsContextLocked(parsed.name);
            break;
        }
    }
    std::vector<ObjectProxy*> result;
    for (size_t i = 0; i < _epolls.size(); ++i) {
        ObjectProxy* locator = locatorProxies.empty() ? nullptr : locatorProxies[i];
        result.push_back(_epolls[i]->addObjectProxy(
            std::make_unique<ObjectProxy>(_epolls[i].get(), proxy, parsed.name, parsed.endpoints, locator)));
    }
    return result;
}

std::shared_ptr<ServantProxy> Communicator::getServantProxy(const std::string& objectName, const std::string& setName,
                                                            const std::type_info& type, const ProxyMaker& make) {
    std::string key = objectName + '\x01' + setName + '\x01' + type.name();
    std::lock_guard lock(_mutex);
    if (isTerminating()) throw Communicator_Exception("stringToProxy('" + objectName + "'): communicator terminated");
    auto found = _proxies.find(key);
    if (found != _proxies.end()) return found->second;
    std::string bareName = objectName.substr(0, objectName.find('@'));
    if (auto keys = _objectProperties.find(TC_Common::trim(bareName)); keys != _objectProperties.end()) {
        checkAuthKeys(keys->first, keys->second);
    }
    startLocked();
    // A set named in stringToProxy wins over the communicator's (TarsCpp's per-proxy set).
    std::string set = TC_Common::trim(setName);
    if (!set.empty()) {
        std::string why = SetDivision::invalidReason(set);
        if (!why.empty()) throw Communicator_Exception("stringToProxy('" + objectName + "'): set " + why);
    } else {
        set = _setDivision;
    }
    std::shared_ptr<ServantProxy> proxy = make();
    proxy->_setDivision = set;
    auto ops = makeObjectProxies(proxy.get(), objectName, false);
    proxy->tars_initialize(this, objectName, TC_ObjectEndpoints::parse(objectName).name, std::move(ops), _syncTimeout,
                           _asyncTimeout);
    _proxies.emplace(key, proxy);
    return proxy;
}

StatReport* Communicator::getStatReport() {
    std::lock_guard lock(_mutex);
    if (!isTerminating()) startLocked();
    return _statReport.get();
}

void Communicator::keepCallTotals() {
    std::lock_guard lock(_mutex);
    _statReport->keepTotals();
}

Communicator::TraceCounters Communicator::traceCounters() const {
    TraceCounters out;
    std::lock_guard lock(_mutex);
    if (_tracing) {
        SpanExporter::Counters c = _tracing->counters();
        out.exported = c.exported;
        out.dropped = c.dropped;
        out.failedPosts = c.failedPosts;
    }
    return out;
}

double Communicator::tracingSampleRatio() const {
    std::lock_guard lock(_mutex);
    return _tracing ? _tracing->sampleRatio() : -1.0;
}

void Communicator::terminate() {
    // From one of its own network threads it would join itself; refused before anything stops.
    if (CommunicatorEpoll* epoll = CommunicatorEpoll::current(); epoll != nullptr && epoll->communicator() == this) {
        throw std::logic_error(
            "Communicator::terminate() called on one of its own network threads "
            "(a callback with setNetThreadProcess): call it from another thread");
    }
    // The reporter first, while calls can still be made: it sends the rows of the last partial interval and waits
    // (bounded) for them. Then the network threads: they end every call, queueing the async ones' callbacks; then
    // the callback threads run those and stop.
    if (isTerminating()) return;
    _statReport->stop();
    {
        std::lock_guard lock(_mutex);
        if (_terminating.exchange(true, std::memory_order_acq_rel)) return;
    }
    for (auto& e : _epolls) e->terminate();
    for (auto& a : _asyncThreads) a->terminate();
}

}  // namespace tars
