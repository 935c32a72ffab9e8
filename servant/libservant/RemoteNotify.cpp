#include "servant/RemoteNotify.h"

#include <sys/syscall.h>
#include <unistd.h>

#include "servant/CallContext.h"
#include "servant/Communicator.h"
#include "util/tc_logger.h"

namespace tars {

struct RemoteNotify::Shared {
    std::atomic<uint64_t> sent{0};
    std::atomic<uint64_t> failed{0};
};

namespace {

void noteFailure(RemoteNotify::Shared& shared, int code) {
    uint64_t failed = shared.failed.fetch_add(1) + 1;
    if (failed == 1 || failed % 100 == 0) {
        TLOGWARN("[notify] reportNotifyInfo failed with " << code << " (" << failed << " failed so far)" << std::endl);
    }
}

class NotifyCallback final : public NotifyPrxCallback {
public:
    explicit NotifyCallback(std::shared_ptr<RemoteNotify::Shared> shared) : _shared(std::move(shared)) {}
    void callback_reportNotifyInfo() override {}
    void callback_reportNotifyInfo_exception(Int32 ret) override { noteFailure(*_shared, ret); }

private:
    std::shared_ptr<RemoteNotify::Shared> _shared;
};

}  // namespace

RemoteNotify::RemoteNotify() : _shared(std::make_shared<Shared>()) {}

RemoteNotify& RemoteNotify::getInstance() {
    static RemoteNotify instance;
    return instance;
}

void RemoteNotify::setNotifyInfo(const std::shared_ptr<Communicator>& communicator, const std::string& notifyObj,
                                 const std::string& app, const std::string& server, const std::string& setName,
                                 const std::string& nodeName) {
    NotifyPrx proxy;
    if (communicator && !notifyObj.empty()) {
        try {
            proxy = communicator->stringToProxy<NotifyPrx>(notifyObj);
            proxy->tars_set_report_stats(false);
            proxy->tars_set_timeout(kTimeoutMs);
            proxy->tars_set_async_timeout(kTimeoutMs);
        } catch (const std::exception& e) {
            TLOGERROR("[notify] notify object '" << notifyObj << "': " << e.what() << "; events are not sent"
                                                 << std::endl);
            proxy.reset();
        }
    }
    std::lock_guard lock(_mutex);
    _proxy = std::move(proxy);
    _app = app;
    _server = server;
    _setName = setName;
    _nodeName = nodeName;
}

void RemoteNotify::notify(NOTIFYLEVEL level, const std::string& message) { send(NOTIFY, level, message, false); }

void RemoteNotify::report(const std::string& message, bool wait) { send(REPORT, NOTIFYNORMAL, message, wait); }

void RemoteNotify::reportFor(const std::string& app, const std::string& server, const std::string& message) {
    send(REPORT, NOTIFYNORMAL, message, false, &app, &server);
}

void RemoteNotify::shutdown() {
    std::lock_guard lock(_mutex);
    _proxy.reset();
}

RemoteNotify::Counters RemoteNotify::counters() const { return {_shared->sent.load(), _shared->failed.load()}; }

void RemoteNotify::send(ReportType type, NOTIFYLEVEL level, const std::string& message, bool wait,
                        const std::string* app, const std::string* server) {
    ReportInfo info;
    NotifyPrx proxy;
    {
        std::lock_guard lock(_mutex);
        if (!_proxy) return;
        proxy = _proxy;
        info.sApp = app != nullptr ? *app : _app;
        info.sServer = server != nullptr ? *server : _server;
        info.sSet = app != nullptr ? "" : _setName;
        info.sNodeName = _nodeName;
    }
    info.eType = type;
    info.eLevel = level;
    info.sMessage = message;
    info.sThreadId = std::to_string(::syscall(SYS_gettid));
    _shared->sent.fetch_add(1);
    // An alarm is not part of the request being served: its deadline does not cut it.
    CallContext::Scope detached(nullptr);
    try {
        if (wait) {
            proxy->reportNotifyInfo(info);
        } else {
            proxy->async_reportNotifyInfo(std::make_shared<NotifyCallback>(_shared), info);
        }
    } catch (const TarsCallException& e) {
        noteFailure(*_shared, e.getErrCode());
    } catch (const std::exception& e) {
        noteFailure(*_shared, TARSSERVERUNKNOWNERR);
    }
}

}  // namespace tars
