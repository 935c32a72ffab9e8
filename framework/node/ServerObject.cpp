#include "ServerObject.h"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <string_view>
#include <chrono>
#include <climits>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "AdminF.h"
#include "NodeException.h"
#include "ProcessControl.h"
#include "servant/RemoteNotify.h"
#include "util/tc_common.h"
#include "util/tc_config.h"
#include "util/tc_endpoint.h"
#include "util/tc_file.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {

constexpr const char* kServerPath = "/tars/application/server";
constexpr int kShutdownPending = 0;
constexpr int kShutdownAnswered = 1;
constexpr int kShutdownFailed = 2;
constexpr int kAdminCallTimeoutMs = 3000;
constexpr int kNotifyTimeoutMs = 5000;
constexpr int64_t kStopWaitMarginMs = 5000;  // after SIGKILL, for the process to vanish
constexpr int kStopPollMs = 20;

int64_t nowMs() { return TC_TimeProvider::steadyNowMs(); }

// The admin proxy of a server: never isolated for long (a restarted server is reachable
// again at once), short reconnect back-off.
AdminFPrx adminProxy(Communicator& communicator, const std::string& adminObj) {
    auto prx = communicator.stringToProxy<AdminFPrx>(adminObj);
    CheckTimeoutInfo check;
    check.minTimeoutInvoke = INT_MAX / 2;
    check.frequenceFailInvoke = INT_MAX / 2;
    check.tryTimeInterval = 1000;
    check.minReconnectMs = 50;
    check.maxReconnectMs = 500;
    prx->tars_set_check_timeout(check);
    prx->tars_set_async_timeout(kAdminCallTimeoutMs);
    return prx;
}

class ShutdownCallback : public AdminFPrxCallback {
public:
    explicit ShutdownCallback(std::shared_ptr<std::atomic<int>> outcome) : _outcome(std::move(outcome)) {}
    void callback_shutdown() override { _outcome->store(kShutdownAnswered); }
    void callback_shutdown_exception(Int32) override { _outcome->store(kShutdownFailed); }

private:
    std::shared_ptr<std::atomic<int>> _outcome;
};

// An integer key of the server section, or def when absent; out of [min, max] throws.
int64_t serverNumber(const TC_Config& conf, const std::string& id, const char* key, int64_t def, int64_t min,
                     int64_t max, const char* unit) {
    std::string text = TC_Common::trim(conf.get(std::string(kServerPath) + "<" + key + ">"));
    if (text.empty()) return def;
    auto value = TC_Common::tryStrto<int64_t>(text);
    if (!value || *value < min || *value > max) {
        throw Node_Exception("server " + id + ": " + kServerPath + "<" + key + ">='" + text + "' is not a number of " +
                             unit + " in " + std::to_string(min) + ".." + std::to_string(max));
    }
    return *value;
}

// env = "A=1;B=2" (TARS's form) as name/value pairs.
std::vector<std::pair<std::string, std::string>> parseEnvironment(const std::string& text) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const std::string& item : TC_Common::sepstr(text, ";")) {
        size_t eq = item.find('=');
        if (eq == std::string::npos) continue;
        std::string name = TC_Common::trim(item.substr(0, eq));
        if (!name.empty()) out.emplace_back(name, TC_Common::trim(item.substr(eq + 1)));
    }
    return out;
}

std::string stateName(ServerState state) { return etos(state); }

// A config file's text after its first line (a header with the time of writing).
std::string_view afterHeaderOf(const std::string& text) {
    size_t eol = text.find('\n');
    return eol == std::string::npos ? std::string_view(text) : std::string_view(text).substr(eol + 1);
}

