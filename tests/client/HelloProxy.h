// STAND-IN FOR GENERATED CODE.
//
// This is, written by hand, the client part of what `tars2cpp Hello.tars` must generate for
//
//   module TestApp { interface Hello { int testHello(string sReq, out string sRsp); }; };
//
// docs/design/client.md ("What tars2cpp generates for a proxy") describes the shape rule
// by rule; this file is its worked example and the client tests use it. When the
// generator emits proxies, the tests switch to the generated Hello.h and this file goes.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "servant/ArgsCodec.h"
#include "servant/Coroutine.h"
#include "servant/Promise.h"
#include "servant/ServantProxy.h"

namespace TestApp {

// ---- callback mode: derive, override callback_<m> and callback_<m>_exception
class HelloPrxCallback : public tars::ServantProxyCallback {
public:
    ~HelloPrxCallback() override = default;

    virtual void callback_testHello(tars::Int32 ret, const std::string& sRsp) {
        (void)ret;
        (void)sRsp;
        throw std::runtime_error("callback_testHello() is not overridden");
    }
    virtual void callback_testHello_exception(tars::Int32 ret) {
        throw std::runtime_error("callback_testHello_exception(" + std::to_string(ret) + ") is not overridden");
    }

    int onDispatch(tars::ReqMessagePtr msg) override {
        if (msg->request.sFuncName == "testHello") {
            if (msg->response.iRet != tars::TARSSERVERSUCCESS) {
                callback_testHello_exception(msg->response.iRet);
                return msg->response.iRet;
            }
            tars::Int32 _ret = 0;
            std::string sRsp;
            try {
                tars::ArgsDecoder _dec(msg->response);
                _dec.getReturn(_ret);
                _dec.get(2, "sRsp", sRsp);
            } catch (const tars::TarsCallException& _e) {
                callback_testHello_exception(_e.getErrCode());
                return _e.getErrCode();
            }
            callback_testHello(_ret, sRsp);
            return tars::TARSSERVERSUCCESS;
        }
        return tars::TARSSERVERNOFUNCERR;
    }
};
using HelloPrxCallbackPtr = std::shared_ptr<HelloPrxCallback>;

// ---- promise and coroutine modes: one result struct and one callback class per method
struct HelloPrxCallbackPromise {
    struct PromisetestHello {
        tars::Int32 _ret = 0;
        std::string sRsp;
        std::map<std::string, std::string> _mRspContext;
    };
    using PromisetestHelloPtr = std::shared_ptr<PromisetestHello>;

    class testHelloCallback : public tars::ServantProxyCallback {
    public:
        explicit testHelloCallback(const tars::Promise<PromisetestHelloPtr>& promise) : _promise(promise) {}

        int onDispatch(tars::ReqMessagePtr msg) override {
            if (msg->response.iRet != tars::TARSSERVERSUCCESS) {
                _promise.setException(
                    tars::makeCallException(msg->response.iRet, "testHello", msg->response.sResultDesc));
                return msg->response.iRet;
            }
            auto _ptr = std::make_shared<PromisetestHello>();
            try {
                tars::ArgsDecoder _dec(msg->response);
                _dec.getReturn(_ptr->_ret);
                _dec.get(2, "sRsp", _ptr->sRsp);
            } catch (...) {
                _promise.setException(std::current_exception());
                return tars::TARSCLIENTDECODEERR;
            }
            _ptr->_mRspContext = msg->response.context;
            _promise.setValue(std::move(_ptr));
            return tars::TARSSERVERSUCCESS;
        }

    private:
        tars::Promise<PromisetestHelloPtr> _promise;
    };
};

// ---- the proxy
class HelloProxy : public tars::ServantProxy {
public:
    // sync: blocks; throws tars::TarsCallException (getErrCode()) when the call fails.
    tars::Int32 testHello(const std::string& sReq, std::string& sRsp,
                          const std::map<std::string, std::string>& context = TARS_CONTEXT(),
                          std::map<std::string, std::string>* pResponseContext = nullptr) {
        tars::ArgsEncoder _enc(tars_version());
        _enc.put(1, "sReq", sReq);
        _enc.put(2, "sRsp", sRsp);
        tars::ResponsePacket _rsp;
        tars_invoke(tars::TARSNORMAL, "testHello", _enc.take(), context, _rsp);
        tars::ArgsDecoder _dec(_rsp);
        tars::Int32 _ret = 0;
        _dec.getReturn(_ret);
        _dec.get(2, "sRsp", sRsp);
        if (pResponseContext) pResponseContext->swap(_rsp.context);
        return _ret;
    }

    // callback; one-way with a null callback.
    void async_testHello(HelloPrxCallbackPtr callback, const std::string& sReq,
                         const std::map<std::string, std::string>& context = TARS_CONTEXT()) {
        tars::ArgsEncoder _enc(tars_version());
        _enc.put(1, "sReq", sReq);
        // A null callback makes it one-way (the runtime decides: the argument order of a
        // call is unspecified, so the packet type must not be computed from `callback` here).
        tars_invoke_async(tars::TARSNORMAL, "testHello", _enc.take(), context, std::move(callback));
    }

    // promise: a future with then() and get().
    tars::Future<HelloPrxCallbackPromise::PromisetestHelloPtr> promise_async_testHello(
        const std::string& sReq, const std::map<std::string, std::string>& context = TARS_CONTEXT()) {
        tars::Promise<HelloPrxCallbackPromise::PromisetestHelloPtr> _promise;
        tars::ArgsEncoder _enc(tars_version());
        _enc.put(1, "sReq", sReq);
        tars_invoke_async(tars::TARSNORMAL, "testHello", _enc.take(), context,
                          std::make_shared<HelloPrxCallbackPromise::testHelloCallback>(_promise));
        return _promise.getFuture();
    }

    // coroutine: co_await prx->co_testHello(req) resumes on a callback thread.
    tars::Future<HelloPrxCallbackPromise::PromisetestHelloPtr> co_testHello(
        const std::string& sReq, const std::map<std::string, std::string>& context = TARS_CONTEXT()) {
        return promise_async_testHello(sReq, context);
    }

    HelloProxy* tars_hash(int64_t key) { return static_cast<HelloProxy*>(tars::ServantProxy::tars_hash(key)); }
    HelloProxy* tars_consistent_hash(int64_t key) {
        return static_cast<HelloProxy*>(tars::ServantProxy::tars_consistent_hash(key));
    }
    HelloProxy* tars_set_timeout(int ms) {
        return static_cast<HelloProxy*>(tars::ServantProxy::tars_set_timeout(ms));
    }
    static const char* tars_prxname() { return "HelloProxy"; }
};
using HelloPrx = std::shared_ptr<HelloProxy>;

}  // namespace TestApp
