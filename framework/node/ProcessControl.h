// ProcessControl: the operating-system side of running servers: start one detached from
// the node, and look at processes through /proc.
//
// spawn() starts `exe args...` with posix_spawn in a new session (setsid), so the server
// outlives the node and gets no signal meant for the node's terminal or process group;
// the child's working directory is workDir, stdin is /dev/null, stdout and stderr are
// appended to outputFile, every other descriptor of the node is closed, its signal mask
// is empty and its signals have their default dispositions. The new process is a child of
// the node: its owner must reap it (reap()).
//
// Static functions sharing no state; thread-safe. spawn() throws Node_Exception naming
// the executable and the system error (missing file, not executable, ...); the queries
// never throw.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tars {

struct SpawnRequest {
    std::string exe;
    std::vector<std::string> args;  // after argv[0] (= exe)
    std::string workDir;
    std::string outputFile;
    std::vector<std::pair<std::string, std::string>> environment;  // set on top of the node's own
};

class ProcessControl {
public:
    ProcessControl() = delete;

    static pid_t spawn(const SpawnRequest& request);

    enum class ReapResult { Running, Exited, NotAChild };
    // waitpid(pid, WNOHANG): Exited fills status.
    static ReapResult reap(pid_t pid, int& status);
    // "exit status 1", "killed by signal 9 (Killed)".
    static std::string describeExit(int status);

    // The state letter of /proc/<pid>/stat (R, S, D, T, Z ...); nullopt if there is no such process.
    static std::optional<char> state(pid_t pid);
    static std::optional<pid_t> parentPid(pid_t pid);
    // The arguments of /proc/<pid>/cmdline joined by spaces ("" if unreadable).
    static std::string commandLine(pid_t pid);
    // A process that exists, is not a zombie and whose command line contains marker.
    static bool runs(pid_t pid, const std::string& marker);
};

}  // namespace tars
