// A stand-in for tarsnode in the AdminRegObj tests: serves <app>.<server>.NodeObj
// (interface Node) and records every call, one line each, in the file named by
// /tars/application/fakenode<calls>:
//
//   startServer TestApp.HelloServer
//   notifyServer TestApp.HelloServer tars.viewstatus
//
// /tars/application/fakenode<fail> lists methods (separated by ,) that answer -1 with the
// text "fake failure of <method>"; <pid> is the pid getStateInfo reports (with state
// Active). Everything else answers 0. It starts nothing: the tests check what the
// registry asked for.
#include <fcntl.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <string>

#include "Node.h"
#include "servant/Application.h"
#include "util/tc_common.h"

namespace {

struct FakeNodeSettings {
    std::string callsFile;
    std::set<std::string> failing;
    int pid = 4242;
};

class FakeNodeImp : public tars::Node {
public:
    explicit FakeNodeImp(const FakeNodeSettings& settings) : _settings(settings) {}

    void initialize() override {}
    void destroy() override {}

    tars::Int32 destroyServer(const std::string& app, const std::string& server, std::string& result,
                              tars::CurrentPtr) override {
        return record("destroyServer", app + "." + server, result);
    }
    tars::Int32 patchPro(const tars::PatchRequest&, std::string& result, tars::CurrentPtr) override {
        return record("patchPro", "", result);
    }
    tars::Int32 shutdown(std::string& result, tars::CurrentPtr) override { return record("shutdown", "", result); }
    tars::Int32 stopAllServers(std::string& result, tars::CurrentPtr) override {
        return record("stopAllServers", "", result);
    }
    tars::Int32 loadServer(const std::string& app, const std::string& server, std::string& result,
                           tars::CurrentPtr) override {
        return record("loadServer", app + "." + server, result);
    }
    tars::Int32 startServer(const std::string& app, const std::string& server, std::string& result,
                            tars::CurrentPtr) override {
        return record("startServer", app + "." + server, result);
    }
    tars::Int32 stopServer(const std::string& app, const std::string& server, std::string& result,
                           tars::CurrentPtr) override {
        return record("stopServer", app + "." + server, result);
    }
    tars::Int32 notifyServer(const std::string& app, const std::string& server, const std::string& command,
                             std::string& result, tars::CurrentPtr) override {
        tars::Int32 ret = record("notifyServer", app + "." + server + " " + command, result);
        if (ret == 0) result = "fake notified: " + command;
        return ret;
    }
    tars::Int32 getStateInfo(const std::string& app, const std::string& server, tars::ServerStateInfo& info,
                             std::string& result, tars::CurrentPtr) override {
        info.serverState = tars::Active;
        info.processId = _settings.pid;
        info.application = app;
        info.serverName = server;
        return record("getStateInfo", app + "." + server, result);
    }
    tars::Int32 getPatchPercent(const std::string& app, const std::string& server, tars::PatchInfo&,
                                tars::CurrentPtr) override {
        std::string ignored;
        return record("getPatchPercent", app + "." + server, ignored);
    }
    tars::Int32 delCache(const std::string& name, const std::string&, const std::string&, std::string& result,
                         tars::CurrentPtr) override {
        return record("delCache", name, result);
    }
    tars::Int32 getLogFileList(const std::string& app, const std::string& server, std::vector<std::string>&,
                               tars::CurrentPtr) override {
        std::string ignored;
        return record("getLogFileList", app + "." + server, ignored);
    }
    tars::Int32 getLogData(const std::string& app, const std::string& server, const std::string&, const std::string&,
                           std::string&, tars::CurrentPtr) override {
        std::string ignored;
        return record("getLogData", app + "." + server, ignored);
    }
    tars::Int32 getNodeLoad(const std::string& app, const std::string& server, tars::Int32, std::string&,
                            tars::CurrentPtr) override {
        std::string ignored;
        return record("getNodeLoad", app + "." + server, ignored);
    }
    tars::Int32 forceDockerLogin(std::vector<std::string>&, tars::CurrentPtr) override {
        std::string ignored;
        return record("forceDockerLogin", "", ignored);
    }

private:
    tars::Int32 record(const std::string& method, const std::string& args, std::string& result) {
        std::string line = method + (args.empty() ? "" : " " + args) + "\n";
        int fd = ::open(_settings.callsFile.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) {
            // One write per line with O_APPEND: lines of concurrent calls never mix.
            [[maybe_unused]] ssize_t written = ::write(fd, line.data(), line.size());
            ::close(fd);
        }
        if (_settings.failing.count(method)) {
            result = "fake failure of " + method;
            return -1;
        }
        result = "fake " + method + " done";
        return 0;
    }

    const FakeNodeSettings& _settings;
};

class FakeNodeServer : public tars::Application {
protected:
    void initialize() override {
        const auto& config = getConfig();
        const std::string section = "/tars/application/fakenode";
        _settings.callsFile = config.get(section + "<calls>", tars::ServerConfig::DataPath + "/calls.log");
        for (const auto& method : tars::TC_Common::sepstr(config.get(section + "<fail>"), ", ")) {
            _settings.failing.insert(method);
        }
        _settings.pid = tars::TC_Common::tryStrto<int>(config.get(section + "<pid>", "4242")).value_or(4242);
        const FakeNodeSettings* settings = &_settings;
        addServantFactory(tars::ServerConfig::Application + "." + tars::ServerConfig::ServerName + ".NodeObj",
                          [settings] { return std::make_shared<FakeNodeImp>(*settings); });
    }
    void destroyApp() override {}

private:
    FakeNodeSettings _settings;
};

}  // namespace

int main(int argc, char* argv[]) {
    FakeNodeServer app;
    app.main(argc, argv);
    app.waitForShutdown();
    return 0;
}
