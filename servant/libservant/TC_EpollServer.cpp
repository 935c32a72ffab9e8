#include "servant/TC_EpollServer.h"

#include <chrono>
#include <future>
#include <sstream>

#include "internal/NetThread.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

TC_EpollServer::TC_EpollServer(size_t netThreads) {
    if (netThreads == 0) netThreads = 1;
    for (size_t i = 0; i < netThreads; ++i) _netThreads.push_back(std::make_shared<NetThread>(this, i));
}

TC_EpollServer::~TC_EpollServer() { stop(0); }

void TC_EpollServer::addAdapter(const std::shared_ptr<BindAdapter>& adapter) {
    if (getAdapterByName(adapter->getName())) {
        throw BindAdapter_Exception("adapter " + adapter->getName() + " is defined twice");
    }
    if (getAdapterByServant(adapter->getServant())) {
        throw BindAdapter_Exception("servant " + adapter->getServant() + " is served by two adapters");
    }
    adapter->setIndex(_adapters.size());
    _adapters.push_back(adapter);
}

std::shared_ptr<BindAdapter> TC_EpollServer::getAdapterByName(const std::string& name) const {
    for (const auto& a : _adapters) {
        if (a->getName() == name) return a;
    }
    return nullptr;
}

std::shared_ptr<BindAdapter> TC_EpollServer::getAdapterByServant(const std::string& servant) const {
    for (const auto& a : _adapters) {
        if (a->getServant() == servant) return a;
    }
    return nullptr;
}

NetThread* TC_EpollServer::nextNetThread() {
    size_t i = _nextThread.fetch_add(1, std::memory_order_relaxed);
    return _netThreads[i % _netThreads.size()].get();
}

void TC_EpollServer::start() {
    if (_started) return;
    for (const auto& a : _adapters) {
        if (!a->hasProtocol()) {
            throw BindAdapter_Exception("adapter " + a->getName() + ": protocol '" + a->getProtocolName() +
                                        "' has no parser (call addServantProtocol for " + a->getServant() + ")");
        }
        if (!a->hasServantFactory()) {
            throw BindAdapter_Exception("adapter " + a->getName() + ": no servant was added for " + a->getServant() +
                                        " (call addServant<T>(\"" + a->getServant() + "\") in initialize())");
        }
    }
    for (const auto& a : _adapters) a->bind();

    // Handles first: a servant whose initialize() fails stops the start before any accept.
    size_t handleThreads = 0;
    size_t mergeAdapters = 0;
    for (const auto& a : _adapters) {
        handleThreads += a->handleThreadCount();
        if (a->isMerge()) ++mergeAdapters;
    }
    StartLatch handlesLatch(handleThreads);
    for (const auto& a : _adapters) a->startHandles(handlesLatch);
    _handlesStarted = true;
    std::string error = handlesLatch.wait();
    if (!error.empty()) {
        stop(0);
        throw BindAdapter_Exception(error);
    }

    for (size_t i = 0; i < _adapters.size(); ++i) _netThreads[i % _netThreads.size()]->addListener(_adapters[i]);
    StartLatch netLatch(_netThreads.size());
    for (const auto& t : _netThreads) t->start(netLatch, mergeAdapters);
    _started = true;
    error = netLatch.wait();
    if (!error.empty()) {
        stop(0);
        throw BindAdapter_Exception(error);
    }
}

void TC_EpollServer::stop(int64_t timeoutMs) {
    if (!_started && !_handlesStarted) return;
    int64_t deadline = TC_TimeProvider::steadyNowMs() + timeoutMs;
    // 1. No new connections, no new packets.
    for (const auto& t : _netThreads) t->stopAccepting();
    // 2. Answer what was read: the handles drain their queues, then destroy their servants.
    for (const auto& a : _adapters) a->stopHandles();
    // 3. Write every reply, then stop the loops (merge-mode servants are destroyed there).
    for (const auto& t : _netThreads) t->stopWhenFlushed(deadline);
    for (const auto& t : _netThreads) t->join();
    for (const auto& a : _adapters) a->closeListen();
    _started = false;
    _handlesStarted = false;
}

std::string TC_EpollServer::connectionsReport(int64_t timeoutMs) const {
    std::ostringstream os;
    for (const auto& t : _netThreads) {
        auto promise = std::make_shared<std::promise<std::string>>();
        std::future<std::string> future = promise->get_future();
        NetThread* thread = t.get();
        if (!t->runInLoop([thread, promise] { promise->set_value(thread->connectionsReport()); })) continue;
        if (future.wait_for(std::chrono::milliseconds(timeoutMs)) == std::future_status::ready) {
            os << future.get();
        } else {
            os << "thread " << t->getIndex() << ": no answer within " << timeoutMs << " ms\n";
        }
    }
    return os.str();
}

}  // namespace tars
