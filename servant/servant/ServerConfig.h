// ServerConfig: the settings of /tars/application/server that the whole process reads,
// under the names TARS users know (ServerConfig::Application, ServerConfig::ServerName ...).
//
// Every key a server reads is declared once, in ServerConfig.cpp, with its default and a
// one-line description (serverConfigKeys()); docs/config.md lists the same table and a
// test checks that they agree. A value that does not parse is an error naming the key and
// the value; an unknown key is reported at start on stderr and in the log with its line
// and the closest known key (fatal with strict=1 or --strict-config); keys other TARS
// components put in the same sections are accepted.
//
// Threads: the statics are written once by Application::main() before any server thread
// starts and only read afterwards, so reading them from any thread needs no lock.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "util/tc_config.h"
#include "util/tc_config_keys.h"
#include "util/tc_ex.h"

namespace tars {

struct ServerConfig_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

struct ServerConfig {
    static inline std::string Application = "UNKNOWN";           // app
    static inline std::string ServerName;                        // server (default: executable name)
    static inline std::string LocalIp;                           // localip
    static inline std::string NodeName;                          // nodename (default: localip)
    static inline std::string BasePath = ".";                    // basepath
    static inline std::string DataPath = ".";                    // datapath
    static inline std::string LogPath = ".";                     // logpath (files in logpath/app/server/)
    static inline uint64_t LogSize = 50 * 1024 * 1024;           // logsize
    static inline int LogNum = 10;                               // lognum
    static inline std::string LogLevel = "DEBUG";                // logLevel
    static inline std::string Local;                             // local: AdminObj endpoint ("" = none)
    static inline std::string Ops;                               // ops: HTTP ops endpoint ("" = none)
    static inline std::string Node;                              // node: tarsnode ServerObj ("" = none)
    static inline int64_t KeepAliveIntervalMs = 10000;           // keepaliveinterval: heartbeat period to the node
    static inline std::string Log;                               // log: remote log servant ("" = none)
    static inline std::string Config;                            // config: config servant ("" = none)
    static inline std::string Notify;                            // notify: notify servant ("" = none)
    static inline std::string ConfigFile;                        // the --config file
    static inline int NetThread = 1;                             // netthread
    static inline bool MergeNetImp = false;                      // mergenetimp: handles run in the net threads
    static inline uint64_t BackPacketLimit = 100 * 1024 * 1024;  // backpacketlimit (bytes per connection)
    static inline int64_t ShutdownTimeoutMs = 5000;              // shutdowntimeout (drain bound at exit)
    static inline bool IsCheckSet = true;                        // checkset
    // /tars/application<enableset>, <setdivision>: the server's set (name.area.group), ""
    // when it is in none; SetDivisionProblem says why a malformed one was turned off.
    static inline std::string SetDivision;
    static inline std::string SetDivisionProblem;
    static inline bool PropagateDeadline = true;  // propagate-deadline (docs/client.md)
};

// One declared configuration key.
struct ConfigKeyInfo {
    const char* scope;  // "server" (/tars/application/server) or "adapter" (its sub-sections)
    const char* name;
    const char* defaultValue;  // as written in a config file; "" = empty
    const char* description;   // one line
};

// Every key of the server section and of an adapter section, in documentation order.
const std::vector<ConfigKeyInfo>& serverConfigKeys();

// Reads a declared key of the section at path (scope as in ConfigKeyInfo); a missing key
// gives the declared default. Throws ServerConfig_Exception for an undeclared key (a
// programming error) and, in the typed forms, for a value that does not parse.
std::string configString(const TC_Config& conf, const std::string& path, const char* scope, const char* key);
int64_t configInt(const TC_Config& conf, const std::string& path, const char* scope, const char* key);
// Sizes accept the K/M/G suffixes ("100M").
uint64_t configSize(const TC_Config& conf, const std::string& path, const char* scope, const char* key);
bool configBool(const TC_Config& conf, const std::string& path, const char* scope, const char* key);

// Keys of scope ("server", "adapter") that other TARS components (tarsnode, TLS, coroutines)
// put there: accepted and ignored.
const std::set<std::string>& toleratedConfigKeys(const char* scope);

// What checkConfigKeys() (util/tc_config_keys.h) allows in a server's config file: the
// server section, every adapter section, /tars/application/client (Communicator::keys()
// and the TARS report keys) and each per-object client section. ConfigKeyRules.cpp.
std::vector<ConfigKeyRule> serverConfigKeyRules();

// Fills the ServerConfig statics from /tars/application/server of conf. exeName is the
// default server name. Throws ServerConfig_Exception naming the key on a bad value.
void loadServerConfig(const TC_Config& conf, const std::string& configFile, const std::string& exeName);

}  // namespace tars
