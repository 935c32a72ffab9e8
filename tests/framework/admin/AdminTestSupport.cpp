#include "AdminTestSupport.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <sstream>

#include "util/tc_common.h"
#include "util/tc_file.h"

extern char** environ;

#ifndef FAKE_NODE_PATH
#error "FAKE_NODE_PATH must name the admin_fake_node executable"
#endif

namespace tars::test {

FakeNode::FakeNode(std::string nodeName, std::string failing)
    : _name(std::move(nodeName)), _failing(std::move(failing)), _process(FAKE_NODE_PATH) {}

bool FakeNode::start(int timeoutMs) {
    AdapterSpec adapter;
    adapter.name = "tars.tarsnode.NodeObjAdapter";
    adapter.servant = "tars.tarsnode.NodeObj";
    adapter.port = _port.port();
    adapter.threads = 2;
    std::string tail = "    <fakenode>\n      calls = " + _process.dir() + "/calls.log\n      fail = " + _failing +
                       "\n    </fakenode>\n";
    _process.writeConfig(makeConfig("tars", "tarsnode", _admin.port(), {adapter}, "", tail));
    return _process.start({_port.port()}, timeoutMs);
}

std::string FakeNode::nodeObj() const {
    return "tars.tarsnode.NodeObj@tcp -h 127.0.0.1 -p " + std::to_string(_port.port());
}

void FakeNode::registerIn(RegistryStore& store, const std::string& endpointIp) const {
    NodeRecord node;
    node.nodeName = _name;
    node.nodeObj = nodeObj();
    node.endpointIp = endpointIp;
    node.endpointPort = _port.port();
    node.dataDir = _process.dir();
    int64_t now = static_cast<int64_t>(::time(nullptr));
    node.lastRegTime = now;
    node.lastHeartbeat = now;
    node.presentState = "active";
    store.upsertNode(node);
}

std::vector<std::string> FakeNode::calls() const {
    std::string path = _process.dir() + "/calls.log";
    if (!TC_File::isFileExist(path)) return {};
    return TC_Common::sepstr(TC_File::load2str(path), "\n");
}

CommandResult runCommand(const std::string& exe, const std::vector<std::string>& args, const std::string& dir,
                         int timeoutMs) {
    // Fresh files for this run's output (mkstemp names them).
    auto tempFile = [&](const char* suffix) {
        std::string pattern = dir + "/" + suffix + "_XXXXXX";
        std::vector<char> name(pattern.begin(), pattern.end());
        name.push_back('\0');
        int fd = ::mkstemp(name.data());
        if (fd >= 0) ::close(fd);
        return std::string(name.data());
    };
    std::string outPath = tempFile("stdout");
    std::string errPath = tempFile("stderr");

    std::vector<std::string> all{exe};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, exe.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);

    CommandResult result;
    if (rc != 0) {
        result.err = "posix_spawn " + exe + " failed: " + std::to_string(rc);
        return result;
    }
    int64_t deadline = nowMs() + timeoutMs;
    int status = 0;
    while (true) {
        pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            break;
        }
        if (nowMs() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            break;
        }
        ::usleep(10 * 1000);
    }
    result.out = TC_File::load2str(outPath);
    result.err = TC_File::load2str(errPath);
    return result;
}

}  // namespace tars::test
