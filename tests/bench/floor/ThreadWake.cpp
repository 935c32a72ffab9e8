// bench-thread-wake: what handing work to another thread costs on this machine, the
// baseline of every hand-over in our client (caller -> network thread -> caller) and
// server (network thread -> handle -> network thread).
//
// Two threads take turns: each wakes the other through a futex and sleeps until woken
// back, --rounds times. Printed: wall time per one-way wake (wake to the other thread
// running) and CPU time per wake, with both threads on one CPU, on two CPUs (the first
// two this process may use; skipped when it may use one), and without pinning. On a
// virtual machine whose idle CPUs halt without polling, the cross-CPU figure carries the
// cost of waking a halted virtual CPU. Each case ends by restoring the affinity the
// process started with.
#include <linux/futex.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace {

void futexWait(std::atomic<uint32_t>& word, uint32_t seen) {
    while (word.load(std::memory_order_acquire) == seen) {
        syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, seen, nullptr, nullptr, 0);
    }
}

void futexWake(std::atomic<uint32_t>& word) {
    word.fetch_add(1, std::memory_order_release);
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

bool pinTo(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0;  // 0: the calling thread
}

double processCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Ping-pong of `rounds` round trips between the calling thread (on cpuA) and a helper
// (on cpuB); cpu < 0: no affinity. The clock starts once both threads are placed.
void measure(const char* label, int cpuA, int cpuB, uint32_t rounds, const cpu_set_t& original) {
    std::atomic<uint32_t> ping{0};
    std::atomic<uint32_t> pong{0};
    std::atomic<bool> helperPinned{true};
    std::thread helper([&] {
        if (cpuB >= 0) helperPinned = pinTo(cpuB);
        futexWake(pong);  // placed: round 0 may start
        for (uint32_t i = 0; i < rounds; ++i) {
            futexWait(ping, i);
            futexWake(pong);
        }
    });
    bool pinned = cpuA < 0 || pinTo(cpuA);
    futexWait(pong, 0);
    double cpuBefore = processCpuSeconds();
    auto start = std::chrono::steady_clock::now();
    for (uint32_t i = 0; i < rounds; ++i) {
        futexWake(ping);
        futexWait(pong, i + 1);
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double cpu = processCpuSeconds() - cpuBefore;
    helper.join();
    sched_setaffinity(0, sizeof original, &original);
    double wakes = 2.0 * rounds;
    std::printf("%-10s wakes/s %9.0f   wall us per wake %7.2f   cpu us per wake %7.2f%s\n", label, wakes / wall,
                wall / wakes * 1e6, cpu / wakes * 1e6, pinned && helperPinned ? "" : "   (affinity refused)");
}

}  // namespace

int main(int argc, char** argv) {
    uint32_t rounds = 100000;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            long value = std::strtol(argv[++i], nullptr, 10);
            if (value < 1 || value > 100000000) {
                std::fprintf(stderr, "bench-thread-wake: --rounds takes 1 to 100000000\n");
                return 2;
            }
            rounds = static_cast<uint32_t>(value);
        } else {
            std::fprintf(stderr, "usage: bench-thread-wake [--rounds N]  (default 100000 round trips per case)\n");
            return 2;
        }
    }
    cpu_set_t original;
    CPU_ZERO(&original);
    if (sched_getaffinity(0, sizeof original, &original) != 0) {
        std::fprintf(stderr, "bench-thread-wake: sched_getaffinity: %s\n", std::strerror(errno));
        return 1;
    }
    int allowed[2] = {-1, -1};
    int count = 0;
    for (int c = 0; c < CPU_SETSIZE && count < 2; ++c) {
        if (CPU_ISSET(c, &original)) allowed[count++] = c;
    }
    std::printf("%d CPUs usable, %u round trips per case\n", CPU_COUNT(&original), rounds);
    measure("same CPU", allowed[0], allowed[0], rounds, original);
    if (count > 1) measure("two CPUs", allowed[0], allowed[1], rounds, original);
    measure("no pinning", -1, -1, rounds, original);
    return 0;
}