// The last lines (at most maxLines, maxBytes) of the file, from the latest "---- ... tarsnode
// starts" line on: what the current (or last) process wrote. "" when unreadable.
std::string logTail(const std::string& path, size_t maxLines, size_t maxBytes) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return "";
    in.seekg(0, std::ios::end);
    std::streamoff size = in.tellg();
    std::streamoff from = std::max<std::streamoff>(0, size - static_cast<std::streamoff>(maxBytes));
    in.seekg(from);
    std::string text(static_cast<size_t>(size - from), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(in.gcount()));
    if (from > 0) {
        size_t eol = text.find('\n');  // drop a partial first line
        text = eol == std::string::npos ? "" : text.substr(eol + 1);
    }
    size_t marker = text.rfind("---- ");
    while (marker != std::string::npos && marker != 0 && text[marker - 1] != '\n') {
        marker = marker == 0 ? std::string::npos : text.rfind("---- ", marker - 1);
    }
    if (marker != std::string::npos) {
        size_t eol = text.find('\n', marker);
        text = eol == std::string::npos ? "" : text.substr(eol + 1);
    }
    std::vector<std::string> lines = TC_Common::sepstr(text, "\n", true);
    if (!lines.empty() && lines.back().empty()) lines.pop_back();
    size_t first = lines.size() > maxLines ? lines.size() - maxLines : 0;
    std::string out;
    for (size_t i = first; i < lines.size(); ++i) out += lines[i] + "\n";
    return out;
}

}  // namespace

ServerObject::ServerObject(std::string application, std::string serverName, const ServerConfigBuilder& builder,
                           CommunicatorPtr communicator, Options options, StateListener listener)
    : _builder(builder),
      _communicator(std::move(communicator)),
      _options(options),
      _listener(std::move(listener)),
      _application(std::move(application)),
      _serverName(std::move(serverName)),
      _heartTimeoutSeconds(options.heartTimeoutSeconds),
      _throttle(options.activatorMaxCount, options.activatorWindowMs, options.activatorPunishMs) {}

ServerObject::~ServerObject() {
    // A child that already exited must not stay a zombie; a running one keeps running.
    std::lock_guard lock(_mutex);
    reapLauncherLocked();
    if (_childPid > 0 && _childPid == _pid) {
        int status = 0;
        ProcessControl::reap(_childPid, status);
    }
}

// ------------------------------------------------------------------ load

