#include "servant/ServerConfig.h"

#include "servant/SetDivision.h"

#include <algorithm>
#include <set>

#include "util/tc_common.h"
#include "util/tc_logger.h"

namespace tars {

namespace {

constexpr const char* kServerPath = "/tars/application/server";

// Keys other TARS components (tarsnode, TLS, coroutines) put in the same sections: a TARS
// user's config file carries them, so they are accepted without a warning.
const std::set<std::string>& toleratedServerKeys() {
    static const std::set<std::string> keys = {"opencoroutine",
                                               "coroutinememsize",
                                               "coroutinestack",
                                               "manuallisten",
                                               "backpacketmin",
                                               "emptyconntimeout",
                                               "bakflag",
                                               "baktype",
                                               "hearttimeout",
                                               "enableworking",
                                               "env",
                                               "java",
                                               "nodejs",
                                               "php",
                                               "jvmparams",
                                               "mainclass",
                                               "classpath",
                                               "deactivating-timeout",
                                               "activating-timeout",
                                               "reportflow",
                                               "closecout",
                                               "enableset",
                                               "setdivision",
                                               "asyncthread",
                                               "logLevel",
                                               "loglevel",
                                               "sample-rate",
                                               "max-sample-count",
                                               "tarsversion",
                                               "pushlogsize",
                                               "pushlogpath"};
    return keys;
}

const std::set<std::string>& toleratedAdapterKeys() {
    static const std::set<std::string> keys = {"handlegroup", "checkset"};
    return keys;
}

}  // namespace

const std::set<std::string>& toleratedConfigKeys(const char* scope) {
    return std::string_view(scope) == "server" ? toleratedServerKeys() : toleratedAdapterKeys();
}

const std::vector<ConfigKeyInfo>& serverConfigKeys() {
    static const std::vector<ConfigKeyInfo> keys = {
        {"server", "app", "UNKNOWN", "Application name; servant names must start with <app>.<server>."},
        {"server", "server", "", "Server name (empty: the executable's file name)."},
        {"server", "localip", "127.0.0.1", "This host's IP; `-h localip` in an adapter endpoint means it."},
        {"server", "nodename", "", "Node name reported to framework services (empty: localip)."},
        {"server", "basepath", ".", "Directory of the server's binary and of config files it loads."},
        {"server", "datapath", ".", "Directory of the server's data files."},
        {"server", "logpath", ".", "Root of the log tree: the log is <logpath>/<app>/<server>/<app>.<server>.log."},
        {"server", "logsize", "50M", "Size at which the log file rolls (K/M/G suffixes)."},
        {"server", "lognum", "10", "Number of rolled log files kept."},
        {"server", "logLevel", "DEBUG",
         "Log level: NONE, ERROR, WARN, INFO, DEBUG or TARS (tars.setloglevel changes it)."},
        {"server", "local", "", "Endpoint of the AdminObj (admin commands); empty: no admin endpoint."},
        {"server", "ops", "",
         "HTTP ops endpoint (GET /metrics, /health, /status), e.g. tcp -h 127.0.0.1 -p 20003; no -h: 127.0.0.1; "
         "empty: none. Not a TARS key."},
        {"server", "node", "",
         "tarsnode ServerObj (tars.tarsnode.ServerObj@tcp -h ... -p ...) the server sends heartbeats to; empty: none."},
        {"server", "keepaliveinterval", "10000",
         "Milliseconds between two heartbeats to the node (at least 500). Not a TARS key."},
        {"server", "log", "",
         "Log servant (tars.tarslog.LogObj) day logs (DLOG, FDLOG) are also sent to; empty: local day logs only."},
        {"server", "config", "",
         "Config servant addConfig() and tars.loadconfig fetch files from (a full Obj@endpoints or a name resolved "
         "through the locator); empty: local files only."},
        {"server", "notify", "",
         "Notify servant (tars.tarsnotify.NotifyObj) server events and TARS_NOTIFY_* alarms go to; empty: none."},
        {"server", "netthread", "1", "Number of network threads (1..1024) shared by every adapter."},
        {"server", "mergenetimp", "0", "1: run servants inside the network threads (no queue hop) for every adapter."},
        {"server", "backpacketlimit", "100M", "Bytes of unsent responses a connection may hold before it is closed."},
        {"server", "shutdowntimeout", "5000",
         "Milliseconds allowed at exit to answer queued requests and flush responses."},
        {"server", "checkset", "1",
         "1: a server in a set answers -11 to set calls (0x80) from its set name in another area, or without "
         "STATUS_SETNAME_VALUE (TarsCpp's rule; docs/config.md)."},
        {"server", "ca", "", "ssl adapters: PEM file of the CAs that sign client certificates (with verifyclient=1)."},
        {"server", "cert", "", "ssl adapters: PEM certificate (chain) the server presents."},
        {"server", "key", "", "ssl adapters: PEM private key of cert."},
        {"server", "verifyclient", "0", "ssl adapters: 1 requires a client certificate signed by ca (mutual TLS)."},
        {"server", "ciphers", "",
         "ssl adapters: OpenSSL cipher list (TLS 1.2) and TLS_* suites (TLS 1.3), ':'-separated; empty: OpenSSL's "
         "defaults."},
        {"server", "allowsubjects", "",
         "ssl adapters with verifyclient=1: client certificate subjects accepted (RFC 2253, as `openssl x509 "
         "-noout -subject -nameopt RFC2253` prints them), separated by ';'; empty: any the CA signed. Not a TARS key."},
        {"server", "propagate-deadline", "1",
         "1: a TARS request's time left (its iTimeout less the time since it was read) caps the timeout of the calls "
         "its servant makes until it is answered, and a call made after it fails at once with -7; 0: calls keep their "
         "proxy's timeout, as in TARS. Not a TARS key."},
        {"server", "tracing-endpoint", "",
         "OTLP/HTTP JSON traces URL (http://host:port/v1/traces) the spans of this server (served and made) are "
         "exported to, unless the client section sets its own; empty: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT. Not a TARS "
         "key."},
        {"server", "tracing-sample-ratio", "",
         "Share of requests that arrive without a trace and start one here, 0..1; empty: OTEL_TRACES_SAMPLER_ARG, else "
         "1 with an endpoint, 0 without. Not a TARS key."},
        {"server", "strict", "0",
         "1: an unknown key in this file stops the server at start (as --strict-config does); 0: it is reported on "
         "stderr and in the log with its line and the closest known key. Not a TARS key."},
        {"adapter", "endpoint", "",
         "Listen endpoint, e.g. `tcp -h 127.0.0.1 -p 20001 -t 60000` (-t: idle close, ms; 0: never)."},
        {"adapter", "servant", "", "The servant object served, <app>.<server>.<Name>."},
        {"adapter", "protocol", "tars",
         "tars (TARS/TUP/JSON packets), http (HTTP/1.1), or any other name for a parser given with "
         "addServantProtocol."},
        {"adapter", "threads", "1", "Handle threads, each with its own servant instance."},
        {"adapter", "maxconns", "128", "Most open connections; past it new connections are closed at accept."},
        {"adapter", "queuecap", "1024", "Most requests waiting for a handle; past it the answer is -9 (overload)."},
        {"adapter", "queuetimeout", "10000", "Milliseconds a request may wait in the queue; past it the answer is -6."},
        {"adapter", "allow", "", "IP prefixes allowed to connect, separated by ; or , (empty: all)."},
        {"adapter", "deny", "", "IP prefixes refused, separated by ; or ,."},
        {"adapter", "order", "allow,deny", "allow,deny: an allowed IP wins over deny; deny,allow: deny wins."},
        {"adapter", "mergenetimp", "", "Per adapter override of the server's mergenetimp (0 or 1)."},
        {"adapter", "ca", "", "Per adapter override of the server's ca."},
        {"adapter", "cert", "", "Per adapter override of the server's cert."},
        {"adapter", "key", "", "Per adapter override of the server's key."},
        {"adapter", "verifyclient", "", "Per adapter override of the server's verifyclient."},
        {"adapter", "ciphers", "", "Per adapter override of the server's ciphers."},
        {"adapter", "allowsubjects", "", "Per adapter override of the server's allowsubjects."},
        {"adapter", "maxpacketsize", "100M",
         "Largest TARS packet accepted (at most 100M); a larger length closes the connection."},
        {"adapter", "accesskey", "",
         "Access key of TARS authentication; with an endpoint saying -e 1, a connection's first packet must carry "
         "it, signed with secretkey."},
        {"adapter", "secretkey", "", "Secret key of TARS authentication (set with accesskey)."},
    };
    return keys;
}

namespace {

const ConfigKeyInfo& findKey(const char* scope, const char* key) {
    for (const ConfigKeyInfo& k : serverConfigKeys()) {
        if (std::string_view(k.scope) == scope && std::string_view(k.name) == key) return k;
    }
    throw ServerConfig_Exception(std::string("config key '") + key + "' of scope " + scope + " is not declared");
}

std::string describe(const std::string& path, const char* key) { return path + "<" + key + ">"; }

}  // namespace

std::string configString(const TC_Config& conf, const std::string& path, const char* scope, const char* key) {
    const ConfigKeyInfo& info = findKey(scope, key);
    return conf.get(path + "<" + key + ">", info.defaultValue);
}

int64_t configInt(const TC_Config& conf, const std::string& path, const char* scope, const char* key) {
    std::string text = configString(conf, path, scope, key);
    auto value = TC_Common::tryStrto<int64_t>(text);
    if (!value) {
        throw ServerConfig_Exception("config " + describe(path, key) + "='" + text + "' is not an integer");
    }
    return *value;
}

uint64_t configSize(const TC_Config& conf, const std::string& path, const char* scope, const char* key) {
    std::string text = configString(conf, path, scope, key);
    try {
        return TC_Common::toSize(text);
    } catch (const TC_Exception&) {
        throw ServerConfig_Exception("config " + describe(path, key) + "='" + text +
                                     "' is not a size (bytes, or a number with K, M or G)");
    }
}

bool configBool(const TC_Config& conf, const std::string& path, const char* scope, const char* key) {
    std::string text = configString(conf, path, scope, key);
    auto value = TC_Common::tryStrto<bool>(text);
    if (!value) {
        throw ServerConfig_Exception("config " + describe(path, key) + "='" + text + "' is not 0/1/true/false");
    }
    return *value;
}

void loadServerConfig(const TC_Config& conf, const std::string& configFile, const std::string& exeName) {
    const std::string p = kServerPath;
    if (!conf.hasDomainVector(p)) {
        throw ServerConfig_Exception("config file '" + configFile + "' has no section " + p);
    }
    ServerConfig::ConfigFile = configFile;
    ServerConfig::Application = configString(conf, p, "server", "app");
    ServerConfig::ServerName = configString(conf, p, "server", "server");
    if (ServerConfig::ServerName.empty()) ServerConfig::ServerName = exeName;
    ServerConfig::LocalIp = configString(conf, p, "server", "localip");
    if (ServerConfig::LocalIp.empty()) ServerConfig::LocalIp = "127.0.0.1";
    ServerConfig::NodeName = configString(conf, p, "server", "nodename");
    if (ServerConfig::NodeName.empty()) ServerConfig::NodeName = ServerConfig::LocalIp;
    ServerConfig::BasePath = configString(conf, p, "server", "basepath");
    ServerConfig::DataPath = configString(conf, p, "server", "datapath");
    ServerConfig::LogPath = configString(conf, p, "server", "logpath");
    ServerConfig::LogSize = configSize(conf, p, "server", "logsize");
    ServerConfig::LogNum = static_cast<int>(std::clamp<int64_t>(configInt(conf, p, "server", "lognum"), 1, 1000));
    // TarsCpp spells it logLevel; accept the lower-case spelling too.
    ServerConfig::LogLevel = conf.get(p + "<logLevel>", conf.get(p + "<loglevel>", "DEBUG"));
    if (!TC_Logger::parseLevel(ServerConfig::LogLevel)) {
        throw ServerConfig_Exception("config " + p + "<logLevel>='" + ServerConfig::LogLevel +
                                     "' is not one of NONE, ERROR, WARN, INFO, DEBUG, TARS");
    }
    ServerConfig::Local = configString(conf, p, "server", "local");
    ServerConfig::Ops = configString(conf, p, "server", "ops");
    ServerConfig::Node = configString(conf, p, "server", "node");
    ServerConfig::KeepAliveIntervalMs = configInt(conf, p, "server", "keepaliveinterval");
    if (ServerConfig::KeepAliveIntervalMs < 500) {
        throw ServerConfig_Exception("config " + p +
                                     "<keepaliveinterval>=" + std::to_string(ServerConfig::KeepAliveIntervalMs) +
                                     " is below the minimum of 500 ms");
    }
    ServerConfig::Log = configString(conf, p, "server", "log");
    ServerConfig::Config = configString(conf, p, "server", "config");
    ServerConfig::Notify = configString(conf, p, "server", "notify");
    int64_t netThreads = configInt(conf, p, "server", "netthread");
    if (netThreads < 1 || netThreads > 1024) {
        throw ServerConfig_Exception("config " + p + "<netthread>=" + std::to_string(netThreads) +
                                     " is out of range 1..1024");
    }
    ServerConfig::NetThread = static_cast<int>(netThreads);
    ServerConfig::MergeNetImp = configBool(conf, p, "server", "mergenetimp");
    ServerConfig::BackPacketLimit = configSize(conf, p, "server", "backpacketlimit");
    ServerConfig::ShutdownTimeoutMs = std::max<int64_t>(0, configInt(conf, p, "server", "shutdowntimeout"));
    ServerConfig::IsCheckSet = configBool(conf, p, "server", "checkset");
    ServerConfig::SetDivision =
        SetDivision::fromConfig(conf.get("/tars/application<enableset>", "n"),
                                conf.get("/tars/application<setdivision>", ""), ServerConfig::SetDivisionProblem);
    ServerConfig::PropagateDeadline = configBool(conf, p, "server", "propagate-deadline");
}

}  // namespace tars
