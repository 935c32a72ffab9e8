// RelayServer: a server whose servant calls another service through the server's own
// communicator, Application::getCommunicator(). It serves TestApp.RelayServer.RelayObj
// with the Hello interface and answers testHello(x) with "relayed " + what the target
// (/tars/application/relay<target>, a Hello object) answered for x. A failed call out is
// answered with its TARS code as the return value.
#include "Hello.h"
#include "servant/Application.h"

namespace {

class RelayImp : public TestApp::Hello {
public:
    void initialize() override {
        const std::string target = tars::Application::getConfig().get("/tars/application/relay<target>");
        _target = tars::Application::getCommunicator()->stringToProxy<TestApp::HelloPrx>(target);
    }
    void destroy() override {}

    tars::Int32 testHello(const std::string& sReq, std::string& sRsp, tars::CurrentPtr) override {
        try {
            std::string answer;
            const tars::Int32 ret = _target->testHello(sReq, answer);
            sRsp = "relayed " + answer;
            return ret;
        } catch (const tars::TarsCallException& e) {
            sRsp = e.what();
            return e.getErrCode();
        }
    }

private:
    TestApp::HelloPrx _target;
};

class RelayServer : public tars::Application {
    void initialize() override {
        addServant<RelayImp>(tars::ServerConfig::Application + "." + tars::ServerConfig::ServerName + ".RelayObj");
    }
    void destroyApp() override {}
};

}  // namespace

int main(int argc, char* argv[]) {
    RelayServer app;
    app.main(argc, argv);
    app.waitForShutdown();
    return 0;
}
