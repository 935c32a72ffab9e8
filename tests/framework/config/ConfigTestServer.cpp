// ConfigTestServer: the server of the framework-client tests (node heartbeats, addConfig,
// tars.loadconfig). It serves <app>.<server>.ProbeObj (ConfigProbe.tars) and reads its
// own section /tars/application/test:
//   addconfig     file names (separated by spaces) initialize() fetches with addConfig
//   addappconfig  file names initialize() fetches with addAppConfig
//   initsleepms   milliseconds initialize() sleeps at its end (a slow start-up)
#include <chrono>
#include <thread>

#include "ConfigProbe.h"
#include "servant/Application.h"
#include "util/tc_common.h"
#include "util/tc_file.h"

namespace {

class ProbeImp : public ConfigTest::Probe {
public:
    tars::Int32 readFile(const std::string& name, std::string& content, tars::CurrentPtr) override {
        std::string path = tars::ServerConfig::BasePath + "/" + name;
        if (name.find('/') != std::string::npos || !tars::TC_File::isFileExist(path)) return -1;
        content = tars::TC_File::load2str(path);
        return 0;
    }

    tars::Int32 sleepMs(tars::Int32 ms, tars::CurrentPtr) override {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));  // the behaviour under test: a busy handle
        return 0;
    }
};

class ConfigTestServer : public tars::Application {
protected:
    void initialize() override {
        const auto& conf = getConfig();
        for (const std::string& file :
             tars::TC_Common::sepstr(conf.get("/tars/application/test<addappconfig>", ""), " ")) {
            addAppConfig(file);
        }
        for (const std::string& file :
             tars::TC_Common::sepstr(conf.get("/tars/application/test<addconfig>", ""), " ")) {
            addConfig(file);
        }
        addServant<ProbeImp>(tars::ServerConfig::Application + "." + tars::ServerConfig::ServerName + ".ProbeObj");
        int sleepMs = std::stoi(conf.get("/tars/application/test<initsleepms>", "0"));
        std::this_thread::sleep_for(std::chrono::milliseconds(sleepMs));  // a slow initialize(), on purpose
    }
    void destroyApp() override {}
};

ConfigTestServer g_app;

}  // namespace

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
