// NotifyObserver: the admin commands of the process (AdminF.notify), registered by the
// Application and by servants with TARS_ADD_ADMIN_CMD_NORMAL / TARS_ADD_ADMIN_CMD_PREFIX.
//
// notify("cmd params"): cmd is the text before the first space. Every PREFIX handler whose
// command cmd starts with runs first, then every NORMAL handler registered for exactly cmd
// (the application's and one per servant instance, i.e. per handle thread). The answer is
//   [notify prefix object num:N]      (when prefix handlers ran)
//   [1]:<result>
//   [notify servant object num:M]     (when normal handlers ran)
//   [1]:<result>
//   ...
// A handler returning false stops the chain: its result is followed by a line
// "[notify break...]" and no further handler runs. No handler at all: a line saying so.
//
// Servant handlers run under their handle's admin lock (the lock held around each request),
// so they never run concurrently with a request of the same servant instance; a handler of
// a servant already destroyed is skipped.
// Threads: every member is thread-safe; handlers are called without the registry lock.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tars {

// The lock of one servant instance's admin commands and whether the instance is still
// alive, shared by its registry entries: a command runs under the lock, and not at all
// once the instance is gone.
struct AdminCommandLock {
    std::mutex mutex;
    bool alive = true;
};

using AdminCommandHandler =
    std::function<bool(const std::string& command, const std::string& params, std::string& result)>;

class NotifyObserver {
public:
    static NotifyObserver& getInstance();

    // lock: the servant instance's admin lock, or nullptr for application handlers.
    void registerNormal(const std::string& command, AdminCommandHandler handler,
                        std::shared_ptr<AdminCommandLock> lock = nullptr);
    void registerPrefix(const std::string& command, AdminCommandHandler handler,
                        std::shared_ptr<AdminCommandLock> lock = nullptr);
    // Drops every handler registered under lock (a servant going away).
    void unregister(const std::shared_ptr<AdminCommandLock>& lock);
    void clear();

    std::string notify(const std::string& commandLine);
    // The registered commands: "cmd" for normal, "cmd*" for prefix ones, sorted, unique.
    std::vector<std::string> commands() const;

private:
    struct Entry {
        std::string command;
        AdminCommandHandler handler;
        std::shared_ptr<AdminCommandLock> lock;
    };
    static bool call(const Entry& e, const std::string& cmd, const std::string& params, std::string& result);

    mutable std::mutex _mutex;
    std::vector<Entry> _normal;
    std::vector<Entry> _prefix;
};

}  // namespace tars
