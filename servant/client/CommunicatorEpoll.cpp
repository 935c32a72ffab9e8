#include "internal/CommunicatorEpoll.h"

#include <pthread.h>

#include <algorithm>
#include <functional>
#include <new>
#include <thread>

#include "BaseF.h"
#include "internal/AsyncProcThread.h"
#include "servant/Communicator.h"
#include "internal/AdapterProxy.h"
#include "internal/ObjectProxy.h"
#include "internal/Tracing.h"
#include "internal/StatCollector.h"
#include "internal/Transceiver.h"
#include "util/tc_logger.h"
#include "util/tc_spsc_queue.h"
#include "util/tc_timeprovider.h"

namespace tars {

// One caller thread's queue towards one network thread (the caller produces, the network
// thread drains it each turn and closes it at shutdown; the caller marks it done when the
// thread exits). With the loop's TC_SleepFlag it makes the wake-up exact.
struct CallerQueue {
    static constexpr size_t kCapacity = 1024;

    TC_SpscQueue<ReqMessage*> calls{kCapacity};
    // The network thread's wake word, kept alive here for as long as the caller thread
    // may wait on it, and the caller thread's bit on it (0: none yet; taken at its first
    // sync call; caller thread only).
    std::shared_ptr<TC_WaitWord> wakeWord;
    uint32_t wakeBit = 0;

    ~CallerQueue() {
        if (wakeBit != 0) wakeWord->releaseBit(wakeBit);
    }
};

namespace {

constexpr uint64_t kNotifyKey = ~uint64_t{0};
constexpr int kMaxWaitMs = 1000;

std::atomic<uint64_t> g_nextLoopId{1};

// The calling thread's queues, one per network thread it has called through.
struct ThreadQueues {
    struct Entry {
        uint64_t loopId;
        std::shared_ptr<CallerQueue> queue;
    };
    std::vector<Entry> entries;

