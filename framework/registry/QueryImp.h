// QueryImp: tars.tarsregistry.QueryObj, the locator every TARS client asks (QueryF).
// Answers come from the registry's current ObjectTable (RegistryService), never from the
// database. The caller's host for group rules is the request context's node_name when
// present, else the peer IP. The enterprise-only calls answer -1, as open-source TARS.
// One instance per handle thread; the table it reads is immutable and shared.
// Lifetime: the service is given at construction (RegistryServer's servant factory) and
// must outlive the servant; it only reads from it (RegistryService::table()).
#pragma once

#include "QueryF.h"
#include "RegistryService.h"

namespace tars {

class QueryImp : public QueryF {
public:
    explicit QueryImp(const RegistryService& service) : _service(service) {}

    void initialize() override {}
    void destroy() override {}

    std::vector<EndpointF> findObjectById(const std::string& id, CurrentPtr current) override;
    Int32 findObjectById4Any(const std::string& id, std::vector<EndpointF>& activeEp,
                             std::vector<EndpointF>& inactiveEp, CurrentPtr current) override;
    Int32 findObjectById4All(const std::string& id, std::vector<EndpointF>& activeEp,
                             std::vector<EndpointF>& inactiveEp, CurrentPtr current) override;
    Int32 findObjectByIdInSameGroup(const std::string& id, std::vector<EndpointF>& activeEp,
                                    std::vector<EndpointF>& inactiveEp, CurrentPtr current) override;
    Int32 findObjectByIdInSameStation(const std::string& id, const std::string& sStation,
                                      std::vector<EndpointF>& activeEp, std::vector<EndpointF>& inactiveEp,
                                      CurrentPtr current) override;
    Int32 findObjectByIdInSameSet(const std::string& id, const std::string& setId, std::vector<EndpointF>& activeEp,
                                  std::vector<EndpointF>& inactiveEp, CurrentPtr current) override;
    Int32 findObjectNodeName(const std::string& id, std::vector<std::string>& nodeName, CurrentPtr current) override;
    Int32 registerChange(const std::map<std::string, std::string>& timestamp, const std::string& name,
                         CurrentPtr current) override;
    Int32 registerQuery(const std::string& id, const std::string& name, CurrentPtr current) override;
    Int32 getLocker(const GetMasterSlaveLock& req, CurrentPtr current) override;

private:
    const RegistryService& _service;
};

}  // namespace tars
