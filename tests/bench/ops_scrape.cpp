// ops_scrape: how long a /metrics scrape of a busy server takes (issue 20: a server with
// 10,000 connections and 1,000 series answers in under 50 ms). Two modes, one binary:
//
//   ops_scrape --config=FILE
//       the server: an http adapter (`BenchObj`) whose servant answers 404, the ops
//       endpoint of FILE, and /tars/application/bench<properties>=N user properties with
//       five policies each (N x 5 tars_property series), reported every 100 ms.
//   ops_scrape --drive --port=P --ops=O [--connections=10000] [--scrapes=30]
//       opens the connections to 127.0.0.1:P, waits until the server's
//       tars_adapter_connections says they are all open, then scrapes /metrics on
//       127.0.0.1:O `scrapes` times, one after another, and prints the series count, the
//       size and the median / p90 / max time of a scrape (connect to last byte).
//
// tests/bench/ops_scrape.sh runs both (docs/PERFORMANCE.md, "Issue 20").
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "servant/Application.h"
#include "servant/HttpProtocol.h"

namespace {

class NotFound : public tars::Servant {
public:
    int doRequest(tars::CurrentPtr, std::vector<char>& response) override {
        tars::HttpResponse reply;
        reply.setStatus(404);
        reply.encode(response);
        return 0;
    }
};

class ScrapeServer : public tars::Application {
public:
    void initialize() override {
        addServant<NotFound>(tars::ServerConfig::Application + "." + tars::ServerConfig::ServerName + ".BenchObj");
        int n = std::stoi(getConfig().get("/tars/application/bench<properties>", "200"));
        auto* report = getCommunicator()->getStatReport();
        for (int i = 0; i < n; ++i) {
            _properties.push_back(report->createPropertyReport(
                "bench.property." + std::to_string(i), tars::PropertyReport::sum(), tars::PropertyReport::avg(),
                tars::PropertyReport::max(), tars::PropertyReport::min(), tars::PropertyReport::count()));
        }
        _reporter = std::thread([this] {
            std::unique_lock lock(_mutex);
            for (int64_t v = 1; !_cond.wait_for(lock, std::chrono::milliseconds(100), [this] { return _stop; }); ++v) {
                for (auto& p : _properties) p->report(v);
            }
        });
    }
    void destroyApp() override {
        {
            std::lock_guard lock(_mutex);
            _stop = true;
        }
        _cond.notify_all();
        if (_reporter.joinable()) _reporter.join();
    }

private:
    std::vector<tars::PropertyReportPtr> _properties;
    std::thread _reporter;
    std::mutex _mutex;
    std::condition_variable _cond;
    bool _stop = false;
};

int connectTo(int port, bool blocking) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK), 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 && errno != EINPROGRESS) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// GET /metrics on a fresh connection; the body ("" on failure).
std::string scrape(int port) {
    int fd = connectTo(port, true);
    if (fd < 0) return "";
    const std::string request = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
        ::close(fd);
        return "";
    }
    std::string answer;
    char buffer[65536];
    while (true) {
        ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
        if (n <= 0) break;
        answer.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    size_t body = answer.find("\r\n\r\n");
    return body == std::string::npos ? "" : answer.substr(body + 4);
}

long sampleOf(const std::string& text, const std::string& series) {
    size_t at = text.find("\n" + series + " ");
    return at == std::string::npos ? -1 : std::atol(text.c_str() + at + series.size() + 2);
}

std::string option(int argc, char* argv[], const std::string& name, const std::string& fallback) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.starts_with("--" + name + "=")) return arg.substr(name.size() + 3);
    }
    return fallback;
}

int drive(int argc, char* argv[]) {
    const int port = std::stoi(option(argc, argv, "port", "0"));
    const int ops = std::stoi(option(argc, argv, "ops", "0"));
    const int connections = std::stoi(option(argc, argv, "connections", "10000"));
    const int scrapes = std::stoi(option(argc, argv, "scrapes", "30"));
    std::vector<int> fds;
    fds.reserve(static_cast<size_t>(connections));
    for (int i = 0; i < connections; ++i) {
        int fd = connectTo(port, false);
        if (fd < 0) {
            std::cerr << "ops_scrape: connection " << i << " failed: " << std::strerror(errno) << std::endl;
            return 1;
        }
        fds.push_back(fd);
    }
    // Ready when the server counts every connection and its properties have had a whole
    // interval (they show from then on).
    const std::string gauge = "tars_adapter_connections{adapter=\"Bench.ScrapeServer.BenchObjAdapter\"}";
    long open = 0;
    bool properties = false;
    for (int i = 0; i < 600 && (open < connections || !properties); ++i) {  // at most 60 s
        std::string text = scrape(ops);
        open = sampleOf(text, gauge);
        properties = text.find("\ntars_property{") != std::string::npos;
        if (open < connections || !properties) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (open < connections || !properties) {
        std::cerr << "ops_scrape: the server shows " << open << " of " << connections << " connections"
                  << (properties ? "" : " and no property yet") << std::endl;
        return 1;
    }
    std::vector<double> ms;
    size_t bytes = 0;
    size_t series = 0;
    for (int i = 0; i < scrapes; ++i) {
        auto begin = std::chrono::steady_clock::now();
        std::string text = scrape(ops);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count());
        if (text.empty()) {
            std::cerr << "ops_scrape: empty scrape" << std::endl;
            return 1;
        }
        bytes = text.size();
        series = 0;
        for (size_t at = 0; at < text.size();) {
            size_t end = text.find('\n', at);
            if (end == std::string::npos) end = text.size();
            if (end > at && text[at] != '#') ++series;
            at = end + 1;
        }
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))]; };
    std::printf("connections=%d series=%zu bytes=%zu scrapes=%d median_ms=%.2f p90_ms=%.2f max_ms=%.2f\n", connections,
                series, bytes, scrapes, at(0.5), at(0.9), ms.back());
    for (int fd : fds) ::close(fd);
    return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--drive") return drive(argc, argv);
    }
    ScrapeServer app;
    app.main(argc, argv);
    app.waitForShutdown();
    return 0;
}
