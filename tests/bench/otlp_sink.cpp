// otlp_sink: the OpenTelemetry collector stand-in of the tracing benchmarks
// (tests/bench/lib.sh, bench_start_collector). An HTTP/1.1 server on an ephemeral
// 127.0.0.1 port that reads every request's body, keeps nothing and answers 200; connections
// stay open between requests, as a collector's do. One thread and epoll: a compiled program
// like the real collector, so that the benchmark measures the traced processes and not the
// stand-in (a Python one took about 2 % of a core at 1 % sampling, on the same two cores).
//
//   otlp_sink            listens until SIGTERM or SIGINT; prints nothing
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>

namespace {

volatile std::sig_atomic_t g_stop = 0;

void onSignal(int) { g_stop = 1; }

// Bytes received on one connection and not yet part of an answered request.
struct Connection {
    std::string in;
};

// Bodies above this are refused (the connection is closed): the exporters send a few MiB.
constexpr size_t kTooLarge = 64 * 1024 * 1024;

// The Content-Length of the head in[0, headEnd), 0 when it has none, kTooLarge when it is
// not a number.
size_t contentLength(std::string_view head) {
    static constexpr std::string_view kName = "content-length:";
    for (size_t line = 0; line < head.size();) {
        size_t end = head.find("\r\n", line);
        if (end == std::string_view::npos) end = head.size();
        std::string_view text = head.substr(line, end - line);
        if (text.size() > kName.size()) {
            bool match = true;
            for (size_t i = 0; i < kName.size() && match; ++i) {
                char c = text[i];
                if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
                match = c == kName[i];
            }
            if (match) {
                std::string_view digits = text.substr(kName.size());
                while (!digits.empty() && (digits.front() == ' ' || digits.front() == '\t')) digits.remove_prefix(1);
                size_t value = 0;
                auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
                (void)end;
                return error == std::errc() ? value : kTooLarge;
            }
        }
        line = end + 2;
    }
    return 0;
}

// Answers every whole request in c.in; false when the peer sent something unusable.
bool answer(int fd, Connection& c) {
    static constexpr std::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    while (true) {
        size_t head = c.in.find("\r\n\r\n");
        if (head == std::string::npos) return c.in.size() < 65536;
        size_t length = contentLength(std::string_view(c.in).substr(0, head));
        if (length >= kTooLarge) return false;
        size_t total = head + 4 + length;
        if (c.in.size() < total) return true;
        c.in.erase(0, total);
        if (::send(fd, kOk.data(), kOk.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(kOk.size())) return false;
    }
}

}  // namespace

int main() {
    std::signal(SIGTERM, onSignal);
    std::signal(SIGINT, onSignal);
    int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(listener, 64) != 0) {
        std::perror("otlp_sink: listen");
        return 1;
    }
    int ep = ::epoll_create1(EPOLL_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = listener;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
    std::unordered_map<int, Connection> connections;
    char buffer[65536];
    epoll_event events[64];
    while (g_stop == 0) {
        int n = ::epoll_wait(ep, events, 64, 200);
        for (int i = 0; i < n; ++i) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                // Non-blocking: a client that stops reading is dropped, never waited for.
                int c = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
                if (c < 0) continue;
                epoll_event add{};
                add.events = EPOLLIN;
                add.data.fd = c;
                if (::epoll_ctl(ep, EPOLL_CTL_ADD, c, &add) != 0) {
                    ::close(c);
                    continue;
                }
                connections[c];
                continue;
            }
            Connection& c = connections[fd];
            ssize_t got = ::recv(fd, buffer, sizeof(buffer), 0);
            if (got > 0) c.in.append(buffer, static_cast<size_t>(got));
            if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN) || !answer(fd, c)) {
                ::epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
                ::close(fd);
                connections.erase(fd);
            }
        }
    }
    for (auto& [fd, c] : connections) ::close(fd);
    ::close(ep);
    ::close(listener);
    return 0;
}
