// TC_Logger: a log destination with a level, written by many threads.
//
// Levels (TARS names and order): NONE < ERROR < WARN < INFO < DEBUG < TARS. A record is
// written when its level is not NONE and is at or below the logger's level, so DEBUG
// shows ERROR, WARN, INFO and DEBUG records. setLogLevel("WARN") etc. takes the names
// of the admin command `tars.setloglevel NONE|ERROR|WARN|DEBUG|INFO|TARS`.
//
// Destinations: stderr (the default), a file rolled by size (path, path.1, ... up to
// maxNum files in all: app.log, app.1.log, app.2.log), or a file per day
// (path "dir/app.log" writes "dir/app_20240501.log"). Each record is one line:
//   2024-05-01 13:45:10.123|<thread id>|DEBUG|message
// (one trailing '\n' of the message, e.g. from `<< endl`, is dropped).
//
// Flushing: records go through a stdio buffer; it is flushed on every ERROR record, when
// a record comes more than flushIntervalMs (default 1000) after the last flush, on
// flush(), and by the destructor. The owner of a long-lived logger flushes from its own
// timer to bound the delay of an idle tail.
//
// Threads: every member is thread-safe; a level check is one relaxed atomic load.
// global() is the process log behind the TLOGxxx macros; it is never destroyed (log
// lines written during static destruction are safe), and stdio flushes it at exit().
// Errors: set* destinations throw TC_Logger_Exception when the file cannot be opened
// (the previous destination stays); write errors never throw into the caller (the record
// is lost and one line goes to stderr).
//
// Macros, all taking a stream expression:
//   TLOGERROR("connect " << ip << " failed" << endl);   TLOGWARN, TLOGINFO, TLOGDEBUG, TLOGTARS
//   TLOG_ERROR(...) etc.: the same, prefixed with "[file:line:function] "
//   TC_LOG(logger, TC_Logger::INFO_LOG, "x=" << x);     any logger
// The message expression is evaluated only when the level is enabled.
// The spdlog back end stays inside util/src: nothing here exposes it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "util/tc_ex.h"

namespace tars {

struct TC_Logger_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

class TC_LogStream;

class TC_Logger {
public:
    enum LogLevel { NONE_LOG = 1, ERROR_LOG = 2, WARN_LOG = 3, INFO_LOG = 4, DEBUG_LOG = 5, TARS_LOG = 6 };

    TC_Logger();  // stderr, level DEBUG_LOG
    ~TC_Logger();
    TC_Logger(const TC_Logger&) = delete;
    TC_Logger& operator=(const TC_Logger&) = delete;

    static TC_Logger& global();

    void setConsole();
    // maxSize bytes per file (> 0), maxNum files in all (>= 1); parent directories are
    // created.
    void setRollBySize(const std::string& path, uint64_t maxSize, size_t maxNum);
    // A new file each day at midnight (local time); maxFiles > 0 keeps only that many.
    void setRollByDay(const std::string& path, uint16_t maxFiles = 0);
    // The file written now ("" for stderr).
    std::string getPath() const;

    void setLogLevel(LogLevel level) { _level.store(level, std::memory_order_relaxed); }
    // Accepts NONE, ERROR, WARN, INFO, DEBUG, TARS (any case); false leaves it unchanged.
    bool setLogLevel(std::string_view name);
    LogLevel getLogLevel() const { return static_cast<LogLevel>(_level.load(std::memory_order_relaxed)); }
    bool isNeedLog(LogLevel level) const {
        return level != NONE_LOG && level <= _level.load(std::memory_order_relaxed);
    }

    static const char* levelName(LogLevel level);
    static std::optional<LogLevel> parseLevel(std::string_view name);

    // Writes one record (if the level is enabled).
    void log(LogLevel level, std::string_view message);
    void flush();
    void setFlushInterval(int64_t ms) { _flushIntervalMs.store(ms, std::memory_order_relaxed); }

    // While a TeeScope is open on a thread, every record that thread writes to global()
    // also goes to tee (at tee's own level): TARS's dyeing log, which gets the lines of the
    // requests being dyed. Scopes nest; nullptr opens none.
    class TeeScope {
    public:
        explicit TeeScope(TC_Logger* tee) noexcept : _previous(tTee) {
            if (tee != nullptr) tTee = tee;
        }
        ~TeeScope() { tTee = _previous; }
        TeeScope(const TeeScope&) = delete;
        TeeScope& operator=(const TeeScope&) = delete;

