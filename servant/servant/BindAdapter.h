// BindAdapter: one `<XxxAdapter>` block of the server config: a listen endpoint, the servant
// it serves, its protocol (framing, dispatch, overload and close handling: the runtime's
// ServerProtocol, chosen by name), its limits (maxconns, queuecap, queuetimeout, allow/deny)
// and its Handle threads, which take requests from the adapter's queue and run them in a
// servant instance of their own.
//
// Ownership: TC_EpollServer owns its adapters (shared_ptr: ConnectionState and saved
// Currents keep one alive after the server stopped, for counters and names only).
// Configuration setters are for start-up, before TC_EpollServer::start(); afterwards every
// public member is thread-safe (counters are atomics, the queue is a RequestQueue).
// Errors: fromConfig(), setTls() and bind() throw BindAdapter_Exception naming the adapter.
// TLS: an `ssl` endpoint serves TLS with the adapter's TC_SslContext, made at start from
// the keys ca/cert/key/verifyclient/ciphers/allowsubjects (the adapter's own section over
// /tars/application/server); reloadTls() makes it again from the same files for new
// connections (open ones keep theirs).
// Authentication: an endpoint with `-e 1` takes no request on a connection before its
// first packet passed TARS authentication against the adapter's accesskey/secretkey (the
// NetThread checks it; internal/Auth.h has the package).
// udp: a datagram socket and no connections; each datagram is one TARS request (the
// tars protocol only, no -e 1). unix: a stream Unix-domain socket file (see bind()).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "servant/AdapterStats.h"
#include "servant/PropertyReport.h"
#include "servant/ConnectionState.h"
#include "servant/ProtocolParser.h"
#include "util/tc_config.h"
#include "util/tc_endpoint.h"
#include "util/tc_log_throttle.h"
#include "util/tc_ex.h"
#include "util/tc_socket.h"

namespace tars {

class Servant;
class ServantHandle;
class TC_SslContext;
struct TC_SslOptions;
class RequestQueue;
class ServerProtocol;
class StatCollector;
using ServantPtr = std::shared_ptr<Servant>;

struct BindAdapter_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

// Fires once every registered participant has started, or one of them failed.
class StartLatch {
public:
    explicit StartLatch(size_t count) : _remaining(count) {}
    void done(const std::string& error = "");
    // Waits for every participant; returns the first error ("" = all started).
    std::string wait();

private:
    std::mutex _mutex;
    std::condition_variable _cond;
    size_t _remaining;
    std::string _error;
};

class BindAdapter {
public:
    enum class Order { AllowDeny, DenyAllow };

    using ServantFactory = std::function<ServantPtr()>;

    // Reads /tars/application/server/<name> of conf. localIp replaces `-h localip`.
    static std::shared_ptr<BindAdapter> fromConfig(const TC_Config& conf, const std::string& name,
                                                   const std::string& localIp, bool serverMerge);

    BindAdapter(std::string name, const TC_Endpoint& endpoint, std::string servant);
    ~BindAdapter();
    BindAdapter(const BindAdapter&) = delete;
    BindAdapter& operator=(const BindAdapter&) = delete;

