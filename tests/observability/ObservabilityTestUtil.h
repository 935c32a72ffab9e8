// Helpers of the observability tests: the sink process (ObservabilitySink) and parsing of
// what it recorded.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "TestSupport.h"

namespace tars::test {

// An adapter section with the defaults of AdapterSpec.
AdapterSpec adapter(const std::string& name, const std::string& servant, int port);

// One ObservabilitySink process on ephemeral loopback ports.
class Sink {
public:
    Sink();
    ~Sink();
    bool start();
    std::string statObj() const { return object("StatObj", _stat); }
    std::string propertyObj() const { return object("PropertyObj", _property); }
    std::string notifyObj() const { return object("NotifyObj", _notify); }
    std::string logObj() const { return object("LogObj", _log); }
    // Every line recorded so far.
    std::vector<std::string> lines() const;
    // Polls lines() until done(lines) or timeoutMs; the last lines.
    std::vector<std::string> waitFor(const std::function<bool(const std::vector<std::string>&)>& done,
                                     int timeoutMs = 20000) const;
    std::string log() const { return _process->log() + _process->output(); }

private:
    std::string object(const std::string& name, int port) const;
    std::unique_ptr<ServerProcess> _process;
    ReservedPort _admin, _stat, _property, _notify, _log;
};

// "key=value" fields of a sink line (values run to the next " key=", except msg= and
// line=, which run to the end).
std::map<std::string, std::string> fields(const std::string& line);

// Sums the stat rows (lines "stat ...") by their head (client, master, masterip, slave,
// iface, slaveip, port, ret): count, timeout, exec, total, and buckets per point; min and
// max kept as min/max.
struct StatSum {
    long count = 0, timeout = 0, exec = 0, total = 0, min = -1, max = -1, rows = 0;
    std::map<int, long> buckets;
};
std::map<std::string, StatSum> sumStats(const std::vector<std::string>& lines);
std::string statKey(int client, const std::string& master, const std::string& masterIp, const std::string& slave,
                    const std::string& iface, const std::string& slaveIp, int port, int ret);

}  // namespace tars::test
