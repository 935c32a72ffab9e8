// DyeServer: the servants of the dyeing test (Dye.tars) in one process:
// Test.DyeServer.RelayObj calls a Hop object (by name or with endpoints) and answers what
// it saw; Test.DyeServer.HopObj answers the dyeing its request carried.
#include <memory>
#include <string>

#include "Dye.h"
#include "servant/Application.h"
#include "util/tc_logger.h"

using namespace tars;

namespace {

class HopImp : public DyeTest::Hop {
public:
    Int32 hop(std::string& seen, TarsCurrentPtr current) override {
        TLOGDEBUG("hop " << current->getRequestId() << std::endl);
        const auto& status = current->getRequestStatus();
        auto it = status.find("STATUS_DYED_KEY");
        seen = "type=" + std::to_string(current->getMessageType() & TARSMESSAGETYPEDYED) +
               ",dyed=" + (it == status.end() ? std::string("-") : it->second);
        return 0;
    }
};

class HopCallback : public DyeTest::HopPrxCallback {
public:
    explicit HopCallback(TarsCurrentPtr current) : _current(std::move(current)) {}
    void callback_hop(Int32 ret, const std::string& seen) override {
        TLOGDEBUG("relay callback " << seen << std::endl);
        DyeTest::Relay::async_response_relay(_current, ret, seen);
    }
    void callback_hop_exception(Int32 ret) override { DyeTest::Relay::async_response_relay(_current, ret, ""); }

private:
    TarsCurrentPtr _current;
};

class RelayImp : public DyeTest::Relay {
public:
    Int32 relay(const std::string& key, const std::string& next, bool viaCallback, std::string& seen,
                TarsCurrentPtr current) override {
        TLOGDEBUG("relay " << key << std::endl);
        if (next.empty()) return 0;
        auto prx = Application::getCommunicator()->stringToProxy<DyeTest::HopPrx>(next);
        if (viaCallback) {
            current->setResponse(false);
            prx->async_hop(std::make_shared<HopCallback>(current));
            return 0;
        }
        return prx->hop(seen);
    }
};

class DyeServer : public Application {
public:
    void initialize() override {
        addServant<RelayImp>(ServerConfig::Application + "." + ServerConfig::ServerName + ".RelayObj");
        addServant<HopImp>(ServerConfig::Application + "." + ServerConfig::ServerName + ".HopObj");
    }
    void destroyApp() override {}
};

}  // namespace

int main(int argc, char* argv[]) {
    DyeServer app;
    app.main(argc, argv);
    app.waitForShutdown();
    return 0;
}
