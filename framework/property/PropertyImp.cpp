#include "PropertyImp.h"

#include "util/tc_logger.h"

namespace tars {

Int32 PropertyImp::reportPropMsg(const std::map<StatPropMsgHead, StatPropMsgBody>& statmsg, CurrentPtr current) {
    std::string error;
    int code = _service->report(statmsg, error);
    if (code != 0) {
        TLOGERROR("property: refused a report of " << statmsg.size() << " rows from " << current->getIp() << " ("
                                                   << code << "): " << error << std::endl);
    }
    return code;
}

}  // namespace tars
