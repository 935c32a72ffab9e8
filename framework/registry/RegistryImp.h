// RegistryImp: tars.tarsregistry.RegistryObj, the interface tarsnode uses (Registry):
// node registration and heartbeats, the servers a node runs (with their merged
// profiles), and the states it reports. Every write goes to the store; writes that
// change routing answers ask the RegistryService for an early reload.
//
// updateServer follows the stock wire quirk: the node name comes first (the parameter
// the IDL calls app), then the application, then the server name.
// Store failures answer -1 (getServers: the call fails with the error text, so a node
// retries instead of taking "no servers" for an answer). One instance per handle thread.
// Lifetime: the service is given at construction (RegistryServer's servant factory) and
// must outlive the servant.
#pragma once

#include "Registry.h"
#include "RegistryService.h"

namespace tars {

class RegistryImp : public Registry {
public:
    explicit RegistryImp(RegistryService& service) : _service(service) {}

    void initialize() override {}
    void destroy() override {}

    Int32 registerNode(const std::string& nodeName, const NodeInfo& ni, const LoadInfo& li,
                       CurrentPtr current) override;
    Int32 keepAlive(const std::string& nodeName, const LoadInfo& load, CurrentPtr current) override;
    std::vector<ServerDescriptor> getServers(const std::string& app, const std::string& serverName,
                                             const std::string& nodeName, CurrentPtr current) override;
    Int32 updateServer(const std::string& app, const std::string& serverName, const std::string& nodeName,
                       const ServerStateInfo& state, CurrentPtr current) override;
    Int32 updateServerBatch(const std::vector<ServerStateInfo>& vState, CurrentPtr current) override;
    Int32 destroyNode(const std::string& nodeName, CurrentPtr current) override;
    Int32 reportVersion(const std::string& app, const std::string& serverName, const std::string& nodeName,
                        const std::string& version, CurrentPtr current) override;
    Int32 getNodeTemplate(const std::string& nodeName, std::string& profileTemplate, CurrentPtr current) override;
    Int32 getClientIp(std::string& sClientIp, CurrentPtr current) override;
    Int32 reportNode(const ReportNode& rn, CurrentPtr current) override;
    Int32 updatePatchResult(const PatchResult& result, CurrentPtr current) override;
    Int32 getDockerRegistry(std::vector<DockerRegistry>& doctorRegistries, CurrentPtr current) override;
    Int32 dockerPull(const std::string& baseImageId, CurrentPtr current) override;
    Int32 getFrameworkKey(FrameworkKey& fKey, CurrentPtr current) override;

private:
    RegistryService& _service;
};

// "active", "activating", ... for a ServerState; "" for a value outside the enum.
std::string presentStateName(ServerState state);

}  // namespace tars