void ServerObject::load(const ServerDescriptor& descriptor) {
    ServerLayout layout = _builder.layout(descriptor);
    std::lock_guard lock(_mutex);  // one load at a time: each reads the file the previous one wrote

    std::string existing;
    if (TC_File::isFileExist(layout.configFile)) {
        try {
            existing = TC_File::load2str(layout.configFile);
        } catch (const std::exception& e) {
            TLOGWARN("[node] " << layout.id << ": previous config unreadable: " << e.what() << std::endl);
        }
    }

    int adminPort = ServerConfigBuilder::existingAdminPort(existing);
    if (adminPort == 0 && !_adminObj.empty()) {
        try {
            adminPort = TC_Endpoint(_adminObj.substr(_adminObj.find('@') + 1)).getPort();
        } catch (const std::exception&) {
            adminPort = 0;
        }
    }
    if (adminPort == 0) adminPort = ServerConfigBuilder::findFreeLocalPort();
    std::string text = _builder.build(descriptor, layout, adminPort);

    TC_Config conf;
    try {
        conf.parseString(text);
    } catch (const std::exception& e) {
        throw Node_Exception("server " + layout.id + ": the generated config does not parse: " + e.what());
    }
    std::string local = TC_Common::trim(conf.get(std::string(kServerPath) + "<local>"));
    if (!local.empty()) {
        try {
            TC_Endpoint check(local);
        } catch (const std::exception& e) {
            throw Node_Exception("server " + layout.id + ": " + kServerPath + "<local>='" + local + "': " + e.what());
        }
    }
    int heartTimeout = static_cast<int>(
        serverNumber(conf, layout.id, "hearttimeout", _options.heartTimeoutSeconds, 1, 24 * 3600, "seconds"));
    int64_t activating = serverNumber(conf, layout.id, "activating-timeout", 60000, 1000, 3600 * 1000, "milliseconds");
    int64_t deactivating = std::clamp<int64_t>(
        serverNumber(conf, layout.id, "deactivating-timeout", 10000, 0, 3600 * 1000, "milliseconds"), 2000, 60000);

    try {
        TC_File::makeDirRecursive(TC_File::extractFilePath(layout.configFile));
        TC_File::makeDirRecursive(layout.dataDir);
        TC_File::makeDirRecursive(layout.logDir);
        // A published server's bin is a link to its version folder, made by the patch.
        std::error_code ec;
        std::string bin = layout.binDir;
        while (bin.size() > 1 && bin.back() == '/') bin.pop_back();
        if (!std::filesystem::is_symlink(bin, ec)) TC_File::makeDirRecursive(layout.binDir);
        // The first line is a header with the time of writing: a load that changes nothing
        // else keeps the file and its .bak (the previous real config).
        if (afterHeaderOf(existing) != afterHeaderOf(text)) {
            if (!existing.empty()) TC_File::save2file(layout.configFile + ".bak", existing, true);
            TC_File::save2file(layout.configFile, text, true);
        }
    } catch (const std::exception& e) {
        throw Node_Exception("server " + layout.id + ": cannot write its files: " + e.what());
    }

    bool first = !_loaded;
    if (!first && _state != ServerState::Inactive &&
        (afterHeaderOf(existing) != afterHeaderOf(text) || layout.exe != _layout.exe)) {
        // The running process read the previous config (or is the previous program).
        _configStale = true;
    }
    _descriptor = descriptor;
    _layout = layout;
    _adminObj = local.empty() ? "" : "AdminObj@" + local;
    _heartTimeoutSeconds = heartTimeout;
    _activatingTimeoutMs = activating;
    _deactivatingTimeoutMs = deactivating;
    _sendsHeartbeats = descriptor.serverType != "not_tars";
    _environment = parseEnvironment(conf.get(std::string(kServerPath) + "<env>"));
    if (first || descriptor.settingState != _registrySetting) {
        // The registry's setting_state changed (an operator's decision): it wins over ours.
        _settingActive = TC_Common::lower(descriptor.settingState) == "active";
        _registrySetting = descriptor.settingState;
    }
    _loaded = true;
    TLOGINFO("[node] " << layout.id << ": config " << layout.configFile
                       << (existing != text ? " written" : " unchanged") << ", setting "
                       << (_settingActive ? "active" : "inactive") << ", exe " << layout.exe << std::endl);
    if (first) adoptFromPidFileLocked(nowMs());
}

void ServerObject::adoptFromPidFileLocked(int64_t now) {
    if (_pid > 0 || !TC_File::isFileExist(_layout.pidFile)) return;
    std::string text;
    try {
        text = TC_File::load2str(_layout.pidFile);
    } catch (const std::exception& e) {
        TLOGWARN("[node] " << _layout.id << ": " << e.what() << std::endl);
        return;
    }
    auto pid = TC_Common::tryStrto<int>(TC_Common::trim(text));
    if (!pid || *pid <= 0) return;
    if (!ProcessControl::runs(*pid, _layout.configFile)) {
        TLOGINFO("[node] " << _layout.id << ": pid file names " << *pid << ", which is not this server: ignored"
                           << std::endl);
        return;
    }
    _pid = *pid;
    _childPid = 0;
    _runningConfig = _layout.configFile;
    _startedMs = now;
    _lastBeatMs = now;
    _adapterBeats.clear();
    TLOGINFO("[node] " << _layout.id << ": adopted the running process " << _pid << std::endl);
    setStateLocked(ServerState::Active);
}

// ------------------------------------------------------------------ start

