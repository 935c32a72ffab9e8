// StatReport: a Communicator's reporter of call statistics to the stat service (StatF)
// and of properties to the property service (PropertyF).
//
// The Communicator owns one (Communicator::getStatReport()). When its client key `stat`
// names the stat object (tars.tarsstat.StatObj, resolved like any object), every call the
// Communicator's proxies make is counted per (callee App.Server, interface, callee ip and
// port, return code) on the network thread that ends it, and every `report-interval` ms
// the rows go to StatF.reportMicMsg(rows, bFromClient=true), split into batches of at
// most `max-report-size` encoded bytes. A server's Application also counts the calls its
// adapters answer (servedCalls()) and reports them with bFromClient=false.
// Heads as sent (the stat service and queries rely on them):
//   client rows  masterName `<modulename>[.<set name><area><group>]@<tars version>`, masterIp
//                empty, slaveName `App.Server` (the object name's first two parts),
//                slaveIp/slavePort the endpoint called (empty/0 when the call never reached
//                one), interfaceName the function, returnValue the call's code;
//   served rows  masterName and masterIp the caller's ip, slaveName the server's
//                App.Server, slaveIp/slavePort the adapter's endpoint.
// Bodies: count (answered with 0, and one-way calls, which have no time), timeoutCount
// (-7, or -6 on the server), execCount (every other code), intervalCount over the points
// 5, 10, 50, 100, 200, 500, 1000, 2000, 3000 ms (a call counts in the first point >= its
// time, slower ones in 3000), total/min/max response time in ms of the answered calls.
// Calls of the reporters' own proxies (tars_set_report_stats(false)) are never counted.
//
// Never in the way: the call path only updates its thread's own counters; reports are
// async calls with `report-timeout` made from the reporter's own thread; at most
// kMaxPendingReports are outstanding, batches past that are dropped and counted
// (counters()). A stat service that is down or slow costs the process nothing else.
// Properties (PropertyReport.h): createPropertyReport(name, policies...) returns the
// property of that name (made at the first call; later calls return it, whatever their
// policies). With the client key `property` set, every `report-interval` the properties
// reported in the interval go to PropertyF.reportPropMsg with head moduleName = the
// server's App.Server (a client: `modulename`, else the executable's name), ip = the
// server's localip (a client: empty), propertyName, and the set fields when in a set;
// body vInfo = one (policy, value) per policy. Batches and the pending bound as for stat.
//
// Lifetime: made with its Communicator, started with its threads, stopped by
// Communicator::terminate() before the network threads, with a final report of what was
// counted since the last one (so a process that exits keeps its last interval).
// Thread-safety: every method from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <functional>
#include <vector>

#include "servant/PropertyReport.h"

namespace tars {

class Communicator;
class StatCollector;
struct StatMicMsgHead;
struct StatMicMsgBody;
struct StatRowKey;
struct StatRowBody;

class StatReport {
public:
    static constexpr int kMaxPendingReports = 16;

    // What the Communicator read from its keys when its threads started.
    struct Settings {
        std::string statObject;      // `stat`; empty: no call statistics
        std::string propertyObject;  // `property`; empty: properties are not sent
        std::string moduleName;      // `modulename` (the program's name when empty)
        std::string setDivision;     // name.area.group when the client is in a set, else empty
        int intervalMs = 60000;
        int timeoutMs = 5000;
        int maxReportSize = 1400;
    };

    struct Counters {
        uint64_t reportsSent = 0;    // reportMicMsg calls made
        uint64_t reportsFailed = 0;  // of them, ended with an error code
        uint64_t rowsSent = 0;       // rows in the calls made
        uint64_t rowsDropped = 0;    // rows of batches dropped (too many outstanding)
    };

    explicit StatReport(Communicator& communicator);
    ~StatReport();
    StatReport(const StatReport&) = delete;
    StatReport& operator=(const StatReport&) = delete;

    // The name served rows and properties are reported under (App.Server) and the
    // server's ip; set by the Application.
    void setServerName(const std::string& appServer);
    void setLocalIp(const std::string& ip);

    template <typename... Policies>
    PropertyReportPtr createPropertyReport(const std::string& name, Policies... policies) {
        return createPropertyReportImpl(name, {std::move(policies)...});
    }
    PropertyReportPtr createPropertyReportImpl(const std::string& name,
                                               std::vector<PropertyReport::PolicyPtr> policies);
    // Runs on the reporter thread before each interval's properties are taken (the
    // framework's sampled properties: queue sizes, connection rates).
    void addSampler(std::function<void()> sampler);
    // Whether properties are sent (`property` set).
    bool reportsProperties() const { return _propertyReporting; }
    // The properties of this interval, taken as the reporter takes them (for tests).
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> takeProperties();
    // The counters of the calls made / served; null when `stat` is not set and totals are
    // not kept.
    StatCollector* clientCalls() const { return keepsTotals() || _reporting ? _clientCalls.get() : nullptr; }
    StatCollector* servedCalls() const { return keepsTotals() || _reporting ? _servedCalls.get() : nullptr; }

    // For the ops endpoint's metrics, whether or not `stat` and `property` are set: the
    // collectors keep totals since now, and properties roll over every interval (the
    // values of the last whole interval: lastProperties()). Call it before the
    // communicator's first call (the Application does, when `ops` is configured).
    void keepTotals();
    bool keepsTotals() const { return _keepTotals.load(std::memory_order_acquire); }
    // Each property's (policy, value) pairs of the last whole interval.
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> lastProperties() const;
    const Settings& settings() const { return _settings; }
    Counters counters() const;

    // The masterName of client rows for these settings.
    static std::string masterName(const Settings& settings);
    // Splits rows into reportMicMsg maps of at most maxBytes encoded bytes each (a row
    // larger than that alone).
    static std::vector<std::map<StatMicMsgHead, StatMicMsgBody>> batches(
        const std::map<StatMicMsgHead, StatMicMsgBody>& rows, size_t maxBytes);
    static StatMicMsgBody toBody(const StatRowBody& row);

    struct Shared;  // what the report callbacks share with the reporter

    // ---- for the Communicator
    void start(const Settings& settings);
    // Stops the reporter thread (joins), then sends what was counted since its last report
    // and waits for the answers, a bounded time (at most `report-timeout`, at most 2 s).
    // Idempotent.
    void stop();

private:
    void run();
    void reportOnce();
    void send(const std::map<StatRowKey, StatRowBody>& rows, bool fromClient);
    void sendProperties();

    Communicator& _communicator;
    Settings _settings;
    bool _reporting = false;  // set once, before any call can be made
    bool _propertyReporting = false;
    std::atomic<bool> _keepTotals{false};
    std::unique_ptr<StatCollector> _clientCalls;
    std::unique_ptr<StatCollector> _servedCalls;

    std::mutex _mutex;  // guards _stopping, _serverName and the thread's start
    std::condition_variable _wake;
    bool _stopping = false;
    bool _started = false;
    std::string _serverName;
    std::string _localIp;
    std::map<std::string, PropertyReportPtr> _properties;
    std::vector<std::function<void()>> _samplers;
    mutable std::mutex _lastMutex;  // guards _lastProperties
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> _lastProperties;
    std::thread _thread;

    std::shared_ptr<Shared> _shared;
};

}  // namespace tars
