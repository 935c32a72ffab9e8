// NotifyImp: the servant tars.tarsnotify.NotifyObj (interface Notify, protocol/NotifyF.tars).
// One instance per handle thread, all sharing one NotifyService.
//
// reportServer(App.Server, thread, message) is a REPORT event (level by the marker in the
// text), notifyServer(App.Server, level, message) a NOTIFY event, reportNotifyInfo the
// full form; the node is sNodeName, else the caller's IP. An event that is refused (empty
// or malformed names, a message over 64 KiB) is logged and counted (notify.status); these
// methods have no return value to carry the refusal. getNotifyInfo answers 0 with one
// page, newest first, or -1 for a bad key (name not App.Server, negative page) or a store
// error.
#pragma once

#include <memory>

#include "NotifyF.h"
#include "NotifyService.h"

namespace tars {

class NotifyImp : public Notify {
public:
    explicit NotifyImp(std::shared_ptr<NotifyService> service) : _service(std::move(service)) {}

    void reportServer(const std::string& sServerName, const std::string& sThreadId, const std::string& sMessage,
                      CurrentPtr current) override;
    void notifyServer(const std::string& sServerName, NOTIFYLEVEL level, const std::string& sMessage,
                      CurrentPtr current) override;
    Int32 getNotifyInfo(const NotifyKey& stKey, NotifyInfo& stInfo, CurrentPtr current) override;
    void reportNotifyInfo(const ReportInfo& info, CurrentPtr current) override;

private:
    void add(const ReportInfo& info, const Current& current);

    std::shared_ptr<NotifyService> _service;
};

}  // namespace tars
