// Helpers of the observability service tests: one framework service process (tarsstat,
// tarsproperty, tarsnotify, tarslog, tarsquery) on reserved loopback ports, and polling of
// its status admin command.
#pragma once

#include <functional>
#include <string>

#include "TestSupport.h"

namespace tars::test {

struct ServiceSpec {
    std::string exe;
    std::string server;          // "tarsstat", "tarsquerystat", ...
    std::string obj;             // "StatObj", "QueryObj", ...
    std::string sections;        // config sections after </application> (<db>, <hashmap> ...)
    std::string adapterExtra{};  // lines of the adapter (cert, key, ca ... with ssl)
    bool ssl = false;
    std::string serverExtra{};  // more lines of /tars/application/server
};

class ServiceProcess {
public:
    explicit ServiceProcess(ServiceSpec spec);
    bool start(int timeoutMs = 20000);
    int port() const { return _port.port(); }
    int adminPort() const { return _admin.port(); }
    // "tars.<server>.<obj>@tcp -h 127.0.0.1 -p <port> -t 60000" (ssl with spec.ssl)
    std::string objectString() const;
    ServerProcess& process() { return _process; }
    const std::string& dir() const { return _process.dir(); }

private:
    ServiceSpec _spec;
    ReservedPort _port;
    ReservedPort _admin;
    ServerProcess _process;
};

// The value of `key` in a "key=value" per line answer ("" when absent).
std::string lineValue(const std::string& text, const std::string& key);
// Polls the admin command until done(answer) holds or timeoutMs passes; the last answer.
std::string waitForAdmin(int adminPort, const std::string& command, const std::function<bool(const std::string&)>& done,
                         int timeoutMs = 15000);
// Polls until done() holds or timeoutMs passes; whether it held.
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 15000);

}  // namespace tars::test
