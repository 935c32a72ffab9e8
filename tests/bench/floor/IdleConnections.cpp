// bench-idle-conns: holds many idle TCP connections open to a server, for the
// "10,000 idle connections" case of tests/bench/compare.sh (does a server keep its
// throughput and how much memory do idle connections cost it).
//
//   bench-idle-conns --port PORT [--host ADDR] [--count N] [--http2]
//
// Raises its RLIMIT_NOFILE as needed, connects N times (sequentially, blocking), then
// checks which connections the server kept (a server past its connection limit closes
// them) and prints one line "open <kept> closed <dropped>"; it then sends nothing and
// holds them until SIGTERM or SIGINT. With --http2 each connection first sends the
// HTTP/2 client preface and an empty SETTINGS frame, and acknowledges the server's
// SETTINGS, so an HTTP/2 server (gRPC) sees an established, idle client rather than a
// half-open one it would time out. Exit status: 0 after the signal, 1 when a connect
// fails, 2 for bad usage.
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

long parseOption(const char* name, const char* text, long min, long max) {
    char* end = nullptr;
    errno = 0;
    long value = std::strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
        std::fprintf(stderr, "bench-idle-conns: option %s: '%s' is not a number in [%ld, %ld]\n", name, text, min, max);
        std::exit(2);
    }
    return value;
}

void raiseFileLimit(size_t needed) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= needed) return;
    rlimit wanted{static_cast<rlim_t>(needed), limit.rlim_max > needed ? limit.rlim_max : static_cast<rlim_t>(needed)};
    if (setrlimit(RLIMIT_NOFILE, &wanted) != 0) {  // no privilege to raise the hard limit: take what is allowed
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// The HTTP/2 client preface, then an empty SETTINGS frame (length 0, type 4, flags 0, stream 0).
const unsigned char kHttp2Hello[] = {'P',  'R',  'I',  ' ',  '*',  ' ',  'H',  'T',  'T',  'P',  '/',
                                     '2',  '.',  '0',  '\r', '\n', '\r', '\n', 'S',  'M',  '\r', '\n',
                                     '\r', '\n', 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00};
// SETTINGS with the ACK flag.
const unsigned char kHttp2SettingsAck[] = {0x00, 0x00, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00};

// Sends the preface and acknowledges the server's first frames (its SETTINGS).
bool http2Handshake(int fd) {
    if (send(fd, kHttp2Hello, sizeof kHttp2Hello, MSG_NOSIGNAL) != static_cast<ssize_t>(sizeof kHttp2Hello)) {
        return false;
    }
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 5000) != 1) return false;
    char buffer[4096];
    if (recv(fd, buffer, sizeof buffer, 0) <= 0) return false;
    return send(fd, kHttp2SettingsAck, sizeof kHttp2SettingsAck, MSG_NOSIGNAL) ==
           static_cast<ssize_t>(sizeof kHttp2SettingsAck);
}

}  // namespace

int main(int argc, char** argv) {
    std::string host = "127.0.0.1";
    long port = -1;
    long count = 10000;
    bool http2 = false;
    static const option longOptions[] = {
        {"host", required_argument, nullptr, 'H'},  {"port", required_argument, nullptr, 'p'},
        {"count", required_argument, nullptr, 'n'}, {"http2", no_argument, nullptr, '2'},
        {"help", no_argument, nullptr, 'h'},        {nullptr, 0, nullptr, 0}};
    opterr = 0;
    for (int c; (c = getopt_long(argc, argv, ":H:p:n:h", longOptions, nullptr)) != -1;) {
        switch (c) {
            case 'H': host = optarg; break;
            case 'p': port = parseOption("--port", optarg, 1, 65535); break;
            case 'n': count = parseOption("--count", optarg, 1, 1000000); break;
            case '2': http2 = true; break;
            case 'h':
                std::puts(
                    "Usage: bench-idle-conns --port PORT [--host ADDR] [--count N (10000)] [--http2]\n"
                    "Opens N idle connections, prints 'open <kept> closed <dropped>', holds them until "
                    "SIGTERM/SIGINT.");
                return 0;
            default: std::fprintf(stderr, "bench-idle-conns: bad option '%s'\n", argv[optind - 1]); return 2;
        }
    }
    if (port < 0 || optind < argc) {
        std::fprintf(stderr, "bench-idle-conns: --port is required (and nothing else); see --help\n");
        return 2;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
        std::fprintf(stderr, "bench-idle-conns: --host '%s' is not an IPv4 address\n", host.c_str());
        return 2;
    }
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    sigprocmask(SIG_BLOCK, &stopSignals, nullptr);
    raiseFileLimit(static_cast<size_t>(count) + 64);

    std::vector<int> sockets;
    sockets.reserve(static_cast<size_t>(count));
    for (long i = 0; i < count; ++i) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            std::fprintf(stderr, "bench-idle-conns: connection %ld: %s\n", i + 1, std::strerror(errno));
            return 1;
        }
        if (http2 && !http2Handshake(fd)) {
            std::fprintf(stderr, "bench-idle-conns: connection %ld: HTTP/2 handshake failed\n", i + 1);
            return 1;
        }
        sockets.push_back(fd);
    }
    // A server over its limit closes connections right after accepting them: give every
    // accept a moment, then count the connections that read as closed.
    std::vector<pollfd> polls;
    polls.reserve(sockets.size());
    for (int fd : sockets) polls.push_back({fd, POLLRDHUP, 0});
    poll(polls.data(), polls.size(), 500);
    long closed = 0;
    for (const pollfd& p : polls) {
        if (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) ++closed;
    }
    std::printf("open %ld closed %ld\n", count - closed, closed);
    std::fflush(stdout);

    int signal = 0;
    sigwait(&stopSignals, &signal);
    for (int fd : sockets) close(fd);
    return 0;
}
