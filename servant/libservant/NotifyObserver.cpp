#include "servant/NotifyObserver.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "util/tc_common.h"
#include "util/tc_logger.h"

namespace tars {

NotifyObserver& NotifyObserver::getInstance() {
    static NotifyObserver instance;
    return instance;
}

void NotifyObserver::registerNormal(const std::string& command, AdminCommandHandler handler,
                                    std::shared_ptr<AdminCommandLock> lock) {
    std::lock_guard guard(_mutex);
    _normal.push_back(Entry{command, std::move(handler), std::move(lock)});
}

void NotifyObserver::registerPrefix(const std::string& command, AdminCommandHandler handler,
                                    std::shared_ptr<AdminCommandLock> lock) {
    std::lock_guard guard(_mutex);
    _prefix.push_back(Entry{command, std::move(handler), std::move(lock)});
}

void NotifyObserver::unregister(const std::shared_ptr<AdminCommandLock>& lock) {
    std::lock_guard guard(_mutex);
    auto owned = [&](const Entry& e) { return e.lock == lock; };
    _normal.erase(std::remove_if(_normal.begin(), _normal.end(), owned), _normal.end());
    _prefix.erase(std::remove_if(_prefix.begin(), _prefix.end(), owned), _prefix.end());
}

void NotifyObserver::clear() {
    std::lock_guard guard(_mutex);
    _normal.clear();
    _prefix.clear();
}

bool NotifyObserver::call(const Entry& e, const std::string& cmd, const std::string& params, std::string& result) {
    try {
        if (!e.lock) return e.handler(cmd, params, result);
        std::lock_guard guard(e.lock->mutex);
        if (!e.lock->alive) {
            result = "servant destroyed";
            return true;
        }
        return e.handler(cmd, params, result);
    } catch (const std::exception& ex) {
        result = std::string("handler threw: ") + ex.what();
        return false;
    }
}

std::string NotifyObserver::notify(const std::string& commandLine) {
    std::string line = TC_Common::trim(commandLine);
    size_t space = line.find(' ');
    std::string cmd = line.substr(0, space);
    std::string params = space == std::string::npos ? "" : TC_Common::trim(line.substr(space + 1));

    std::vector<Entry> prefix;
    std::vector<Entry> normal;
    {
        std::lock_guard guard(_mutex);
        for (const Entry& e : _prefix) {
            if (!e.command.empty() && cmd.starts_with(e.command)) prefix.push_back(e);
        }
        for (const Entry& e : _normal) {
            if (e.command == cmd) normal.push_back(e);
        }
    }
    TLOGINFO("[admin] notify '" << line << "'" << std::endl);
    if (prefix.empty() && normal.empty()) {
        return "[notify] no handler for command '" + cmd + "' (tars.help lists the commands)\n";
    }
    std::ostringstream os;
    auto runAll = [&](const std::vector<Entry>& entries, const char* header) {
        if (entries.empty()) return true;
        os << "[notify " << header << " object num:" << entries.size() << "]\n";
        for (size_t i = 0; i < entries.size(); ++i) {
            std::string result;
            bool go = call(entries[i], cmd, params, result);
            os << "[" << i + 1 << "]:" << result << "\n";
            if (!go) {
                os << "[notify break...]\n";
                return false;
            }
        }
        return true;
    };
    if (runAll(prefix, "prefix")) runAll(normal, "servant");
    return os.str();
}

std::vector<std::string> NotifyObserver::commands() const {
    std::set<std::string> names;
    std::lock_guard guard(_mutex);
    for (const Entry& e : _normal) names.insert(e.command);
    for (const Entry& e : _prefix) names.insert(e.command + "*");
    return {names.begin(), names.end()};
}

}  // namespace tars
