// A smoke test of the load-benchmark tools (not a timing test): the latency histogram's
// stated accuracy, a few hundred calls of tars-bench in each mode against examples/hello's
// HelloServer, raw mode against bench-floor-echo, and bad usage exiting 2. Servers run on ephemeral loopback ports:
// HelloServer on a port reserved by binding it without listening (SO_REUSEADDR lets the
// server bind it too), the echo server on port 0, reporting its port. Readiness is
// waited for by connecting, with a deadline. Every process started is stopped by pid.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "LatencyHistogram.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

int failures = 0;

void check(bool ok, const std::string& what) {
    std::cout << (ok ? "ok     " : "FAILED ") << what << std::endl;
    if (!ok) ++failures;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// A child process, stopped (SIGTERM, then SIGKILL after 10 s) and reaped when destroyed.
class Child {
public:
    Child(const std::vector<std::string>& args, const std::string& outputFile) {
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                         0644);
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
        if (posix_spawn(&_pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) _pid = -1;
        posix_spawn_file_actions_destroy(&actions);
    }
    ~Child() {
        if (_pid <= 0) return;
        ::kill(_pid, SIGTERM);
        auto deadline = Clock::now() + std::chrono::seconds(10);
        int status = 0;
        while (waitpid(_pid, &status, WNOHANG) == 0) {
            if (Clock::now() > deadline) {
                ::kill(_pid, SIGKILL);
                waitpid(_pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    bool started() const { return _pid > 0; }
    bool running() {
        if (_pid <= 0) return false;
        int status = 0;
        if (waitpid(_pid, &status, WNOHANG) == _pid) {
            _pid = -1;
            return false;
        }
        return true;
    }
    // Waits for the exit; its status (128 + signal when killed), or -1 past the deadline.
    int wait(std::chrono::seconds timeout) {
        auto deadline = Clock::now() + timeout;
        int status = 0;
        while (waitpid(_pid, &status, WNOHANG) == 0) {
            if (Clock::now() > deadline) return -1;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        _pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    pid_t _pid = -1;
};

bool canConnect(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return ok;
}

// Polls until the server accepts a connection (false: it exited, or 10 s passed).
bool waitListening(Child& server, int port) {
    auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
        if (!server.running()) return false;
        if (canConnect(port)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
}

// Runs tars-bench to its end; returns its exit status and leaves its output in `output`.
int runBench(const std::string& dir, const std::vector<std::string>& args, std::string& output) {
    std::vector<std::string> argv{TARS_BENCH_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    std::string file = dir + "/bench.out";
    int status;
    {
        Child bench(argv, file);
        status = bench.started() ? bench.wait(std::chrono::seconds(30)) : -1;
    }
    output = readFile(file);
    return status;
}

void expectCalls(const std::string& dir, const std::string& what, const std::vector<std::string>& args, int calls) {
    std::string output;
    int status = runBench(dir, args, output);
    bool ok = status == 0 && output.find("RESULT qps=") != std::string::npos &&
              output.find(" ok=" + std::to_string(calls) + " failed=0") != std::string::npos;
    check(ok, what);
    if (!ok) std::cout << "  exit status " << status << ", output:\n" << output << std::endl;
}

// What tars-bench --help promises: every value lies in its bucket, a bucket is at most
// 1/32 of its values wide, percentiles are within 1.6 %, min/max/mean exact.
void checkHistogram() {
    using tars::bench::LatencyHistogram;
    bool inBucket = true;
    bool narrow = true;
    for (uint64_t v = 0; v < (uint64_t{1} << 41); v = v < 4096 ? v + 1 : v + v / 7 + 1) {
        size_t b = LatencyHistogram::bucketOf(v);
        uint64_t lower = LatencyHistogram::bucketLower(b);
        uint64_t width = LatencyHistogram::bucketWidth(b);
        if (b >= LatencyHistogram::kBucketCount || v < lower || v >= lower + width) inBucket = false;
        if (v >= 32 && width * 32 > lower) narrow = false;
    }
    check(inBucket, "histogram: every value lies inside its bucket");
    check(narrow, "histogram: buckets are at most 1/32 of their values wide");

    LatencyHistogram a;
    LatencyHistogram b;
    for (uint64_t v = 1; v <= 100000; ++v) (v % 2 ? a : b).record(v * 1000);  // 1 us .. 100 ms
    a.merge(b);
    auto within = [](uint64_t got, double want) { return std::abs(static_cast<double>(got) - want) <= want * 0.016; };
    check(a.count() == 100000 && a.min() == 1000 && a.max() == 100000000 && a.mean() == 50000500.0,
          "histogram: merged count, min, max and mean are exact");
    check(within(a.percentile(0.5), 50e6) && within(a.percentile(0.9), 90e6) && within(a.percentile(0.99), 99e6) &&
              within(a.percentile(0.999), 99.9e6),
          "histogram: p50, p90, p99, p99.9 within 1.6 %");
    LatencyHistogram empty;
    check(empty.percentile(0.99) == 0 && empty.max() == 0, "histogram: empty reports zeros");
}

}  // namespace

int main() {
    // A closed stdout (`| head`) must not kill this process before it stops its servers.
    signal(SIGPIPE, SIG_IGN);
    checkHistogram();
    namespace fs = std::filesystem;
    std::string pattern = (fs::temp_directory_path() / "tars_bench_smoke_XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string dir = pattern;
    {
        // HelloServer on a reserved port.
        int reserved = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        setsockopt(reserved, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(reserved, reinterpret_cast<sockaddr*>(&address), sizeof address);
        socklen_t length = sizeof address;
        getsockname(reserved, reinterpret_cast<sockaddr*>(&address), &length);
        const int port = ntohs(address.sin_port);
        std::ofstream(dir + "/HelloServer.conf")
            << "<tars><application><server>\n"
               "app = TestApp\nserver = HelloServer\nlocalip = 127.0.0.1\n"
               "basepath = "
            << dir << "\ndatapath = " << dir << "\nlogpath = " << dir
            << "/log\n"
               "logLevel = ERROR\nnetthread = 1\n"
               "<TestApp.HelloServer.HelloObjAdapter>\n"
               "endpoint = tcp -h 127.0.0.1 -p "
            << port
            << " -t 60000\n"
               "servant = TestApp.HelloServer.HelloObj\nprotocol = tars\nthreads = 2\n"
               "maxconns = 1024\nqueuecap = 10000\nqueuetimeout = 5000\n"
               "</TestApp.HelloServer.HelloObjAdapter>\n"
               "</server></application></tars>\n";
        Child server({HELLO_SERVER_PATH, "--config=" + dir + "/HelloServer.conf"}, dir + "/server.out");
        bool ready = server.started() && waitListening(server, port);
        check(ready, "HelloServer accepts connections");
        if (ready) {
            std::string p = std::to_string(port);
            expectCalls(dir, "sync mode: 200 calls", {"-p", p, "-m", "sync", "-t", "2", "-c", "2", "-n", "200"}, 200);
            expectCalls(dir, "async mode: 300 calls",
                        {"-p", p, "-m", "async", "-c", "2", "-k", "8", "--netthreads", "2", "-n", "300"}, 300);
            expectCalls(dir, "async mode, callbacks on the network thread: 300 calls",
                        {"-p", p, "-m", "async", "-c", "2", "-k", "8", "--asyncthreads", "0", "-n", "300"}, 300);
            expectCalls(dir, "async mode at a rate: 200 calls",
                        {"-p", p, "-m", "async", "-c", "2", "-k", "4", "--rate", "2000", "-n", "200"}, 200);
            expectCalls(dir, "raw mode: 300 calls", {"-p", p, "-m", "raw", "-c", "2", "-k", "8", "-n", "300"}, 300);
            expectCalls(dir, "raw mode, 4 KiB payload: 300 calls",
                        {"-p", p, "-m", "raw", "-c", "3", "-k", "4", "-t", "2", "-s", "4K", "-n", "300"}, 300);
            std::string output;
            int status =
                runBench(dir, {"-p", p, "-m", "raw", "--servant", "TestApp.HelloServer.NoSuchObj", "-n", "10"}, output);
            check(status == 1 && output.find("failed=10") != std::string::npos,
                  "a servant the server does not have: every call fails, exit 1");
        }
        close(reserved);
        if (!ready) std::cout << readFile(dir + "/server.out");
    }
    {
        Child echo({FLOOR_ECHO_PATH, "--port", "0"}, dir + "/echo.out");
        int port = 0;
        auto deadline = Clock::now() + std::chrono::seconds(10);
        while (port == 0 && Clock::now() < deadline && echo.running()) {
            std::sscanf(readFile(dir + "/echo.out").c_str(), "port %d", &port);
            if (port == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        bool ready = port > 0 && waitListening(echo, port);
        check(ready, "bench-floor-echo reports its port and accepts connections");
        if (ready) {
            std::string p = std::to_string(port);
            expectCalls(dir, "raw mode against the floor echo: 300 calls",
                        {"-p", p, "-m", "raw", "--expect", "echo", "-c", "2", "-k", "8", "-n", "300"}, 300);
            std::string output;
            int status = runBench(dir, {"-p", p, "-m", "raw", "-n", "10"}, output);
            check(status == 1, "an echo checked as a TARS reply fails, exit 1");
        }
    }
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"-m", "sync"},                               // no --port
             {"-p", "1", "-m", "bogus"},                   // unknown mode
             {"-p", "1", "--threads", "x"},                // not a number
             {"-p", "1", "-m", "sync", "-k", "4"},         // outstanding in sync mode
             {"-p", "1", "-c", "3", "--netthreads", "2"},  // connections not a multiple
             {"-p", "1", "-d", "1", "-n", "5"},            // duration and count
             {"-p", "1", "--no-such-option"},
         }) {
        std::string output;
        std::string line;
        for (const auto& a : args) line += " " + a;
        check(runBench(dir, args, output) == 2 && output.find("tars-bench:") != std::string::npos,
              "bad usage exits 2 with a message:" + line);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
    std::cout << (failures ? "FAILED" : "passed") << std::endl;
    return failures ? 1 : 0;
}
