#include "util/tc_logger.h"

#include <spdlog/details/log_msg.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/daily_file_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cstdio>
#include <ctime>

#include "util/tc_common.h"
#include "util/tc_file.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {

// Our logger serialises every sink call under its own mutex: single-threaded sinks.
using NullMutex = spdlog::details::null_mutex;

// "dir/app.log" -> "dir/app_20240501.log" (the TARS day-log naming).
struct DayFileName {
    static spdlog::filename_t calc_filename(const spdlog::filename_t& filename, const std::tm& now) {
        auto [base, ext] = spdlog::details::file_helper::split_by_extension(filename);
        char date[48];
        std::snprintf(date, sizeof(date), "%04d%02d%02d", now.tm_year + 1900, now.tm_mon + 1, now.tm_mday);
        return base + "_" + date + ext;
    }
};

spdlog::level::level_enum toSpd(TC_Logger::LogLevel level) {
    switch (level) {
        case TC_Logger::ERROR_LOG: return spdlog::level::err;
        case TC_Logger::WARN_LOG: return spdlog::level::warn;
        case TC_Logger::INFO_LOG: return spdlog::level::info;
        case TC_Logger::DEBUG_LOG: return spdlog::level::debug;
        case TC_Logger::TARS_LOG: return spdlog::level::trace;
        default: return spdlog::level::off;
    }
}

// %L in our pattern: the TARS level name.
class TarsLevelFlag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        const char* name = "NONE";
        switch (msg.level) {
            case spdlog::level::err: name = "ERROR"; break;
            case spdlog::level::warn: name = "WARN"; break;
            case spdlog::level::info: name = "INFO"; break;
            case spdlog::level::debug: name = "DEBUG"; break;
            case spdlog::level::trace: name = "TARS"; break;
            default: break;
        }
        dest.append(std::string_view(name));
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<TarsLevelFlag>(); }
};

std::unique_ptr<spdlog::formatter> makeFormatter() {
    auto f = std::make_unique<spdlog::pattern_formatter>();
    f->add_flag<TarsLevelFlag>('*').set_pattern("%Y-%m-%d %H:%M:%S.%e|%t|%*|%v");
    return f;
}

void makeParentDirs(const std::string& path) {
    std::string dir = TC_File::extractFilePath(path);
    if (!dir.empty() && dir != "./") TC_File::makeDirRecursive(dir);
}

}  // namespace

struct TC_Logger::Backend {
    std::unique_ptr<spdlog::sinks::sink> sink;
    std::string path;
};

TC_Logger::TC_Logger() { setConsole(); }

TC_Logger::~TC_Logger() { flush(); }

TC_Logger& TC_Logger::global() {
    // Never destroyed: code running in static destructors may still log.
    static TC_Logger* logger = new TC_Logger();
    return *logger;
}

void TC_Logger::replaceBackend(std::unique_ptr<Backend> backend) {
    backend->sink->set_formatter(makeFormatter());
    std::unique_ptr<Backend> old;
    {
        std::lock_guard lock(_mutex);
        old = std::exchange(_backend, std::move(backend));
        if (old) old->sink->flush();
        _lastFlushMs = TC_TimeProvider::steadyNowMs();
    }
    // old is closed here, outside the lock.
}

void TC_Logger::setConsole() {
    auto b = std::make_unique<Backend>();
    b->sink = std::make_unique<spdlog::sinks::stderr_sink_st>();
    replaceBackend(std::move(b));
}

void TC_Logger::setRollBySize(const std::string& path, uint64_t maxSize, size_t maxNum) {
    if (maxSize == 0) throw TC_Logger_Exception("log file '" + path + "': maximum size must be > 0");
    if (maxNum == 0) maxNum = 1;
    auto b = std::make_unique<Backend>();
    try {
        makeParentDirs(path);
        b->sink = std::make_unique<spdlog::sinks::rotating_file_sink<NullMutex>>(path, maxSize, maxNum - 1);
    } catch (const std::exception& e) {
        throw TC_Logger_Exception("cannot open log file '" + path + "': " + e.what());
    }
    b->path = path;
    replaceBackend(std::move(b));
}

