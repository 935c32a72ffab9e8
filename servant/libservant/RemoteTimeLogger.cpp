#include "servant/RemoteTimeLogger.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "LogF.h"
#include "servant/Communicator.h"
#include "util/tc_common.h"
#include "util/tc_file.h"
#include "util/tc_logger.h"

namespace tars {

struct RemoteTimeLogger::Shared {
    std::atomic<int> pending{0};
    std::atomic<uint64_t> linesWritten{0};
    std::atomic<uint64_t> linesSent{0};
    std::atomic<uint64_t> linesDropped{0};
    std::atomic<uint64_t> callsFailed{0};
};

struct RemoteTimeLogger::File {
    std::string day;  // YYYYMMDD of the open file
    std::FILE* handle = nullptr;
    ~File() {
        if (handle != nullptr) std::fclose(handle);
    }
};

namespace {

struct Now {
    std::string day;    // YYYYMMDD
    std::string stamp;  // YYYY-MM-DD HH:MM:SS
};

Now now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char day[16], stamp[32];
    std::strftime(day, sizeof day, "%Y%m%d", &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
    return {day, stamp};
}

class LogCallback final : public LogPrxCallback {
public:
    LogCallback(std::shared_ptr<RemoteTimeLogger::Shared> shared, size_t lines)
        : _shared(std::move(shared)), _lines(lines) {}
    void callback_loggerbyInfo() override { _shared->pending.fetch_sub(1); }
    void callback_loggerbyInfo_exception(Int32 ret) override {
        _shared->pending.fetch_sub(1);
        uint64_t failed = _shared->callsFailed.fetch_add(1) + 1;
        if (failed == 1 || failed % 100 == 0) {
            TLOGWARN("[daylog] loggerbyInfo of " << _lines << " lines failed with " << ret << " (" << failed
                                                 << " calls failed so far)" << std::endl);
        }
    }

private:
    std::shared_ptr<RemoteTimeLogger::Shared> _shared;
    size_t _lines;
};

}  // namespace

RemoteTimeLogger::Line::~Line() {
    if (_logger == nullptr) return;
    try {
        std::string text = _text.str();
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
        _logger->write(_name, text);
    } catch (...) {
        // A log line must never take the program down.
    }
}

RemoteTimeLogger::RemoteTimeLogger() : _shared(std::make_shared<Shared>()) {}

RemoteTimeLogger::~RemoteTimeLogger() { shutdown(); }

RemoteTimeLogger& RemoteTimeLogger::getInstance() {
    static RemoteTimeLogger instance;
    return instance;
}

void RemoteTimeLogger::setLogInfo(const std::shared_ptr<Communicator>& communicator, const std::string& logObj,
                                  const std::string& app, const std::string& server, const std::string& logPath,
                                  const std::string& setDivision, int timeoutMs) {
    std::lock_guard lock(_mutex);
    _communicator = communicator;
    _logObj = logObj;
    _app = app;
    _server = server;
    _logPath = logPath;
    _setDivision = setDivision;
    _timeoutMs = timeoutMs;
    _files.clear();
    _stopping = false;
    if (!_thread.joinable()) _thread = std::thread([this] { run(); });
}

bool RemoteTimeLogger::enabled(bool remote, const std::string& name) const {
    if (remote) return !_allRemoteOff && !_remoteOff.contains(name);
    return !_allLocalOff && !_localOff.contains(name);
}

void RemoteTimeLogger::write(const std::string& name, const std::string& text) {
    Now t = now();
    std::string line = t.stamp + "|" + text;
    std::lock_guard lock(_mutex);
    if (_logPath.empty() || _stopping) return;
    if (enabled(false, name)) {
        auto& file = _files[name];
        if (!file) file = std::make_unique<File>();
        if (file->handle == nullptr || file->day != t.day) {
            if (file->handle != nullptr) std::fclose(file->handle);
            std::string dir = _logPath + "/" + _app + "/" + _server;
            std::string path =
                dir + "/" + _app + "." + _server + (name.empty() ? "" : "_" + name) + "_" + t.day + ".log";
            try {
                TC_File::makeDirRecursive(dir);
            } catch (const std::exception&) {
            }
            file->handle = std::fopen(path.c_str(), "a");
            file->day = t.day;
        }
        if (file->handle != nullptr) {
            std::fwrite(line.data(), 1, line.size(), file->handle);
            std::fputc('\n', file->handle);
            _shared->linesWritten.fetch_add(1, std::memory_order_relaxed);
        }
    }
    if (!_logObj.empty() && enabled(true, name)) {
        if (_buffer.size() >= kMaxBufferedLines) {
            _shared->linesDropped.fetch_add(1, std::memory_order_relaxed);
        } else {
            _buffer.emplace_back(name, std::move(line));
            if (_buffer.size() >= kBatchLines) _wake.notify_one();
        }
    }
}

void RemoteTimeLogger::enable(bool remote, const std::string& name, bool on) {
    std::lock_guard lock(_mutex);
    if (name.empty()) {
        (remote ? _allRemoteOff : _allLocalOff) = !on;
        (remote ? _remoteOff : _localOff).clear();
        return;
    }
    auto& off = remote ? _remoteOff : _localOff;
    if (on) {
        off.erase(name);
    } else {
        off.insert(name);
    }
}

std::string RemoteTimeLogger::enableCommand(const std::string& params) {
    std::vector<std::string> parts = TC_Common::sepstr(TC_Common::trim(params), "|", true);
    const std::string usage = "usage: tars.enabledaylog local|remote[|logname][|true|false]";
    if (parts.empty() || (parts[0] != "local" && parts[0] != "remote") || parts.size() > 3) return "[fail] " + usage;
    bool remote = parts[0] == "remote";
    std::string name;
    bool on = true;
    if (parts.size() == 2) {
        if (parts[1] == "true" || parts[1] == "false") {
            on = parts[1] == "true";
        } else {
            name = parts[1];
        }
    } else if (parts.size() == 3) {
        name = parts[1];
        if (parts[2] != "true" && parts[2] != "false") return "[fail] " + usage;
        on = parts[2] == "true";
    }
    enable(remote, name, on);
    return std::string("[succ] ") + (remote ? "remote" : "local") + " day log " + (name.empty() ? "(all)" : name) +
           (on ? " enabled" : " disabled");
}

RemoteTimeLogger::Counters RemoteTimeLogger::counters() const {
    return {_shared->linesWritten.load(), _shared->linesSent.load(), _shared->linesDropped.load(),
            _shared->callsFailed.load()};
}

void RemoteTimeLogger::flushLocal() {
    std::lock_guard lock(_mutex);
    for (auto& [name, file] : _files) {
        if (file->handle != nullptr) std::fflush(file->handle);
    }
}

void RemoteTimeLogger::sendBuffered(bool all) {
    std::shared_ptr<Communicator> communicator;
    std::string logObj;
    LogInfo info;
    int timeoutMs;
    std::map<std::string, std::vector<std::string>> byName;
    {
        std::lock_guard lock(_mutex);
        if (_buffer.empty() || _logObj.empty() || !_communicator) return;
        int free = kMaxPendingCalls - _shared->pending.load();
        if (free <= 0) return;  // the buffer keeps them (bounded) until calls come back
        size_t take = all ? _buffer.size() : std::min(_buffer.size(), kBatchLines * static_cast<size_t>(free));
        for (size_t i = 0; i < take; ++i) {
            auto& [name, line] = _buffer.front();
            byName[name].push_back(std::move(line));
            _buffer.pop_front();
        }
        communicator = _communicator;
        logObj = _logObj;
        info.appname = _app;
        info.servername = _server;
        info.setdivision = _setDivision;
        timeoutMs = _timeoutMs;
    }
    info.sFormat = "%Y%m%d";
    LogPrx proxy;
    try {
        proxy = communicator->stringToProxy<LogPrx>(logObj);
        proxy->tars_set_report_stats(false);
        proxy->tars_set_async_timeout(timeoutMs);
    } catch (const std::exception& e) {
        size_t lines = 0;
        for (auto& [name, v] : byName) lines += v.size();
        _shared->linesDropped.fetch_add(lines);
        TLOGERROR("[daylog] log object '" << logObj << "': " << e.what() << std::endl);
        return;
    }
    for (auto& [name, lines] : byName) {
        info.sFilename = name;
        for (size_t at = 0; at < lines.size(); at += kBatchLines) {
            std::vector<std::string> batch(
                std::make_move_iterator(lines.begin() + static_cast<std::ptrdiff_t>(at)),
                std::make_move_iterator(lines.begin() +
                                        static_cast<std::ptrdiff_t>(std::min(lines.size(), at + kBatchLines))));
            _shared->pending.fetch_add(1);
            try {
                proxy->async_loggerbyInfo(std::make_shared<LogCallback>(_shared, batch.size()), info, batch);
                _shared->linesSent.fetch_add(batch.size());
            } catch (const std::exception&) {
                _shared->pending.fetch_sub(1);
                _shared->linesDropped.fetch_add(batch.size());
            }
        }
    }
}

void RemoteTimeLogger::run() {
    int64_t lastFlush = 0;
    std::unique_lock lock(_mutex);
    while (!_stopping) {
        _wake.wait_for(lock, std::chrono::milliseconds(kSendIntervalMs),
                       [this] { return _stopping || _buffer.size() >= kBatchLines; });
        if (_stopping) break;
        lock.unlock();
        try {
            sendBuffered(false);
            int64_t t = std::time(nullptr);
            if (t != lastFlush) {
                flushLocal();
                lastFlush = t;
            }
        } catch (const std::exception& e) {
            TLOGERROR("[daylog] " << e.what() << std::endl);
        }
        lock.lock();
    }
}

void RemoteTimeLogger::shutdown() {
    {
        std::lock_guard lock(_mutex);
        if (_stopping && !_thread.joinable()) return;
        _stopping = true;
    }
    _wake.notify_all();
    if (_thread.joinable()) _thread.join();
    try {
        sendBuffered(true);
    } catch (const std::exception& e) {
        TLOGERROR("[daylog] " << e.what() << std::endl);
    }
    std::lock_guard lock(_mutex);
    _files.clear();
    _buffer.clear();
    _communicator.reset();
}

}  // namespace tars
