// Collector: an OpenTelemetry collector stand-in for the tracing tests, an HTTP server on
// an ephemeral 127.0.0.1 port that answers every POST with the status it was given and keeps
// the bodies; with keepAlive, several POSTs on one connection. One thread; the destructor stops and joins it.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tars::test {

// A collector stand-in: answers every POST with `status`, keeps the bodies.
class Collector {
public:
    // keepAlive: a connection is kept for further requests (as an OpenTelemetry collector
    // does); otherwise it is closed after one answer, without saying so in the answer.
    explicit Collector(int status, bool keepAlive = false) : _status(status), _keepAlive(keepAlive) {
        _fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
        socklen_t length = sizeof(addr);
        ::getsockname(_fd, reinterpret_cast<sockaddr*>(&addr), &length);
        _port = ntohs(addr.sin_port);
        ::listen(_fd, 16);
        _thread = std::thread([this] { run(); });
    }
    ~Collector() {
        _stop = true;
        _thread.join();
        ::close(_fd);
    }
    int port() const { return _port; }
    // The connections accepted so far.
    int connections() const { return _connections.load(); }
    // The bodies received once there are n of them (waits up to 10 s).
    std::vector<std::string> waitBodies(size_t n) {
        return waitUntil([n](const std::vector<std::string>& bodies) { return bodies.size() >= n; });
    }
    // The bodies received once done(bodies) holds, or after 10 s.
    std::vector<std::string> waitUntil(const std::function<bool(const std::vector<std::string>&)>& done) {
        std::unique_lock lock(_mutex);
        _cond.wait_for(lock, std::chrono::seconds(10), [&] { return done(_bodies); });
        return _bodies;
    }

private:
    void run() {
        while (!_stop) {
            pollfd p{_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            int c = ::accept(_fd, nullptr, nullptr);
            if (c < 0) continue;
            _connections.fetch_add(1);
            serve(c);
            ::close(c);
        }
    }

    // Answers the requests on connection c: one (then closes), or with keepAlive each one
    // until the peer closes it or the collector stops.
    void serve(int c) {
        std::string in;
        char buffer[65536];
        while (!_stop) {
            size_t need = std::string::npos;
            size_t head = std::string::npos;
            for (int i = 0; i < 1000 && in.size() < need && !_stop; ++i) {
                if (head == std::string::npos && (head = in.find("\r\n\r\n")) != std::string::npos) {
                    size_t cl = in.find("Content-Length: ");
                    if (cl != std::string::npos && cl < head) need = head + 4 + std::stoul(in.substr(cl + 16));
                    if (in.size() >= need) break;
                }
                pollfd q{c, POLLIN, 0};
                if (::poll(&q, 1, 100) <= 0) continue;
                ssize_t n = ::recv(c, buffer, sizeof(buffer), 0);
                if (n <= 0) return;
                in.append(buffer, static_cast<size_t>(n));
            }
            if (need == std::string::npos || in.size() < need) return;
            std::string reply = "HTTP/1.1 " + std::to_string(_status) + " X\r\nContent-Length: 2\r\n\r\n{}";
            ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
            {
                std::lock_guard lock(_mutex);
                _bodies.push_back(in.substr(head + 4, need - head - 4));
                _cond.notify_all();
            }
            in.erase(0, need);
            if (!_keepAlive) return;
        }
    }

    int _status;
    bool _keepAlive;
    std::atomic<int> _connections{0};
    int _fd = -1;
    int _port = 0;
    std::atomic<bool> _stop{false};
    std::mutex _mutex;
    std::condition_variable _cond;
    std::vector<std::string> _bodies;
    std::thread _thread;
};

}  // namespace tars::test
