// A small TARS server for the client tests, written on raw sockets with the codec so the
// client can be tested without the real server runtime.
//
// It serves any servant name on 127.0.0.1:<ephemeral port>:
//   testHello(string sReq, out string sRsp) -> int: returns the server's id, sRsp = sReq,
//     response context {"server": name}; in TARS (1), TUP (3) and JSON (5) encodings.
//     sReq starting with a command changes the behaviour:
//       "sleep:N ..."   reply after N ms            "close"     close the connection, no reply
//       "noreply"       never reply                 "badversion" reply with another iVersion
//       "ret:N"         reply with iRet N           "push:TEXT" first push TEXT (iRequestId 0,
//       "ctx"           echo the request context                status TARS_FUNC=notify)
//   findObjectById4Any(id, out active, out inactive) -> int: the locator answer set with
//     setLocatorAnswer (ret 0), counting queries.
//   tars_ping: iRet 0. Anything else: iRet -3. One-way requests are counted, never answered.
// Threads: one own thread; counters and setters are thread-safe. stop() closes every
// socket at once (like a crashed server: peers see the connection drop) and joins.
// Also built as the executable client_test_server: prints "PORT <n>" and serves until
// killed (for the tests that kill a server process).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "EndpointF.h"

namespace tars::test {

class TestServer {
public:
    explicit TestServer(int id = 0, const std::string& name = "server");
    ~TestServer();
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    // Binds 127.0.0.1:port (0: an ephemeral one) and starts serving.
    void start(int port = 0);
    void stop();
    bool running() const { return _thread.joinable(); }

    int port() const { return _port; }
    int id() const { return _id; }
    const std::string& name() const { return _name; }
    // "tcp -h 127.0.0.1 -p <port> -t 60000"
    std::string endpoint() const;

    uint64_t requests() const { return _requests.load(); }
    uint64_t oneways() const { return _oneways.load(); }
    uint64_t pings() const { return _pings.load(); }  // two-way tars_ping requests received
    // false: tars_ping requests are counted but get no reply (a server whose queue is long).
    void setAnswerPings(bool answer) { _answerPings.store(answer); }
    uint64_t locatorQueries() const { return _locatorQueries.load(); }
    size_t connectionsAccepted() const { return _accepted.load(); }

    // Every testHello behaves as if sReq were `command` ("" = normal).
    void setMode(const std::string& command);

    void setLocatorAnswer(const std::vector<EndpointF>& active, const std::vector<EndpointF>& inactive = {});

private:
    struct Connection;
    struct Delayed {
        int64_t dueMs;
        int fd;
        uint64_t serial;
        std::string bytes;
    };

    void run();
    void onReadable(Connection& c);
    void handle(Connection& c, const std::string& packet);
    void closeConnection(int fd);
    void sendOn(Connection& c, std::string bytes);

    int _id;
    std::string _name;
    int _port = 0;
    int _listenFd = -1;
    int _epollFd = -1;
    int _wakeFd = -1;
    std::atomic<bool> _stop{false};
    std::thread _thread;
    std::map<int, std::unique_ptr<Connection>> _connections;
    std::vector<Delayed> _delayed;
    uint64_t _serial = 0;

    std::atomic<uint64_t> _requests{0};
    std::atomic<uint64_t> _oneways{0};
    std::atomic<uint64_t> _pings{0};
    std::atomic<bool> _answerPings{true};
    std::atomic<uint64_t> _locatorQueries{0};
    std::atomic<size_t> _accepted{0};
    std::mutex _mutex;
    std::vector<EndpointF> _active;
    std::vector<EndpointF> _inactive;
    std::string _mode;
};

// A TestServer in its own process (the client_test_server executable), for killing.
class TestServerProcess {
public:
    explicit TestServerProcess(int id = 0);
    ~TestServerProcess();  // kills it if still running
    int port() const { return _port; }
    std::string endpoint() const;
    void kill();  // SIGKILL and reap

private:
    pid_t _pid = -1;
    int _port = 0;
};

// Polls pred every millisecond until it holds or timeoutMs passes; returns its last value.
template <typename Pred>
bool waitUntil(Pred pred, int timeoutMs = 10000);

}  // namespace tars::test

#include <chrono>

template <typename Pred>
bool tars::test::waitUntil(Pred pred, int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!pred()) {
        if (std::chrono::steady_clock::now() >= deadline) return pred();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}
