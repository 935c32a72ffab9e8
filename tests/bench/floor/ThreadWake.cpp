// bench-thread-wake: what handing work to another thread costs on this machine, the
// baseline of every hand-over in our client (caller -> network thread -> caller) and
// server (network thread -> handle -> network thread).
//
// Two threads take turns: each wakes the other through a futex and sleeps until woken
// back, --rounds times. Printed: wall time per one-way wake (wake to the other thread
// running) and CPU time per wake, first with both threads on one CPU, then on two CPUs
// (no affinity when the machine has one). On a virtual machine whose idle CPUs halt
// without polling, the cross-CPU figure carries the cost of waking a halted virtual CPU.
#include <linux/futex.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
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
    auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Ping-pong of `rounds` round trips between the calling thread (on cpuA) and a helper
// (on cpuB); cpu < 0: no affinity.
void measure(const char* label, int cpuA, int cpuB, uint32_t rounds) {
    std::atomic<uint32_t> ping{0};
    std::atomic<uint32_t> pong{0};
    bool pinned = true;
    double cpuBefore = processCpuSeconds();
    auto start = std::chrono::steady_clock::now();
    std::thread helper([&] {
        if (cpuB >= 0) pinTo(cpuB);
        for (uint32_t i = 0; i < rounds; ++i) {
            futexWait(ping, i);
            futexWake(pong);
        }
    });
    if (cpuA >= 0) pinned = pinTo(cpuA);
    for (uint32_t i = 0; i < rounds; ++i) {
        futexWake(ping);
        futexWait(pong, i);
    }
    helper.join();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double cpu = processCpuSeconds() - cpuBefore;
    double wakes = 2.0 * rounds;
    std::printf("%-10s wakes/s %9.0f   wall us per wake %7.2f   cpu us per wake %7.2f%s\n", label, wakes / wall,
                wall / wakes * 1e6, cpu / wakes * 1e6, pinned ? "" : "   (affinity refused)");
    if (cpuA >= 0) {  // back to every CPU for the next case
        cpu_set_t all;
        CPU_ZERO(&all);
        for (int c = 0; c < CPU_SETSIZE; ++c) CPU_SET(c, &all);
        sched_setaffinity(0, sizeof all, &all);
    }
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
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    std::printf("%ld CPUs, %u round trips per case\n", cpus, rounds);
    measure("same CPU", 0, 0, rounds);
    if (cpus > 1) measure("two CPUs", 0, 1, rounds);
    measure("no pinning", -1, -1, rounds);
    return 0;
}