void ServerObject::startLocked(int64_t now) {
    _throttle.recordStart(now);  // failed starts count too: a broken server is not retried forever
    SpawnRequest request;
    request.exe = _layout.exe;
    request.args = {"--config=" + _layout.configFile};
    request.workDir = _layout.binDir;
    request.outputFile = _layout.outputFile;
    std::string libraryPath = _layout.exeDir + ":" + _builder.node().dataPath + "lib";
    if (const char* inherited = std::getenv("LD_LIBRARY_PATH"); inherited && *inherited) {
        libraryPath += std::string(":") + inherited;
    }
    request.environment.emplace_back("LD_LIBRARY_PATH", libraryPath);
    request.environment.insert(request.environment.end(), _environment.begin(), _environment.end());
    try {
        TC_File::makeDirRecursive(_layout.logDir);
        TC_File::append2file(_layout.outputFile, "---- " + TC_Common::now2msstr() + " tarsnode starts " + _layout.exe +
                                                     " --config=" + _layout.configFile + "\n");
    } catch (const std::exception& e) {
        throw Node_Exception("server " + _layout.id + ": " + e.what());
    }
    pid_t pid;
    try {
        pid = ProcessControl::spawn(request);
    } catch (const std::exception& e) {
        throw Node_Exception("server " + _layout.id + ": " + e.what());
    }
    _pid = pid;
    _childPid = pid;
    _runningConfig = _layout.configFile;
    ++_startSeq;
    _startedWallTime = std::time(nullptr);
    _configStale = false;
    _startedMs = now;
    _lastBeatMs = now;
    _adapterBeats.clear();
    _lastExit.clear();
    writePidFileLocked();
    TLOGINFO("[node] " << _layout.id << ": started " << _layout.exe << " as pid " << pid << std::endl);
    setStateLocked(_sendsHeartbeats ? ServerState::Activating : ServerState::Active);
}

void ServerObject::writePidFileLocked() {
    try {
        TC_File::save2file(_layout.pidFile, std::to_string(_pid) + "\n", true);
    } catch (const std::exception& e) {
        // The server runs; only adoption after a node restart is lost.
        TLOGERROR("[node] " << _layout.id << ": " << e.what() << std::endl);
    }
}

int ServerObject::start(std::string& result) {
    std::lock_guard lock(_mutex);
    if (!_loaded) {
        result = _application + "." + _serverName + " is not loaded";
        return -1;
    }
    int64_t now = nowMs();
    _settingActive = true;
    _throttle.reset();
    refreshLocked(now);
    switch (_state) {
        case ServerState::Active:
        case ServerState::Activating:
            result = _layout.id + " is already running, pid " + std::to_string(_pid);
            return 0;
        case ServerState::Deactivating:
            result = _layout.id + " is stopping (pid " + std::to_string(_pid) + "); start it again once it stopped";
            return -1;
        default: break;
    }
    try {
        startLocked(now);
    } catch (const std::exception& e) {
        result = e.what();
        TLOGERROR("[node] " << result << std::endl);
        return -1;
    }
    result = _layout.id + " started, pid " + std::to_string(_pid);
    return 0;
}

// ------------------------------------------------------------------ stop

bool ServerObject::requestStop() {
    std::lock_guard lock(_mutex);
    _settingActive = false;
    if (!_loaded) return false;
    int64_t now = nowMs();
    refreshLocked(now);
    if (_state == ServerState::Inactive) return false;
    beginStopLocked(now, "stop requested");
    return true;
}

int ServerObject::waitStopped(std::string& result, const std::function<bool()>& cancelled) {
    int64_t deadline;
    pid_t pid;
    {
        std::lock_guard lock(_mutex);
        int64_t now = nowMs();
        deadline = std::max(now, _drainUntilMs) + _deactivatingTimeoutMs + kStopWaitMarginMs;
        pid = _pid;
    }
    while (true) {
        {
            std::lock_guard lock(_mutex);
            int64_t now = nowMs();
            refreshLocked(now);
            if (_state == ServerState::Inactive) {
                result = _layout.id + " stopped (pid " + std::to_string(pid) + ", " + _lastExit + ")";
                if (_killSent) {
                    result += ": SIGKILL, it did not exit within deactivating-timeout " +
                              std::to_string(_deactivatingTimeoutMs) + " ms";
                }
                return 0;
            }
            if (now >= deadline) {
                result = _layout.id + ": pid " + std::to_string(_pid) + " did not exit, even after SIGKILL";
                return -1;
            }
        }
        if (cancelled && cancelled()) {
            result = _layout.id + ": stop not awaited, the node is shutting down";
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(kStopPollMs));
    }
}

