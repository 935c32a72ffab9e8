#include "internal/Dyeing.h"

#include <vector>

#include "BaseF.h"
#include "util/tc_common.h"

namespace tars {

namespace {
constexpr const char* kGridKey = "STATUS_GRID_KEY";
constexpr const char* kDyedKey = "STATUS_DYED_KEY";
constexpr uint64_t kLogSize = 50 * 1024 * 1024;
constexpr size_t kLogNum = 10;
}  // namespace

Dyeing::Dyeing(std::string logPath) : _logFile(std::move(logPath) + "/tars_dyeing/dyeing.log") {}

void Dyeing::setRule(Rule rule) {
    std::lock_guard lock(_mutex);
    _rule = std::move(rule);
    _on.store(true, std::memory_order_release);
}

void Dyeing::clearRule() {
    std::lock_guard lock(_mutex);
    _rule = Rule{};
    _on.store(false, std::memory_order_release);
}

Dyeing::Rule Dyeing::rule() const {
    std::lock_guard lock(_mutex);
    return _rule;
}

bool Dyeing::dyes(int messageType, const std::map<std::string, std::string>& status, const std::string& servant,
                  const std::string& func, std::string& key) const {
    if ((messageType & TARSMESSAGETYPEDYED) != 0) {
        auto it = status.find(kDyedKey);
        key = it == status.end() ? std::string() : it->second;
        return true;
    }
    if (!_on.load(std::memory_order_acquire)) return false;
    auto grid = status.find(kGridKey);
    if (grid == status.end()) return false;
    std::lock_guard lock(_mutex);
    if (!_on.load(std::memory_order_relaxed) || grid->second != _rule.key || servant != _rule.servant) return false;
    if (!_rule.interface.empty() && func != _rule.interface) return false;
    key = grid->second;
    return true;
}

TC_Logger* Dyeing::logger() {
    std::call_once(_loggerOnce, [this] {
        auto logger = std::make_unique<TC_Logger>();
        try {
            logger->setRollBySize(_logFile, kLogSize, kLogNum);
            logger->setLogLevel(TC_Logger::TARS_LOG);
            logger->setFlushInterval(0);  // read while debugging: every line at once
            _logger = std::move(logger);
        } catch (const std::exception& e) {
            TLOGERROR("[dyeing] cannot open the dyeing log " << _logFile << ": " << e.what() << std::endl);
        }
    });
    return _logger.get();
}

std::string Dyeing::command(const std::string& params) {
    std::vector<std::string> words = TC_Common::sepstr(TC_Common::trim(params), " \t");
    if (words.size() == 1 && words[0] == "off") {
        clearRule();
        return "dyeing off";
    }
    if (words.size() != 2 && words.size() != 3) {
        Rule current = rule();
        return "usage: tars.setdyeing <key> <servant> [interface] (or: tars.setdyeing off); now: " +
               (hasRule() ? "key=" + current.key + " servant=" + current.servant +
                                " interface=" + (current.interface.empty() ? "*" : current.interface)
                          : std::string("off"));
    }
    Rule rule{words[0], words[1], words.size() == 3 ? words[2] : ""};
    setRule(rule);
    TLOGINFO("[dyeing] rule set: key=" << rule.key << " servant=" << rule.servant << " interface="
                                       << (rule.interface.empty() ? "*" : rule.interface) << std::endl);
    return "DyeingKey=" + rule.key + "\r\nDyeingServant=" + rule.servant + "\r\nDyeingInterface=" + rule.interface +
           "\r\nlog: " + _logFile;
}

}  // namespace tars