    // ---- configuration (before start)
    void setHandleNum(int n) { _handleNum = n < 1 ? 1 : n; }
    void setMaxConns(size_t n) { _maxConns = n; }
    void setQueueCapacity(size_t n) { _queueCap = n; }
    void setQueueTimeout(int64_t ms) { _queueTimeoutMs = ms; }
    void setMerge(bool merge) { _merge = merge; }
    void setMaxPacketSize(uint32_t bytes);
    void setAllow(const std::vector<std::string>& prefixes) { _allow = prefixes; }
    void setDeny(const std::vector<std::string>& prefixes) { _deny = prefixes; }
    void setOrder(Order order) { _order = order; }
    // The protocol by its `protocol` value: "tars" (the default) and "http" are built in;
    // any other name needs a parser (setProtocolParser, Application::addServantProtocol)
    // before the server starts.
    void setProtocolName(const std::string& name);
    // A protocol the framework does not decode: parser cuts packets, the servant's
    // doRequest/doClose see them (see ProtocolParser.h). Keeps the protocol's name
    // ("custom" in place of "tars").
    void setProtocolParser(ProtocolParser parser);
    void setServantFactory(ServantFactory factory) { _factory = std::move(factory); }
    void setBackPacketLimit(uint64_t bytes) { _backPacketLimit = bytes; }
    void setIndex(size_t index) { _index = index; }
    // An ssl endpoint's TLS settings: loads the files now (throws on any problem).
    void setTls(const TC_SslOptions& options);
    // A servant that can start, stop or change servers, or reveal their secrets (the
    // framework's control objects, the admin object) answers only peers on this host:
    // bound to an address other than loopback (where other hosts can reach it), the
    // adapter must authenticate its peers (mutual TLS with an allowsubjects list, or TARS
    // authentication, -e 1), or bind() refuses to start it.
    void setTrustedPeersOnly(bool on) { _trustedPeersOnly = on; }
    // The keys of TARS authentication (used when the endpoint says -e 1).
    void setAuthKeys(std::string accessKey, std::string secretKey) {
        _accessKey = std::move(accessKey);
        _secretKey = std::move(secretKey);
    }

    // ---- what it is
    const std::string& getName() const { return _name; }
    const TC_Endpoint& getEndpoint() const { return _endpoint; }
    const std::string& getServant() const { return _servant; }
    const std::string& getProtocolName() const { return _protocolName; }
    // False while a custom protocol still waits for its parser.
    bool hasProtocol() const { return _protocol != nullptr; }
    // The runtime's protocol object (internal/ServerProtocol.h).
    const ServerProtocol& protocol() const { return *_protocol; }
    int getHandleNum() const { return _handleNum; }
    size_t getMaxConns() const { return _maxConns; }
    size_t getQueueCapacity() const { return _queueCap; }
    int64_t getQueueTimeout() const { return _queueTimeoutMs; }
    bool isMerge() const { return _merge; }
    uint32_t getMaxPacketSize() const { return _maxPacketSize; }
    uint64_t getBackPacketLimit() const { return _backPacketLimit; }
    // Idle close after this many ms without traffic (the endpoint's -t; 0 = never).
    int64_t getIdleTimeout() const { return _endpoint.getTimeout(); }
    bool hasServantFactory() const { return static_cast<bool>(_factory); }
    ServantPtr createServant() const { return _factory(); }
    size_t getIndex() const { return _index; }
    // Whether a connection must authenticate before its requests are served (-e 1).
    bool requiresAuth() const { return _endpoint.getAuthType() == TC_Endpoint::AUTH_TYPELOCAL; }
    const std::string& getAccessKey() const { return _accessKey; }
    const std::string& getSecretKey() const { return _secretKey; }

    // ---- TLS (ssl endpoints)
    bool isTls() const { return _endpoint.isSSL(); }
    // The context new connections use (null for a tcp endpoint); any thread.
    std::shared_ptr<TC_SslContext> tlsContext() const;
    // Loads the certificate files again: "" when new connections now use them, else why
    // not (the old context stays). Any thread.
    std::string reloadTls();

    // ---- access control: allow/deny by IP prefix ("192.168." or "10.1.*")
    bool isIpAllowed(const std::string& ip) const;
    bool trustedPeersOnly() const { return _trustedPeersOnly; }
    // The adapter proves who its peers are: ssl with verifyclient=1 and allowsubjects, or
    // TARS authentication (-e 1).
    bool authenticatesPeers() const;

    // ---- listening
    // Creates, binds and listens the socket (non-blocking). Throws BindAdapter_Exception.
    // udp: binds a datagram socket (requests and replies both go through it). unix: the
    // socket file is created with mode 0660; a file left by a dead server (nothing accepts
    // on it) is replaced, one a live server listens on is never taken over (throws naming
    // the path), and anything but a socket is never removed. A udp socket's receive buffer
    // is raised to kDatagramRecvBuffer (capped by net.core.rmem_max).
    void bind();
    static constexpr int kDatagramRecvBuffer = 4 * 1024 * 1024;
    TC_Socket& listenSocket() { return _listen; }
    // The port really bound (the endpoint's, or the kernel's choice for -p 0).
    int getBoundPort() const { return _boundPort; }
    // Closes the socket; unix: removes the socket file if it is still the one bind() made.
    // Idempotent.
    void closeListen();
    bool isDatagram() const { return _endpoint.isUdp(); }

