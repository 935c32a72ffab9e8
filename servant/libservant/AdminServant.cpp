#include "internal/AdminServant.h"

#include <unistd.h>

#include "servant/Application.h"

namespace tars {

void AdminServant::shutdown(CurrentPtr) {
    if (Application* app = Application::getApplication()) app->terminate();
}

std::string AdminServant::notify(const std::string& command, CurrentPtr) {
    return NotifyObserver::getInstance().notify(command);
}

Int64 AdminServant::getPid(CurrentPtr) { return static_cast<Int64>(::getpid()); }

}  // namespace tars
