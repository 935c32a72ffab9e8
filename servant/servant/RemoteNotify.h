// RemoteNotify: a server's events and alarms to the notify service (Notify, the servant
// named by /tars/application/server<notify>, e.g. tars.tarsnotify.NotifyObj).
//
// User code raises alarms with the TarsCpp macros
//   TARS_NOTIFY_NORMAL("cache warmed");  TARS_NOTIFY_WARN(msg);  TARS_NOTIFY_ERROR(msg);
// each one ReportInfo{eType NOTIFY, eLevel, sApp, sServer, sSet, sNodeName, sThreadId,
// sMessage} sent with Notify.reportNotifyInfo. The Application reports its own events as
// eType REPORT, with TARS's markers in the text: "restart" once it serves, "stop" at
// shutdown, "[succ] ..." / "[fail] ..." for config files (addConfig, tars.loadconfig),
// "[fail] start failed: <why>" before it exits on a start-up error.
//
// Never in the way: events are async calls with a 500 ms timeout (the process's own
// communicator); the two the process sends as it is about to stop (stop, start failed)
// wait for their answer, at most 500 ms. With no `notify` key every call is a no-op;
// with the notify service down the events are lost (counted in counters()).
// Ownership: one per process (getInstance()), configured by the Application, and
// detached from the communicator (shutdown()) before the communicator terminates.
// Thread-safety: every method from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "NotifyF.h"

namespace tars {

class Communicator;

class RemoteNotify {
public:
    static constexpr int kTimeoutMs = 500;

    static RemoteNotify& getInstance();

    // notifyObj empty: events are not sent. setName: the server's set division, or "".
    void setNotifyInfo(const std::shared_ptr<Communicator>& communicator, const std::string& notifyObj,
                       const std::string& app, const std::string& server, const std::string& setName,
                       const std::string& nodeName);
    // A user alarm (eType NOTIFY) with its level.
    void notify(NOTIFYLEVEL level, const std::string& message);
    // A framework event (eType REPORT); wait: block until answered, at most kTimeoutMs.
    void report(const std::string& message, bool wait = false);
    // An event about another server, reported by the process that manages it (tarsnode:
    // restarts after a crash or a heartbeat timeout); sNodeName is this process's node name.
    void reportFor(const std::string& app, const std::string& server, const std::string& message);
    // No event is sent after it returns; called before the communicator terminates.
    void shutdown();

    struct Counters {
        uint64_t sent = 0;
        uint64_t failed = 0;
    };
    Counters counters() const;

    struct Shared;  // what the callbacks share with the reporter

private:
    RemoteNotify();
    void send(ReportType type, NOTIFYLEVEL level, const std::string& message, bool wait,
              const std::string* app = nullptr, const std::string* server = nullptr);

    mutable std::mutex _mutex;
    NotifyPrx _proxy;
    std::string _app, _server, _setName, _nodeName;
    std::shared_ptr<Shared> _shared;
};

}  // namespace tars

#define TARS_NOTIFY_NORMAL(msg) ::tars::RemoteNotify::getInstance().notify(::tars::NOTIFYNORMAL, (msg))
#define TARS_NOTIFY_WARN(msg) ::tars::RemoteNotify::getInstance().notify(::tars::NOTIFYWARN, (msg))
#define TARS_NOTIFY_ERROR(msg) ::tars::RemoteNotify::getInstance().notify(::tars::NOTIFYERROR, (msg))
