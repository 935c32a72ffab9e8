#include "ProcessControl.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "NodeException.h"
#include "util/tc_common.h"
#include "util/tc_file.h"

extern char** environ;

namespace tars {

namespace {

// Owns the posix_spawn attribute objects of one spawn().
struct SpawnAttributes {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    SpawnAttributes() {
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attr);
    }
    ~SpawnAttributes() {
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
    }
    SpawnAttributes(const SpawnAttributes&) = delete;
    SpawnAttributes& operator=(const SpawnAttributes&) = delete;
};

// Closes a descriptor at scope exit.
struct FdGuard {
    int fd;
    ~FdGuard() {
        if (fd >= 0) ::close(fd);
    }
};

std::optional<std::string> readProcFile(pid_t pid, const char* name) {
    if (pid <= 0) return std::nullopt;
    try {
        return TC_File::load2str("/proc/" + std::to_string(pid) + "/" + name);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// The fields of /proc/<pid>/stat after "(comm)": state is the first, ppid the second.
std::vector<std::string> statFields(pid_t pid) {
    auto stat = readProcFile(pid, "stat");
    if (!stat) return {};
    size_t close = stat->rfind(')');
    if (close == std::string::npos) return {};
    return TC_Common::sepstr(std::string_view(*stat).substr(close + 1), " \n");
}

}  // namespace

pid_t ProcessControl::spawn(const SpawnRequest& request) {
    const std::string& exe = request.exe;
    if (::access(exe.c_str(), X_OK) != 0) {
        int error = errno;
        // A program in the server's own bin folder that is not there: a deployment
        // without an executable path, waiting for its first package.
        if (error == ENOENT && !request.workDir.empty() && exe.starts_with(request.workDir)) {
            throw Node_Exception("cannot start " + exe +
                                 ": no package was published for it yet (its deployment names no executable; "
                                 "tarsadmin publish APP.SERVER FILE.tgz installs one)");
        }
        throw Node_Exception("cannot start " + exe, error);
    }
    int output = ::open(request.outputFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (output < 0) throw Node_Exception("cannot open the output file " + request.outputFile, errno);
    FdGuard outputGuard{output};
    if (output < 3) {
        // dup2 onto itself would keep FD_CLOEXEC: move it above the standard descriptors.
        int moved = ::fcntl(output, F_DUPFD_CLOEXEC, 3);
        if (moved < 0) throw Node_Exception("cannot open the output file " + request.outputFile, errno);
        ::close(output);
        output = moved;
        outputGuard.fd = moved;
    }

    std::vector<std::string> argvStrings{exe};
    argvStrings.insert(argvStrings.end(), request.args.begin(), request.args.end());
    std::vector<char*> argv;
    for (std::string& a : argvStrings) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view entry(*e);
        size_t eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        env[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
    }
    for (const auto& [name, value] : request.environment) env[name] = value;
    std::vector<std::string> envStrings;
    for (const auto& [name, value] : env) envStrings.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (std::string& e : envStrings) envp.push_back(e.data());
    envp.push_back(nullptr);

    SpawnAttributes spawn;
    posix_spawn_file_actions_addopen(&spawn.actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&spawn.actions, output, 1);
    posix_spawn_file_actions_adddup2(&spawn.actions, output, 2);
    posix_spawn_file_actions_addchdir_np(&spawn.actions, request.workDir.c_str());
    posix_spawn_file_actions_addclosefrom_np(&spawn.actions, 3);

    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&spawn.attr, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM}) {
        sigaddset(&defaults, sig);
    }
    posix_spawnattr_setsigdefault(&spawn.attr, &defaults);
    posix_spawnattr_setflags(&spawn.attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, exe.c_str(), &spawn.actions, &spawn.attr, argv.data(), envp.data());
    if (rc != 0) throw Node_Exception("cannot start " + exe + " (in " + request.workDir + ")", rc);
    return pid;
}

ProcessControl::ReapResult ProcessControl::reap(pid_t pid, int& status) {
    if (pid <= 0) return ReapResult::NotAChild;
    while (true) {
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return ReapResult::Exited;
        if (r == 0) return ReapResult::Running;
        if (errno == EINTR) continue;
        return ReapResult::NotAChild;
    }
}

std::string ProcessControl::describeExit(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char* name = ::strsignal(sig);
        return "killed by signal " + std::to_string(sig) + (name ? std::string(" (") + name + ")" : std::string());
    }
    return "status " + std::to_string(status);
}

std::optional<char> ProcessControl::state(pid_t pid) {
    auto fields = statFields(pid);
    if (fields.empty() || fields[0].empty()) return std::nullopt;
    return fields[0][0];
}

std::optional<pid_t> ProcessControl::parentPid(pid_t pid) {
    auto fields = statFields(pid);
    if (fields.size() < 2) return std::nullopt;
    auto ppid = TC_Common::tryStrto<int>(fields[1]);
    if (!ppid) return std::nullopt;
    return static_cast<pid_t>(*ppid);
}

std::string ProcessControl::commandLine(pid_t pid) {
    auto cmdline = readProcFile(pid, "cmdline");
    if (!cmdline) return "";
    std::string text = *cmdline;
    while (!text.empty() && text.back() == '\0') text.pop_back();
    for (char& c : text) {
        if (c == '\0') c = ' ';
    }
    return text;
}

bool ProcessControl::runs(pid_t pid, const std::string& marker) {
    auto s = state(pid);
    if (!s || *s == 'Z' || *s == 'X') return false;
    return commandLine(pid).find(marker) != std::string::npos;
}

}  // namespace tars
