// tarsweb: the web console. An Application serving <app>.<server>.WebObj (tars.tarsweb.WebObj)
// over HTTP (adapter protocol=http, or ssl endpoints for https): the console's page and its
// JSON API (WebConsole), backed by the registry found through the locator. README.md lists
// the keys. A bad key stops the process with status 1 and a message naming it.
#include <unistd.h>

#include <climits>

#include "WebConsole.h"
#include "WebImp.h"
#include "servant/Application.h"
#include "servant/BindAdapter.h"
#include "servant/TC_EpollServer.h"
#include "util/tc_sockaddr.h"
#include "util/tc_config_keys.h"
#include "util/tc_file.h"

namespace tars {

class WebServer : public Application {
protected:
    void initialize() override {
        const std::string webObj = ServerConfig::Application + "." + ServerConfig::ServerName + ".WebObj";
        web::WebSettings settings = web::WebSettings::fromConfig(getConfig(), exeDir());
        requireTlsBeyondLoopback(webObj, settings);
        _console = std::make_shared<web::WebConsole>(settings, getCommunicator());
        auto console = _console;
        addServantFactory(
            webObj, [console] { return std::static_pointer_cast<Servant>(std::make_shared<web::WebImp>(console)); });
        TLOGINFO("web: serving " << webObj << ", page from " << settings.assets << ", passwords from "
                                 << (settings.passwordFile.empty() ? "the registry (tars.tarsweb tarsweb.passwd)"
                                                                   : settings.passwordFile)
                                 << std::endl);
    }

    void destroyApp() override { _console.reset(); }

    std::vector<ConfigKeyRule> configKeyRules() const override { return configKeyRulesOf(web::webSettingsKeys()); }

private:
    // The login and the session cookie cross the network only over TLS: plain http is for
    // loopback (or behind a TLS proxy, with plainhttp = 1).
    static void requireTlsBeyondLoopback(const std::string& webObj, const web::WebSettings& settings) {
        auto adapter = getEpollServer() ? getEpollServer()->getAdapterByServant(webObj) : nullptr;
        if (!adapter || adapter->isTls() || settings.plainHttp) return;
        const TC_Endpoint& endpoint = adapter->getEndpoint();
        if (endpoint.isUnix()) return;
        bool loopback = false;
        try {
            loopback = TC_SockAddr::parse(endpoint.getHost(), static_cast<uint16_t>(endpoint.getPort())).isLoopback();
        } catch (const TC_Exception&) {
            loopback = false;
        }
        if (!loopback) {
            throw TC_Exception("adapter " + adapter->getName() + " serves the console on " + endpoint.toString() +
                               " in plain http, where passwords and session cookies would cross the network in "
                               "clear text: use an ssl endpoint, or bind it to 127.0.0.1 (/tars/web<plainhttp> = 1 "
                               "allows it behind a TLS proxy)");
        }
    }

    static std::string exeDir() {
        char path[PATH_MAX];
        ssize_t n = ::readlink("/proc/self/exe", path, sizeof(path) - 1);
        if (n <= 0) return ".";
        path[n] = '\0';
        std::string dir = TC_File::extractFilePath(path);
        while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
        return dir;
    }

    std::shared_ptr<web::WebConsole> _console;
};

}  // namespace tars

namespace {
tars::WebServer g_app;
}

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
