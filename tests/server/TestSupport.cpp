#include "TestSupport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <regex>
#include <sstream>
#include <thread>

#include "tup/Tars.h"
#include "util/tc_common.h"
#include "util/tc_file.h"
#include "util/tc_timeprovider.h"

extern char** environ;

namespace tars::test {

int64_t nowMs() { return TC_TimeProvider::steadyNowMs(); }

ReservedPort::ReservedPort() {
    _socket = TC_Socket::create(AF_INET, SOCK_STREAM);
    _socket.setReuseAddr(true);
    _socket.bind("127.0.0.1", 0);
    _port = _socket.getSockName().port();
}

std::string makeConfig(const std::string& app, const std::string& server, int adminPort,
                       const std::vector<AdapterSpec>& adapters, const std::string& serverExtra,
                       const std::string& tail) {
    std::ostringstream os;
    os << "<tars>\n  <application>\n    <server>\n"
       << "      app=" << app << "\n      server=" << server << "\n      localip=127.0.0.1\n"
       << "      logpath=@LOG@\n      basepath=@DIR@\n      logLevel=DEBUG\n";
    if (adminPort > 0) os << "      local=tcp -h 127.0.0.1 -p " << adminPort << " -t 60000\n";
    os << serverExtra << "\n";
    for (const AdapterSpec& a : adapters) {
        os << "      <" << a.name << ">\n"
           << "        endpoint=" << a.transport << " -h 127.0.0.1 -p " << a.port << " -t " << a.idleMs
           << (a.endpointOptions.empty() ? "" : " " + a.endpointOptions) << "\n"
           << "        servant=" << a.servant << "\n        protocol=" << a.protocol << "\n"
           << "        threads=" << a.threads << "\n        maxconns=" << a.maxconns << "\n"
           << "        queuecap=" << a.queuecap << "\n        queuetimeout=" << a.queuetimeout << "\n"
           << a.extra << "\n      </" << a.name << ">\n";
    }
    os << "    </server>\n" << tail << "  </application>\n</tars>\n";
    return os.str();
}

// ------------------------------------------------------------------ ServerProcess

ServerProcess::ServerProcess(std::string exe) : _exe(std::move(exe)) {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/tars_server_test_XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    _dir = buf.data();
}

ServerProcess::~ServerProcess() {
    if (_pid > 0) {
        ::kill(_pid, SIGKILL);
        int status = 0;
        ::waitpid(_pid, &status, 0);
    }
    if (!std::getenv("TARS_KEEP_TEST_DIRS")) {
        try {
            TC_File::removeFile(_dir, true);
        } catch (...) {
        }
    }
}

void ServerProcess::writeConfig(const std::string& text) {
    std::string t = TC_Common::replace(text, "@LOG@", _dir + "/log");
    t = TC_Common::replace(t, "@DIR@", _dir);
    TC_File::save2file(_dir + "/server.conf", t);
}

bool ServerProcess::spawn(const std::vector<std::string>& args) {
    std::vector<std::string> all{_exe};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    std::string out = _dir + "/output.txt";
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    // The child must not inherit blocked signals or ignored SIGPIPE from the test runner.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGINT);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    int rc = ::posix_spawn(&_pid, _exe.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        _pid = -1;
        return false;
    }
    return true;
}

bool ServerProcess::start(const std::vector<int>& ports, int timeoutMs) {
    return startWithArgs({"--config=" + _dir + "/server.conf"}, ports, timeoutMs);
}

bool ServerProcess::startWithArgs(const std::vector<std::string>& args, const std::vector<int>& ports, int timeoutMs) {
    if (!spawn(args)) return false;
    int64_t deadline = nowMs() + timeoutMs;
    for (int port : ports) {
        while (true) {
            if (!running()) return false;
            RawClient probe;
            if (probe.connect(port, 200)) break;
            if (nowMs() > deadline) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // poll interval, bounded by deadline
        }
    }
    return true;
}

int ServerProcess::runToExit(const std::vector<std::string>& args, int timeoutMs) {
    if (!spawn(args)) return -1;
    return waitExit(timeoutMs);
}

bool ServerProcess::running() {
    if (_pid <= 0) return false;
    int status = 0;
    pid_t r = ::waitpid(_pid, &status, WNOHANG);
    if (r == _pid) {
        _status = status;
        _pid = -1;
        return false;
    }
    return true;
}

