// CommunicatorEpoll: one client network thread of a Communicator (netthread of them).
//
// Call path: a caller thread pushes a ReqMessage into its own lock-free queue towards this
// thread (a TC_SpscQueue per caller thread and network thread, registered on the caller's
// first call and kept thread-local), and wakes the thread through an eventfd only when it
// sleeps (TC_SleepFlag). Each loop turn the thread drains every caller queue, routes the
// calls (ObjectProxy -> EndpointManager -> AdapterProxy), reads and matches responses by
// iRequestId, ends calls past their deadline with -7, runs its timers, and flushes every
// connection written to in that turn with one writev. Only then does it hand on the calls that ended in the turn:
// one futex wake for the sync callers (TC_WaitWord), one push per callback thread.
// (Callbacks set to run on the network thread, setNetThreadProcess, run when their call
// ends, in the middle of the turn.)
//
// Ownership: the Communicator owns it; it owns the ObjectProxies made for it (and so their
// endpoints and connections). terminate() stops the thread after ending every call it
// holds (queued: -13, sent: -8), then joins it.
// Thread-safety: push() and addObjectProxy() from any thread; everything else is for the
// network thread (the functions the runtime's own classes call).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "internal/CallTable.h"
#include "servant/ReqMessage.h"
#include "util/tc_epoller.h"
#include "util/tc_sleep_flag.h"
#include "util/tc_timer_queue.h"

namespace tars {

class AsyncProcThread;
class Communicator;
class ObjectProxy;
class StatCollector;
class Transceiver;
struct CallerQueue;

class CommunicatorEpoll {
public:
    CommunicatorEpoll(Communicator* communicator, size_t index);
    ~CommunicatorEpoll();
    CommunicatorEpoll(const CommunicatorEpoll&) = delete;
    CommunicatorEpoll& operator=(const CommunicatorEpoll&) = delete;

    void start();
    // Ends every call held, stops and joins the thread. Idempotent.
    void terminate();

    size_t index() const { return _index; }
    Communicator* communicator() const { return _communicator; }

    // ---- any thread
    // The network thread the caller runs on (of any Communicator), or nullptr: where a sync
    // call would wait for itself.
    static CommunicatorEpoll* current();
    // Queues msg for this network thread; false (msg untouched) once terminating.
    bool push(ReqMessage* msg);
    // Takes ownership; the object is used by the network thread from its next turn.
    ObjectProxy* addObjectProxy(std::unique_ptr<ObjectProxy> objectProxy);

    // ---- network thread only
    TC_Epoller& epoller() { return _epoller; }
    TC_TimerQueue& timers() { return _timers; }
    int64_t nowMs() const { return _nowMs; }
    bool terminating() const { return _stopping; }

    uint64_t addHandle(Transceiver* transceiver);
    void removeHandle(uint64_t key);
    Transceiver* findHandle(uint64_t key) const;
    void markDirty(Transceiver* transceiver);
    // Bumped whenever an endpoint's usability may have changed other than by the clock
    // passing a time it set (a connection closes or starts, an isolation, a back-off):
    // EndpointManager keeps its usable set until this moves or that time comes.
    void endpointStateChanged() { ++_endpointStateVersion; }
    uint64_t endpointStateVersion() const { return _endpointStateVersion; }

    // A call starts being tracked (deadline, id) when routed; false when its id is
    // already in use here (it then ends with -13).
    bool track(ReqMessage* msg);
    ReqMessage* findCall(int32_t requestId) const;
    // Ends msg with its response (complete) or with code (fail); hands it on.
    void complete(ReqMessage* msg);
    void fail(ReqMessage* msg, int code, const std::string& why);
    // An unsolicited packet for the callback thread.
    void dispatchPush(ReqMessage* msg);

    // Numbers for tests and status (read them on this network thread). The deadline heap
    // keeps at most 2 x trackedCalls() + kDeadlineSlack entries after a track().
    static constexpr size_t kDeadlineSlack = 1024;
    size_t trackedCalls() const { return _calls.size(); }
    size_t deadlineEntries() const { return _deadlines.size(); }

private:
    void run();
    void drainQueues();
    void adoptNewQueues();
    bool hasQueuedWork();
    void expireCalls();
    // Drops the deadline entries of calls that ended.
    void compactDeadlines();
    void flushDirty();
    void shutdown();
    void handOn(ReqMessage* msg);
    void handOffEnded();
    // Counts an ended call in the communicator's call statistics.
    void recordStat(const ReqMessage* msg);
    // The call's client span ends: peer and code set, handed to the exporter.
    void endSpan(ReqMessage* msg);
    int waitTimeMs();

    Communicator* _communicator;
    StatCollector* _callStats;  // null: no `stat` object configured
    size_t _index;
    uint64_t _id;  // never reused: keys the callers' thread-local queues
    TC_Epoller _epoller;
    TC_Epoller::NotifyInfo _notify;
    TC_TimerQueue _timers;
    std::thread _thread;
    int64_t _nowMs = 0;
    uint64_t _endpointStateVersion = 0;
    bool _stopping = false;  // network thread's view

    // ---- shared with caller threads
    std::atomic<bool> _terminating{false};
    TC_SleepFlag _sleep;
    std::mutex _mutex;  // guards the two vectors below
    std::vector<std::shared_ptr<CallerQueue>> _newQueues;
    std::vector<std::unique_ptr<ObjectProxy>> _newObjectProxies;
    std::atomic<bool> _newThings{false};
    std::shared_ptr<TC_WaitWord> _wakeWord = std::make_shared<TC_WaitWord>();

    // ---- network thread only
    std::vector<std::shared_ptr<CallerQueue>> _queues;
    std::vector<std::unique_ptr<ObjectProxy>> _objectProxies;

    struct Handle {
        Transceiver* transceiver = nullptr;
        uint32_t generation = 0;
    };
    std::vector<Handle> _handles;  // index 0 unused
    std::vector<uint32_t> _freeHandles;
    std::vector<uint64_t> _dirty;       // handle keys of connections written to this turn
    std::vector<uint64_t> _spareDirty;  // flushDirty()'s storage between turns
    size_t _asyncSeq = 0;
    // Calls that ended this turn, handed on once the turn's writes are out: one system
    // call wakes the sync callers, one push feeds each callback thread, and no woken
    // caller preempts this thread while the turn still has work.
    std::vector<ReqMessage*> _endedSync;
    struct EndedAsync {
        AsyncProcThread* thread;
        std::vector<ReqMessage*> messages;
    };
    std::vector<EndedAsync> _endedAsync;

    CallTable<ReqMessage> _calls;
    int64_t _nextTidyMs = 0;  // next time the loop may shrink _calls
    // Min-heap of (deadline, id). An ended call's entry stays until it expires or the heap
    // is compacted (more than 2 x calls in flight + kDeadlineSlack entries).
    std::vector<std::pair<int64_t, int32_t>> _deadlines;

    friend struct CallerQueue;
};

}  // namespace tars
