#include "util/tc_epoller.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace tars {

TC_Epoller::TC_Epoller(int maxEvents) {
    if (maxEvents <= 0) maxEvents = 1;
    _epollFd = ::epoll_create1(EPOLL_CLOEXEC);
    if (_epollFd < 0) throw TC_Epoller_Exception("epoll_create1", errno);
    _events.resize(static_cast<size_t>(maxEvents));
}

TC_Epoller::~TC_Epoller() {
    if (_epollFd >= 0) ::close(_epollFd);
}

void TC_Epoller::ctl(int op, int fd, uint64_t data, uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = data;
    if (::epoll_ctl(_epollFd, op, fd, &ev) != 0) {
        throw TC_Epoller_Exception(
            std::string("epoll_ctl(") + (op == EPOLL_CTL_ADD ? "ADD" : "MOD") + ", fd " + std::to_string(fd) + ")",
            errno);
    }
}

void TC_Epoller::add(int fd, uint64_t data, uint32_t events) { ctl(EPOLL_CTL_ADD, fd, data, events); }

void TC_Epoller::mod(int fd, uint64_t data, uint32_t events) { ctl(EPOLL_CTL_MOD, fd, data, events); }

bool TC_Epoller::del(int fd) {
    epoll_event ev{};  // non-null for kernels before 2.6.9
    return ::epoll_ctl(_epollFd, EPOLL_CTL_DEL, fd, &ev) == 0;
}

int TC_Epoller::wait(int timeoutMs) {
    int n = ::epoll_wait(_epollFd, _events.data(), static_cast<int>(_events.size()), timeoutMs);
    if (n < 0) {
        if (errno == EINTR) return 0;
        throw TC_Epoller_Exception("epoll_wait", errno);
    }
    return n;
}

TC_Epoller::NotifyInfo::~NotifyInfo() {
    if (_fd >= 0) {
        if (_epoller) _epoller->del(_fd);
        ::close(_fd);
    }
}

void TC_Epoller::NotifyInfo::init(TC_Epoller* epoller, uint64_t data) {
    if (_fd >= 0) throw TC_Epoller_Exception("NotifyInfo::init called twice");
    int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0) throw TC_Epoller_Exception("eventfd", errno);
    try {
        epoller->add(fd, data, EPOLLIN);
    } catch (...) {
        ::close(fd);
        throw;
    }
    _epoller = epoller;
    _fd = fd;
    _data = data;
}

void TC_Epoller::NotifyInfo::notify() {
    uint64_t one = 1;
    // EAGAIN means the counter is saturated: the loop is woken anyway.
    [[maybe_unused]] ssize_t n = ::write(_fd, &one, sizeof(one));
}

void TC_Epoller::NotifyInfo::clear() {
    uint64_t value;
    [[maybe_unused]] ssize_t n = ::read(_fd, &value, sizeof(value));
}

}  // namespace tars
