#include "servant/Servant.h"

#include "internal/ServantHandle.h"
#include "util/tc_logger.h"

namespace tars {

int Servant::onDispatch(CurrentPtr, std::vector<char>&) { return TARSSERVERNOFUNCERR; }

int Servant::doRequest(CurrentPtr current, std::vector<char>&) {
    TLOGERROR("[servant] " << _name << " got a packet from " << current->getIp() << ":" << current->getPort()
                           << " but does not implement doRequest" << std::endl);
    return -1;
}

void Servant::doClose(CurrentPtr) {}

void Servant::addAdminCommandNormal(const std::string& command, AdminCommandHandler handler) {
    NotifyObserver::getInstance().registerNormal(command, std::move(handler), _handle ? _handle->adminLock() : nullptr);
}

void Servant::addAdminCommandPrefix(const std::string& command, AdminCommandHandler handler) {
    NotifyObserver::getInstance().registerPrefix(command, std::move(handler), _handle ? _handle->adminLock() : nullptr);
}

}  // namespace tars