int ServerProcess::waitExit(int timeoutMs) {
    int64_t deadline = nowMs() + timeoutMs;
    while (_pid > 0) {
        int status = 0;
        pid_t r = ::waitpid(_pid, &status, WNOHANG);
        if (r == _pid) {
            _pid = -1;
            _status = status;
            break;
        }
        if (nowMs() > deadline) {
            ::kill(_pid, SIGKILL);
            ::waitpid(_pid, &status, 0);
            _pid = -1;
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (WIFEXITED(_status)) return WEXITSTATUS(_status);
    if (WIFSIGNALED(_status)) return 128 + WTERMSIG(_status);
    return -1;
}

int ServerProcess::stop(int sig, int timeoutMs) {
    if (_pid > 0) ::kill(_pid, sig);
    return waitExit(timeoutMs);
}

std::string ServerProcess::output() const {
    try {
        return TC_File::load2str(_dir + "/output.txt");
    } catch (...) {
        return "";
    }
}

std::string ServerProcess::log() const {
    std::string all;
    try {
        for (const std::string& f : TC_File::listDirectory(_dir + "/log", true)) {
            if (!TC_File::isDirectory(f)) all += TC_File::load2str(f);
        }
    } catch (...) {
    }
    return all;
}

// ------------------------------------------------------------------ RawClient

bool RawClient::connect(int port, int timeoutMs) {
    _buffer.clear();
    _socket = TC_Socket::create(AF_INET, SOCK_STREAM);
    int rc = _socket.connect(TC_SockAddr::parse("127.0.0.1", static_cast<uint16_t>(port)));
    if (rc == EINPROGRESS) {
        pollfd p{_socket.getfd(), POLLOUT, 0};
        if (::poll(&p, 1, timeoutMs) != 1) {
            _socket.close();
            return false;
        }
        rc = _socket.getSockError();
    }
    if (rc != 0) {
        _socket.close();
        return false;
    }
    return true;
}

void RawClient::shutdownWrite() { _socket.shutdown(SHUT_WR); }

bool RawClient::sendAll(const std::string& bytes, int timeoutMs) {
    int64_t deadline = nowMs() + timeoutMs;
    size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t w = _socket.send(bytes.data() + sent, bytes.size() - sent);
        if (w > 0) {
            sent += static_cast<size_t>(w);
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
        int64_t left = deadline - nowMs();
        if (left <= 0) return false;
        pollfd p{_socket.getfd(), POLLOUT, 0};
        ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 100)));
    }
    return true;
}

bool RawClient::fill(int64_t deadlineMs) {
    if (!_socket.isValid()) return false;
    while (true) {
        char buf[65536];
        ssize_t r = _socket.recv(buf, sizeof(buf));
        if (r > 0) {
            _buffer.append(buf, static_cast<size_t>(r));
            return true;
        }
        if (r == 0) return false;
        if (errno != EAGAIN && errno != EWOULDBLOCK) return false;
        int64_t left = deadlineMs - nowMs();
        if (left <= 0) return false;
        pollfd p{_socket.getfd(), POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 100)));
    }
}

std::optional<std::string> RawClient::readPacket(int timeoutMs) {
    int64_t deadline = nowMs() + timeoutMs;
    while (true) {
        if (_buffer.size() >= 4) {
            uint32_t len = (static_cast<uint32_t>(static_cast<uint8_t>(_buffer[0])) << 24) |
                           (static_cast<uint32_t>(static_cast<uint8_t>(_buffer[1])) << 16) |
                           (static_cast<uint32_t>(static_cast<uint8_t>(_buffer[2])) << 8) |
                           static_cast<uint32_t>(static_cast<uint8_t>(_buffer[3]));
            if (len >= 4 && _buffer.size() >= len) {
                std::string packet = _buffer.substr(0, len);
                _buffer.erase(0, len);
                return packet;
            }
        }
        if (!fill(deadline)) return std::nullopt;
    }
}

std::optional<ResponsePacket> RawClient::readResponse(int timeoutMs) {
    auto packet = readPacket(timeoutMs);
    if (!packet) return std::nullopt;
    ResponsePacket rsp;
    TarsInputStream<BufferReader> is;
    is.setBuffer(packet->data() + 4, packet->size() - 4);
    rsp.readFrom(is);
    return rsp;
}

std::optional<RequestPacket> RawClient::readTupResponse(int timeoutMs) {
    auto packet = readPacket(timeoutMs);
    if (!packet) return std::nullopt;
    RequestPacket rsp;
    TarsInputStream<BufferReader> is;
    is.setBuffer(packet->data() + 4, packet->size() - 4);
    rsp.readFrom(is);
    return rsp;
}

std::optional<std::string> RawClient::readUntil(const std::string& until, int timeoutMs) {
    int64_t deadline = nowMs() + timeoutMs;
    while (true) {
        size_t pos = _buffer.find(until);
        if (pos != std::string::npos) {
            std::string out = _buffer.substr(0, pos + until.size());
            _buffer.erase(0, pos + until.size());
            return out;
        }
        if (!fill(deadline)) return std::nullopt;
    }
}

std::optional<std::string> RawClient::readExactly(size_t n, int timeoutMs) {
    int64_t deadline = nowMs() + timeoutMs;
    while (_buffer.size() < n) {
        if (!fill(deadline)) return std::nullopt;
    }
    std::string out = _buffer.substr(0, n);
    _buffer.erase(0, n);
    return out;
}

