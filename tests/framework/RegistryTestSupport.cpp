#include "RegistryTestSupport.h"

#include <algorithm>
#include <sstream>

#ifndef TARS_REGISTRY_PATH
#error "TARS_REGISTRY_PATH must name the tarsregistry executable"
#endif

namespace tars::test {

RegistryProcess::RegistryProcess(const TestDatabase& db, const std::string& reap)
    : _db(db), _reap(reap), _process(TARS_REGISTRY_PATH) {}

std::string RegistryProcess::config(const std::string& dbSection, const std::string& reap) const {
    std::ostringstream os;
    os << "<tars>\n  <application>\n    <server>\n"
       << "      app = tars\n      server = tarsregistry\n      localip = 127.0.0.1\n"
       << "      local = tcp -h 127.0.0.1 -p " << _admin.port() << " -t 10000\n"
       << "      ops = tcp -h 127.0.0.1 -p " << _ops.port() << " -t 60000\n"
       << "      logpath = @LOG@\n      datapath = @DIR@\n      logLevel = DEBUG\n"
       << "      <tars.tarsregistry.QueryObjAdapter>\n"
       << "        endpoint = tcp -h 127.0.0.1 -p " << _query.port() << " -t 60000\n"
       << "        servant = tars.tarsregistry.QueryObj\n        threads = 2\n"
       << "      </tars.tarsregistry.QueryObjAdapter>\n"
       << "      <tars.tarsregistry.RegistryObjAdapter>\n"
       << "        endpoint = tcp -h 127.0.0.1 -p " << _registry.port() << " -t 60000\n"
       << "        servant = tars.tarsregistry.RegistryObj\n        threads = 2\n"
       << "      </tars.tarsregistry.RegistryObjAdapter>\n"
       << "      <tars.tarsregistry.AdminRegObjAdapter>\n"
       << "        endpoint = tcp -h 127.0.0.1 -p " << _adminReg.port() << " -t 60000\n"
       << "        servant = tars.tarsregistry.AdminRegObj\n        threads = 2\n"
       << "      </tars.tarsregistry.AdminRegObjAdapter>\n"
       << "    </server>\n  </application>\n"
       << dbSection << "  <reap>\n    loadObjectsInterval1 = 1\n"
       << reap << "\n  </reap>\n</tars>\n";
    return os.str();
}

bool RegistryProcess::start(int timeoutMs) {
    _process.writeConfig(config(_db.configSection(), _reap));
    return _process.start({_query.port(), _registry.port(), _adminReg.port(), _ops.port()}, timeoutMs);
}

int RegistryProcess::runWithDbSection(const std::string& dbSection, const std::string& reap) {
    _process.writeConfig(config(dbSection, reap));
    return _process.runToExit({"--config=" + _process.dir() + "/server.conf"}, 20000);
}

std::string RegistryProcess::queryEndpoint() const {
    return "tcp -h 127.0.0.1 -p " + std::to_string(_query.port()) + " -t 60000";
}

std::string RegistryProcess::adminRegObj() const {
    return "tars.tarsregistry.AdminRegObj@tcp -h 127.0.0.1 -p " + std::to_string(_adminReg.port());
}

RegistryClient::RegistryClient(int queryPort, int registryPort) : _communicator(std::make_shared<Communicator>()) {
    auto endpoint = [](int port) { return "@tcp -h 127.0.0.1 -p " + std::to_string(port) + " -t 60000"; };
    _query = _communicator->stringToProxy<QueryFPrx>("tars.tarsregistry.QueryObj" + endpoint(queryPort));
    _registry = _communicator->stringToProxy<RegistryPrx>("tars.tarsregistry.RegistryObj" + endpoint(registryPort));
}

template <typename Result, typename Body>
Result RegistryClient::guarded(Result failed, Body body) {
    try {
        Result result = body();
        _lastCode = 0;
        return result;
    } catch (const TarsCallException& e) {
        _lastCode = e.getErrCode();
        return failed;
    }
}

std::vector<EndpointF> RegistryClient::findObjectById(const std::string& id) {
    return guarded(std::vector<EndpointF>{}, [&] { return _query->findObjectById(id); });
}

QueryAnswer RegistryClient::findObjectById4Any(const std::string& id) {
    return guarded(QueryAnswer{}, [&] {
        QueryAnswer a;
        a.ret = _query->findObjectById4Any(id, a.active, a.inactive);
        return a;
    });
}

QueryAnswer RegistryClient::findObjectById4All(const std::string& id,
                                               const std::map<std::string, std::string>& context) {
    return guarded(QueryAnswer{}, [&] {
        QueryAnswer a;
        a.ret = _query->findObjectById4All(id, a.active, a.inactive, context);
        return a;
    });
}

QueryAnswer RegistryClient::findObjectByIdInSameGroup(const std::string& id,
                                                      const std::map<std::string, std::string>& context) {
    return guarded(QueryAnswer{}, [&] {
        QueryAnswer a;
        a.ret = _query->findObjectByIdInSameGroup(id, a.active, a.inactive, context);
        return a;
    });
}

QueryAnswer RegistryClient::findObjectByIdInSameStation(const std::string& id, const std::string& station) {
    return guarded(QueryAnswer{}, [&] {
        QueryAnswer a;
        a.ret = _query->findObjectByIdInSameStation(id, station, a.active, a.inactive);
        return a;
    });
}

QueryAnswer RegistryClient::findObjectByIdInSameSet(const std::string& id, const std::string& setId) {
    return guarded(QueryAnswer{}, [&] {
        QueryAnswer a;
        a.ret = _query->findObjectByIdInSameSet(id, setId, a.active, a.inactive);
        return a;
    });
}

int RegistryClient::registerChange() {
    return guarded(-100, [&] { return _query->registerChange({}, "me"); });
}

int RegistryClient::registerNode(const std::string& nodeName, const NodeInfo& info, const LoadInfo& load) {
    return guarded(-100, [&] { return _registry->registerNode(nodeName, info, load); });
}

int RegistryClient::keepAlive(const std::string& nodeName, const LoadInfo& load) {
    return guarded(-100, [&] { return _registry->keepAlive(nodeName, load); });
}

int RegistryClient::updateServer(const std::string& nodeName, const std::string& app, const std::string& server,
                                 const ServerStateInfo& state) {
    return guarded(-100, [&] { return _registry->updateServer(nodeName, app, server, state); });
}

int RegistryClient::updateServerBatch(const std::vector<ServerStateInfo>& states) {
    return guarded(-100, [&] { return _registry->updateServerBatch(states); });
}

int RegistryClient::destroyNode(const std::string& nodeName) {
    return guarded(-100, [&] { return _registry->destroyNode(nodeName); });
}

std::optional<std::vector<ServerDescriptor>> RegistryClient::getServers(const std::string& app,
                                                                        const std::string& server,
                                                                        const std::string& nodeName) {
    return guarded(std::optional<std::vector<ServerDescriptor>>{},
                   [&] { return std::optional(_registry->getServers(app, server, nodeName)); });
}

std::optional<std::string> RegistryClient::getNodeTemplate(const std::string& nodeName) {
    return guarded(std::optional<std::string>{}, [&] {
        std::string profile;
        int ret = _registry->getNodeTemplate(nodeName, profile);
        return ret == 0 ? std::optional(profile) : std::nullopt;
    });
}

std::optional<std::string> RegistryClient::getClientIp() {
    return guarded(std::optional<std::string>{}, [&] {
        std::string ip;
        int ret = _registry->getClientIp(ip);
        return ret == 0 ? std::optional(ip) : std::nullopt;
    });
}

std::vector<std::string> addresses(const std::vector<EndpointF>& endpoints) {
    std::vector<std::string> out;
    for (const auto& ep : endpoints) out.push_back(ep.host + ":" + std::to_string(ep.port));
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace tars::test
