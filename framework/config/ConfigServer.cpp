#include "ConfigServer.h"

#include "ConfigImp.h"
#include "util/tc_logger.h"

namespace tars {

std::vector<ConfigKeyRule> ConfigServer::configKeyRules() const { return configKeyRulesOf(configServiceKeys()); }

void ConfigServer::initialize() {
    const std::string configObj = ServerConfig::Application + "." + ServerConfig::ServerName + ".ConfigObj";
    ConfigSettings settings = ConfigSettings::fromConfig(getConfig(), ServerConfig::DataPath);
    settings.store.makeSqliteDirectory();
    auto store = RegistryStore::open(settings.store, settings.createSchema);
    _service = std::make_shared<ConfigService>(std::move(store), settings);
    auto service = _service;
    addServantFactory(configObj,
                      [service] { return std::static_pointer_cast<Servant>(std::make_shared<ConfigImp>(service)); });
    requireTrustedPeers(configObj);  // config files hold passwords
    TLOGINFO("config: serving " << configObj << " from " << settings.store.describe() << ", at most "
                                << settings.limitLoads << " loads per file and host in " << settings.limitMinutes
                                << " minute(s)" << std::endl);
}

void ConfigServer::destroyApp() { _service.reset(); }

}  // namespace tars

namespace {
tars::ConfigServer g_app;
}

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
