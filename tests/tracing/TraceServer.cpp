// TraceServer: B and C of the tracing test (Trace.tars). One process serves both objects:
// Test.TraceServer.RelayObj (B: calls the Hop object the request names with co_await and
// answers what it saw) and Test.TraceServer.HopObj (C: answers the traceparent it got).
#include <memory>

#include "Trace.h"
#include "servant/Application.h"
#include "servant/Coroutine.h"

using namespace tars;

namespace {

class HopImp : public TraceTest::Hop {
public:
    Int32 hop(std::string& seenTraceparent, TarsCurrentPtr current) override {
        const auto& status = current->getRequestStatus();
        auto it = status.find("traceparent");
        seenTraceparent = it == status.end() ? "" : it->second;
        return 0;
    }
};

Task<void> relayCoroutine(TarsCurrentPtr current, TraceTest::HopPrx prx) {
    std::string seen;
    int ret = 0;
    try {
        auto r = co_await prx->co_hop();
        seen = r->seenTraceparent;
    } catch (const TarsCallException& e) {
        ret = e.getErrCode();
    }
    TraceTest::Relay::async_response_relay(current, ret, seen);
}

class RelayImp : public TraceTest::Relay {
public:
    Int32 relay(const std::string& next, std::string&, TarsCurrentPtr current) override {
        auto prx = Application::getCommunicator()->stringToProxy<TraceTest::HopPrx>(next);
        current->setResponse(false);
        (void)relayCoroutine(current, prx);
        return 0;
    }
};

class TraceServer : public Application {
public:
    void initialize() override {
        addServant<RelayImp>(ServerConfig::Application + "." + ServerConfig::ServerName + ".RelayObj");
        addServant<HopImp>(ServerConfig::Application + "." + ServerConfig::ServerName + ".HopObj");
    }
    void destroyApp() override {}
};

}  // namespace

int main(int argc, char* argv[]) {
    TraceServer app;
    app.main(argc, argv);
    app.waitForShutdown();
    return 0;
}
