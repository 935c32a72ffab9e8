// bench-floor-echo: the floor of the load benchmarks. A minimal epoll server that speaks
// TARS framing (4-byte big-endian length that counts itself, 5 bytes .. 100 MB) and no
// RPC: every complete frame it reads is written back unchanged. Whatever an RPC server
// adds on top (decoding, dispatch, a servant, encoding, queues, threads) is what our
// server costs above this floor; tars-bench --mode raw --expect echo drives it exactly as
// it drives a TARS server, so both are counted the same way.
//
//   bench-floor-echo [--host ADDR] [--port PORT] [--threads N]
//
// Prints "port <n>" on stdout once it listens (--port 0, the default, lets the kernel
// choose), then serves until SIGTERM or SIGINT. Each loop reads into one buffer of its
// own and echoes the complete frames from it (one send per read batch); only a partial
// frame, or what the socket did not take (until EPOLLOUT), is kept per connection, so
// an idle connection costs the kernel's socket and a few dozen bytes here. A frame
// length outside 5 .. 100 MB closes that connection. With --threads N, N loops share
// the listening socket (EPOLLEXCLUSIVE), each serving the connections it accepted.
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

constexpr uint32_t kMinFrame = 5;
constexpr uint32_t kMaxFrame = 100u * 1024u * 1024u;
constexpr size_t kReadChunk = 64 * 1024;

class FileDescriptor {
public:
    explicit FileDescriptor(int fd = -1) : _fd(fd) {}
    ~FileDescriptor() {
        if (_fd >= 0) ::close(_fd);
    }
    FileDescriptor(FileDescriptor&& other) noexcept : _fd(other._fd) { other._fd = -1; }
    FileDescriptor& operator=(FileDescriptor&&) = delete;
    FileDescriptor(const FileDescriptor&) = delete;
    int get() const { return _fd; }

private:
    int _fd;
};

[[noreturn]] void die(const char* what) {
    std::fprintf(stderr, "bench-floor-echo: %s: %s\n", what, std::strerror(errno));
    std::exit(1);
}

struct Connection {
    explicit Connection(int fd) : socket(fd) {}
    FileDescriptor socket;
    std::vector<char> partial;  // the start of a frame not complete yet
    std::vector<char> out;      // echoed bytes the socket did not take yet
    size_t outOffset = 0;
};

class EchoLoop {
public:
    explicit EchoLoop(int listenFd) : _listenFd(listenFd), _epoll(epoll_create1(EPOLL_CLOEXEC)), _buffer(kReadChunk) {
        if (_epoll.get() < 0) die("epoll_create1");
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLEXCLUSIVE;
        ev.data.fd = listenFd;
        if (epoll_ctl(_epoll.get(), EPOLL_CTL_ADD, listenFd, &ev) != 0) die("epoll_ctl(listen)");
    }

    void run() {
        std::vector<epoll_event> events(512);
        for (;;) {
            int n = epoll_wait(_epoll.get(), events.data(), static_cast<int>(events.size()), -1);
            if (n < 0) {
                if (errno == EINTR) continue;
                die("epoll_wait");
            }
            for (int i = 0; i < n; ++i) {
                int fd = events[static_cast<size_t>(i)].data.fd;
                uint32_t what = events[static_cast<size_t>(i)].events;
                if (fd == _listenFd) {
                    acceptAll();
                    continue;
                }
                auto it = _connections.find(fd);
                if (it == _connections.end()) continue;
                Connection& c = *it->second;
                bool keep = true;
                if (what & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) keep = readAndEcho(c);
                if (keep && (what & EPOLLOUT)) keep = flush(c);
                if (!keep) _connections.erase(it);
            }
        }
    }

private:
    void acceptAll() {
        for (;;) {
            int fd = accept4(_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR) continue;
                return;  // EAGAIN (another loop took it), EMFILE, ...: nothing more now
            }
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            auto c = std::make_unique<Connection>(fd);
            epoll_event ev{};
            ev.events = EPOLLIN | EPOLLOUT | EPOLLET | EPOLLRDHUP;
            ev.data.fd = fd;
            if (epoll_ctl(_epoll.get(), EPOLL_CTL_ADD, fd, &ev) != 0) continue;  // c closes fd
            _connections.emplace(fd, std::move(c));
        }
    }

    // Reads everything available and echoes the complete frames; false: close it.
    bool readAndEcho(Connection& c) {
        for (;;) {
            ssize_t n = ::read(c.socket.get(), _buffer.data(), _buffer.size());
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
                return false;
            }
            if (n == 0) return false;
            const char* data = _buffer.data();
            auto size = static_cast<size_t>(n);
            if (!c.partial.empty()) {  // rare: a frame spans reads; join it in the connection's buffer
                c.partial.insert(c.partial.end(), data, data + size);
                data = c.partial.data();
                size = c.partial.size();
            }
            // The complete frames at the front.
            size_t complete = 0;
            while (size - complete >= 4) {
                const auto* p = reinterpret_cast<const unsigned char*>(data + complete);
                uint32_t length =
                    (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
                if (length < kMinFrame || length > kMaxFrame) return false;
                if (size - complete < length) break;
                complete += length;
            }
            if (complete > 0 && !echo(c, data, complete)) return false;
            std::vector<char> rest(data + complete, data + size);
            c.partial.swap(rest);
            if (static_cast<size_t>(n) < _buffer.size()) return true;  // drained
        }
    }

    // Writes bytes now, or keeps what the socket does not take for EPOLLOUT.
    bool echo(Connection& c, const char* data, size_t length) {
        size_t sent = 0;
        while (c.out.empty() && sent < length) {
            ssize_t n = ::send(c.socket.get(), data + sent, length - sent, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) break;
                return false;
            }
            sent += static_cast<size_t>(n);
        }
        c.out.insert(c.out.end(), data + sent, data + length);
        return true;
    }

    bool flush(Connection& c) {
        while (c.outOffset < c.out.size()) {
            ssize_t n = ::send(c.socket.get(), c.out.data() + c.outOffset, c.out.size() - c.outOffset, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
                return false;
            }
            c.outOffset += static_cast<size_t>(n);
        }
        std::vector<char>().swap(c.out);
        c.outOffset = 0;
        return true;
    }

    int _listenFd;
    FileDescriptor _epoll;
    std::vector<char> _buffer;  // every read of this loop lands here first
    std::unordered_map<int, std::unique_ptr<Connection>> _connections;
};

