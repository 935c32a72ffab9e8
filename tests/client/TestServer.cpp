#include "TestServer.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "BaseF.h"
#include "RequestF.h"
#include "tup/Tars.h"
#include "tup/TarsJson.h"
#include "tup/TarsUniAttribute.h"
#include "util/tc_network_buffer.h"
#include "util/tc_socket.h"
#include "util/tc_timeprovider.h"

extern char** environ;

namespace tars::test {

struct TestServer::Connection {
    TC_Socket socket;
    TC_NetWorkBuffer in;
    TC_NetWorkBuffer out;
};

namespace {

constexpr uint64_t kListenKey = 1;
constexpr uint64_t kWakeKey = 2;

std::string frame(TarsOutputStream<BufferWriterString>& os) {
    std::string bytes = os.takeByteBuffer();
    uint32_t wire = detail::toBigEndian(static_cast<uint32_t>(bytes.size()));
    std::memcpy(bytes.data(), &wire, 4);
    return bytes;
}

// The reply to req in its version: TUP as a RequestPacket with STATUS_RESULT_CODE.
std::string encodeReply(const RequestPacket& req, int iRet, const std::vector<char>& body,
                        const std::map<std::string, std::string>& context, short version) {
    TarsOutputStream<BufferWriterString> os;
    uint32_t zero = 0;
    os.writeBuf(&zero, 4);
    if (version == TUPVERSION || version == TUP_VERSION_COMPLEX) {
        RequestPacket rsp;
        rsp.iVersion = version;
        rsp.iRequestId = req.iRequestId;
        rsp.iMessageType = req.iMessageType;
        rsp.sServantName = req.sServantName;
        rsp.sFuncName = req.sFuncName;
        rsp.sBuffer = body;
        if (rsp.sBuffer.empty()) {
            TarsOutputStream<BufferWriterVector> empty;
            empty.write(std::map<std::string, std::vector<char>>(), 0);
            rsp.sBuffer = empty.takeByteBuffer();
        }
        rsp.context = context;
        rsp.status["STATUS_RESULT_CODE"] = std::to_string(iRet);
        rsp.status["STATUS_RESULT_DESC"] = "";
        rsp.writeTo(os);
    } else {
        ResponsePacket rsp;
        rsp.iVersion = version;
        rsp.iRequestId = req.iRequestId;
        rsp.iMessageType = req.iMessageType;
        rsp.iRet = iRet;
        rsp.sBuffer = body;
        rsp.context = context;
        rsp.writeTo(os);
    }
    return frame(os);
}

}  // namespace

TestServer::TestServer(int id, const std::string& name) : _id(id), _name(name) {}

TestServer::~TestServer() { stop(); }

std::string TestServer::endpoint() const { return "tcp -h 127.0.0.1 -p " + std::to_string(_port) + " -t 60000"; }

void TestServer::setLocatorAnswer(const std::vector<EndpointF>& active, const std::vector<EndpointF>& inactive) {
    std::lock_guard lock(_mutex);
    _active = active;
    _inactive = inactive;
}

void TestServer::setMode(const std::string& command) {
    std::lock_guard lock(_mutex);
    _mode = command;
}

void TestServer::start(int port) {
    TC_Socket listener = TC_Socket::create(AF_INET, SOCK_STREAM, true);
    listener.setReuseAddr(true);
    listener.bind("127.0.0.1", static_cast<uint16_t>(port));
    listener.listen(1024);
    _port = listener.getSockName().port();
    _listenFd = listener.release();
    _epollFd = epoll_create1(EPOLL_CLOEXEC);
    _wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kListenKey;
    epoll_ctl(_epollFd, EPOLL_CTL_ADD, _listenFd, &ev);
    ev.data.u64 = kWakeKey;
    epoll_ctl(_epollFd, EPOLL_CTL_ADD, _wakeFd, &ev);
    _stop = false;
    _thread = std::thread([this] { run(); });
}

void TestServer::stop() {
    if (!_thread.joinable()) return;
    _stop = true;
    uint64_t one = 1;
    (void)!::write(_wakeFd, &one, sizeof(one));
    _thread.join();
    for (auto& [fd, c] : _connections) {
        // RST rather than FIN: what a crashed peer looks like.
        c->socket.setLinger(true, 0);
    }
    _connections.clear();
    _delayed.clear();
    ::close(_listenFd);
    ::close(_epollFd);
    ::close(_wakeFd);
    _listenFd = _epollFd = _wakeFd = -1;
}

void TestServer::run() {
    epoll_event events[256];
    while (!_stop) {
        int timeout = 1000;
        int64_t now = TC_TimeProvider::steadyNowMs();
        for (const auto& d : _delayed)
            timeout = std::min<int>(timeout, static_cast<int>(std::max<int64_t>(0, d.dueMs - now)));
        int n = epoll_wait(_epollFd, events, 256, timeout);
        for (int i = 0; i < n && !_stop; ++i) {
            uint64_t key = events[i].data.u64;
            if (key == kWakeKey) {
                uint64_t v;
                (void)!::read(_wakeFd, &v, sizeof(v));
            } else if (key == kListenKey) {
                for (;;) {
                    int fd = ::accept4(_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0) break;
                    auto c = std::make_unique<Connection>();
                    c->socket = TC_Socket(fd);
                    c->socket.setNoDelay(true);
                    epoll_event ev{};
                    ev.events = EPOLLIN | EPOLLOUT | EPOLLET;
                    ev.data.u64 = static_cast<uint64_t>(fd) + 16;
                    epoll_ctl(_epollFd, EPOLL_CTL_ADD, fd, &ev);
                    _connections[fd] = std::move(c);
                    ++_accepted;
                }
            } else {
                int fd = static_cast<int>(key - 16);
                auto it = _connections.find(fd);
                if (it == _connections.end()) continue;
                if (events[i].events & EPOLLIN) onReadable(*it->second);
                it = _connections.find(fd);
                if (it != _connections.end() && (events[i].events & EPOLLOUT)) sendOn(*it->second, std::string());
            }
        }
        now = TC_TimeProvider::steadyNowMs();
        std::vector<Delayed> due;
        for (auto it = _delayed.begin(); it != _delayed.end();) {
            if (it->dueMs <= now) {
                due.push_back(std::move(*it));
                it = _delayed.erase(it);
            } else {
                ++it;
            }
        }
        for (auto& d : due) {
            auto c = _connections.find(d.fd);
            if (c != _connections.end()) sendOn(*c->second, std::move(d.bytes));
        }
    }
}

void TestServer::onReadable(Connection& c) {
    int fd = c.socket.getfd();
    for (;;) {
        auto [space, size] = c.in.getWriteSpace(16 * 1024);
        ssize_t got = c.socket.recv(space, size);
        if (got > 0) {
            c.in.commitWrite(static_cast<size_t>(got));
            continue;
        }
        c.in.commitWrite(0);
        if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            closeConnection(fd);
            return;
        }
        break;
    }
    uint32_t length = 0;
    while (c.in.getUint32BE(length) && c.in.getBufferLength() >= length) {
        if (length < 5) {
            closeConnection(fd);
            return;
        }
        std::string packet(c.in.peek(length));
        c.in.moveHeader(length);
        handle(c, packet);
        if (_connections.find(fd) == _connections.end()) return;  // closed by a command
    }
}

