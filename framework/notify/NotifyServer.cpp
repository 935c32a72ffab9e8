// tarsnotify: the server event service. An Application serving <app>.<server>.NotifyObj
// (tars.tarsnotify.NotifyObj; interface Notify) over t_server_notifys in the store of its
// /tars/db section (NotifyService). README.md lists the keys.
//
// Reporting stays open to every server of the deployment (as in TARS), and getNotifyInfo
// is on the same object, so NotifyObj does not require trusted peers: events are what
// `tarsadmin events` shows any operator. A bad key stops the process with status 1; an
// unreachable store does not (events wait for it).
#include "NotifyImp.h"
#include "NotifyService.h"
#include "servant/Application.h"

namespace tars {

class NotifyServer : public Application {
protected:
    void initialize() override {
        const std::string notifyObj = ServerConfig::Application + "." + ServerConfig::ServerName + ".NotifyObj";
        NotifySettings settings = NotifySettings::fromConfig(getConfig(), ServerConfig::DataPath);
        try {
            settings.store.makeSqliteDirectory();
        } catch (const std::exception& e) {
            // Like an unreachable database: events are kept until the store can be opened.
            TLOGERROR("notify: " << e.what() << std::endl);
        }
        _service = std::make_shared<NotifyService>(settings);
        auto service = _service;
        addServantFactory(
            notifyObj, [service] { return std::static_pointer_cast<Servant>(std::make_shared<NotifyImp>(service)); });
        addAdminCommandNormal("notify.status", [service](const std::string&, const std::string&, std::string& result) {
            result = service->status();
            return true;
        });
        _service->start();
        TLOGINFO("notify: serving " << notifyObj << " into " << settings.store.describe() << ", keeping "
                                    << settings.keep << " rows per server" << std::endl);
    }

    void destroyApp() override {
        if (_service) _service->stop();
        _service.reset();
    }

    std::vector<ConfigKeyRule> configKeyRules() const override { return configKeyRulesOf(notifySettingsKeys()); }

private:
    std::shared_ptr<NotifyService> _service;
};

}  // namespace tars

namespace {
tars::NotifyServer g_app;
}

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