void TC_Logger::setRollByDay(const std::string& path, uint16_t maxFiles) {
    auto b = std::make_unique<Backend>();
    try {
        makeParentDirs(path);
        b->sink = std::make_unique<spdlog::sinks::daily_file_sink<NullMutex, DayFileName>>(path, 0, 0, false, maxFiles);
    } catch (const std::exception& e) {
        throw TC_Logger_Exception("cannot open log file '" + path + "': " + e.what());
    }
    time_t now = ::time(nullptr);
    std::tm tmv;
    ::localtime_r(&now, &tmv);
    b->path = DayFileName::calc_filename(path, tmv);
    replaceBackend(std::move(b));
}

std::string TC_Logger::getPath() const {
    std::lock_guard lock(_mutex);
    return _backend ? _backend->path : std::string();
}

bool TC_Logger::setLogLevel(std::string_view name) {
    auto level = parseLevel(name);
    if (!level) return false;
    setLogLevel(*level);
    return true;
}

const char* TC_Logger::levelName(LogLevel level) {
    switch (level) {
        case NONE_LOG: return "NONE";
        case ERROR_LOG: return "ERROR";
        case WARN_LOG: return "WARN";
        case INFO_LOG: return "INFO";
        case DEBUG_LOG: return "DEBUG";
        case TARS_LOG: return "TARS";
    }
    return "UNKNOWN";
}

std::optional<TC_Logger::LogLevel> TC_Logger::parseLevel(std::string_view name) {
    std::string n = TC_Common::upper(TC_Common::trim(name));
    for (LogLevel l : {NONE_LOG, ERROR_LOG, WARN_LOG, INFO_LOG, DEBUG_LOG, TARS_LOG}) {
        if (n == levelName(l)) return l;
    }
    return std::nullopt;
}

void TC_Logger::log(LogLevel level, std::string_view message) {
    if (TC_Logger* tee = tTee; tee != nullptr && tee != this && this == &global()) [[unlikely]]
        tee->log(level, message);
    if (!isNeedLog(level)) return;
    write(level, message);
}

void TC_Logger::write(LogLevel level, std::string_view message) {
    if (!message.empty() && message.back() == '\n') message.remove_suffix(1);
    spdlog::details::log_msg msg(spdlog::source_loc{}, spdlog::string_view_t(), toSpd(level),
                                 spdlog::string_view_t(message.data(), message.size()));
    std::lock_guard lock(_mutex);
    try {
        _backend->sink->log(msg);
        int64_t now = TC_TimeProvider::steadyNowMs();
        if (level == ERROR_LOG || now - _lastFlushMs >= _flushIntervalMs.load(std::memory_order_relaxed)) {
            _backend->sink->flush();
            _lastFlushMs = now;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "TC_Logger: write to '%s' failed: %s\n", _backend->path.c_str(), e.what());
    }
}

void TC_Logger::flush() {
    std::lock_guard lock(_mutex);
    if (!_backend) return;
    try {
        _backend->sink->flush();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "TC_Logger: flush of '%s' failed: %s\n", _backend->path.c_str(), e.what());
    }
    _lastFlushMs = TC_TimeProvider::steadyNowMs();
}

TC_LogStream TC_Logger::error() { return TC_LogStream(this, ERROR_LOG); }
TC_LogStream TC_Logger::warn() { return TC_LogStream(this, WARN_LOG); }
TC_LogStream TC_Logger::info() { return TC_LogStream(this, INFO_LOG); }
TC_LogStream TC_Logger::debug() { return TC_LogStream(this, DEBUG_LOG); }
TC_LogStream TC_Logger::tars() { return TC_LogStream(this, TARS_LOG); }

std::ostream& TC_LogStream::nullStream() {
    // A stream with no buffer: every insertion fails silently. One per thread, so the
    // failbit set by one thread's insertions never races with another's.
    thread_local std::ostream null(nullptr);
    return null;
}

}  // namespace tars
