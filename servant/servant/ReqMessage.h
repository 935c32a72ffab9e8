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
#include "servant/CallContext.h"
#include "util/tc_wait_word.h"

namespace tars {

class AdapterProxy;
class ObjectProxy;
class ServantProxyCallback;
using ServantProxyCallbackPtr = std::shared_ptr<ServantProxyCallback>;

struct ReqMessage;
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
    // ASYNC_CALL made while a request was served: its context, current again while the
    // callback runs (CallContext.h). Empty otherwise.
    CallContext callContext;
    // The call's client span when it is traced and sampled (ended when the call ends).
    TraceSpanPtr traceSpan;

    // ---- used by the runtime
    ObjectProxy* objectProxy = nullptr;
    std::string encoded;     // the framed request, moved into the connection
    int64_t deadlineMs = 0;  // steady clock
    // The deadline of the request being served set request.iTimeout below the proxy's
    // timeout (cappedByDeadline), or had passed when the call was made (deadlinePassed:
    // nothing is encoded or sent, the call ends with -7).
    bool cappedByDeadline = false;
    bool deadlinePassed = false;
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
    // Where its bytes lie in the connection's outgoing stream (TCP, TLS, unix): a call whose
    // bytes were never written when the connection closed is re-sent (AdapterProxy::onClose).
    uint64_t streamOffset = 0;
    size_t streamLength = 0;

    // ---- sync waiting, no mutex (the caller and the network thread never block on each
    // other): a TC_WaitState the network thread ends. A caller thread with a bit on its
    // network thread's TC_WaitWord sleeps there, so that the network thread wakes every
    // such caller whose call ended in a turn with one system call; a caller without one
    // (past the word's 32 bits) sleeps on its message. The caller may delete the message
    // as soon as wait() returns (tc_wait_word.h says why).
    void wait() { syncWait.wait(); }
    // CommunicatorEpoll::push, on the caller thread, before it hands the message on: the
    // shared word and the caller thread's bit on it, or (nullptr, 0).
    void setWaker(TC_WaitWord* word, uint32_t bit) { syncWait.setWaker(word, bit); }
    TC_WaitState syncWait;  // ended by the network thread (TC_WaitWord::Wake)
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
