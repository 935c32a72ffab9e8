// RemoteTimeLogger: TARS's day logs. `DLOG << ... << std::endl;` and
// `FDLOG("name") << ...;` write one line (prefixed "YYYY-MM-DD HH:MM:SS|") to the local
// file <logpath>/<app>/<server>/<app>.<server>_<name>_<YYYYMMDD>.log
// (<app>.<server>_<YYYYMMDD>.log for DLOG), and, when /tars/application/server<log>
// names the log object (tars.tarslog.LogObj), send it to Log.loggerbyInfo(LogInfo{app,
// server, name, "%Y%m%d", setdivision}, lines) in batches.
//
// Never in the way: the local write appends to a buffered file under a short lock (the
// writer thread flushes it every second); remote lines go to a bounded buffer
// (kMaxBufferedLines) that the writer thread sends from every kSendIntervalMs as async
// calls, at most kMaxPendingCalls outstanding. With the log service slow or down, lines
// past the bound are dropped and counted (counters(), `[daylog]` in tars.viewstatus);
// the caller never waits for the network. Admin command (TARS):
//   tars.enabledaylog local|remote[|name][|true|false]   (no name: every day log)
// Ownership: one per process (getInstance()), configured by the Application; shutdown()
// sends what is buffered (bounded by the report timeout) and stops the writer thread
// before the communicator terminates. Before setLogInfo (or without a log path) lines
// are dropped silently. Thread-safety: every method from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>

namespace tars {

class Communicator;

class RemoteTimeLogger {
public:
    static constexpr size_t kMaxBufferedLines = 10000;
    static constexpr int kMaxPendingCalls = 4;
    static constexpr size_t kBatchLines = 500;
    static constexpr int kSendIntervalMs = 500;

    // One line; written when the stream is destroyed (the end of the statement).
    class Line {
    public:
        Line(RemoteTimeLogger& logger, std::string name) : _logger(&logger), _name(std::move(name)) {}
        Line(Line&& other) noexcept = default;
        ~Line();
        template <typename T>
        Line& operator<<(const T& value) {
            _text << value;
            return *this;
        }
        Line& operator<<(std::ostream& (*manip)(std::ostream&)) {
            _text << manip;
            return *this;
        }

    private:
        RemoteTimeLogger* _logger;
        std::string _name;
        std::ostringstream _text;
    };

    struct Counters {
        uint64_t linesWritten = 0;  // local
        uint64_t linesSent = 0;     // in remote calls made
        uint64_t linesDropped = 0;  // past the buffer's bound, or the call failed to start
        uint64_t callsFailed = 0;
    };

    static RemoteTimeLogger& getInstance();
    ~RemoteTimeLogger();

    // logObj empty: local files only. logPath empty: nothing is written.
    void setLogInfo(const std::shared_ptr<Communicator>& communicator, const std::string& logObj,
                    const std::string& app, const std::string& server, const std::string& logPath,
                    const std::string& setDivision, int timeoutMs = 5000);
    Line line(const std::string& name) { return Line(*this, name); }
    void write(const std::string& name, const std::string& text);
    // tars.enabledaylog: where ("local" or "remote"), one name or every one ("" ), on/off.
    void enable(bool remote, const std::string& name, bool on);
    // The admin command's parser; a clear error for bad input.
    std::string enableCommand(const std::string& params);
    Counters counters() const;
    void shutdown();

    struct Shared;

private:
    RemoteTimeLogger();
    void run();
    bool enabled(bool remote, const std::string& name) const;
    void flushLocal();
    void sendBuffered(bool all);

    mutable std::mutex _mutex;
    std::condition_variable _wake;
    std::shared_ptr<Communicator> _communicator;
    std::string _logObj, _app, _server, _logPath, _setDivision;
    int _timeoutMs = 5000;
    bool _stopping = false;
    std::thread _thread;

    struct File;
    std::map<std::string, std::unique_ptr<File>> _files;      // by name
    std::deque<std::pair<std::string, std::string>> _buffer;  // (name, line) to send
    std::set<std::string> _localOff, _remoteOff;
    bool _allLocalOff = false, _allRemoteOff = false;
    std::shared_ptr<Shared> _shared;
};

}  // namespace tars

#define DLOG ::tars::RemoteTimeLogger::getInstance().line("")
#define FDLOG(name) ::tars::RemoteTimeLogger::getInstance().line(name)