int ServerObject::stop(std::string& result, const std::function<bool()>& cancelled) {
    if (!requestStop()) {
        std::lock_guard lock(_mutex);
        result = _application + "." + _serverName + " is not running";
        return 0;
    }
    return waitStopped(result, cancelled);
}

void ServerObject::beginStopLocked(int64_t now, const std::string& why) {
    if (_state == ServerState::Inactive || _state == ServerState::Deactivating) return;
    const bool drain = _state == ServerState::Active && _options.drainWaitMs > 0;
    TLOGINFO("[node] " << _layout.id << ": stopping pid " << _pid << " (" << why << ")"
                       << (drain ? ", after a drain of " + std::to_string(_options.drainWaitMs) + " ms" : "")
                       << ", SIGKILL after " << _deactivatingTimeoutMs << " ms" << std::endl);
    _stopCause = why;
    _termSent = false;
    _killSent = false;
    _shutdownCall.reset();
    if (drain) {
        // Deactivating is reported now: the registry drops the endpoints, clients refresh.
        _drainUntilMs = now + _options.drainWaitMs;
        _stopBeganMs = _drainUntilMs;
        _stopDeadlineMs = _drainUntilMs + _deactivatingTimeoutMs;
    } else {
        _drainUntilMs = 0;
        _stopBeganMs = now;
        _stopDeadlineMs = now + _deactivatingTimeoutMs;
        sendShutdownLocked();
    }
    setStateLocked(ServerState::Deactivating);
}

void ServerObject::sendShutdownLocked() {
    _shutdownCall = std::make_shared<std::atomic<int>>(kShutdownPending);
    if (_adminObj.empty()) {
        _shutdownCall->store(kShutdownFailed);
        return;
    }
    try {
        adminProxy(*_communicator, _adminObj)->async_shutdown(std::make_shared<ShutdownCallback>(_shutdownCall));
    } catch (const std::exception& e) {
        TLOGWARN("[node] " << _layout.id << ": AdminF.shutdown not sent: " << e.what() << std::endl);
        _shutdownCall->store(kShutdownFailed);
    }
}

void ServerObject::progressStopLocked(int64_t now) {
    if (_drainUntilMs > 0) {
        if (now < _drainUntilMs) return;
        TLOGINFO("[node] " << _layout.id << ": drained for " << _options.drainWaitMs << " ms: AdminF.shutdown to pid "
                           << _pid << std::endl);
        _drainUntilMs = 0;
        _stopBeganMs = now;
        _stopDeadlineMs = now + _deactivatingTimeoutMs;
        sendShutdownLocked();
    }
    if (!_termSent && _shutdownCall && _shutdownCall->load() == kShutdownFailed &&
        now >= _stopBeganMs + _deactivatingTimeoutMs / 2) {
        TLOGWARN("[node] " << _layout.id << ": AdminF.shutdown failed: SIGTERM to pid " << _pid << std::endl);
        ::kill(_pid, SIGTERM);
        _termSent = true;
    }
    if (!_killSent && now >= _stopDeadlineMs) {
        TLOGWARN("[node] " << _layout.id << ": pid " << _pid << " did not exit within " << _deactivatingTimeoutMs
                           << " ms: SIGKILL" << std::endl);
        ::kill(_pid, SIGKILL);
        _killSent = true;
    }
}

// ------------------------------------------------------------------ monitor

void ServerObject::reapLauncherLocked() {
    // A launcher (wrapper script) whose child became the server's pid.
    if (_childPid <= 0 || _childPid == _pid) return;
    int status = 0;
    if (ProcessControl::reap(_childPid, status) != ProcessControl::ReapResult::Running) _childPid = 0;
}

