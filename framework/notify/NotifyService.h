// NotifyService: the running tarsnotify's state, shared by its servants (one NotifyImp
// per handle thread): the store of t_server_notifys, the events waiting for it, and the
// retry thread.
//
// add() checks the event, turns it into a row (server_id App.Server_<node or caller IP>,
// command [alarm] [error] [warn] [normal]) and writes it with everything still waiting,
// oldest first; each insert trims its server_id to the newest `keep` rows. When the store
// fails the rows wait in memory (up to maxbufferrows; more are dropped and counted) and
// the retry thread writes them every retryseconds. page() reads one page, newest first.
//
// Threads: every member is thread-safe; start()/stop() from the Application.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "IntervalTimer.h"
#include "MonitorDatabase.h"
#include "NotifyF.h"
#include "NotifyStore.h"
#include "PendingRows.h"
#include "util/tc_config.h"

namespace tars {

struct NotifySettings {
    StoreSettings store;
    bool createSchema = true;
    int keep = 100;     // rows kept per server_id
    int pageSize = 20;  // rows per getNotifyInfo page
    size_t maxBufferRows = 10000;
    int retrySeconds = 5;

    // Throws TC_Exception naming the key of a value that does not parse.
    static NotifySettings fromConfig(const TC_Config& config, const std::string& dataPath);
};

struct NotifySettingsKey {
    const char* section;
    const char* name;
    const char* defaultValue;
    const char* description;
};
const std::vector<NotifySettingsKey>& notifySettingsKeys();

class NotifyService {
public:
    explicit NotifyService(const NotifySettings& settings);
    ~NotifyService() { stop(); }
    NotifyService(const NotifyService&) = delete;
    NotifyService& operator=(const NotifyService&) = delete;

    void start();
    void stop();

    // "" when stored (or queued); else why it was refused (nothing is stored).
    std::string add(const ReportInfo& info, const std::string& callerIp);
    // The rows of name (App.Server), of node ip unless empty, page `page` (0 = newest).
    // Returns 0 (nextpage = page + 1 when more rows follow, else -1), or -1 for a bad key
    // or a store error (error says which).
    int page(const NotifyKey& key, NotifyInfo& info, std::string& error);
    std::string status() const;

    // The row's command for an event: REPORT by the marker in the text ([alarm], [error],
    // [warn]; [fail] is [error]), NOTIFY by its level.
    static std::string command(const ReportInfo& info);

private:
    void writePending();

    const NotifySettings _settings;
    MonitorDatabase _database;
    PendingRows<NotifyRow> _pending;
    std::mutex _writeMutex;
    std::atomic<uint64_t> _refused{0};
    std::unique_ptr<IntervalTimer> _retry;
};

}  // namespace tars