bool RawClient::waitClosed(int timeoutMs) {
    int64_t deadline = nowMs() + timeoutMs;
    if (!_socket.isValid()) return true;
    while (true) {
        char buf[65536];
        ssize_t r = _socket.recv(buf, sizeof(buf));
        if (r == 0) return true;
        if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return true;  // reset
        if (r > 0) continue;
        int64_t left = deadline - nowMs();
        if (left <= 0) return false;
        pollfd p{_socket.getfd(), POLLIN, 0};
        ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left, 100)));
    }
}

// ------------------------------------------------------------------ encoding helpers

std::string encodeRequest(const RequestPacket& req) {
    TarsOutputStream<BufferWriterString> os;
    uint32_t zero = 0;
    os.writeBuf(&zero, 4);
    req.writeTo(os);
    uint32_t len = htonl(static_cast<uint32_t>(os.getLength()));
    os.patch(0, &len, 4);
    return os.takeByteBuffer();
}

RequestPacket makeRequest(const std::string& servant, const std::string& func, const std::vector<char>& args,
                          int requestId, short version) {
    RequestPacket req;
    req.iVersion = version;
    req.iRequestId = requestId;
    req.sServantName = servant;
    req.sFuncName = func;
    req.sBuffer = args;
    req.iTimeout = 0;
    return req;
}

std::vector<char> stringArg(const std::string& s, int tag) {
    TarsOutputStream<BufferWriterVector> os;
    os.write(s, static_cast<uint8_t>(tag));
    return os.takeByteBuffer();
}

std::vector<char> intArg(int value, int tag) {
    TarsOutputStream<BufferWriterVector> os;
    os.write(static_cast<Int32>(value), static_cast<uint8_t>(tag));
    return os.takeByteBuffer();
}

std::string readString(const std::vector<char>& buffer, int tag) {
    TarsInputStream<BufferReader> is;
    is.setBuffer(buffer);
    std::string s;
    is.read(s, static_cast<uint8_t>(tag), true);
    return s;
}

int readInt(const std::vector<char>& buffer, int tag) {
    TarsInputStream<BufferReader> is;
    is.setBuffer(buffer);
    Int32 v = 0;
    is.read(v, static_cast<uint8_t>(tag), true);
    return v;
}

std::string adminNotify(int adminPort, const std::string& command) {
    RawClient c;
    if (!c.connect(adminPort)) return "";
    static int id = 1;
    if (!c.sendAll(encodeRequest(makeRequest("AdminObj", "notify", stringArg(command), id++)))) return "";
    auto rsp = c.readResponse(10000);
    if (!rsp || rsp->iRet != 0) return "";
    return readString(rsp->sBuffer, 0);
}

std::string statusValue(const std::string& viewstatus, const std::string& adapter, const std::string& key) {
    size_t section = viewstatus.find("[adapter " + adapter + "]");
    if (section == std::string::npos) return "";
    size_t end = viewstatus.find("[adapter ", section + 1);
    std::string body = viewstatus.substr(section, end == std::string::npos ? std::string::npos : end - section);
    size_t pos = body.find("\n" + key + "=");
    if (pos == std::string::npos) return "";
    pos += key.size() + 2;
    return body.substr(pos, body.find('\n', pos) - pos);
}

long waitForStatus(int adminPort, const std::string& adapter, const std::string& key, long atLeast, int timeoutMs) {
    int64_t deadline = nowMs() + timeoutMs;
    long value = -1;
    while (true) {
        std::string v = statusValue(adminNotify(adminPort, "tars.viewstatus"), adapter, key);
        if (!v.empty()) value = std::strtol(v.c_str(), nullptr, 10);
        if (value >= atLeast || nowMs() > deadline) return value;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::string helloServerConfig(int port) {
    AdapterSpec adapter;
    adapter.name = "TestApp.HelloServer.HelloObjAdapter";
    adapter.servant = "TestApp.HelloServer.HelloObj";
    adapter.port = port;
    adapter.threads = 2;
    return makeConfig("TestApp", "HelloServer", 0, {adapter});
}

}  // namespace tars::test

namespace tars::test {

HttpAnswer httpRequest(int port, const std::string& method, const std::string& path, const std::string& headers,
                       const std::string& body) {
    HttpAnswer answer;
    RawClient client;
    if (!client.connect(port)) return answer;
    const std::string bodyLength = body.empty() ? "" : "Content-Length: " + std::to_string(body.size()) + "\r\n";
    if (!client.sendAll(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers +
                        bodyLength + "\r\n" + body)) {
        return answer;
    }
    auto head = client.readUntil("\r\n\r\n");
    if (!head) return answer;
    answer.headers = head->substr(0, head->size() - 4);
    std::smatch m;
    if (std::regex_search(answer.headers, m, std::regex("^HTTP/1\\.[01] (\\d+)"))) answer.status = std::stoi(m[1]);
    size_t length = 0;
    if (std::regex_search(answer.headers, m, std::regex("\r\ncontent-length: *(\\d+)", std::regex::icase))) {
        length = std::stoul(m[1]);
    }
    if (method != "HEAD" && length > 0) {
        auto body = client.readExactly(length);
        if (body) answer.body = *body;
    }
    return answer;
}

}  // namespace tars::test
