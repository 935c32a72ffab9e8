// tarsquery: the query service of call statistics and properties. One executable serves
// <app>.<server>.QueryObj (deployed twice as TARS does: tars.tarsquerystat.QueryObj and
// tars.tarsqueryproperty.QueryObj), interface MonitorQuery, over the store of its /tars/db
// section, where tarsstat and tarsproperty write. Both dataids are answered by either
// instance; README.md says what a request may name.
//
// Query results reveal the deployment (who calls whom, how often, from where), so QueryObj
// requires trusted peers like ConfigObj: bound beyond loopback, its adapter must
// authenticate peers (mutual TLS with allowsubjects, or -e 1).
#include "MonitorDatabase.h"
#include "QueryImp.h"
#include "servant/Application.h"
#include "util/tc_common.h"

namespace tars {

namespace {

struct QueryKey {
    const char* section;
    const char* name;
};

std::vector<QueryKey> queryKeys() {
    std::vector<QueryKey> keys;
    for (const auto& key : storeConfigKeys()) keys.push_back({"/tars/db", key.name});
    keys.push_back({"/tars/db", "createschema"});
    return keys;
}

}  // namespace

class QueryServer : public Application {
protected:
    void initialize() override {
        const std::string queryObj = ServerConfig::Application + "." + ServerConfig::ServerName + ".QueryObj";
        std::string dir = ServerConfig::DataPath.empty() ? "." : ServerConfig::DataPath;
        if (!dir.ends_with('/')) dir += '/';
        StoreSettings store = StoreSettings::fromConfig(getConfig(), dir + "tars_monitor.sqlite");
        std::string create = TC_Common::lower(TC_Common::trim(getConfig().get("/tars/db<createschema>", "Y")));
        store.makeSqliteDirectory();
        _database = std::make_shared<MonitorDatabase>(
            store, create != "n" && create != "no" && create != "0" && create != "false");
        try {
            _database->connect();
        } catch (const StoreError& e) {
            TLOGERROR("query: the store is not reachable yet: " << e.what() << std::endl);
        }
        auto database = _database;
        addServantFactory(
            queryObj, [database] { return std::static_pointer_cast<Servant>(std::make_shared<QueryImp>(database)); });
        requireTrustedPeers(queryObj);
        TLOGINFO("query: serving " << queryObj << " from " << store.describe() << std::endl);
    }

    void destroyApp() override { _database.reset(); }

    std::vector<ConfigKeyRule> configKeyRules() const override { return configKeyRulesOf(queryKeys()); }

private:
    std::shared_ptr<MonitorDatabase> _database;
};

}  // namespace tars

namespace {
tars::QueryServer g_app;
}

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
