// LoopbackServer: generated servants of one type in a real TC_EpollServer on
// 127.0.0.1, on a port the kernel chooses (so tests run in parallel), with one
// handle thread. The destructor joins the threads that answer later (runLater)
// before it stops the server.
#pragma once

#include "ServantImps.h"

#include "servant/BindAdapter.h"
#include "servant/TC_EpollServer.h"

#include <memory>
#include <string>

namespace tars2cpp::test {

class LoopbackServer {
public:
    template <typename Imp>
    static std::unique_ptr<LoopbackServer> start(const std::string& servantName) {
        auto server = std::make_unique<LoopbackServer>();
        server->_adapter = std::make_shared<tars::BindAdapter>(
            servantName + "Adapter", tars::TC_Endpoint("tcp -h 127.0.0.1 -p 0 -t 60000"), servantName);
        server->_adapter->setServantFactory([] { return std::make_shared<Imp>(); });
        server->_server.addAdapter(server->_adapter);
        server->_server.start();
        return server;
    }

    ~LoopbackServer() {
        joinLater();
        _server.stop(5000);
    }

    int port() const { return _adapter->getBoundPort(); }

    // "<servantName>@tcp -h 127.0.0.1 -p <port>": what stringToProxy takes.
    std::string objectName() const {
        return _adapter->getServant() + "@tcp -h 127.0.0.1 -p " + std::to_string(port()) + " -t 60000";
    }

private:
    tars::TC_EpollServer _server{1};
    std::shared_ptr<tars::BindAdapter> _adapter;
};

}  // namespace tars2cpp::test
