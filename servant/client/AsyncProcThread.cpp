#include "internal/AsyncProcThread.h"

#include <pthread.h>

#include <memory>
#include <string>

#include "servant/ServantProxy.h"
#include "util/tc_logger.h"

namespace tars {

AsyncProcThread::AsyncProcThread(size_t index) : _index(index) {}

AsyncProcThread::~AsyncProcThread() { terminate(); }

void AsyncProcThread::start() {
    _thread = std::thread([this] { run(); });
}

void AsyncProcThread::push(ReqMessage* msg) {
    {
        std::lock_guard lock(_mutex);
        _queue.push_back(msg);
    }
    _cond.notify_one();
}

void AsyncProcThread::push(std::vector<ReqMessage*>& messages) {
    {
        std::lock_guard lock(_mutex);
        if (_queue.empty()) {
            _queue.swap(messages);
        } else {
            _queue.insert(_queue.end(), messages.begin(), messages.end());
        }
    }
    messages.clear();
    _cond.notify_one();
}

size_t AsyncProcThread::waiting() {
    size_t queued;
    {
        std::lock_guard lock(_mutex);
        queued = _queue.size();
    }
    return queued + _batchLeft.load(std::memory_order_relaxed);
}

void AsyncProcThread::terminate() {
    {
        std::lock_guard lock(_mutex);
        _stop = true;
    }
    _cond.notify_one();
    if (_thread.joinable()) _thread.join();
    // Never started, or pushed after the thread left: run here so every call ends.
    std::vector<ReqMessage*> rest;
    {
        std::lock_guard lock(_mutex);
        rest.swap(_queue);
    }
    for (ReqMessage* msg : rest) dispatch(msg);
}

void AsyncProcThread::dispatch(ReqMessage* msg) {
    std::unique_ptr<ReqMessage> owned(msg);
    // The callback goes on with the work of the request that made the call, if any.
    CallContext::Scope scope(msg->callContext.active() ? &msg->callContext : nullptr);
    ServantProxyCallback::setCurrentMessage(msg);
    try {
        msg->callback->onDispatch(msg);
    } catch (const std::exception& e) {
        TLOGERROR("[client] callback of " << msg->request.sFuncName << " threw: " << e.what() << std::endl);
    } catch (...) {
        TLOGERROR("[client] callback of " << msg->request.sFuncName << " threw" << std::endl);
    }
    ServantProxyCallback::setCurrentMessage(nullptr);
    // The callback object may hold the last reference to things the callback used; drop
    // it here, on this thread, like the message.
    msg->callback.reset();
}

void AsyncProcThread::run() {
    std::string name = "tars-async-" + std::to_string(_index);
    pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
    std::vector<ReqMessage*> batch;
    for (;;) {
        {
            std::unique_lock lock(_mutex);
            _cond.wait(lock, [this] { return _stop || !_queue.empty(); });
            if (_queue.empty()) return;  // stopping and drained
            batch.swap(_queue);
        }
        for (size_t i = 0; i < batch.size(); ++i) {
            _batchLeft.store(batch.size() - i - 1, std::memory_order_relaxed);
            dispatch(batch[i]);
        }
        _batchLeft.store(0, std::memory_order_relaxed);
        batch.clear();
    }
}

}  // namespace tars
