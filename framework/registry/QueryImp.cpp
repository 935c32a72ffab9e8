#include "QueryImp.h"

#include "util/tc_logger.h"

namespace tars {

namespace {

std::string callerHost(const CurrentPtr& current) {
    const auto& context = current->getContext();
    auto it = context.find("node_name");
    if (it != context.end() && !it->second.empty()) return it->second;
    return current->getIp();
}

void logAnswer(const char* call, const std::string& id, const CurrentPtr& current, int ret,
               const std::vector<EndpointF>& active, const std::vector<EndpointF>& inactive) {
    TLOGDEBUG("query " << call << " " << id << " from " << current->getIp() << ": ret " << ret << ", " << active.size()
                       << " active, " << inactive.size() << " inactive" << std::endl);
}

}  // namespace

std::vector<EndpointF> QueryImp::findObjectById(const std::string& id, CurrentPtr current) {
    auto active = _service.table()->findObjectById(id);
    logAnswer("findObjectById", id, current, 0, active, {});
    return active;
}

Int32 QueryImp::findObjectById4Any(const std::string& id, std::vector<EndpointF>& activeEp,
                                   std::vector<EndpointF>& inactiveEp, CurrentPtr current) {
    int ret = _service.table()->findObjectById4Any(id, activeEp, inactiveEp);
    logAnswer("findObjectById4Any", id, current, ret, activeEp, inactiveEp);
    return ret;
}

Int32 QueryImp::findObjectById4All(const std::string& id, std::vector<EndpointF>& activeEp,
                                   std::vector<EndpointF>& inactiveEp, CurrentPtr current) {
    int ret = _service.table()->findObjectByIdInSameGroup(id, callerHost(current), activeEp, inactiveEp);
    logAnswer("findObjectById4All", id, current, ret, activeEp, inactiveEp);
    return ret;
}

Int32 QueryImp::findObjectByIdInSameGroup(const std::string& id, std::vector<EndpointF>& activeEp,
                                          std::vector<EndpointF>& inactiveEp, CurrentPtr current) {
    int ret = _service.table()->findObjectByIdInSameGroup(id, callerHost(current), activeEp, inactiveEp);
    logAnswer("findObjectByIdInSameGroup", id, current, ret, activeEp, inactiveEp);
    return ret;
}

Int32 QueryImp::findObjectByIdInSameStation(const std::string& id, const std::string& sStation,
                                            std::vector<EndpointF>& activeEp, std::vector<EndpointF>& inactiveEp,
                                            CurrentPtr current) {
    int ret = _service.table()->findObjectByIdInSameStation(id, sStation, activeEp, inactiveEp);
    logAnswer("findObjectByIdInSameStation", id, current, ret, activeEp, inactiveEp);
    return ret;
}

Int32 QueryImp::findObjectByIdInSameSet(const std::string& id, const std::string& setId,
                                        std::vector<EndpointF>& activeEp, std::vector<EndpointF>& inactiveEp,
                                        CurrentPtr current) {
    int ret = _service.table()->findObjectByIdInSameSet(id, setId, callerHost(current), activeEp, inactiveEp);
    logAnswer("findObjectByIdInSameSet", id, current, ret, activeEp, inactiveEp);
    return ret;
}

Int32 QueryImp::findObjectNodeName(const std::string&, std::vector<std::string>&, CurrentPtr) { return -1; }

Int32 QueryImp::registerChange(const std::map<std::string, std::string>&, const std::string&, CurrentPtr) { return -1; }

Int32 QueryImp::registerQuery(const std::string&, const std::string&, CurrentPtr) { return -1; }

Int32 QueryImp::getLocker(const GetMasterSlaveLock&, CurrentPtr) { return -1; }

}  // namespace tars
