#include "RegistryServer.h"

#include "AdminRegImp.h"
#include "PrometheusTargets.h"
#include "QueryImp.h"
#include "RegistryImp.h"
#include "util/tc_endpoint.h"
#include "util/tc_logger.h"

namespace tars {

namespace {

// The endpoint clients use for an adapter: a wildcard or "localip" host becomes localip.
std::string publishedEndpoint(const std::string& text) {
    TC_Endpoint ep(text);
    const std::string& host = ep.getHost();
    if (host == "0.0.0.0" || host == "*" || host == "localip" || host == "::") ep.setHost(ServerConfig::LocalIp);
    return ep.toString();
}

}  // namespace

std::vector<ConfigKeyRule> RegistryServer::configKeyRules() const { return configKeyRulesOf(registryConfigKeys()); }

void RegistryServer::initialize() {
    const std::string prefix = ServerConfig::Application + "." + ServerConfig::ServerName + ".";
    const std::string queryObj = prefix + "QueryObj";
    const std::string registryObj = prefix + "RegistryObj";
    const std::string adminRegObj = prefix + "AdminRegObj";

    RegistrySettings settings = RegistrySettings::fromConfig(getConfig(), ServerConfig::DataPath);
    settings.store.makeSqliteDirectory();

    std::vector<RegistryService::SelfEndpoint> self;
    std::string locatorId;
    bool servesAdminReg = false;
    const std::string serverSection = "/tars/application/server";
    for (const auto& adapter : getConfig().getDomainVector(serverSection)) {
        std::string path = serverSection + "/" + adapter;
        std::string servant = getConfig().get(path + "<servant>");
        if (servant != queryObj && servant != registryObj && servant != adminRegObj) continue;
        if (servant == adminRegObj) servesAdminReg = true;
        std::string endpoint = publishedEndpoint(getConfig().get(path + "<endpoint>"));
        self.push_back({servant, endpoint});
        if (servant == queryObj) {
            TC_Endpoint ep(endpoint);
            locatorId = ep.getHost() + ":" + std::to_string(ep.getPort());
        }
    }
    if (locatorId.empty()) {
        throw Application_Exception("the registry needs an adapter serving " + queryObj);
    }

    _service =
        std::make_unique<RegistryService>(std::move(settings), std::move(self), locatorId, std::string(TARS_VERSION));
    _service->start();

    // The servants get the service by reference: they are destroyed when the server stops
    // its handles, before destroyApp() destroys the service.
    RegistryService* service = _service.get();
    addServantFactory(queryObj,
                      [service] { return std::static_pointer_cast<Servant>(std::make_shared<QueryImp>(*service)); });
    addServantFactory(registryObj,
                      [service] { return std::static_pointer_cast<Servant>(std::make_shared<RegistryImp>(*service)); });
    // Nodes register, report and fetch server profiles through RegistryObj: never open.
    requireTrustedPeers(registryObj);
    // AdminRegObj only when the config gives it an adapter (its port is the operators').
    if (servesAdminReg) {
        _adminReg = std::make_unique<AdminRegContext>(*_service, getCommunicator());
        AdminRegContext* context = _adminReg.get();
        addServantFactory(adminRegObj, [context] {
            return std::static_pointer_cast<Servant>(std::make_shared<AdminRegImp>(*context));
        });
        requireTrustedPeers(adminRegObj);
    }
    // Prometheus's HTTP service discovery, on the ops endpoint's own thread: a query of the
    // store (shared with the servants' calls, each holding it for one statement or
    // transaction), never a wait on the RPC path.
    addOpsPath("/prometheus/targets", [service](const std::string&, std::string& contentType, std::string& body) {
        try {
            body = prometheusTargetsJson(service->store().listServers(), service->store().listNodes());
            contentType = "application/json";
            return 200;
        } catch (const std::exception& e) {
            contentType = "text/plain; charset=utf-8";
            body = std::string("the registry's store failed: ") + e.what() + "\n";
            return 503;
        }
    });
    TLOGINFO("registry: " << locatorId << " serving " << queryObj << ", " << registryObj
                          << (servesAdminReg ? ", " + adminRegObj : std::string()) << "; "
                          << _service->table()->objectCount() << " objects" << std::endl);
}

void RegistryServer::destroyApp() {
    // The servants are gone by now: Application::shutdown() stops the server (its handles
    // destroy their servants, the net threads are joined) before it calls destroyApp().
    _adminReg.reset();
    if (_service) _service->stop();
    _service.reset();
}

}  // namespace tars

namespace {
tars::RegistryServer g_app;
}

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
