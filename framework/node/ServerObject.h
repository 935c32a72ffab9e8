// ServerObject: one server deployed on this node: its config file, its process and its
// present state, as the node's monitor, the registry link and the NodeObj/ServerObj
// servants see it.
//
// States (ServerState): Inactive -> start -> Activating -> first keepAlive -> Active;
// Active or Activating -> stop -> Deactivating -> process gone -> Inactive. A server of
// type not_tars (no heartbeats) is Active as soon as it is started. Every change is
// passed at once to the StateListener (the node reports it to the registry).
//
// The node keeps its own setting (the operator's wish): active after startServer or a
// descriptor whose setting_state is active, inactive after stopServer. monitor() starts
// an inactive server whose setting is active (throttled by ActivatorThrottle), stops one
// that stays Activating past activating-timeout, and SIGKILLs an Active one whose
// heartbeats (overall, or of any adapter that sent one) stopped for hearttimeout
// seconds (a SIGSTOPped process included), so that it is started again.
//
// Stop: an Active server is drained first: its state becomes Deactivating at once (the
// registry, told through the StateListener, stops returning its endpoints to QueryF) and
// the node waits drainWaitMs (the node's drainWait key) so that clients refresh their
// endpoint lists and stop sending it calls. Then AdminF.shutdown() on AdminObj@<local>
// (asynchronous; the server finishes the calls it has read before it exits); SIGTERM if
// that call failed and half of deactivating-timeout passed; SIGKILL when
// deactivating-timeout (2..60 s) after the drain passed. No drain for a server that is
// not Active (it has no endpoints in the registry) nor for one killed for missing
// heartbeats. Processes the node started are its children and are reaped here;
// a process adopted after a node restart (its pid file names a live process whose
// command line holds this server's config path) is watched through /proc.
//
// Threads: every method may be called from any thread; one mutex serialises them and
// none of them waits on the network with it held (AdminF calls are asynchronous or made
// outside the lock). stop() and waitStopped() poll until the process is gone, bounded by
// the drain and the deactivating timeout. Lifetime: owned by the ServerManager (shared with callers
// that are running a command on it); the builder and the communicator must outlive it.
// Errors: load() throws Node_Exception naming the server and the problem; commands
// answer a TARS-style int (0 success) with a result text.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ActivatorThrottle.h"
#include "NodeDescriptor.h"
#include "RegistryDescriptor.h"
#include "ServerConfigBuilder.h"
#include "servant/Communicator.h"

namespace tars {

class ServerObject {
public:
    using StateListener = std::function<void(const ServerStateInfo&)>;

    struct Options {
        int heartTimeoutSeconds = 45;  // when the server's config has no hearttimeout
        int activatorMaxCount = 10;
        int64_t activatorWindowMs = 60000;
        int64_t activatorPunishMs = 600000;
        int64_t drainWaitMs = 0;  // before stopping an Active server (see above); 0: no drain
    };

    ServerObject(std::string application, std::string serverName, const ServerConfigBuilder& builder,
                 CommunicatorPtr communicator, Options options, StateListener listener);
    ~ServerObject();
    ServerObject(const ServerObject&) = delete;
    ServerObject& operator=(const ServerObject&) = delete;

    // Writes the config file (the previous one kept as .bak) and takes the descriptor's
    // settings. The first load adopts a running process named by the pid file.
    void load(const ServerDescriptor& descriptor);

    // startServer: setting active, throttle reset; 0 when started or already running.
    int start(std::string& result);
    // stopServer: setting inactive; begins the stop and waits until the process is gone.
    // cancelled() is polled while waiting (the node is shutting down).
    int stop(std::string& result, const std::function<bool()>& cancelled);
    // The two halves of stop(), so that several servers stop in parallel. requestStop()
    // returns false when nothing runs.
    bool requestStop();
    int waitStopped(std::string& result, const std::function<bool()>& cancelled);

    // AdminF.notify(command) on the server's AdminObj.
    int notify(const std::string& command, std::string& result);

