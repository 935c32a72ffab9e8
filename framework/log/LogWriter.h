// LogWriter: where tarslog puts a remote log batch and how it writes it, in TARS's layout:
//
//   <root>/<app>/<server>/<app>.<server>_<file>_<date>.log     logger(app, server, file, format)
//   <root>/<app>/<server>/<app>.<server>_<date>.log            the same with an empty file (DLOG)
//   <root>/<app>/<name><area><group>/<server>/...              loggerbyInfo of a server in a set
//                                                              (group "*": <name><area>)
//
// loggerbyInfo's LogInfo shapes the file name: bHasAppNamePrefix (with it "<app>.<server>",
// then sConcatStr and the file when there is one; without it the file alone), then
// sConcatStr and the time ("[time]" with bHasSquareBracket), then ".log" with bHasSufix.
// The time is sFormat (strftime; "%Y%m%d" when empty) of now, or with sLogType "day",
// "N day", "hour", "N hour", "minute", "N minute" (N minutes default 10) of the start of
// the current N-unit period, with that unit's default format when sFormat is empty
// ("%Y%m%d", "%Y%m%d%H", "%Y%m%d%H%M").
//
// A request that could leave its directory is refused with LogRequestError and nothing is
// written: an empty app or server, a name, set part, file, sConcatStr or formatted time
// holding '/', '\\' or NUL, a name "." or "..", names longer than 128 bytes, an unknown
// sLogType. Lines are written as given, each ending with one newline (added when
// missing), prefixed with "<callerIp><separator>" when ipfix is on.
//
// Threads: write() from any handle thread (one mutex serialises the appends).
#pragma once

#include <ctime>
#include <mutex>
#include <string>
#include <vector>

#include "LogF.h"
#include "util/tc_ex.h"

namespace tars {

struct LogRequestError : TC_Exception {
    using TC_Exception::TC_Exception;
};

// The file a batch goes to (throws LogRequestError).
std::string logFilePath(const std::string& root, const LogInfo& info, time_t now);
// logger()'s form: LogInfo with the defaults of TARS's plain day logger.
LogInfo plainLogInfo(const std::string& app, const std::string& server, const std::string& file,
                     const std::string& format);

class LogWriter {
public:
    LogWriter(std::string root, bool ipPrefix) : _root(std::move(root)), _ipPrefix(ipPrefix) {}

    // Appends the lines; throws LogRequestError (nothing written) or TC_Exception for an
    // I/O failure (the message names the file).
    void write(const LogInfo& info, const std::vector<std::string>& lines, const std::string& callerIp, time_t now);
    const std::string& root() const { return _root; }

private:
    const std::string _root;
    const bool _ipPrefix;
    std::mutex _mutex;
};

}  // namespace tars
