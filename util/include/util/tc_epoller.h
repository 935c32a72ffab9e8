// TC_Epoller: a thin owner of one Linux epoll instance, for the event loops of the
// server's NetThreads and the client's CommunicatorEpoll.
//
// Ownership: the epoller owns its epoll fd (closed by the destructor); it never owns
// the fds registered in it: close them yourself, preferably after del().
// Each registration carries a 64-bit user value returned with its events
// (TC_Epoller::data(ev)); events are the EPOLL* bits of <sys/epoll.h>, edge-triggered
// with EPOLLET.
// Thread-safety: add/mod/del may be called from any thread (epoll_ctl is thread-safe),
// but wait() and get() belong to the one thread that runs the loop. To wake that thread
// from another, register a NotifyInfo and call its notify().
// Errors: the constructor and add/mod throw TC_Epoller_Exception naming the call and
// errno; del() reports failure by its return value (the fd may already be closed).
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <vector>

#include "util/tc_ex.h"

namespace tars {

struct TC_Epoller_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

class TC_Epoller {
public:
    // maxEvents: most events one wait() returns.
    explicit TC_Epoller(int maxEvents = 1024);
    ~TC_Epoller();
    TC_Epoller(const TC_Epoller&) = delete;
    TC_Epoller& operator=(const TC_Epoller&) = delete;

    void add(int fd, uint64_t data, uint32_t events);
    void mod(int fd, uint64_t data, uint32_t events);
    bool del(int fd);

    // Waits up to timeoutMs (-1: forever, 0: poll). Returns the number of events ready,
    // 0 on timeout or when interrupted by a signal. Throws on any other error.
    int wait(int timeoutMs);

    // The i-th event of the last wait(), 0 <= i < its result.
    const epoll_event& get(int i) const { return _events[static_cast<size_t>(i)]; }

    static uint64_t data(const epoll_event& ev) { return ev.data.u64; }
    static bool readEvent(const epoll_event& ev) { return (ev.events & EPOLLIN) != 0; }
    static bool writeEvent(const epoll_event& ev) { return (ev.events & EPOLLOUT) != 0; }
    // Error or hang-up: the peer is gone or the socket failed (EPOLLRDHUP included).
    static bool errorEvent(const epoll_event& ev) { return (ev.events & (EPOLLERR | EPOLLHUP | EPOLLRDHUP)) != 0; }

    int getfd() const { return _epollFd; }

    // An eventfd registered (level-triggered, EPOLLIN) in one epoller under a user
    // value, so another thread can wake the loop. notify() is thread-safe and
    // async-signal-safe; several notify() calls before the loop reacts collapse into
    // one wake-up. The loop calls clear() when it sees the event, before doing the work
    // it was woken for. Destroy it before its epoller (it deregisters itself).
    class NotifyInfo {
    public:
        NotifyInfo() = default;
        ~NotifyInfo();
        NotifyInfo(const NotifyInfo&) = delete;
        NotifyInfo& operator=(const NotifyInfo&) = delete;

        // Creates the eventfd and registers it in epoller with data; throws on failure.
        void init(TC_Epoller* epoller, uint64_t data);
        void notify();
        void clear();
        int notifyFd() const { return _fd; }
        uint64_t getData() const { return _data; }

    private:
        TC_Epoller* _epoller = nullptr;
        int _fd = -1;
        uint64_t _data = 0;
    };

private:
    void ctl(int op, int fd, uint64_t data, uint32_t events);

    int _epollFd = -1;
    std::vector<epoll_event> _events;
};

}  // namespace tars
