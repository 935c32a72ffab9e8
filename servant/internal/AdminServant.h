// AdminServant: the AdminObj every server with a `local` endpoint serves (interface
// protocol/AdminF.tars: shutdown(), notify(string) -> string, getPid() -> long). The
// dispatch (TARS, TUP and JSON requests) is tars2cpp's, generated into AdminF.h. notify() runs the admin commands
// (NotifyObserver); shutdown() asks the Application to terminate once the reply is queued. One instance per handle
// thread of the admin adapter, like any servant.
#pragma once

#include "AdminF.h"
#include "servant/Servant.h"

namespace tars {

class AdminServant : public AdminF {
public:
    static constexpr const char* kServantName = "AdminObj";
    static constexpr const char* kAdapterName = "AdminAdapter";

    void shutdown(CurrentPtr current) override;
    std::string notify(const std::string& command, CurrentPtr current) override;
    Int64 getPid(CurrentPtr current) override;
};

}  // namespace tars
