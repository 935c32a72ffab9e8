// tarslog: the remote log service. An Application serving <app>.<server>.LogObj
// (tars.tarslog.LogObj; interface Log) that appends the day logs servers send (DLOG,
// FDLOG) to files in TARS's layout under /tars/log<logpath> (LogWriter). README.md lists
// the keys.
//
// Logging stays open to every server of the deployment (as in TARS): LogObj needs no
// trusted peers. A bad key stops the process with status 1 and a message naming it.
#include "LogImp.h"
#include "servant/Application.h"
#include "util/tc_common.h"

namespace tars {

namespace {

struct LogKey {
    const char* section;
    const char* name;
    const char* defaultValue;
    const char* description;
};

const std::vector<LogKey>& logKeys() {
    static const std::vector<LogKey> keys{
        {"/tars/log", "logpath", "", "Root of the remote log files (default <datapath>/remote_app_log)."},
        {"/tars/log", "ipfix", "false", "true: each line starts with the caller's IP and the separator."},
        {"/tars/log", "maxlines", "100000", "Most lines in one batch; a larger batch is refused."},
    };
    return keys;
}

}  // namespace

class LogServer : public Application {
protected:
    void initialize() override {
        const std::string logObj = ServerConfig::Application + "." + ServerConfig::ServerName + ".LogObj";
        std::string root = TC_Common::trim(getConfig().get("/tars/log<logpath>", ""));
        if (root.empty()) {
            std::string dir = ServerConfig::DataPath.empty() ? "." : ServerConfig::DataPath;
            root = (dir.ends_with('/') ? dir : dir + "/") + "remote_app_log";
        }
        while (root.size() > 1 && root.ends_with('/')) root.pop_back();
        std::string ipfix = TC_Common::lower(TC_Common::trim(getConfig().get("/tars/log<ipfix>", "false")));
        bool ipPrefix = ipfix == "true" || ipfix == "y" || ipfix == "yes" || ipfix == "1";
        if (!ipPrefix && ipfix != "false" && ipfix != "n" && ipfix != "no" && ipfix != "0") {
            throw Application_Exception("bad value '" + ipfix + "' for /tars/log<ipfix>: true or false");
        }
        std::string lines = TC_Common::trim(getConfig().get("/tars/log<maxlines>", "100000"));
        auto maxLines = TC_Common::tryStrto<long long>(lines);
        if (!maxLines || *maxLines < 1) {
            throw Application_Exception("bad value '" + lines + "' for /tars/log<maxlines>: a number >= 1");
        }
        _service = std::make_shared<LogService>(root, ipPrefix, static_cast<size_t>(*maxLines));
        auto service = _service;
        addServantFactory(logObj,
                          [service] { return std::static_pointer_cast<Servant>(std::make_shared<LogImp>(service)); });
        addAdminCommandNormal("log.status", [service](const std::string&, const std::string&, std::string& result) {
            result = service->status();
            return true;
        });
        TLOGINFO("log: serving " << logObj << " into " << root << (ipPrefix ? " (ip prefix)" : "") << std::endl);
    }

    void destroyApp() override { _service.reset(); }

    std::vector<ConfigKeyRule> configKeyRules() const override { return configKeyRulesOf(logKeys()); }

private:
    std::shared_ptr<LogService> _service;
};

}  // namespace tars

namespace {
tars::LogServer g_app;
}

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
