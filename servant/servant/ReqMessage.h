// ReqMessage: one client call on its way through the runtime.
//
// Ownership moves with the call and is never shared: the calling thread builds it and
// hands it to a network thread (CommunicatorEpoll), which owns it while it is queued, sent
// and awaited. When the call ends (response, timeout, error) the network thread hands it
// on exactly once: a sync caller gets it back (and deletes it), an async call goes to a
// callback thread (AsyncProcThread runs the callback, then deletes it), a one-way call is
// deleted once its bytes are queued on the connection. So nobody touches a message after
// handing it on, and no call ends twice.
//
// In a callback, `msg->request` holds the function name, id, version, packet type,
// timeout and context of the call (sServantName is left empty: the proxy's name), and
// `msg->response` the reply (iRet != 0: the call failed with that code; the server's
// text, if any, in sResultDesc). A push from the server arrives as a message of type PUSH
// with request.sFuncName from the packet's status TARS_FUNC.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "RequestF.h"

namespace tars {

class AdapterProxy;
class ObjectProxy;
class ServantProxyCallback;
using ServantProxyCallbackPtr = std::shared_ptr<ServantProxyCallback>;

struct ReqMessage;
struct SyncWakeWord;
using ReqMessagePtr = ReqMessage*;

struct ReqMessage {
    enum CallType {
        SYNC_CALL = 1,  // a caller thread waits for it
        ASYNC_CALL,     // a callback object runs on a callback thread
        ONE_WAY,        // no response
        PUSH,           // an unsolicited packet from the server (push callback)
        INTERNAL,       // the runtime's own call (locator query): done runs on the network thread
    };
    enum HashType { HASH_NONE = 0, HASH_MODULO = 1, HASH_CONSISTENT = 2 };

    CallType eType = SYNC_CALL;
    RequestPacket request;
    ResponsePacket response;
    ServantProxyCallbackPtr callback;

    // ---- used by the runtime
    ObjectProxy* objectProxy = nullptr;
    std::string encoded;     // the framed request, moved into the connection
    int64_t deadlineMs = 0;  // steady clock
    HashType hashType = HASH_NONE;
    int64_t hashCode = 0;
    std::function<void(ReqMessage*)> done;  // INTERNAL only, network thread

    // Network-thread bookkeeping: the connection carrying it and its place in one list
    // (waiting for endpoints, waiting for a connection, or sent).
    AdapterProxy* adapter = nullptr;
    ReqMessage* prev = nullptr;
    ReqMessage* next = nullptr;
    void* list = nullptr;
    bool sent = false;

    // ---- sync waiting, no mutex (the caller and the network thread never block on each
    // other). The message's state word says whether the call ended. A caller thread with
    // a bit on its network thread's SyncWakeWord sleeps there (a futex bitset wait), so
    // that the network thread wakes every such caller whose call ended in a turn with one
    // system call; a caller without one (past the word's 32 bits) sleeps on the state
    // word itself. The caller may delete the message as soon as wait() returns: the
    // network thread reads nothing of it after the store that ends the wait, and a futex
    // wake of the state word's address does not read the memory (a wake that lands on a
    // later futex at that address is spurious, and every wait rechecks its word).
    void wait();
    // CommunicatorEpoll::push, on the caller thread, before it hands the message on: the
    // shared word and the caller thread's bit on it, or (nullptr, 0).
    void setWaker(SyncWakeWord* word, uint32_t bit) {
        _wakeWord = word;
        _wakeBit = bit;
    }

private:
    friend struct SyncWakeWord;
    // 0: pending; 1: done; 2: pending and the caller sleeps (it must be woken).
    std::atomic<uint32_t> _syncState{0};
    uint32_t _wakeBit = 0;
    SyncWakeWord* _wakeWord = nullptr;
};

// The futex word the sync callers of one network thread sleep on, each caller thread with
// a bit of its own (at most 32 of them; further threads sleep on their messages). Shared
// by the network thread and its callers' queues, so a caller still entering its wait
// never touches a freed word.
struct SyncWakeWord {
    std::atomic<uint32_t> generation{0};
    std::atomic<uint32_t> usedBits{0};

    // A free bit, now taken; 0 when all are.
    uint32_t takeBit();
    void releaseBit(uint32_t bit) { usedBits.fetch_and(~bit, std::memory_order_acq_rel); }

    // Network thread: ends every call in ended[0, count) (the callers own their messages
    // from then on) and wakes the callers that sleep: one system call for all those with
    // a bit on this word, one for each other.
    void wakeEnded(ReqMessage* const* ended, size_t count);
};

// An intrusive list of messages (no allocation; a message is in at most one list).
class ReqMessageList {
public:
    ReqMessageList() = default;
    ReqMessageList(const ReqMessageList&) = delete;
    ReqMessageList& operator=(const ReqMessageList&) = delete;

    bool empty() const { return _head == nullptr; }
    size_t size() const { return _size; }
    ReqMessage* front() const { return _head; }

    void push_back(ReqMessage* msg) {
        msg->list = this;
        msg->prev = _tail;
        msg->next = nullptr;
        if (_tail)
            _tail->next = msg;
        else
            _head = msg;
        _tail = msg;
        ++_size;
    }
    // msg must be in this list.
    void erase(ReqMessage* msg) {
        if (msg->prev)
            msg->prev->next = msg->next;
        else
            _head = msg->next;
        if (msg->next)
            msg->next->prev = msg->prev;
        else
            _tail = msg->prev;
        msg->prev = msg->next = nullptr;
        msg->list = nullptr;
        --_size;
    }
    ReqMessage* pop_front() {
        ReqMessage* msg = _head;
        if (msg) erase(msg);
        return msg;
    }

private:
    ReqMessage* _head = nullptr;
    ReqMessage* _tail = nullptr;
    size_t _size = 0;
};

}  // namespace tars
