// Helpers of the framework-client tests: the config file of ConfigTestServer, a client of
// its ProbeObj, and a tarsconfig process on a TestDatabase.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "ConfigF.h"
#include "ConfigProbe.h"
#include "TestDatabase.h"
#include "TestSupport.h"
#include "servant/Communicator.h"

namespace tars::test {

constexpr const char* kTestApp = "Test";
constexpr const char* kTestServer = "ConfigTestServer";
constexpr const char* kProbeObj = "Test.ConfigTestServer.ProbeObj";
constexpr const char* kProbeAdapter = "Test.ConfigTestServer.ProbeObjAdapter";

struct TestServerSpec {
    int probePort = 0;
    int adminPort = 0;
    int probeThreads = 1;
    std::string serverKeys{};  // more key=value lines of /tars/application/server
    std::string testKeys{};    // lines of /tars/application/test (addconfig, addappconfig, initsleepms)
    std::string clientKeys{};  // more lines of /tars/application/client (locator ...)
    std::string basePath = "@DIR@/base";
    std::string dataPath = "@DIR@/data";
};

// The config file of ConfigTestServer (logpath @LOG@; ServerProcess fills in @DIR@).
std::string testServerConfig(const TestServerSpec& spec);

// Calls the ProbeObj of a ConfigTestServer through a Communicator of its own.
class ProbeClient {
public:
    explicit ProbeClient(int port);
    // The content of basepath/name in the server; nullopt if it has no such file or the
    // call failed.
    std::optional<std::string> readFile(const std::string& name);
    ConfigTest::ProbePrx proxy() const { return _probe; }

private:
    std::shared_ptr<Communicator> _communicator;
    ConfigTest::ProbePrx _probe;
};

// One tarsconfig process on reserved loopback ports, its store a TestDatabase.
class ConfigServiceProcess {
public:
    // limit: lines of /tars/limit (empty: the defaults). tls: lines of ConfigObj's adapter
    // (cert, key, ca, ...) that put it on an ssl endpoint; empty: tcp.
    explicit ConfigServiceProcess(const TestDatabase& db, const std::string& limit = "", const std::string& tls = "");
    bool start(int timeoutMs = 20000);
    int port() const { return _config.port(); }
    int adminPort() const { return _admin.port(); }
    // "tars.tarsconfig.ConfigObj@tcp -h 127.0.0.1 -p <port> -t 60000" (ssl with tls)
    std::string objectString() const;
    ServerProcess& process() { return _process; }

private:
    const TestDatabase& _db;
    std::string _limit;
    std::string _tls;
    ReservedPort _config;
    ReservedPort _admin;
    ServerProcess _process;
};

}  // namespace tars::test