bool ServerObject::processGoneLocked() {
    if (_pid <= 0) return true;
    if (_pid == _childPid) {
        int status = 0;
        switch (ProcessControl::reap(_pid, status)) {
            case ProcessControl::ReapResult::Running: return false;
            case ProcessControl::ReapResult::Exited:
                _lastExit = ProcessControl::describeExit(status);
                _lastExitStatus = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
                _lastExitSignal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
                _lastExitCore = WIFSIGNALED(status) && WCOREDUMP(status);
                _childPid = 0;
                return true;
            case ProcessControl::ReapResult::NotAChild: _childPid = 0; break;
        }
    }
    if (ProcessControl::runs(_pid, _runningConfig.empty() ? _layout.configFile : _runningConfig)) return false;
    _lastExit = "process gone";
    _lastExitStatus = -1;  // not our child (adopted): its status is not ours to know
    _lastExitSignal = 0;
    _lastExitCore = false;
    return true;
}

void ServerObject::markInactiveLocked(const std::string& why) {
    TLOGINFO("[node] " << _layout.id << ": pid " << _pid << " " << why << std::endl);
    _lastExitStart = _startSeq;
    _lastExitTime = std::time(nullptr);
    _lastExitCause = _state == ServerState::Deactivating && !_stopCause.empty() ? "stopped by the node: " + _stopCause
                     : _state == ServerState::Activating                        ? "exited before its first heartbeat"
                                                                                : "exited on its own";
    _stopCause.clear();
    try {
        TC_File::removeFile(_layout.pidFile);
    } catch (const std::exception& e) {
        TLOGWARN("[node] " << _layout.id << ": " << e.what() << std::endl);
    }
    _pid = 0;
    _runningConfig.clear();
    _adapterBeats.clear();
    _shutdownCall.reset();
    _drainUntilMs = 0;
    setStateLocked(ServerState::Inactive);
}

std::string ServerObject::heartbeatProblemLocked(int64_t now) const {
    const int64_t limit = static_cast<int64_t>(_heartTimeoutSeconds) * 1000;
    if (now - _lastBeatMs > limit) {
        return "no heartbeat for " + std::to_string((now - _lastBeatMs) / 1000) + " s";
    }
    for (const auto& [adapter, last] : _adapterBeats) {
        if (now - last > limit) {
            return "no heartbeat from adapter " + adapter + " for " + std::to_string((now - last) / 1000) + " s";
        }
    }
    return "";
}

void ServerObject::refreshLocked(int64_t now) {
    reapLauncherLocked();
    switch (_state) {
        case ServerState::Activating:
            if (processGoneLocked()) {
                markInactiveLocked("exited while activating (" + _lastExit + ")");
            } else if (_sendsHeartbeats && now - std::max(_startedMs, _lastBeatMs) > _activatingTimeoutMs) {
                // A server still initialising says so with keepActiving (every 5 s): each
                // one restarts the clock, so only a silent start is stopped.
                beginStopLocked(now, "no keepActiving or keepAlive within activating-timeout " +
                                         std::to_string(_activatingTimeoutMs) +
                                         " ms of its start or last keepActiving");
            }
            break;
        case ServerState::Active:
            if (processGoneLocked()) {
                markInactiveLocked("exited (" + _lastExit + ")");
            } else if (_sendsHeartbeats) {
                std::string problem = heartbeatProblemLocked(now);
                if (!problem.empty()) {
                    TLOGERROR("[node] " << _layout.id << ": pid " << _pid << " " << problem << " (hearttimeout "
                                        << _heartTimeoutSeconds << " s): SIGKILL" << std::endl);
                    RemoteNotify::getInstance().reportFor(_application, _serverName,
                                                          "[alarm] zombie process, " + problem + " (hearttimeout " +
                                                              std::to_string(_heartTimeoutSeconds) +
                                                              " s): killed pid " + std::to_string(_pid));
                    ::kill(_pid, SIGKILL);
                    _stopCause = problem + " (hearttimeout " + std::to_string(_heartTimeoutSeconds) + " s): SIGKILL";
                    _stopBeganMs = now;
                    _stopDeadlineMs = now;
                    _drainUntilMs = 0;
                    _termSent = true;
                    _killSent = true;
                    setStateLocked(ServerState::Deactivating);
                }
            }
            break;
        case ServerState::Deactivating:
            if (processGoneLocked()) {
                markInactiveLocked(std::string("stopped (") + _lastExit + (_killSent ? ", after SIGKILL)" : ")"));
            } else {
                progressStopLocked(now);
            }
            break;
        default: break;
    }
}

