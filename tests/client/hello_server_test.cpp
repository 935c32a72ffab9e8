// The Hello proxy against the real HelloServer (examples/hello) in its own process: every
// call mode and every encoding through the server runtime.
#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "ClientTestUtil.h"
#include "Hello.h"
#include "TestServer.h"
#include "servant/Communicator.h"
#include "util/tc_socket.h"

extern char** environ;

using namespace tars;
using namespace tars::test;
using TestApp::HelloPrx;

namespace {

// HelloServer started from a config of its own on a reserved loopback port: the port is
// bound (SO_REUSEADDR, never listening) so no other test takes it, and the server, which
// also sets SO_REUSEADDR, can listen on it.
class HelloServerProcess {
public:
    HelloServerProcess() {
        _reserved = TC_Socket::create(AF_INET, SOCK_STREAM, true);
        _reserved.setReuseAddr(true);
        _reserved.bind("127.0.0.1", 0);
        _port = _reserved.getSockName().port();
        char pattern[] = "/tmp/hello_client_test_XXXXXX";
        _dir = mkdtemp(pattern);
        std::ofstream(_dir + "/HelloServer.conf")
            << "<tars><application><server>\n"
               "app = TestApp\nserver = HelloServer\nlocalip = 127.0.0.1\n"
               "basepath = "
            << _dir << "\ndatapath = " << _dir << "\nlogpath = " << _dir
            << "/log\n"
               "logLevel = ERROR\nnetthread = 1\n"
               "<TestApp.HelloServer.HelloObjAdapter>\n"
               "endpoint = tcp -h 127.0.0.1 -p "
            << _port
            << " -t 60000\n"
               "servant = TestApp.HelloServer.HelloObj\nprotocol = tars\nthreads = 2\n"
               "maxconns = 1024\nqueuecap = 10000\nqueuetimeout = 5000\n"
               "</TestApp.HelloServer.HelloObjAdapter>\n"
               "</server></application></tars>\n";
        std::string exe = HELLO_SERVER_PATH;
        std::string config = "--config=" + _dir + "/HelloServer.conf";
        char* argv[] = {exe.data(), config.data(), nullptr};
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        std::string out = _dir + "/out.txt";
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT, 0644);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        if (posix_spawn(&_pid, exe.c_str(), &actions, nullptr, argv, environ) != 0) _pid = -1;
        posix_spawn_file_actions_destroy(&actions);
    }
    ~HelloServerProcess() {
        if (_pid > 0) {
            ::kill(_pid, SIGTERM);
            int status = 0;
            bool exited = waitUntil([&] { return waitpid(_pid, &status, WNOHANG) == _pid; }, 10000);
            if (!exited) {
                ::kill(_pid, SIGKILL);
                waitpid(_pid, &status, 0);
            }
        }
        std::error_code ec;
        std::filesystem::remove_all(_dir, ec);
    }
    // Polls until the server accepts a connection (or exits, or 15 s pass).
    bool ready() {
        if (_pid <= 0) return false;
        return waitUntil(
                   [&] {
                       int status = 0;
                       if (waitpid(_pid, &status, WNOHANG) == _pid) {
                           _pid = -1;
                           return true;  // exited: stop polling, reported below
                       }
                       TC_Socket probe = TC_Socket::create(AF_INET, SOCK_STREAM, false);
                       return probe.connect(TC_SockAddr::parse("127.0.0.1", static_cast<uint16_t>(_port))) == 0;
                   },
                   15000) &&
               _pid > 0;
    }
    std::string endpoint() const { return "tcp -h 127.0.0.1 -p " + std::to_string(_port) + " -t 60000"; }

private:
    TC_Socket _reserved;
    int _port = 0;
    std::string _dir;
    pid_t _pid = -1;
};

Task<std::string> coroutineCall(HelloPrx prx) {
    auto r = co_await prx->co_testHello("coroutine");
    co_return r->sRsp;
}

}  // namespace

TEST(HelloServerTest, EveryCallModeAndEncodingWorksAgainstTheRealServer) {
    HelloServerProcess server;
    ASSERT_TRUE(server.ready()) << "HelloServer did not start";
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>("TestApp.HelloServer.HelloObj@" + server.endpoint());

    for (auto protocol : {ServantProxy::PROTOCOL_TARS, ServantProxy::PROTOCOL_TUP, ServantProxy::PROTOCOL_JSON}) {
        SCOPED_TRACE(protocol);
        prx->tars_set_protocol(protocol);
        std::string rsp;
        EXPECT_EQ(prx->testHello("sync", rsp), 0);
        EXPECT_EQ(rsp, "sync");

        auto cb = std::make_shared<RecordingCallback>();
        prx->async_testHello(cb, "callback");
        ASSERT_TRUE(cb->wait(1));
        EXPECT_EQ(cb->successes, 1);
        EXPECT_EQ(cb->lastRsp, "callback");

        prx->async_testHello(nullptr, "one-way");

        auto promised = prx->promise_async_testHello("promise").get();
        EXPECT_EQ(promised->_ret, 0);
        EXPECT_EQ(promised->sRsp, "promise");

        EXPECT_EQ(coroutineCall(prx).get(), "coroutine");
    }
    EXPECT_NO_THROW(prx->tars_ping());
}
