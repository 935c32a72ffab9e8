// tarsproperty: the property service. An Application serving <app>.<server>.PropertyObj
// (tars.tarsproperty.PropertyObj with app=tars, server=tarsproperty; interface PropertyF) that aggregates
// reports in memory and writes them to the store of its /tars/db section every interval
// (MonitorSettings, PropertyService). README.md lists the keys and what is stored.
//
// Reporting stays open to every server of the deployment (as in TARS): PropertyObj needs no
// trusted peers. A bad key stops the process with status 1 and a message naming it; an
// unreachable store does not (rows are kept until it is reachable).
#include "MonitorSettings.h"
#include "PropertyImp.h"
#include "PropertyService.h"
#include "servant/Application.h"
#include "util/tc_file.h"

namespace tars {

class PropertyServer : public Application {
protected:
    void initialize() override {
        const std::string propertyObj = ServerConfig::Application + "." + ServerConfig::ServerName + ".PropertyObj";
        MonitorSettings settings = MonitorSettings::fromConfig(getConfig(), ServerConfig::DataPath,
                                                               "tars_monitor.sqlite", "property_reserve_time");
        if (settings.store.type == "sqlite") {
            auto slash = settings.store.path.rfind('/');
            try {
                if (slash != std::string::npos && slash > 0)
                    TC_File::makeDirRecursive(settings.store.path.substr(0, slash));
            } catch (const std::exception& e) {
                // Like an unreachable database: rows are kept until the store can be opened.
                TLOGERROR("property: " << e.what() << std::endl);
            }
        }
        _service = std::make_shared<PropertyService>(settings);
        auto service = _service;
        addServantFactory(propertyObj, [service] {
            return std::static_pointer_cast<Servant>(std::make_shared<PropertyImp>(service));
        });
        addAdminCommandNormal("property.status",
                              [service](const std::string&, const std::string&, std::string& result) {
                                  result = service->status();
                                  return true;
                              });
        addAdminCommandNormal("property.flush", [service](const std::string&, const std::string&, std::string& result) {
            service->flushNow();
            result = service->status();
            return true;
        });
        _service->start();
        TLOGINFO("property: serving " << propertyObj << " into " << settings.store.describe() << ", every "
                                      << settings.intervalSeconds << " s, keeping " << settings.reserveDays << " days"
                                      << std::endl);
    }

    void destroyApp() override {
        if (_service) _service->stop();
        _service.reset();
    }

    std::vector<ConfigKeyRule> configKeyRules() const override {
        return configKeyRulesOf(monitorSettingsKeys("property_reserve_time"));
    }

private:
    std::shared_ptr<PropertyService> _service;
};

}  // namespace tars

namespace {
tars::PropertyServer g_app;
}

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
