#include "ServerImp.h"

namespace tars {

Int32 ServerImp::keepAlive(const ServerInfo& serverInfo, CurrentPtr) { return _service.keepAlive(serverInfo); }

Int32 ServerImp::keepActiving(const ServerInfo& serverInfo, CurrentPtr) { return _service.keepActiving(serverInfo); }

Int32 ServerImp::reportVersion(const std::string& app, const std::string& serverName, const std::string& version,
                               CurrentPtr) {
    return _service.reportVersion(app, serverName, version);
}

UInt32 ServerImp::getLatestKeepAliveTime(CurrentPtr) { return _service.latestMonitorTime(); }

}  // namespace tars
