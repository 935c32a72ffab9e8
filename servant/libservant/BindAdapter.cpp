#include "servant/BindAdapter.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "internal/RequestQueue.h"
#include "internal/ServantHandle.h"
#include "internal/ServerProtocol.h"
#include "servant/ServerConfig.h"
#include "servant/TarsProtocol.h"
#include "util/tc_common.h"
#include "util/tc_logger.h"
#include "util/tc_openssl.h"

namespace tars {

void StartLatch::done(const std::string& error) {
    std::lock_guard lock(_mutex);
    if (!error.empty() && _error.empty()) _error = error;
    if (_remaining > 0) --_remaining;
    _cond.notify_all();
}

std::string StartLatch::wait() {
    std::unique_lock lock(_mutex);
    _cond.wait(lock, [&] { return _remaining == 0; });
    return _error;
}

BindAdapter::BindAdapter(std::string name, const TC_Endpoint& endpoint, std::string servant)
    : _name(std::move(name)),
      _endpoint(endpoint),
      _servant(std::move(servant)),
      _protocol(tarsServerProtocol()),
      _maxPacketSize(TarsProtocol::kMaxPacketSize),
      _queue(std::make_unique<RequestQueue>()) {}

size_t BindAdapter::getQueueSize() const { return _queue->size(); }

BindAdapter::~BindAdapter() { stopHandles(); }

namespace {

// TLS keys: the adapter's section first, then /tars/application/server.
void readTls(const TC_Config& conf, const std::string& path, BindAdapter& adapter) {
    static const char* const kKeys[] = {"ca", "cert", "key", "verifyclient", "ciphers", "allowsubjects"};
    const std::string serverPath = "/tars/application/server";
    auto value = [&](const char* key) {
        std::string own = TC_Common::trim(configString(conf, path, "adapter", key));
        return own.empty() ? TC_Common::trim(configString(conf, serverPath, "server", key)) : own;
    };
    if (!adapter.isTls()) {
        for (const char* key : kKeys) {
            if (!TC_Common::trim(configString(conf, path, "adapter", key)).empty()) {
                TLOGWARN("[config] " << path << "<" << key << "> is ignored: the endpoint is not ssl" << std::endl);
            }
        }
        return;
    }
    TC_SslOptions options;
    options.ca = value("ca");
    options.cert = value("cert");
    options.key = value("key");
    options.ciphers = value("ciphers");
    std::string verify = value("verifyclient");
    auto verifyClient = TC_Common::tryStrto<bool>(verify.empty() ? "0" : verify);
    if (!verifyClient) {
        throw BindAdapter_Exception("adapter " + adapter.getName() + ": verifyclient='" + verify +
                                    "' is not 0/1/true/false");
    }
    options.verifyPeer = *verifyClient;
    for (const std::string& subject : TC_Common::sepstr(value("allowsubjects"), ";")) {
        std::string trimmed = TC_Common::trim(subject);
        if (!trimmed.empty()) options.allowedSubjects.push_back(trimmed);
    }
    if (!options.allowedSubjects.empty() && !options.verifyPeer) {
        throw BindAdapter_Exception("adapter " + adapter.getName() + ": allowsubjects needs verifyclient=1");
    }
    adapter.setTls(options);
}

}  // namespace

std::shared_ptr<BindAdapter> BindAdapter::fromConfig(const TC_Config& conf, const std::string& name,
                                                     const std::string& localIp, bool serverMerge) {
    const std::string path = "/tars/application/server/" + name;
    auto fail = [&](const std::string& what) -> BindAdapter_Exception {
        return BindAdapter_Exception("adapter " + name + ": " + what);
    };
    std::string endpointText = configString(conf, path, "adapter", "endpoint");
    if (endpointText.empty()) throw fail("no endpoint");
    TC_Endpoint endpoint;
    try {
        endpoint.parse(endpointText);
    } catch (const TC_Exception& e) {
        throw fail(e.what());
    }
    if (endpoint.getHost() == "localip") endpoint.setHost(localIp);
    std::string servant = configString(conf, path, "adapter", "servant");
    if (servant.empty()) throw fail("no servant");

    auto adapter = std::make_shared<BindAdapter>(name, endpoint, servant);
    try {
        int64_t threads = configInt(conf, path, "adapter", "threads");
        if (threads < 1 || threads > 1024) {
            throw fail("threads must be 1..1024, not " + std::to_string(threads));
        }
        adapter->setHandleNum(static_cast<int>(threads));
        int64_t maxConns = configInt(conf, path, "adapter", "maxconns");
        adapter->setMaxConns(maxConns < 0 ? 0 : static_cast<size_t>(maxConns));
        int64_t queueCap = configInt(conf, path, "adapter", "queuecap");
        adapter->setQueueCapacity(queueCap < 1 ? 1 : static_cast<size_t>(queueCap));
        adapter->setQueueTimeout(configInt(conf, path, "adapter", "queuetimeout"));
        uint64_t maxPacket = configSize(conf, path, "adapter", "maxpacketsize");
        if (maxPacket > TarsProtocol::kMaxPacketSize || maxPacket < TarsProtocol::kMinPacketSize) {
            throw fail("maxpacketsize " + std::to_string(maxPacket) + " is outside 5 .. 100M");
        }
        adapter->setMaxPacketSize(static_cast<uint32_t>(maxPacket));
        std::string merge = configString(conf, path, "adapter", "mergenetimp");
        adapter->setMerge(merge.empty() ? serverMerge : configBool(conf, path, "adapter", "mergenetimp"));
        adapter->setAllow(TC_Common::sepstr(configString(conf, path, "adapter", "allow"), ";, "));
        adapter->setDeny(TC_Common::sepstr(configString(conf, path, "adapter", "deny"), ";, "));
        std::string order = TC_Common::lower(TC_Common::trim(configString(conf, path, "adapter", "order")));
        order = TC_Common::replace(order, " ", "");
        if (order == "deny,allow") {
            adapter->setOrder(Order::DenyAllow);
        } else if (order == "allow,deny" || order.empty()) {
            adapter->setOrder(Order::AllowDeny);
        } else {
            throw fail("order must be allow,deny or deny,allow, not '" + order + "'");
        }
    } catch (const ServerConfig_Exception& e) {
        throw fail(e.what());
    }
    readTls(conf, path, *adapter);
    // Any name but the built-in ones needs a parser from Application::addServantProtocol
    // (checked at start).
    adapter->setProtocolName(configString(conf, path, "adapter", "protocol"));
    std::string accessKey = configString(conf, path, "adapter", "accesskey");
    std::string secretKey = configString(conf, path, "adapter", "secretkey");
    if (accessKey.empty() != secretKey.empty()) {
        throw fail(std::string(accessKey.empty() ? "secretkey" : "accesskey") + " is set without " +
                   (accessKey.empty() ? "accesskey" : "secretkey") + " (TARS authentication needs both)");
    }
    if (endpoint.getAuthType() != TC_Endpoint::AUTH_TYPENONE && endpoint.getAuthType() != TC_Endpoint::AUTH_TYPELOCAL) {
        throw fail("endpoint option -e must be 0 or 1, not " + std::to_string(endpoint.getAuthType()));
    }
    if (adapter->requiresAuth() && endpoint.isUdp()) {
        throw fail("-e 1 (authentication) needs a connection: a udp endpoint cannot have it");
    }
    if (endpoint.isUdp() && adapter->getProtocolName() != "tars") {
        throw fail("a udp endpoint serves the tars protocol only, not " + adapter->getProtocolName());
    }
    if (adapter->requiresAuth()) {
        if (accessKey.empty()) {
            throw fail("the endpoint says -e 1 (authentication) but accesskey and secretkey are not set");
        }
        if (adapter->getProtocolName() != "tars") {
            throw fail("-e 1 (authentication) needs protocol tars, not " + adapter->getProtocolName());
        }
    } else if (!accessKey.empty()) {
        TLOGWARN("[config] " << path << ": accesskey and secretkey are set but the endpoint has no -e 1: connections "
                             << "are not authenticated" << std::endl);
    }
    adapter->setAuthKeys(std::move(accessKey), std::move(secretKey));
    // Unknown keys are reported once, with their line, by the Application's config check.
    return adapter;
}

void BindAdapter::setTls(const TC_SslOptions& options) {
    try {
        auto context = TC_SslContext::create(TC_SslContext::Role::Server, options);
        std::lock_guard lock(_tlsMutex);
        _tlsContext = std::move(context);
    } catch (const TC_SslException& e) {
        throw BindAdapter_Exception("adapter " + _name + " (" + _endpoint.toString() + "): " + e.what());
    }
}

std::shared_ptr<TC_SslContext> BindAdapter::tlsContext() const {
    std::lock_guard lock(_tlsMutex);
    return _tlsContext;
}

std::string BindAdapter::reloadTls() {
    TC_SslOptions options;
    {
        std::lock_guard lock(_tlsMutex);
        if (!_tlsContext) return "not an ssl adapter";
        options = _tlsContext->options();
    }
    try {
        setTls(options);
    } catch (const BindAdapter_Exception& e) {
        return e.what();
    }
    return "";
}

void BindAdapter::setMaxPacketSize(uint32_t bytes) {
    _maxPacketSize = std::clamp(bytes, TarsProtocol::kMinPacketSize, TarsProtocol::kMaxPacketSize);
}

void BindAdapter::setProtocolName(const std::string& name) {
    _protocolName = name.empty() ? "tars" : TC_Common::lower(name);
    _protocol = makeServerProtocol(_protocolName);
}

void BindAdapter::setProtocolParser(ProtocolParser parser) {
    if (_protocolName == "tars") _protocolName = "custom";
    _protocol = makeCustomServerProtocol(_protocolName, std::move(parser));
}

bool BindAdapter::isIpAllowed(const std::string& ip) const {
    auto matches = [&](const std::vector<std::string>& list) {
        for (const std::string& entry : list) {
            std::string prefix = entry;
            while (!prefix.empty() && prefix.back() == '*') prefix.pop_back();
            if (prefix.empty() || ip.starts_with(prefix)) return true;
        }
        return false;
    };
    if (_order == Order::AllowDeny) {
        if (matches(_allow)) return true;
        if (matches(_deny)) return false;
    } else {
        if (matches(_deny)) return false;
        if (matches(_allow)) return true;
    }
    return _allow.empty();
}

bool BindAdapter::authenticatesPeers() const {
    if (_endpoint.getAuthType() == TC_Endpoint::AUTH_TYPELOCAL) return true;
    std::lock_guard lock(_tlsMutex);
    return _tlsContext && _tlsContext->options().verifyPeer && !_tlsContext->options().allowedSubjects.empty();
}

namespace {

// A Unix socket path left by an earlier server: removed when nothing accepts on it any
// more (ECONNREFUSED), else bind() would fail; a live one, or a file that is no socket,
// stays and is reported.
void clearStaleUnixSocket(const std::string& adapterName, const std::string& path, const TC_SockAddr& addr) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return;  // nothing there (or unreadable: bind says so)
    if (!S_ISSOCK(st.st_mode)) {
        throw BindAdapter_Exception("adapter " + adapterName + ": " + path +
                                    " exists and is not a socket; not replacing it");
    }
    TC_Socket probe = TC_Socket::create(AF_UNIX, SOCK_STREAM);
    int err = probe.connect(addr);
    if (err == 0 || err == EAGAIN || err == EINPROGRESS) {
        throw BindAdapter_Exception("adapter " + adapterName + ": " + path +
                                    " is in use: a live server accepts on it (stop it, or choose another path)");
    }
    if (err == ENOENT) return;  // gone meanwhile
    if (err != ECONNREFUSED) {
        throw BindAdapter_Exception("adapter " + adapterName + ": cannot tell whether " + path +
                                    " is in use: connect: " + errnoText(err));
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        throw BindAdapter_Exception("adapter " + adapterName + ": cannot remove the stale socket file " + path + ": " +
                                    errnoText(errno));
    }
    TLOGINFO("[server] adapter " << adapterName << ": replaced the stale socket file " << path
                                 << " (no server accepted on it)" << std::endl);
}

// An exclusive flock on `<path>.lock`, held while a server probes, replaces, binds and
// listens on a Unix socket path, so two servers starting on one path cannot both pass the
// probe and one unlink the other's fresh socket. The lock file stays (an empty file, mode
// 0600): removing it would let a third server lock a new inode while one holds the old.
class UnixPathLock {
public:
    UnixPathLock(const std::string& adapterName, const std::string& path) {
        const std::string lockPath = path + ".lock";
        _fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (_fd < 0) {
            throw BindAdapter_Exception("adapter " + adapterName + ": cannot open the lock file " + lockPath + ": " +
                                        errnoText(errno));
        }
        // Bounded: another server holds it only for its bind and listen.
        for (int i = 0; i < kAttempts; ++i) {
            if (::flock(_fd, LOCK_EX | LOCK_NB) == 0) return;
            if (errno != EWOULDBLOCK && errno != EINTR) {
                int err = errno;
                ::close(_fd);
                throw BindAdapter_Exception("adapter " + adapterName + ": cannot lock " + lockPath + ": " +
                                            errnoText(err));
            }
            ::usleep(10000);
        }
        ::close(_fd);
        throw BindAdapter_Exception("adapter " + adapterName + ": " + lockPath + " stayed locked for " +
                                    std::to_string(kAttempts / 100) + " s (another server is starting on " + path +
                                    ")");
    }
    ~UnixPathLock() { ::close(_fd); }  // closing releases the flock
    UnixPathLock(const UnixPathLock&) = delete;
    UnixPathLock& operator=(const UnixPathLock&) = delete;

private:
    static constexpr int kAttempts = 300;  // 10 ms apart: 3 s
    int _fd = -1;
};

}  // namespace

