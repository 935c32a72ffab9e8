#include "NotifyImp.h"

#include "util/tc_logger.h"

namespace tars {

namespace {

// "App.Server" -> sApp, sServer (a name without a dot leaves sServer empty: refused).
ReportInfo infoOf(const std::string& serverName, ReportType type) {
    ReportInfo info;
    info.eType = type;
    auto dot = serverName.find('.');
    info.sApp = serverName.substr(0, dot);
    if (dot != std::string::npos) info.sServer = serverName.substr(dot + 1);
    return info;
}

}  // namespace

void NotifyImp::add(const ReportInfo& info, const Current& current) {
    std::string refused = _service->add(info, current.getIp());
    if (!refused.empty()) {
        TLOGERROR("notify: refused an event of '" << info.sApp << "." << info.sServer << "' from " << current.getIp()
                                                  << ": " << refused << std::endl);
    }
}

void NotifyImp::reportServer(const std::string& sServerName, const std::string& sThreadId, const std::string& sMessage,
                             CurrentPtr current) {
    ReportInfo info = infoOf(sServerName, REPORT);
    info.sThreadId = sThreadId;
    info.sMessage = sMessage;
    add(info, *current);
}

void NotifyImp::notifyServer(const std::string& sServerName, NOTIFYLEVEL level, const std::string& sMessage,
                             CurrentPtr current) {
    ReportInfo info = infoOf(sServerName, NOTIFY);
    info.eLevel = level;
    info.sMessage = sMessage;
    add(info, *current);
}

void NotifyImp::reportNotifyInfo(const ReportInfo& info, CurrentPtr current) { add(info, *current); }

Int32 NotifyImp::getNotifyInfo(const NotifyKey& stKey, NotifyInfo& stInfo, CurrentPtr current) {
    std::string error;
    int ret = _service->page(stKey, stInfo, error);
    if (ret != 0) TLOGERROR("notify: getNotifyInfo from " << current->getIp() << ": " << error << std::endl);
    return ret;
}

}  // namespace tars
