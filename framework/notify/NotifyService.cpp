#include "NotifyService.h"

#include <sstream>

#include "util/tc_common.h"
#include "util/tc_config_keys.h"
#include "util/tc_logger.h"

namespace tars {

namespace {

constexpr size_t kNameMax = 128;
constexpr size_t kMessageMax = 64 * 1024;

std::string value(const TC_Config& config, const char* section, const char* name) {
    return declaredValue(config, notifySettingsKeys(), section, name);
}

long long number(const TC_Config& config, const char* section, const char* name, long long min, long long max) {
    return declaredNumber(config, notifySettingsKeys(), section, name, min, max);
}

}  // namespace

const std::vector<NotifySettingsKey>& notifySettingsKeys() {
    static const std::vector<NotifySettingsKey> keys = [] {
        std::vector<NotifySettingsKey> all;
        for (const auto& key : storeConfigKeys())
            all.push_back({"/tars/db", key.name, key.defaultValue, key.description});
        all.push_back({"/tars/db", "createschema", "Y", "Y: create the missing tables of sql/tars_monitor.*.sql."});
        all.push_back({"/tars/notify", "maxrows", "100", "Rows kept per server_id (App.Server_<node>); older go."});
        all.push_back({"/tars/notify", "pagesize", "20", "Rows per getNotifyInfo page."});
        all.push_back({"/tars/notify", "maxbufferrows", "10000",
                       "Events kept in memory while the store fails; more are dropped and counted."});
        all.push_back({"/tars/notify", "retryseconds", "5", "How often events waiting for the store are retried."});
        return all;
    }();
    return keys;
}

NotifySettings NotifySettings::fromConfig(const TC_Config& config, const std::string& dataPath) {
    NotifySettings settings;
    std::string dir = dataPath.empty() ? "." : dataPath;
    if (!dir.ends_with('/')) dir += '/';
    settings.store = StoreSettings::fromConfig(config, dir + "tars_monitor.sqlite");
    std::string create = TC_Common::lower(value(config, "/tars/db", "createschema"));
    settings.createSchema = !(create == "n" || create == "no" || create == "0" || create == "false");
    settings.keep = static_cast<int>(number(config, "/tars/notify", "maxrows", 1, 1000000));
    settings.pageSize = static_cast<int>(number(config, "/tars/notify", "pagesize", 1, 10000));
    settings.maxBufferRows = static_cast<size_t>(number(config, "/tars/notify", "maxbufferrows", 0, 100000000));
    settings.retrySeconds = static_cast<int>(number(config, "/tars/notify", "retryseconds", 1, 3600));
    return settings;
}

NotifyService::NotifyService(const NotifySettings& settings)
    : _settings(settings), _database(settings.store, settings.createSchema), _pending(settings.maxBufferRows) {}

void NotifyService::start() {
    try {
        _database.connect();
    } catch (const StoreError& e) {
        TLOGERROR("notify: the store is not reachable yet (" << e.what() << "); events are kept until it is"
                                                             << std::endl);
    }
    _retry = std::make_unique<IntervalTimer>(_settings.retrySeconds, [this](time_t) { writePending(); });
    _retry->start();
}

void NotifyService::stop() {
    if (_retry) {
        _retry->stop();
        _retry.reset();
    }
}

std::string NotifyService::command(const ReportInfo& info) {
    if (info.eType == NOTIFY) {
        switch (info.eLevel) {
            case NOTIFYERROR: return "[error]";
            case NOTIFYWARN: return "[warn]";
            default: return "[normal]";
        }
    }
    const std::string& m = info.sMessage;
    if (m.find("[alarm]") != std::string::npos) return "[alarm]";
    if (m.find("[error]") != std::string::npos) return "[error]";
    if (m.find("[warn]") != std::string::npos) return "[warn]";
    if (m.find("[fail]") != std::string::npos) return "[error]";
    return "[normal]";
}

std::string NotifyService::add(const ReportInfo& info, const std::string& callerIp) {
    std::string why;
    if (info.sApp.empty() || info.sServer.empty()) {
        why = "empty application or server name";
    } else if (info.sApp.size() > kNameMax || info.sServer.size() > kNameMax || info.sNodeName.size() > kNameMax ||
               info.sContainer.size() > kNameMax || info.sSet.size() > 3 * 64 || info.sThreadId.size() > 64) {
        why = "a name longer than its column";
    } else if (info.sMessage.size() > kMessageMax) {
        why = "message of " + std::to_string(info.sMessage.size()) + " bytes (at most 65536)";
    }
    if (!why.empty()) {
        ++_refused;
        return why;
    }
    NotifyRow row;
    row.application = info.sApp;
    row.serverName = info.sServer;
    row.containerName = info.sContainer;
    row.nodeName = info.sNodeName.empty() ? callerIp : info.sNodeName;
    auto set = TC_Common::sepstr(info.sSet, ".", true);
    if (set.size() == 3) {
        row.setName = set[0];
        row.setArea = set[1];
        row.setGroup = set[2];
    }
    row.serverId = info.sApp + "." + info.sServer + "_" + row.nodeName;
    row.threadId = info.sThreadId;
    row.command = command(info);
    row.result = info.sMessage;
    time_t now = time(nullptr);
    struct tm utc {};
    gmtime_r(&now, &utc);
    char text[32];
    strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &utc);
    row.notifyTime = text;
    _pending.add({std::move(row)});
    // While the store is failing, the retry thread writes: a report never waits on it.
    if (_pending.status().lastError.empty()) writePending();
    return "";
}

