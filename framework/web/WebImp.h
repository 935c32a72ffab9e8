// WebImp: the HTTP servant of tars.tarsweb.WebObj (adapter protocol=http). One per handle
// thread; each request is handed whole to the shared WebConsole.
#pragma once

#include <memory>

#include "WebConsole.h"
#include "servant/Servant.h"

namespace tars::web {

class WebImp : public Servant {
public:
    explicit WebImp(std::shared_ptr<WebConsole> console) : _console(std::move(console)) {}
    int doRequest(CurrentPtr current, std::vector<char>& response) override;

private:
    std::shared_ptr<WebConsole> _console;
};

}  // namespace tars::web
