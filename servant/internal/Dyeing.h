// Dyeing: TARS's request dyeing on a server (TARS-FACTS 1.7, 7).
//
// The admin command `tars.setdyeing <key> <servant> [interface]` sets the server's rule: a
// request to that servant (and that method, when given) whose routing key (status
// STATUS_GRID_KEY, the IDL's `routekey` parameter) equals key is dyed. A request that
// arrives dyed (message type 0x04, key in STATUS_DYED_KEY) is dyed whatever the rule. While
// a dyed request is served, the calls it makes are dyed (CallContext) and the lines the
// thread logs also go to <logpath>/tars_dyeing/dyeing.log, TarsCpp's dyeing log.
// `tars.setdyeing off` drops the rule (TarsCpp has no way to).
//
// Ownership: the Application owns the one of the process and publishes it with
// setServer() while its adapters run; TarsServerProtocol reads it per request.
// Threads: every member is thread-safe; a request pays one relaxed atomic load while no
// rule is set.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "util/tc_logger.h"

namespace tars {

class Dyeing {
public:
    struct Rule {
        std::string key;
        std::string servant;
        std::string interface;  // "" = every method
    };

    // logPath: the server's logpath (the dyeing log goes under it).
    explicit Dyeing(std::string logPath);

    // Sets the rule; key and servant must not be empty.
    void setRule(Rule rule);
    void clearRule();
    bool hasRule() const { return _on.load(std::memory_order_relaxed); }
    Rule rule() const;

    // Whether a request to servant.func carrying status should be dyed; key: its dye key.
    bool dyes(int messageType, const std::map<std::string, std::string>& status, const std::string& servant,
              const std::string& func, std::string& key) const;

    // The dyeing log, opened at its first use; nullptr (said once) when it cannot be.
    TC_Logger* logger();
    std::string logFile() const { return _logFile; }

    // The admin command's handler: "key servant [interface]" or "off".
    std::string command(const std::string& params);

    static Dyeing* server() { return tServer.load(std::memory_order_acquire); }
    static void setServer(Dyeing* dyeing) { tServer.store(dyeing, std::memory_order_release); }

private:
    std::string _logFile;
    mutable std::mutex _mutex;
    Rule _rule;
    std::atomic<bool> _on{false};
    std::once_flag _loggerOnce;
    std::unique_ptr<TC_Logger> _logger;

    static inline std::atomic<Dyeing*> tServer{nullptr};
};

}  // namespace tars