void NotifyService::writePending() {
    std::lock_guard<std::mutex> lock(_writeMutex);
    bool written = _pending.write([this](const std::vector<NotifyRow>& rows) {
        _database.run([&](SqlConnection& connection) {
            for (const auto& row : rows) insertNotifyRow(connection, row, _settings.keep);
        });
    });
    if (!written) TLOGERROR("notify: events wait for the store: " << _pending.status().lastError << std::endl);
}

int NotifyService::page(const NotifyKey& key, NotifyInfo& info, std::string& error) {
    auto dot = key.name.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == key.name.size() || key.page < 0) {
        error =
            "bad key: name must be App.Server and page >= 0 (got '" + key.name + "', " + std::to_string(key.page) + ")";
        return -1;
    }
    const std::string app = key.name.substr(0, dot);
    const std::string server = key.name.substr(dot + 1);
    try {
        int64_t offset = int64_t{key.page} * _settings.pageSize;
        // One row more than a page tells whether another page follows.
        auto rows = _database.run([&](SqlConnection& connection) {
            return selectNotifyRows(connection, app, server, key.ip, offset, _settings.pageSize + 1);
        });
        info.nextpage = static_cast<int>(rows.size()) > _settings.pageSize ? key.page + 1 : -1;
        if (static_cast<int>(rows.size()) > _settings.pageSize) rows.pop_back();
        info.notifyItems.clear();
        for (const auto& row : rows) {
            NotifyItem item;
            item.sTimeStamp = row.notifyTime;
            item.sServerId = row.serverId;
            item.iLevel = row.command == "[error]" || row.command == "[alarm]" ? NOTIFYERROR
                          : row.command == "[warn]"                            ? NOTIFYWARN
                                                                               : NOTIFYNORMAL;
            item.sMessage = row.result;
            info.notifyItems.push_back(std::move(item));
        }
        return 0;
    } catch (const StoreError& e) {
        error = e.what();
        return -1;
    }
}

std::string NotifyService::status() const {
    auto pending = _pending.status();
    std::ostringstream os;
    os << "refused_events=" << _refused.load() << "\n"
       << "pending_rows=" << pending.pendingRows << "\n"
       << "dropped_rows=" << pending.droppedRows << "\n"
       << "written_rows=" << pending.writtenRows << "\n"
       << "failed_writes=" << pending.failedWrites << "\n"
       << "last_store_error=" << pending.lastError << "\n"
       << "store=" << _database.describe() << "\n";
    return os.str();
}

}  // namespace tars