void ServerObject::refresh() {
    std::lock_guard lock(_mutex);
    if (_loaded) refreshLocked(nowMs());
}

void ServerObject::monitor() {
    std::lock_guard lock(_mutex);
    if (!_loaded) return;
    int64_t now = nowMs();
    refreshLocked(now);
    if (_state != ServerState::Inactive || !_settingActive) return;
    if (!_throttle.allow(now)) {
        if (_throttle.justPunished()) {
            TLOGERROR("[node] " << _layout.id << ": started " << _options.activatorMaxCount << " times within "
                                << _options.activatorWindowMs / 1000
                                << " s (ActivatorMaxCount): no automatic start for "
                                << _options.activatorPunishMs / 1000 << " s (ActivatorPunishInterval)" << std::endl);
        }
        return;
    }
    try {
        TLOGINFO("[node] " << _layout.id << ": inactive with setting active: starting it" << std::endl);
        if (_startSeq > 0) {  // a start after an exit (the first start of a load is not a restart)
            RemoteNotify::getInstance().reportFor(
                _application, _serverName,
                "[alarm] down, server is inactive (" + _lastExitCause + ", " + _lastExit + "): restarting");
            _autoStarts.push_back(now);
            while (_autoStarts.size() > 1000) _autoStarts.pop_front();
        }
        startLocked(now);
    } catch (const std::exception& e) {
        TLOGERROR("[node] " << e.what() << std::endl);
    }
}

// ------------------------------------------------------------------ heartbeats

bool ServerObject::acceptPidLocked(int pid, int64_t now) {
    if (pid <= 0) return false;
    if (pid == _pid) return true;
    if (_state == ServerState::Deactivating) return false;
    if (!ProcessControl::runs(pid, _layout.configFile)) {
        TLOGDEBUG("[node] " << _layout.id << ": heartbeat from pid " << pid << ", not a live process of this server"
                            << std::endl);
        return false;
    }
    if (_pid > 0 && !processGoneLocked()) {
        auto parent = ProcessControl::parentPid(pid);
        if (!parent || *parent != _pid) {
            TLOGWARN("[node] " << _layout.id << ": heartbeat from pid " << pid << " while the server runs as pid "
                               << _pid << ": ignored" << std::endl);
            return false;
        }
        // The process the node started is a launcher of the server: follow the server.
    }
    TLOGINFO("[node] " << _layout.id << ": pid " << pid << " reports itself: now the server's pid" << std::endl);
    _pid = pid;
    _runningConfig = _layout.configFile;
    if (_state == ServerState::Inactive) {
        _startedMs = now;
        _adapterBeats.clear();
    }
    writePidFileLocked();
    if (_state != ServerState::Inactive) reportLocked();  // same state, new pid
    return true;
}

int ServerObject::keepAlive(int pid, const std::string& adapter) {
    std::lock_guard lock(_mutex);
    if (!_loaded) return -1;
    int64_t now = nowMs();
    if (!acceptPidLocked(pid, now)) return 0;
    _lastBeatMs = now;
    if (!adapter.empty()) _adapterBeats[adapter] = now;
    if (_state == ServerState::Activating || _state == ServerState::Inactive) {
        TLOGINFO("[node] " << _layout.id << ": pid " << _pid << " active" << std::endl);
        setStateLocked(ServerState::Active);
    }
    return 0;
}

