// IntervalServer<Kind, Imp>: the Application of an aggregating observability service
// (tarsstat, tarsproperty). It serves <app>.<server>.<Kind::kObject> with one Imp per
// handle thread, all sharing one IntervalService<Kind> that writes to the store of its
// /tars/db section every interval (MonitorSettings), and the admin commands
// `<kName>.status` and `<kName>.flush` (ends the interval now, then the status).
//
// Reporting stays open to every server of the deployment (as in TARS): the object needs no
// trusted peers. A bad key stops the process with status 1 and a message naming it; an
// unreachable store does not (rows are kept until it is reachable).
//
// Besides IntervalService's, Kind gives kObject ("StatObj") and kReserveKey (the
// /tars/db_reserve key of its retention, "stat_reserve_time"). Imp is constructed from a
// std::shared_ptr<IntervalService<Kind>>.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "IntervalService.h"
#include "MonitorSettings.h"
#include "servant/Application.h"

namespace tars {

template <typename Kind, typename Imp>
class IntervalServer : public Application {
protected:
    void initialize() override {
        const std::string object = ServerConfig::Application + "." + ServerConfig::ServerName + "." + Kind::kObject;
        MonitorSettings settings =
            MonitorSettings::fromConfig(getConfig(), ServerConfig::DataPath, "tars_monitor.sqlite", Kind::kReserveKey);
        try {
            settings.store.makeSqliteDirectory();
        } catch (const std::exception& e) {
            // Like an unreachable database: rows are kept until the store can be opened.
            TLOGERROR(Kind::kName << ": " << e.what() << std::endl);
        }
        _service = std::make_shared<IntervalService<Kind>>(settings);
        auto service = _service;
        addServantFactory(object,
                          [service] { return std::static_pointer_cast<Servant>(std::make_shared<Imp>(service)); });
        const std::string name = Kind::kName;
        addAdminCommandNormal(name + ".status", [service](const std::string&, const std::string&, std::string& result) {
            result = service->status();
            return true;
        });
        addAdminCommandNormal(name + ".flush", [service](const std::string&, const std::string&, std::string& result) {
            service->flushNow();
            result = service->status();
            return true;
        });
        _service->start();
        TLOGINFO(Kind::kName << ": serving " << object << " into " << settings.store.describe() << ", every "
                             << settings.intervalSeconds << " s, keeping " << settings.reserveDays << " days"
                             << std::endl);
    }

    void destroyApp() override {
        if (_service) _service->stop();
        _service.reset();
    }

    std::vector<ConfigKeyRule> configKeyRules() const override {
        return configKeyRulesOf(monitorSettingsKeys(Kind::kReserveKey));
    }

private:
    std::shared_ptr<IntervalService<Kind>> _service;
};

}  // namespace tars