    ~ThreadQueues() {
        for (auto& e : entries) e.queue->calls.producerDone();
    }
};
thread_local ThreadQueues t_queues;
thread_local CommunicatorEpoll* t_networkThread = nullptr;

struct DeadlineLater {
    bool operator()(const std::pair<int64_t, int32_t>& a, const std::pair<int64_t, int32_t>& b) const {
        return a.first > b.first;
    }
};

}  // namespace

CommunicatorEpoll::CommunicatorEpoll(Communicator* communicator, size_t index)
    : _communicator(communicator),
      _callStats(communicator->callStats()),
      _index(index),
      _id(g_nextLoopId.fetch_add(1)),
      _epoller(1024) {
    _notify.init(&_epoller, kNotifyKey);
    _handles.resize(1);  // slot 0 is never a handle: key 0 means "none"
    _nowMs = TC_TimeProvider::steadyNowMs();
}

CommunicatorEpoll::~CommunicatorEpoll() {
    terminate();
    // Connections deregister from the handle table, so they go first.
    _objectProxies.clear();
    _newObjectProxies.clear();
    handOffEnded();  // shutdown() ended every call; anything ended since is handed on too
}

void CommunicatorEpoll::start() {
    _thread = std::thread([this] { run(); });
}

void CommunicatorEpoll::terminate() {
    bool already = _terminating.exchange(true, std::memory_order_seq_cst);
    if (_thread.joinable()) {
        _notify.notify();
        _thread.join();
    } else if (!already) {
        shutdown();  // never started: end what was queued from here
    }
}

ObjectProxy* CommunicatorEpoll::addObjectProxy(std::unique_ptr<ObjectProxy> objectProxy) {
    ObjectProxy* raw = objectProxy.get();
    std::lock_guard lock(_mutex);
    _newObjectProxies.push_back(std::move(objectProxy));
    _newThings.store(true, std::memory_order_seq_cst);
    return raw;
}

bool CommunicatorEpoll::push(ReqMessage* msg) {
    CallerQueue* queue = nullptr;
    for (auto& e : t_queues.entries) {
        if (e.loopId == _id) {
            queue = e.queue.get();
            break;
        }
    }
    if (queue == nullptr) {
        std::erase_if(t_queues.entries, [](const auto& e) { return e.queue->calls.isClosed(); });
        auto created = std::make_shared<CallerQueue>();
        created->wakeWord = _wakeWord;
        {
            std::lock_guard lock(_mutex);
            if (_terminating.load(std::memory_order_seq_cst)) return false;
            _newQueues.push_back(created);
            _newThings.store(true, std::memory_order_seq_cst);
        }
        t_queues.entries.push_back({_id, created});
        queue = created.get();
    }

    // Once terminating, no push; one racing with the shutdown either fails (the queue is
    // closed) or is drained by the shutdown (-13).
    if (_terminating.load(std::memory_order_seq_cst)) return false;
    if (msg->eType == ReqMessage::SYNC_CALL) {
        // A bit for threads that make sync calls only (async-only threads leave them free);
        // while none is free, the thread sleeps on its call and asks again next time.
        if (queue->wakeBit == 0) queue->wakeBit = queue->wakeWord->takeBit();
        msg->setWaker(queue->wakeBit != 0 ? queue->wakeWord.get() : nullptr, queue->wakeBit);
    }
    if (!queue->calls.push(msg)) return false;
    if (_sleep.wakeNeeded()) _notify.notify();
    return true;
}

// ---------------------------------------------------------------- the loop

CommunicatorEpoll* CommunicatorEpoll::current() { return t_networkThread; }

void CommunicatorEpoll::run() {
    t_networkThread = this;
    std::string name = "tars-net-" + std::to_string(_index);
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    for (;;) {
        _sleep.aboutToSleep();
        bool work = _newThings.load(std::memory_order_seq_cst) || hasQueuedWork() ||
                    _terminating.load(std::memory_order_seq_cst);
        int timeout = work ? 0 : waitTimeMs();
        int events = 0;
        try {
            events = _epoller.wait(timeout);
        } catch (const TC_Exception& e) {
            TLOGERROR("[client] epoll_wait: " << e.what() << std::endl);
        }
        _sleep.awake();
        _nowMs = TC_TimeProvider::steadyNowMs();
        if (_terminating.load(std::memory_order_acquire)) break;

        for (int i = 0; i < events; ++i) {
            const epoll_event& ev = _epoller.get(i);
            uint64_t key = TC_Epoller::data(ev);
            if (key == kNotifyKey) {
                _notify.clear();
                continue;
            }
            if (Transceiver* t = findHandle(key)) t->onEvent(ev.events);
        }
        drainQueues();
        expireCalls();
        if (_nowMs >= _nextTidyMs) {  // after a burst, give the call table's memory back
            _calls.shrinkIfSparse();
            _nextTidyMs = _nowMs + 1000;
        }
        _timers.runExpired(_nowMs);
        flushDirty();
        handOffEnded();
    }
    shutdown();
}

int CommunicatorEpoll::waitTimeMs() {
    int64_t now = TC_TimeProvider::steadyNowMs();
    int wait = _timers.waitTimeMs(now, kMaxWaitMs);
    if (!_deadlines.empty()) {
        int64_t untilDeadline = std::max<int64_t>(0, _deadlines.front().first - now);
        wait = static_cast<int>(std::min<int64_t>(wait, untilDeadline));
    }
    return std::max(wait, 0);
}

bool CommunicatorEpoll::hasQueuedWork() {
    for (const auto& q : _queues) {
        if (q->calls.hasWork()) return true;
    }
    return false;
}

void CommunicatorEpoll::adoptNewQueues() {
    std::lock_guard lock(_mutex);
    _newThings.store(false, std::memory_order_relaxed);
    for (auto& q : _newQueues) _queues.push_back(std::move(q));
    _newQueues.clear();
    for (auto& op : _newObjectProxies) _objectProxies.push_back(std::move(op));
    _newObjectProxies.clear();
}

void CommunicatorEpoll::drainQueues() {
    if (_newThings.load(std::memory_order_acquire)) adoptNewQueues();
    for (size_t i = 0; i < _queues.size();) {
        TC_SpscQueue<ReqMessage*>& q = _queues[i]->calls;
        // Takes what was pushed before now; later pushes wait for the next turn. (An
        // exception out of a route would end the thread as it always did: std::terminate.)
        q.drain([](ReqMessage* msg) noexcept { msg->objectProxy->invoke(msg); });
        if (q.finished()) {
            _queues[i] = std::move(_queues.back());
            _queues.pop_back();
            continue;
        }
        ++i;
    }
}

void CommunicatorEpoll::expireCalls() {
    while (!_deadlines.empty() && _deadlines.front().first <= _nowMs) {
        int32_t id = _deadlines.front().second;
        std::pop_heap(_deadlines.begin(), _deadlines.end(), DeadlineLater());
        _deadlines.pop_back();
        ReqMessage* msg = _calls.find(id);
        if (msg == nullptr) continue;  // ended already
        if (msg->deadlineMs > _nowMs) continue;
        if (msg->adapter != nullptr) msg->adapter->onCallTimeout(msg);
        fail(msg, TARSINVOKETIMEOUT,
             "no response within " + std::to_string(msg->request.iTimeout) + " ms" +
                 (msg->cappedByDeadline ? " (the time left to the request being served)" : "") +
                 (msg->adapter ? " from " + msg->adapter->endpointString() : std::string()));
    }
}

void CommunicatorEpoll::flushDirty() {
    // The list is swapped out, as a flush may mark connections again (a failed one sends
    // its calls elsewhere): those are flushed in this turn too. Its storage is kept for
    // the next turn, so that marking a connection allocates nothing.
    while (!_dirty.empty()) {
        std::vector<uint64_t> keys = std::move(_spareDirty);
        keys.clear();
        keys.swap(_dirty);
        for (uint64_t key : keys) {
            Transceiver* t = findHandle(key);
            if (t != nullptr && t->dirty) {
                t->dirty = false;
                t->flush();
            }
        }
        keys.clear();
        _spareDirty = std::move(keys);
    }
}

// ---------------------------------------------------------------- handles

uint64_t CommunicatorEpoll::addHandle(Transceiver* transceiver) {
    uint32_t slot;
    if (!_freeHandles.empty()) {
        slot = _freeHandles.back();
        _freeHandles.pop_back();
    } else {
        slot = static_cast<uint32_t>(_handles.size());
        _handles.emplace_back();
    }
    _handles[slot].transceiver = transceiver;
    return (static_cast<uint64_t>(_handles[slot].generation) << 32) | slot;
}

void CommunicatorEpoll::removeHandle(uint64_t key) {
    uint32_t slot = static_cast<uint32_t>(key);
    if (slot == 0 || slot >= _handles.size()) return;
    Handle& h = _handles[slot];
    if (h.generation != static_cast<uint32_t>(key >> 32) || h.transceiver == nullptr) return;
    h.transceiver = nullptr;
    ++h.generation;
    _freeHandles.push_back(slot);
}

Transceiver* CommunicatorEpoll::findHandle(uint64_t key) const {
    uint32_t slot = static_cast<uint32_t>(key);
    if (slot == 0 || slot >= _handles.size()) return nullptr;
    const Handle& h = _handles[slot];
    return h.generation == static_cast<uint32_t>(key >> 32) ? h.transceiver : nullptr;
}

void CommunicatorEpoll::markDirty(Transceiver* transceiver) {
    if (transceiver->dirty) return;
    transceiver->dirty = true;
    _dirty.push_back(transceiver->handleKey());
}

// ---------------------------------------------------------------- calls

bool CommunicatorEpoll::track(ReqMessage* msg) {
    int32_t id = msg->request.iRequestId;
    if (!_calls.insert(id, msg)) {
        msg->response.iVersion = msg->request.iVersion;
        msg->response.iRequestId = id;
        msg->response.iRet = TARSSENDREQUESTERR;
        msg->response.sResultDesc = "request id " + std::to_string(id) + " is already in use";
        handOn(msg);
        return false;
    }
    _deadlines.emplace_back(msg->deadlineMs, id);
    std::push_heap(_deadlines.begin(), _deadlines.end(), DeadlineLater());
    // Ended calls leave their entry behind until its deadline passes: at a high call rate
    // with long timeouts that is rate x timeout entries. Past twice the calls in flight,
    // the dead ones are dropped (amortized: at least half of the entries go each time).
    if (_deadlines.size() > 2 * _calls.size() + kDeadlineSlack) compactDeadlines();
    return true;
}

void CommunicatorEpoll::compactDeadlines() {
    auto ended = [this](const std::pair<int64_t, int32_t>& entry) {
        const ReqMessage* msg = _calls.find(entry.second);
        return msg == nullptr || msg->deadlineMs != entry.first;
    };
    _deadlines.erase(std::remove_if(_deadlines.begin(), _deadlines.end(), ended), _deadlines.end());
    std::make_heap(_deadlines.begin(), _deadlines.end(), DeadlineLater());
    // After a burst, give the memory back.
    if (_deadlines.capacity() > 4 * (_deadlines.size() + kDeadlineSlack)) _deadlines.shrink_to_fit();
}

ReqMessage* CommunicatorEpoll::findCall(int32_t requestId) const { return _calls.find(requestId); }

void CommunicatorEpoll::complete(ReqMessage* msg) {
    if (msg->list != nullptr) static_cast<ReqMessageList*>(msg->list)->erase(msg);
    _calls.erase(msg->request.iRequestId, msg);
    if (_callStats != nullptr) recordStat(msg);
    if (msg->traceSpan) [[unlikely]]
        endSpan(msg);
    handOn(msg);
}

void CommunicatorEpoll::endSpan(ReqMessage* msg) {
    TraceSpanPtr span = std::move(msg->traceSpan);
    if (msg->adapter != nullptr) {
        const TC_Endpoint& endpoint = msg->adapter->endpoint();
        span->record.peerHost = endpoint.getHost();
        span->record.peerPort = endpoint.getPort();
    }
    span->finish(msg->response.iRet);
}

void CommunicatorEpoll::recordStat(const ReqMessage* msg) {
    if (msg->eType == ReqMessage::INTERNAL || msg->eType == ReqMessage::PUSH) return;
    const ObjectProxy* op = msg->objectProxy;
    if (op == nullptr || !op->servantProxy()->tars_report_stats()) return;
    int ret = msg->response.iRet;
    StatCollector::Outcome outcome = StatCollector::Outcome::Success;
    if (msg->eType == ReqMessage::ONE_WAY && ret == TARSSERVERSUCCESS) {
        outcome = StatCollector::Outcome::OneWay;
    } else if (ret == TARSINVOKETIMEOUT) {
        outcome = StatCollector::Outcome::Timeout;
    } else if (ret != TARSSERVERSUCCESS) {
        outcome = StatCollector::Outcome::Exception;
    }
    static const std::string kNoHost;
    const std::string& host = msg->adapter != nullptr ? msg->adapter->endpoint().getHost() : kNoHost;
    int port = msg->adapter != nullptr ? msg->adapter->endpoint().getPort() : 0;
    int64_t elapsedMs = _nowMs - (msg->deadlineMs - msg->request.iTimeout);
    _callStats->record(op->statName(), msg->request.sFuncName, host, port, ret, outcome, elapsedMs);
}

void CommunicatorEpoll::fail(ReqMessage* msg, int code, const std::string& why) {
    msg->response.iVersion = msg->request.iVersion;
    msg->response.iRequestId = msg->request.iRequestId;
    msg->response.iRet = code;
    msg->response.sResultDesc = why;
    complete(msg);
}

void CommunicatorEpoll::dispatchPush(ReqMessage* msg) { handOn(msg); }

void CommunicatorEpoll::handOn(ReqMessage* msg) {
    switch (msg->eType) {
        case ReqMessage::SYNC_CALL: try { _endedSync.push_back(msg);  // woken at the end of the turn
            } catch (const std::bad_alloc&) {
                TC_WaitWord::Wake(*_wakeWord).end(msg->syncWait);  // now, rather than never
            }
            return;
        case ReqMessage::ASYNC_CALL:
        case ReqMessage::PUSH:
            if (msg->callback) {
                if (msg->callback->getNetThreadProcess()) {
                    AsyncProcThread::dispatch(msg);
                } else {
                    AsyncProcThread* thread = _communicator->asyncThread(_index + _asyncSeq++);
                    try {
                        auto it = std::find_if(_endedAsync.begin(), _endedAsync.end(),
                                               [thread](const EndedAsync& e) { return e.thread == thread; });
                        if (it == _endedAsync.end()) it = _endedAsync.insert(_endedAsync.end(), {thread, {}});
                        it->messages.push_back(msg);  // pushed at the end of the turn
                    } catch (const std::bad_alloc&) {
                        thread->push(msg);
                    }
                }
                return;
            }
            delete msg;
            return;
        case ReqMessage::ONE_WAY: delete msg; return;
        case ReqMessage::INTERNAL: {
            std::unique_ptr<ReqMessage> owned(msg);
            auto done = std::move(msg->done);
            if (done) done(msg);
            return;
        }
    }
    delete msg;
}

void CommunicatorEpoll::handOffEnded() {
    for (EndedAsync& e : _endedAsync) {
        if (!e.messages.empty()) e.thread->push(e.messages);
    }
    {
        // The callers own their messages from each end on; one system call wakes them.
        TC_WaitWord::Wake wake(*_wakeWord);
        for (ReqMessage* msg : _endedSync) wake.end(msg->syncWait);
    }
    _endedSync.clear();
}

// ---------------------------------------------------------------- shutdown

void CommunicatorEpoll::shutdown() {
    _stopping = true;
    _nowMs = TC_TimeProvider::steadyNowMs();
    adoptNewQueues();  // no queue registers once _terminating is set
    // Calls still in the callers' queues were never routed: -13.
    for (auto& q : _queues) {
        q->calls.close();  // waits for a push under way (a few instructions)
        std::vector<ReqMessage*> pending;
        q->calls.drain([&pending](ReqMessage* msg) noexcept { pending.push_back(msg); });
        for (ReqMessage* m : pending) {
            m->response.iVersion = m->request.iVersion;
            m->response.iRequestId = m->request.iRequestId;
            m->response.iRet = TARSSENDREQUESTERR;
            m->response.sResultDesc = "communicator terminated";
            handOn(m);
        }
    }
    _queues.clear();
    // Routed calls: waiting ones end with -13, sent ones with -8.
    for (auto& op : _objectProxies) op->terminate(TARSSENDREQUESTERR);
    // By id, looked up again: ending one call may end others (callbacks run inline here).
    for (int32_t id : _calls.ids()) {
        if (ReqMessage* msg = _calls.find(id)) fail(msg, TARSSENDREQUESTERR, "communicator terminated");
    }
    _deadlines.clear();
    handOffEnded();
}

}  // namespace tars
