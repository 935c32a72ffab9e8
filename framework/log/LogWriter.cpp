#include "LogWriter.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/tc_common.h"
#include "util/tc_file.h"

namespace tars {

namespace {

constexpr size_t kNameMax = 128;

void checkPart(const char* what, const std::string& part, bool mayBeEmpty) {
    if (part.empty()) {
        if (mayBeEmpty) return;
        throw LogRequestError(std::string("empty ") + what);
    }
    if (part.size() > kNameMax) throw LogRequestError(std::string(what) + " longer than 128 bytes");
    if (part == "." || part == ".." || part.find_first_of(std::string("/\\\0", 3)) != std::string::npos) {
        throw LogRequestError(std::string(what) + " '" + part + "' is not a plain name (no '/', '\\', '.' or '..')");
    }
}

// The set directory: "<name><area><group>", "<name><area>" for group "*", "" for no set.
std::string setDirectory(const std::string& division) {
    if (division.find_first_of(std::string("/\\\0", 3)) != std::string::npos) {
        throw LogRequestError("set division '" + division + "' is not name.area.group");
    }
    auto parts = TC_Common::sepstr(division, ".", true);
    if (parts.size() != 3) return "";
    for (const auto& part : parts) checkPart("set division part", part, false);
    return parts[2] == "*" ? parts[0] + parts[1] : parts[0] + parts[1] + parts[2];
}

std::string formatTime(const std::string& format, time_t t) {
    struct tm local {};
    localtime_r(&t, &local);
    char text[256];
    size_t n = strftime(text, sizeof(text), format.c_str(), &local);
    if (n == 0) throw LogRequestError("time format '" + format + "' gives an empty or too long name");
    return std::string(text, n);
}

// The start of the current period and the default format of sLogType.
std::string timePart(const LogInfo& info, time_t now) {
    std::string type = TC_Common::lower(TC_Common::trim(info.sLogType));
    if (type.empty()) return formatTime(info.sFormat.empty() ? "%Y%m%d" : info.sFormat, now);
    struct Unit {
        const char* name;
        int seconds;
        int defaultCount;
        const char* format;
    };
    static const Unit units[] = {
        {"minute", 60, 10, "%Y%m%d%H%M"}, {"hour", 3600, 1, "%Y%m%d%H"}, {"day", 86400, 1, "%Y%m%d"}};
    for (const Unit& unit : units) {
        auto pos = type.find(unit.name);
        if (pos == std::string::npos || pos + std::strlen(unit.name) != type.size()) continue;
        std::string count = TC_Common::trim(type.substr(0, pos));
        int n = unit.defaultCount;
        if (!count.empty()) {
            auto parsed = TC_Common::tryStrto<int>(count);
            if (!parsed || *parsed < 1 || *parsed > 1000) throw LogRequestError("bad sLogType '" + info.sLogType + "'");
            n = *parsed;
        }
        // Periods are counted in local time, so "day" starts at local midnight.
        struct tm local {};
        localtime_r(&now, &local);
        time_t start = now;
        if (unit.seconds == 86400) {
            local.tm_hour = local.tm_min = local.tm_sec = 0;
            start = mktime(&local);
            if (n > 1) start -= static_cast<time_t>((local.tm_yday % n)) * 86400;
        } else {
            long offset = local.tm_gmtoff;
            time_t shifted = now + offset;
            shifted -= shifted % (static_cast<time_t>(unit.seconds) * n);
            start = shifted - offset;
        }
        return formatTime(info.sFormat.empty() ? unit.format : info.sFormat, start);
    }
    throw LogRequestError("unknown sLogType '" + info.sLogType + "': day, hour, minute, N day, N hour or N minute");
}

}  // namespace

LogInfo plainLogInfo(const std::string& app, const std::string& server, const std::string& file,
                     const std::string& format) {
    LogInfo info;
    info.appname = app;
    info.servername = server;
    info.sFilename = file;
    info.sFormat = format;
    return info;
}

std::string logFilePath(const std::string& root, const LogInfo& info, time_t now) {
    checkPart("app", info.appname, false);
    checkPart("server", info.servername, false);
    checkPart("file", info.sFilename, true);
    if (info.sConcatStr.size() > 16 || info.sConcatStr.find_first_of(std::string("/\\\0", 3)) != std::string::npos) {
        throw LogRequestError("sConcatStr '" + info.sConcatStr + "' is not a plain separator");
    }
    std::string name;
    if (info.bHasAppNamePrefix) {
        name = info.appname + "." + info.servername;
        if (!info.sFilename.empty()) name += info.sConcatStr + info.sFilename;
    } else {
        if (info.sFilename.empty()) throw LogRequestError("no file name and no app name prefix");
        name = info.sFilename;
    }
    std::string time = timePart(info, now);
    if (time.find_first_of(std::string("/\\\0", 3)) != std::string::npos) {
        throw LogRequestError("time format '" + info.sFormat + "' puts a '/' in the file name");
    }
    name += info.sConcatStr + (info.bHasSquareBracket ? "[" + time + "]" : time);
    if (info.bHasSufix) name += ".log";
    std::string dir = root + "/" + info.appname + "/";
    std::string set = setDirectory(info.setdivision);
    if (!set.empty()) dir += set + "/";
    return dir + info.servername + "/" + name;
}

void LogWriter::write(const LogInfo& info, const std::vector<std::string>& lines, const std::string& callerIp,
                      time_t now) {
    const std::string path = logFilePath(_root, info, now);
    std::string text;
    for (const auto& line : lines) {
        if (_ipPrefix) text += callerIp + info.sSepar;
        text += line;
        if (line.empty() || line.back() != '\n') text += '\n';
    }
    std::lock_guard<std::mutex> lock(_mutex);
    TC_File::makeDirRecursive(path.substr(0, path.rfind('/')));
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw TC_Exception("open " + path + ": " + std::strerror(errno));
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            int error = errno;
            ::close(fd);
            throw TC_Exception("write " + path + ": " + std::strerror(error));
        }
        done += static_cast<size_t>(n);
    }
    ::close(fd);
}

}  // namespace tars