void usage(FILE* to) {
    std::fputs(
        "Usage: bench-floor-echo [--host ADDR] [--port PORT] [--threads N]\n"
        "An epoll echo server of TARS-framed packets (4-byte big-endian length), no RPC:\n"
        "the floor the load benchmarks compare our server with. Prints 'port <n>' once it\n"
        "listens (default port 0: the kernel chooses); runs until SIGTERM or SIGINT.\n"
        "  --host ADDR    IPv4 address to listen on (default 127.0.0.1)\n"
        "  --port PORT    port (default 0)\n"
        "  --threads N    event loops sharing the listening socket (default 1)\n",
        to);
}

long parseOption(const char* name, const char* text, long min, long max) {
    char* end = nullptr;
    errno = 0;
    long value = std::strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
        std::fprintf(stderr, "bench-floor-echo: option %s: '%s' is not a number in [%ld, %ld]\n", name, text, min, max);
        std::exit(2);
    }
    return value;
}

}  // namespace

int main(int argc, char** argv) {
    std::string host = "127.0.0.1";
    long port = 0;
    long threads = 1;
    static const option longOptions[] = {{"host", required_argument, nullptr, 'H'},
                                         {"port", required_argument, nullptr, 'p'},
                                         {"threads", required_argument, nullptr, 't'},
                                         {"help", no_argument, nullptr, 'h'},
                                         {nullptr, 0, nullptr, 0}};
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, ":H:p:t:h", longOptions, nullptr)) != -1;) {
        switch (c) {
            case 'H': host = optarg; break;
            case 'p': port = parseOption("--port", optarg, 0, 65535); break;
            case 't': threads = parseOption("--threads", optarg, 1, 256); break;
            case 'h': usage(stdout); return 0;
            default:
                std::fprintf(stderr, "bench-floor-echo: bad option '%s'\n", argv[optind - 1]);
                usage(stderr);
                return 2;
        }
    }
    if (optind < argc) {
        std::fprintf(stderr, "bench-floor-echo: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }

    // Room for many connections (the idle-connections case): the hard limit, at most 1M.
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max < 1048576 ? limit.rlim_max : 1048576;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    // SIGTERM and SIGINT are taken by sigwait below, not by any loop thread.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    FileDescriptor listener(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (listener.get() < 0) die("socket");
    int one = 1;
    setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
        std::fprintf(stderr, "bench-floor-echo: --host '%s' is not an IPv4 address\n", host.c_str());
        return 2;
    }
    if (bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("bind");
    if (listen(listener.get(), 4096) != 0) die("listen");
    socklen_t length = sizeof address;
    getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length);

    std::vector<std::unique_ptr<EchoLoop>> loops;
    for (long i = 0; i < threads; ++i) loops.push_back(std::make_unique<EchoLoop>(listener.get()));
    for (auto& loop : loops) std::thread([l = loop.get()] { l->run(); }).detach();
    std::printf("port %u\n", ntohs(address.sin_port));
    std::fflush(stdout);

    int signal = 0;
    sigwait(&stopSignals, &signal);
    // The loops never return; leaving main ends the process with them, sockets and all.
    std::_Exit(0);
}