int ServerObject::keepActiving(int pid) {
    std::lock_guard lock(_mutex);
    if (!_loaded) return -1;
    int64_t now = nowMs();
    if (!acceptPidLocked(pid, now)) return 0;
    _lastBeatMs = now;
    if (_state == ServerState::Inactive) setStateLocked(ServerState::Activating);
    return 0;
}

// ------------------------------------------------------------------ state

int ServerObject::notify(const std::string& command, std::string& result) {
    std::string adminObj;
    {
        std::lock_guard lock(_mutex);
        std::string id = _application + "." + _serverName;
        if (_state != ServerState::Active && _state != ServerState::Activating) {
            result = id + " is not running (" + stateName(_state) + ")";
            return -1;
        }
        if (_adminObj.empty()) {
            result = id + " has no local (AdminObj) endpoint in its config";
            return -1;
        }
        adminObj = _adminObj;
    }
    try {
        auto prx = adminProxy(*_communicator, adminObj);
        prx->tars_set_timeout(kNotifyTimeoutMs);
        result = prx->notify(command);
        return 0;
    } catch (const std::exception& e) {
        result = "AdminF.notify on " + adminObj + " failed: " + e.what();
        return -1;
    }
}

void ServerObject::setStateLocked(ServerState state) {
    if (state == _state) return;
    TLOGDEBUG("[node] " << _application << "." << _serverName << ": " << stateName(_state) << " -> " << stateName(state)
                        << ", pid " << _pid << std::endl);
    _state = state;
    reportLocked();
}

void ServerObject::reportLocked() {
    if (!_listener) return;
    ServerStateInfo info;
    info.serverState = _state;
    info.processId = _pid;
    info.nodeName = _builder.node().nodeName;
    info.application = _application;
    info.serverName = _serverName;
    info.settingState = _settingActive ? ServerState::Active : ServerState::Inactive;
    _listener(info);
}

ServerStateInfo ServerObject::stateInfo() const {
    std::lock_guard lock(_mutex);
    ServerStateInfo info;
    info.serverState = _state;
    info.processId = _pid;
    info.nodeName = _builder.node().nodeName;
    info.application = _application;
    info.serverName = _serverName;
    info.settingState = _settingActive ? ServerState::Active : ServerState::Inactive;

    const int64_t now = nowMs();
    const int64_t wallNow = std::time(nullptr);
    auto& ex = info.exState;
    ex["start_seq"] = std::to_string(_startSeq);
    if (_startSeq > 0 && _state != ServerState::Inactive) ex["started_time"] = std::to_string(_startedWallTime);
    int64_t restarts = std::count_if(_autoStarts.begin(), _autoStarts.end(),
                                     [&](int64_t t) { return t > now - _options.activatorWindowMs; });
    ex["restarts"] = std::to_string(restarts);
    ex["restart_window_s"] = std::to_string(_options.activatorWindowMs / 1000);
    if (_throttle.punished(now)) {
        ex["punished_until"] = std::to_string(wallNow + (_throttle.punishedUntilMs() - now + 999) / 1000);
    }
    if (_lastExitStart > 0) {
        ex["last_exit_start"] = std::to_string(_lastExitStart);
        ex["last_exit"] = _lastExit;
        if (_lastExitStatus >= 0) ex["last_exit_status"] = std::to_string(_lastExitStatus);
        if (_lastExitSignal > 0) ex["last_exit_signal"] = std::to_string(_lastExitSignal);
        ex["last_exit_core"] = _lastExitCore ? "1" : "0";
        ex["last_exit_time"] = std::to_string(_lastExitTime);
        ex["last_exit_cause"] = _lastExitCause;
    }
    ex["config_stale"] = _configStale && _state != ServerState::Inactive ? "1" : "0";
    if (_loaded) {
        ex["log"] = _layout.outputFile;
        ex["log_tail"] = logTail(_layout.outputFile, 10, 4096);
    }
    return info;
}

ServerLayout ServerObject::layout() const {
    std::lock_guard lock(_mutex);
    return _layout;
}

}  // namespace tars