    private:
        TC_Logger* _previous;
    };

    // Stream style: logger.debug() << "x=" << x << endl; writes when the stream ends.
    TC_LogStream error();
    TC_LogStream warn();
    TC_LogStream info();
    TC_LogStream debug();
    TC_LogStream tars();

private:
    struct Backend;  // the spdlog sink, defined in tc_logger.cpp

    void replaceBackend(std::unique_ptr<Backend> backend);
    void write(LogLevel level, std::string_view message);

    static inline thread_local constinit TC_Logger* tTee = nullptr;

    std::atomic<int> _level{DEBUG_LOG};
    std::atomic<int64_t> _flushIntervalMs{1000};
    mutable std::mutex _mutex;
    std::unique_ptr<Backend> _backend;
    int64_t _lastFlushMs = 0;
};

// One record under construction: collects `<<` pieces, writes them to the logger when
// destroyed. A disabled stream (level off) ignores its input.
class TC_LogStream {
public:
    TC_LogStream(TC_Logger* logger, TC_Logger::LogLevel level)
        : _logger(logger && logger->isNeedLog(level) ? logger : nullptr), _level(level) {
        if (_logger) _os.emplace();
    }
    ~TC_LogStream() {
        if (_logger) _logger->log(_level, _os->view());
    }
    TC_LogStream(TC_LogStream&& other) noexcept
        : _logger(std::exchange(other._logger, nullptr)), _level(other._level), _os(std::move(other._os)) {}
    TC_LogStream& operator=(TC_LogStream&&) = delete;

    template <typename T>
    TC_LogStream& operator<<(const T& value) {
        if (_logger) *_os << value;
        return *this;
    }
    TC_LogStream& operator<<(std::ostream& (*manip)(std::ostream&)) {
        if (_logger) manip(*_os);
        return *this;
    }

    std::ostream& stream() { return _logger ? static_cast<std::ostream&>(*_os) : nullStream(); }

private:
    static std::ostream& nullStream();

    TC_Logger* _logger;
    TC_Logger::LogLevel _level;
    std::optional<std::ostringstream> _os;
};

namespace detail {
constexpr const char* logBaseName(const char* path) {
    const char* base = path;
    for (const char* p = path; *p; ++p) {
        if (*p == '/') base = p + 1;
    }
    return base;
}
}  // namespace detail

}  // namespace tars

#define TC_LOG(logger, level, msg)                                          \
    do {                                                                    \
        ::tars::TC_Logger& tc_log_logger_ = (logger);                       \
        if (tc_log_logger_.isNeedLog(level)) {                              \
            ::tars::TC_LogStream(&tc_log_logger_, (level)).stream() << msg; \
        }                                                                   \
    } while (0)

#define TC_LOG_AT_(level, msg)                 \
    TC_LOG(::tars::TC_Logger::global(), level, \
           "[" << ::tars::detail::logBaseName(__FILE__) << ":" << __LINE__ << ":" << __func__ << "] " << msg)

#define TLOGERROR(msg) TC_LOG(::tars::TC_Logger::global(), ::tars::TC_Logger::ERROR_LOG, msg)
#define TLOGWARN(msg) TC_LOG(::tars::TC_Logger::global(), ::tars::TC_Logger::WARN_LOG, msg)
#define TLOGINFO(msg) TC_LOG(::tars::TC_Logger::global(), ::tars::TC_Logger::INFO_LOG, msg)
#define TLOGDEBUG(msg) TC_LOG(::tars::TC_Logger::global(), ::tars::TC_Logger::DEBUG_LOG, msg)
#define TLOGTARS(msg) TC_LOG(::tars::TC_Logger::global(), ::tars::TC_Logger::TARS_LOG, msg)

#define TLOG_ERROR(msg) TC_LOG_AT_(::tars::TC_Logger::ERROR_LOG, msg)
#define TLOG_WARN(msg) TC_LOG_AT_(::tars::TC_Logger::WARN_LOG, msg)
#define TLOG_INFO(msg) TC_LOG_AT_(::tars::TC_Logger::INFO_LOG, msg)
#define TLOG_DEBUG(msg) TC_LOG_AT_(::tars::TC_Logger::DEBUG_LOG, msg)
#define TLOG_TARS(msg) TC_LOG_AT_(::tars::TC_Logger::TARS_LOG, msg)
