#include "StatImp.h"

#include "util/tc_logger.h"

namespace tars {

Int32 StatImp::reportMicMsg(const std::map<StatMicMsgHead, StatMicMsgBody>& msg, Bool bFromClient, CurrentPtr current) {
    std::string error;
    int code = _service->report(msg, bFromClient, current->getIp(), error);
    if (code != 0) {
        TLOGERROR("stat: refused a report of " << msg.size() << " rows from " << current->getIp() << " (" << code
                                               << "): " << error << std::endl);
    }
    return code;
}

Int32 StatImp::reportSampleMsg(const std::vector<StatSampleMsg>&, CurrentPtr) { return 0; }

}  // namespace tars