void TestServer::sendOn(Connection& c, std::string bytes) {
    if (!bytes.empty()) c.out.addBuffer(std::move(bytes));
    iovec iov[64];
    while (!c.out.empty()) {
        size_t k = c.out.getIovec(iov, 64);
        ssize_t w = c.socket.sendv(iov, static_cast<int>(k));
        if (w > 0) {
            c.out.moveHeader(static_cast<size_t>(w));
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        closeConnection(c.socket.getfd());
        return;
    }
}

void TestServer::closeConnection(int fd) {
    epoll_ctl(_epollFd, EPOLL_CTL_DEL, fd, nullptr);
    _connections.erase(fd);
}

void TestServer::handle(Connection& c, const std::string& packet) {
    RequestPacket req;
    try {
        TarsInputStream<BufferReader> is;
        is.setBuffer(packet.data() + 4, packet.size() - 4);
        req.readFrom(is);
    } catch (const TarsDecodeException&) {
        closeConnection(c.socket.getfd());
        return;
    }
    ++_requests;
    if (req.cPacketType == TARSONEWAY) {
        ++_oneways;
        return;
    }
    std::map<std::string, std::string> context{{"server", _name}};
    short version = req.iVersion;

    if (req.sFuncName == "tars_ping") {
        ++_pings;
        if (_answerPings.load()) sendOn(c, encodeReply(req, 0, {}, context, version));
        return;
    }
    if (req.sFuncName == "findObjectById4Any") {
        ++_locatorQueries;
        TarsOutputStream<BufferWriterVector> os;
        {
            std::lock_guard lock(_mutex);
            os.write(Int32(0), 0);
            os.write(_active, 2);
            os.write(_inactive, 3);
        }
        sendOn(c, encodeReply(req, 0, os.getByteBuffer(), context, version));
        return;
    }
    if (req.sFuncName != "testHello") {
        sendOn(c, encodeReply(req, TARSSERVERNOFUNCERR, {}, context, version));
        return;
    }

    std::string sReq;
    try {
        if (version == TUPVERSION || version == TUP_VERSION_COMPLEX) {
            UniAttribute attr;
            attr.setVersion(version);
            attr.decode(req.sBuffer);
            attr.get("sReq", sReq);
        } else if (version == JSONVERSION) {
            JsonValue json = JsonInput::parse(std::string(req.sBuffer.begin(), req.sBuffer.end()));
            JsonInput::readField(sReq, json, "sReq", true);
        } else {
            TarsInputStream<BufferReader> is;
            is.setBuffer(req.sBuffer);
            is.read(sReq, 1, true);
        }
    } catch (const TarsDecodeException&) {
        sendOn(c, encodeReply(req, TARSSERVERDECODEERR, {}, context, version));
        return;
    }

    std::string command = sReq;
    {
        std::lock_guard lock(_mutex);
        if (!_mode.empty()) command = _mode;
    }
    int iRet = 0;
    int64_t delayMs = 0;
    if (command == "close") {
        closeConnection(c.socket.getfd());
        return;
    }
    if (command == "noreply") return;
    if (command == "badversion") version = static_cast<short>(version == 1 ? 5 : 1);
    if (command == "ctx") {
        for (const auto& [k, v] : req.context) context[k] = v;
    }
    if (command.rfind("ret:", 0) == 0) iRet = std::stoi(command.substr(4));
    if (command.rfind("sleep:", 0) == 0) delayMs = std::stoll(command.substr(6));
    if (command.rfind("push:", 0) == 0) {
        TarsOutputStream<BufferWriterString> os;
        uint32_t zero = 0;
        os.writeBuf(&zero, 4);
        ResponsePacket push;
        push.iVersion = TARSVERSION;
        push.iRequestId = 0;
        TarsOutputStream<BufferWriterVector> body;
        body.write(command.substr(5), 1);
        push.sBuffer = body.takeByteBuffer();
        push.status["TARS_FUNC"] = "notify";
        push.writeTo(os);
        sendOn(c, frame(os));
    }

    std::vector<char> body;
    Int32 ret = _id;
    if (version == TUPVERSION || version == TUP_VERSION_COMPLEX) {
        UniAttribute attr;
        attr.setVersion(version);
        attr.put("", ret);
        attr.put("tars_ret", ret);
        attr.put("sRsp", sReq);
        attr.encode(body);
    } else if (version == JSONVERSION) {
        JsonValue json = JsonValue::object();
        json["tars_ret"] = JsonOutput::writeJson(ret);
        json["sRsp"] = JsonOutput::writeJson(sReq);
        std::string text = JsonOutput::toString(json);
        body.assign(text.begin(), text.end());
    } else {
        TarsOutputStream<BufferWriterVector> os;
        os.write(ret, 0);
        os.write(sReq, 2);
        body = os.takeByteBuffer();
    }
    std::string reply = encodeReply(req, iRet, iRet == 0 ? body : std::vector<char>(), context, version);
    if (delayMs > 0) {
        _delayed.push_back({TC_TimeProvider::steadyNowMs() + delayMs, c.socket.getfd(), ++_serial, std::move(reply)});
        return;
    }
    sendOn(c, std::move(reply));
}

// ---------------------------------------------------------------- process

TestServerProcess::TestServerProcess(int id) {
    int pipeFds[2];
    if (pipe2(pipeFds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
    std::string idText = std::to_string(id);
    std::string path = CLIENT_TEST_SERVER_PATH;
    char* argv[] = {path.data(), idText.data(), nullptr};
    int rc = posix_spawn(&_pid, path.c_str(), &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipeFds[1]);
    if (rc != 0) {
        ::close(pipeFds[0]);
        throw std::runtime_error("cannot start " + path + ": " + std::strerror(rc));
    }
    // "PORT <n>\n", with a deadline so a broken server cannot hang the test.
    std::string line;
    int64_t deadline = TC_TimeProvider::steadyNowMs() + 10000;
    fcntl(pipeFds[0], F_SETFL, O_NONBLOCK);
    while (line.find('\n') == std::string::npos && TC_TimeProvider::steadyNowMs() < deadline) {
        char buf[64];
        ssize_t n = ::read(pipeFds[0], buf, sizeof(buf));
        if (n > 0)
            line.append(buf, static_cast<size_t>(n));
        else if (n == 0)
            break;
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ::close(pipeFds[0]);
    if (line.rfind("PORT ", 0) != 0) {
        kill();
        throw std::runtime_error("client_test_server did not report its port: '" + line + "'");
    }
    _port = std::stoi(line.substr(5));
}

TestServerProcess::~TestServerProcess() { kill(); }

std::string TestServerProcess::endpoint() const { return "tcp -h 127.0.0.1 -p " + std::to_string(_port) + " -t 60000"; }

void TestServerProcess::kill() {
    if (_pid <= 0) return;
    ::kill(_pid, SIGKILL);
    int status = 0;
    waitpid(_pid, &status, 0);
    _pid = -1;
}

}  // namespace tars::test