void BindAdapter::closeListen() {
    _listen.close();
    if (!_ownsUnixFile) return;
    _ownsUnixFile = false;
    const std::string& path = _endpoint.getHost();
    struct stat st {};
    // Only the file this adapter made: another server may have taken the path since.
    if (::lstat(path.c_str(), &st) == 0 && static_cast<uint64_t>(st.st_dev) == _unixDev &&
        static_cast<uint64_t>(st.st_ino) == _unixIno) {
        ::unlink(path.c_str());
    }
}

void BindAdapter::bind() {
    if (_endpoint.isUnix()) {
        const std::string& path = _endpoint.getHost();
        try {
            TC_SockAddr addr = TC_SockAddr::unixPath(path);
            UnixPathLock lock(_name, path);  // until listen() has made the socket live
            clearStaleUnixSocket(_name, path, addr);
            TC_Socket sock = TC_Socket::create(AF_UNIX, SOCK_STREAM);
            sock.bind(addr);
            struct stat st {};
            bool made = ::lstat(path.c_str(), &st) == 0;
            // Before listen(): no client can connect while the mode is still the umask's.
            if (!made || ::chmod(path.c_str(), 0660) != 0) {
                int err = errno;
                ::unlink(path.c_str());
                throw BindAdapter_Exception("adapter " + _name + ": cannot set mode 0660 on " + path + ": " +
                                            errnoText(err));
            }
            sock.listen(1024);
            _ownsUnixFile = true;
            _unixDev = static_cast<uint64_t>(st.st_dev);
            _unixIno = static_cast<uint64_t>(st.st_ino);
            _boundPort = 0;
            _listen = std::move(sock);
        } catch (const BindAdapter_Exception&) {
            throw;
        } catch (const TC_Exception& e) {
            throw BindAdapter_Exception("adapter " + _name + ": cannot listen on " + _endpoint.toString() + ": " +
                                        e.what());
        }
        return;
    }
    try {
        TC_SockAddr addr = TC_SockAddr::parse(_endpoint.getHost(), static_cast<uint16_t>(_endpoint.getPort()));
        if (_trustedPeersOnly && !addr.isLoopback() && !authenticatesPeers()) {
            throw BindAdapter_Exception(
                "adapter " + _name + " serves " + _servant + ", which controls the deployment, and " +
                _endpoint.toString() +
                " is reachable from other hosts without authentication: bind it to 127.0.0.1, or use an ssl endpoint "
                "with verifyclient=1, ca and allowsubjects (mutual TLS), or -e 1 with accesskey and secretkey");
        }
        TC_Socket sock = TC_Socket::create(addr.family(), isDatagram() ? SOCK_DGRAM : SOCK_STREAM);
        sock.setReuseAddr(true);
        sock.bind(addr);
        if (!isDatagram()) sock.listen(1024);
        // UDP has no flow control: a burst larger than the socket's buffer is dropped by the
        // kernel before the network thread can read it. The default (about 208 KiB, some
        // hundred small requests) is raised; the kernel caps it at net.core.rmem_max.
        // The kernel reports a value that was set doubled (the default as it is).
        if (isDatagram() && sock.getRecvBufferSize() < 2 * kDatagramRecvBuffer) {
            sock.setRecvBufferSize(kDatagramRecvBuffer);
        }
        _boundPort = sock.getSockName().port();
        _listen = std::move(sock);
    } catch (const BindAdapter_Exception&) {
        throw;
    } catch (const TC_Exception& e) {
        throw BindAdapter_Exception("adapter " + _name + ": cannot listen on " + _endpoint.toString() + ": " +
                                    e.what());
    }
}

void BindAdapter::startHandles(StartLatch& latch) {
    if (_merge) return;
    _queue->setConsumers(static_cast<size_t>(_handleNum));
    for (int i = 0; i < _handleNum; ++i) {
        _handleThreads.emplace_back([this, &latch] {
            ServantHandle handle(this);
            handle.run(latch);
        });
    }
}

void BindAdapter::stopHandles() {
    _queue->terminate();
    for (std::thread& t : _handleThreads) {
        if (t.joinable()) t.join();
    }
    _handleThreads.clear();
    // Whatever is left (nothing after a clean drain) holds ConnectionStates that hold us.
    _queue->clear();
}

}  // namespace tars