    // ---- connections (counted by the NetThreads)
    std::atomic<size_t>& connectionCount() { return _connections; }
    size_t getConnectionCount() const { return _connections.load(std::memory_order_relaxed); }

    // ---- the request queue and its handle threads
    // The runtime's queue (internal/RequestQueue.h).
    RequestQueue& queue() { return *_queue; }
    size_t getQueueSize() const;
    // Starts the handle threads (not in merge mode); each reports to latch once its servant
    // is initialized.
    void startHandles(StartLatch& latch);
    // Lets the handles finish every queued request, then destroy their servants and exit.
    void stopHandles();
    // Number of handle threads startHandles() starts (0 in merge mode).
    size_t handleThreadCount() const { return _merge ? 0 : static_cast<size_t>(_handleNum); }

    AdapterStats& stats() { return _stats; }
    const AdapterStats& stats() const { return _stats; }
    // Where the calls this adapter answers are counted for the stat service (null: not
    // counted). Set by the Application before the server starts listening.
    void setServedStats(StatCollector* collector) { _servedStats = collector; }
    StatCollector* servedStats() const { return _servedStats; }
    // The framework's properties of this adapter (<Adapter>.queueWaitTime,
    // .servantHandleTime, .timeoutNum), reported where requests are handled; null when
    // `property` is not set. Set by the Application before the server starts listening.
    struct Properties {
        PropertyReportPtr queueWaitTime;
        PropertyReportPtr servantHandleTime;
        PropertyReportPtr timeoutNum;
    };
    void setProperties(std::unique_ptr<Properties> properties) { _properties = std::move(properties); }
    const Properties* properties() const { return _properties.get(); }
    // The ip reported as the callee of served calls (the endpoint's host, or the
    // server's localip when the endpoint listens on every address).
    const std::string& statIp() const { return _statIp; }
    void setStatIp(std::string ip) { _statIp = std::move(ip); }
    // Thins the log lines of undecodable requests (a UDP peer sends them for free).
    TC_LogThrottle& badPacketLog() { return _badPacketLog; }

private:
    TC_LogThrottle _badPacketLog;
    std::string _name;
    TC_Endpoint _endpoint;
    std::string _servant;
    std::string _protocolName = "tars";
    std::shared_ptr<const ServerProtocol> _protocol;
    int _handleNum = 1;
    size_t _maxConns = 128;
    size_t _queueCap = 1024;
    int64_t _queueTimeoutMs = 10000;
    bool _merge = false;
    uint32_t _maxPacketSize;
    uint64_t _backPacketLimit = 100 * 1024 * 1024;
    std::vector<std::string> _allow;
    std::vector<std::string> _deny;
    Order _order = Order::AllowDeny;
    ServantFactory _factory;
    size_t _index = 0;
    bool _trustedPeersOnly = false;
    mutable std::mutex _tlsMutex;
    std::shared_ptr<TC_SslContext> _tlsContext;  // guarded by _tlsMutex
    std::string _accessKey;
    std::string _secretKey;

    TC_Socket _listen;
    int _boundPort = 0;
    // unix: the socket file bind() created (device and inode), removed by closeListen().
    bool _ownsUnixFile = false;
    uint64_t _unixDev = 0;
    uint64_t _unixIno = 0;
    std::atomic<size_t> _connections{0};
    std::unique_ptr<RequestQueue> _queue;
    std::vector<std::thread> _handleThreads;
    AdapterStats _stats;
    StatCollector* _servedStats = nullptr;
    std::unique_ptr<Properties> _properties;
    std::string _statIp;
};

}  // namespace tars
