#include "NodeImp.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>
#include <vector>

#include "util/tc_common.h"
#include "util/tc_file.h"
#include "util/tc_logger.h"

namespace tars {

namespace {

constexpr const char* kNotSupported = "not supported by this tarsnode";
// getLogFileList looks this deep into a server's log directory (a log service keeps its
// remote logs below its own, as <app>/[<set>/]<server>/<file>) and lists at most this many.
constexpr int kMaxLogDepth = 4;
constexpr size_t kMaxLogFiles = 10000;

// A path relative to a log directory: components that are not empty, ".", ".." or hidden.
bool isRelativeLogPath(const std::string& path) {
    if (path.empty() || path.front() == '/') return false;
    for (const auto& part : TC_Common::sepstr(path, "/", true)) {
        if (part.empty() || part.starts_with('.')) return false;
    }
    return true;
}
constexpr std::streamoff kMaxLogBytes = 4 * 1024 * 1024;
constexpr long kMaxLogLines = 100000;

struct LogCommand {
    enum class Kind { Head, Tail, Size, From };
    Kind kind = Kind::Tail;
    long long n = 0;  // lines (head, tail) or a byte offset (from)
};

// "head -N", "head -n N", "tail -N", "tail -n N" (N lines), "size" (the file's length in
// bytes), "from N" (the bytes from offset N on: how `tarsadmin log --follow` reads what was
// added); nullopt for anything else.
std::optional<LogCommand> parseLogCommand(const std::string& cmd) {
    auto words = TC_Common::sepstr(cmd, " \t");
    if (words.size() == 1 && words[0] == "size") return LogCommand{LogCommand::Kind::Size, 0};
    if (words.size() == 2 && words[0] == "from") {
        auto offset = TC_Common::tryStrto<long long>(words[1]);
        if (!offset || *offset < 0) return std::nullopt;
        return LogCommand{LogCommand::Kind::From, *offset};
    }
    if (words.size() < 2 || words.size() > 3 || (words[0] != "head" && words[0] != "tail")) return std::nullopt;
    std::string count;
    if (words.size() == 3) {
        if (words[1] != "-n") return std::nullopt;
        count = words[2];
    } else {
        if (!words[1].starts_with('-')) return std::nullopt;
        count = words[1].substr(1);
    }
    auto n = TC_Common::tryStrto<long>(count);
    if (!n || *n < 0 || *n > kMaxLogLines) return std::nullopt;
    return LogCommand{words[0] == "head" ? LogCommand::Kind::Head : LogCommand::Kind::Tail, *n};
}

}  // namespace

Int32 NodeImp::destroyServer(const std::string& application, const std::string& serverName, std::string& result,
                             CurrentPtr) {
    return _service.destroyServer(application, serverName, result);
}

Int32 NodeImp::patchPro(const PatchRequest& req, std::string& result, CurrentPtr) {
    return _service.patcher().patch(req, result);
}

Int32 NodeImp::shutdown(std::string& result, CurrentPtr current) {
    TLOGINFO("[node] shutdown requested by " << current->getIp() << ": the servers keep running" << std::endl);
    result = "tarsnode " + _service.context().nodeName + " is shutting down; its servers keep running";
    _requestShutdown();  // the reply is still written: the server drains before it stops
    return 0;
}

Int32 NodeImp::stopAllServers(std::string& result, CurrentPtr) { return _service.stopAllServers(result); }

Int32 NodeImp::loadServer(const std::string& application, const std::string& serverName, std::string& result,
                          CurrentPtr) {
    return _service.loadServer(application, serverName, result);
}

Int32 NodeImp::startServer(const std::string& application, const std::string& serverName, std::string& result,
                           CurrentPtr) {
    return _service.startServer(application, serverName, result);
}

Int32 NodeImp::stopServer(const std::string& application, const std::string& serverName, std::string& result,
                          CurrentPtr) {
    return _service.stopServer(application, serverName, result);
}

Int32 NodeImp::notifyServer(const std::string& application, const std::string& serverName, const std::string& command,
                            std::string& result, CurrentPtr) {
    return _service.notifyServer(application, serverName, command, result);
}

Int32 NodeImp::getStateInfo(const std::string& application, const std::string& serverName, ServerStateInfo& info,
                            std::string& result, CurrentPtr) {
    return _service.getStateInfo(application, serverName, info, result);
}

Int32 NodeImp::getPatchPercent(const std::string& application, const std::string& serverName, PatchInfo& tPatchInfo,
                               CurrentPtr) {
    return _service.patcher().percent(application, serverName, tPatchInfo);
}

Int32 NodeImp::delCache(const std::string&, const std::string&, const std::string&, std::string& result, CurrentPtr) {
    result = std::string("delCache: ") + kNotSupported;
    return -1;
}

Int32 NodeImp::getLogFileList(const std::string& application, const std::string& serverName,
                              std::vector<std::string>& logFileList, CurrentPtr) {
    namespace fs = std::filesystem;
    logFileList.clear();
    auto dir = _service.logDirectory(application, serverName);
    if (!dir) return -1;
    // Files of the directory by name; below it (a log service's tree) by relative path.
    std::error_code ec;
    fs::recursive_directory_iterator it(*dir, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end && logFileList.size() < kMaxLogFiles; it.increment(ec)) {
        if (it.depth() >= kMaxLogDepth) it.disable_recursion_pending();
        if (it->is_regular_file(ec)) logFileList.push_back(fs::relative(it->path(), *dir, ec).string());
    }
    if (ec) {
        TLOGWARN("[node] getLogFileList " << application << "." << serverName << ": " << ec.message() << std::endl);
        return -1;
    }
    std::sort(logFileList.begin(), logFileList.end());
    return 0;
}

Int32 NodeImp::getLogData(const std::string& application, const std::string& serverName, const std::string& logFile,
                          const std::string& cmd, std::string& fileData, CurrentPtr) {
    fileData.clear();
    auto dir = _service.logDirectory(application, serverName);
    if (!dir) {
        fileData = application + "." + serverName + " is not a server of this node";
        return -1;
    }
    if (!isRelativeLogPath(logFile)) {
        fileData = "'" + logFile + "' is not a file of the server's log directory";
        return -1;
    }
    {
        // A symbolic link inside must not lead out of the directory either.
        std::error_code ec;
        auto base = std::filesystem::weakly_canonical(*dir, ec).string();
        auto target = std::filesystem::weakly_canonical(*dir + logFile, ec).string();
        if (ec || !target.starts_with(base + (base.ends_with('/') ? "" : "/"))) {
            fileData = "'" + logFile + "' is not a file of the server's log directory";
            return -1;
        }
    }
    auto command = parseLogCommand(cmd);
    if (!command) {
        fileData = "unsupported command '" + cmd +
                   "': use head -N, tail -N or tail -n N (N <= " + std::to_string(kMaxLogLines) +
                   "), size, or from OFFSET";
        return -1;
    }
    std::ifstream in(*dir + logFile, std::ios::binary);
    if (!in) {
        fileData = "cannot open " + *dir + logFile;
        return -1;
    }
    in.seekg(0, std::ios::end);
    std::streamoff size = in.tellg();
    if (command->kind == LogCommand::Kind::Size) {
        fileData = std::to_string(size);
        return 0;
    }
    if (command->kind == LogCommand::Kind::From) {
        // An offset past the end: the file was rolled or truncated since; 1 says so.
        if (command->n > size) return 1;
        std::streamoff length = std::min<std::streamoff>(size - command->n, kMaxLogBytes);
        in.seekg(command->n);
        fileData.resize(static_cast<size_t>(length));
        in.read(fileData.data(), length);
        fileData.resize(static_cast<size_t>(in.gcount()));
        return 0;
    }
    const bool head = command->kind == LogCommand::Kind::Head;
    const long long lines = command->n;
    std::streamoff length = std::min(size, kMaxLogBytes);
    in.seekg(head ? 0 : size - length);
    std::string data(static_cast<size_t>(length), '\0');
    in.read(data.data(), length);
    data.resize(static_cast<size_t>(in.gcount()));

    if (!head && length < size) {
        size_t firstBreak = data.find('\n');  // a cut first line is left out
        data.erase(0, firstBreak == std::string::npos ? data.size() : firstBreak + 1);
    }
    std::vector<size_t> starts;  // where each line begins
    for (size_t pos = 0; pos < data.size();) {
        starts.push_back(pos);
        size_t nl = data.find('\n', pos);
        pos = nl == std::string::npos ? data.size() : nl + 1;
    }
    size_t count = static_cast<size_t>(lines);
    if (count == 0) {
        fileData.clear();
    } else if (count >= starts.size()) {
        fileData = std::move(data);
    } else if (head) {
        fileData = data.substr(0, starts[count]);
    } else {
        fileData = data.substr(starts[starts.size() - count]);
    }
    return 0;
}

Int32 NodeImp::getNodeLoad(const std::string&, const std::string&, Int32, std::string& fileData, CurrentPtr) {
    fileData = std::string("getNodeLoad: ") + kNotSupported;
    return -1;
}

Int32 NodeImp::forceDockerLogin(std::vector<std::string>& result, CurrentPtr) {
    result = {std::string("forceDockerLogin: ") + kNotSupported};
    return -1;
}

}  // namespace tars