    // One check (see above). Called by the node's monitor every monitorInterval.
    void monitor();
    // The part of the check that notices an exited process or a missed deadline (no
    // automatic start): getStateInfo calls it, so that its answer is current rather than
    // up to monitorInterval old.
    void refresh();

    // ServerF: 0, or -1 when the server is not loaded.
    int keepAlive(int pid, const std::string& adapter);
    int keepActiving(int pid);

    // The state with the node's account of the instance in exState (keys in
    // framework/node/README.md, "What getStateInfo tells"): start and exit sequence
    // numbers, the last exit (status or signal, time, core, cause), the automatic
    // restarts within ActivatorTimeInterval, the punishment, whether the running process
    // predates its config, and the last lines of its stdout/stderr log.
    ServerStateInfo stateInfo() const;
    ServerLayout layout() const;
    const std::string& application() const { return _application; }
    const std::string& serverName() const { return _serverName; }

private:
    void startLocked(int64_t nowMs);
    void refreshLocked(int64_t nowMs);
    bool processGoneLocked();
    void reapLauncherLocked();
    void beginStopLocked(int64_t nowMs, const std::string& why);
    void progressStopLocked(int64_t nowMs);
    void sendShutdownLocked();
    void markInactiveLocked(const std::string& why);
    void setStateLocked(ServerState state);
    bool acceptPidLocked(int pid, int64_t nowMs);
    void adoptFromPidFileLocked(int64_t nowMs);
    void writePidFileLocked();
    std::string heartbeatProblemLocked(int64_t nowMs) const;
    void reportLocked();
    void recordExitLocked(int status, bool haveStatus, const std::string& cause);

    const ServerConfigBuilder& _builder;
    CommunicatorPtr _communicator;
    Options _options;
    StateListener _listener;

    mutable std::mutex _mutex;
    std::string _application;
    std::string _serverName;
    bool _loaded = false;
    ServerDescriptor _descriptor;
    ServerLayout _layout;
    std::string _adminObj;  // AdminObj@<local>; "" when the config has no local
    int _heartTimeoutSeconds = 45;
    int64_t _activatingTimeoutMs = 60000;
    int64_t _deactivatingTimeoutMs = 10000;
    bool _sendsHeartbeats = true;  // false for serverType not_tars
    std::vector<std::pair<std::string, std::string>> _environment;

    bool _settingActive = false;
    std::string _registrySetting;

    ServerState _state = ServerState::Inactive;
    pid_t _pid = 0;
    pid_t _childPid = 0;         // the process the node spawned, until reaped
    std::string _runningConfig;  // the config path the running process was started with
    int64_t _startedMs = 0;
    int64_t _lastBeatMs = 0;
    std::map<std::string, int64_t> _adapterBeats;
    std::string _lastExit;

    // What stateInfo() reports about starts and exits (see there).
    int64_t _startSeq = 0;            // starts so far; the running process is start _startSeq
    int64_t _lastExitStart = 0;       // the start whose process exited last (0: none yet)
    int _lastExitStatus = -1;         // exit status, or -1
    int _lastExitSignal = 0;          // the signal that killed it, or 0
    bool _lastExitCore = false;       // the kernel wrote a core dump (WCOREDUMP)
    int64_t _lastExitTime = 0;        // wall clock, seconds since the epoch
    std::string _lastExitCause;       // why it ended, as the node saw it
    std::string _stopCause;           // why the node is stopping it (Deactivating)
    std::deque<int64_t> _autoStarts;  // steady ms of the node's own starts (restarts)
    int64_t _startedWallTime = 0;     // wall clock of the running process's start
    bool _configStale = false;        // the config or executable changed after the start

    int64_t _stopBeganMs = 0;   // when AdminF.shutdown was sent (the drain ended)
    int64_t _drainUntilMs = 0;  // draining until then (0: not draining)
    int64_t _stopDeadlineMs = 0;
    bool _termSent = false;
    bool _killSent = false;
    std::shared_ptr<std::atomic<int>> _shutdownCall;  // AdminF.shutdown: 0 pending, 1 answered, 2 failed

    ActivatorThrottle _throttle;
};

}  // namespace tars
