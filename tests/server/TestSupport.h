// Helpers of the server integration tests: reserve loopback ports, write a server config,
// run a server process, and talk to it with a raw socket.
//
// Ports: ReservedPort binds 127.0.0.1:0 with SO_REUSEADDR and never listens, so the kernel
// hands that port to no one else (not to other tests' bind(0), not as a source port of a
// connect) while the server, which also sets SO_REUSEADDR, can bind and listen on it.
// Tests therefore run in parallel (ctest -j) without port clashes.
// Waiting: every wait polls with a deadline; nothing sleeps to wait for readiness.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "RequestF.h"
#include "util/tc_socket.h"

namespace tars::test {

class ReservedPort {
public:
    ReservedPort();
    int port() const { return _port; }
    operator int() const { return _port; }

private:
    TC_Socket _socket;
    int _port = 0;
};

struct AdapterSpec {
    std::string name;     // adapter section name
    std::string servant;  // App.Server.Obj
    int port = 0;
    std::string transport = "tcp";  // or "ssl"
    std::string protocol = "tars";
    int threads = 1;
    int maxconns = 128;
    int queuecap = 1024;
    int queuetimeout = 10000;
    int idleMs = 60000;
    std::string extra;            // more key=value lines
    std::string endpointOptions;  // more endpoint options, e.g. "-e 1"
};

// A server config file: /tars/application/server with the adapters; adminPort 0 = no local.
std::string makeConfig(const std::string& app, const std::string& server, int adminPort,
                       const std::vector<AdapterSpec>& adapters, const std::string& serverExtra = "",
                       const std::string& tail = "");

// The config of examples/hello's HelloServer: TestApp.HelloServer.HelloObj on port, 2 handles.
std::string helloServerConfig(int port);

// One server process in a fresh temporary directory (config, logs, stdout/stderr).
class ServerProcess {
public:
    explicit ServerProcess(std::string exe);
    ~ServerProcess();  // kills (SIGKILL) if still running, removes the directory
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    const std::string& dir() const { return _dir; }
    // Writes config (its logpath is set to dir/log when the text says logpath=@LOG@).
    void writeConfig(const std::string& text);
    // Starts with --config=<dir>/server.conf; waits until every port accepts a connection
    // (true) or the process exited / timeoutMs passed (false).
    bool start(const std::vector<int>& ports, int timeoutMs = 15000);
    // The same with explicit arguments instead of --config (a tool such as openssl s_server).
    bool startWithArgs(const std::vector<std::string>& args, const std::vector<int>& ports, int timeoutMs = 15000);
    // Starts with explicit arguments and waits for the exit; returns the exit status
    // (-1 on timeout).
    int runToExit(const std::vector<std::string>& args, int timeoutMs = 15000);
    // Sends sig and waits for the exit: the exit status, 128+signal if killed by one, or
    // -1 if it did not exit within timeoutMs (then it is killed).
    int stop(int sig = 15, int timeoutMs = 20000);
    // Waits for an exit that something else caused; same results as stop().
    int waitExit(int timeoutMs);
    bool running();
    pid_t pid() const { return _pid; }
    std::string output() const;  // stdout + stderr so far
    std::string log() const;     // the server's log files, concatenated

private:
    bool spawn(const std::vector<std::string>& args);

    std::string _exe;
    std::string _dir;
    pid_t _pid = -1;
    int _status = 0;
};

// A blocking-with-deadline client over one TCP connection.
class RawClient {
public:
    RawClient() = default;
    explicit RawClient(int port) { connect(port); }

    bool connect(int port, int timeoutMs = 5000);
    bool isConnected() const { return _socket.isValid(); }
    void close() { _socket.close(); }
    void shutdownWrite();
    int fd() const { return _socket.getfd(); }

    bool sendAll(const std::string& bytes, int timeoutMs = 10000);
    // One framed TARS packet (length prefix included); nullopt on timeout or close.
    std::optional<std::string> readPacket(int timeoutMs = 5000);
    std::optional<ResponsePacket> readResponse(int timeoutMs = 5000);
    // TUP replies are RequestPacket-shaped.
    std::optional<RequestPacket> readTupResponse(int timeoutMs = 5000);
    // Raw bytes until `until` appears (kept in the buffer after it) or timeout.
    std::optional<std::string> readUntil(const std::string& until, int timeoutMs = 5000);
    // Exactly n bytes.
    std::optional<std::string> readExactly(size_t n, int timeoutMs = 5000);
    // True when the peer closes (EOF or reset) within timeoutMs; data received is dropped.
    bool waitClosed(int timeoutMs = 5000);

private:
    // Reads more into _buffer; false on close, error or deadline.
    bool fill(int64_t deadlineMs);

    TC_Socket _socket;
    std::string _buffer;
};

// A framed RequestPacket.
std::string encodeRequest(const RequestPacket& req);
RequestPacket makeRequest(const std::string& servant, const std::string& func, const std::vector<char>& args,
                          int requestId, short version = 1);
// A TARS v1 argument buffer holding one string at tag 1 (or an int).
std::vector<char> stringArg(const std::string& s, int tag = 1);
std::vector<char> intArg(int value, int tag = 1);
// Reads the string at tag `tag` of a reply buffer.
std::string readString(const std::vector<char>& buffer, int tag = 0);
int readInt(const std::vector<char>& buffer, int tag = 0);

// AdminF.notify(command) on the admin port; "" on failure.
std::string adminNotify(int adminPort, const std::string& command);
// Value of `key` in adapter's section of a tars.viewstatus answer; "" if absent.
std::string statusValue(const std::string& viewstatus, const std::string& adapter, const std::string& key);
// Polls tars.viewstatus until adapter's key (a number) is >= atLeast; the last value.
long waitForStatus(int adminPort, const std::string& adapter, const std::string& key, long atLeast,
                   int timeoutMs = 10000);

int64_t nowMs();

// One HTTP/1.1 request on a fresh connection to 127.0.0.1:port (Connection: close); status
// 0 when there is no answer. The body is read by its Content-Length (none for HEAD).
// headers: more header lines, each ending in \r\n; body: sent with its Content-Length.
struct HttpAnswer {
    int status = 0;
    std::string headers;  // the status line and the headers
    std::string body;
};
HttpAnswer httpRequest(int port, const std::string& method, const std::string& path, const std::string& headers = "",
                       const std::string& body = "");

}  // namespace tars::test
