// AdminRegImp: tars.tarsregistry.AdminRegObj, the management interface of the framework
// (protocol/AdminReg.tars): deploy server instances and their adapters, store config
// files for the config service, list instances and nodes, and forward start / stop /
// load / notify / state questions to the instance's tarsnode (NodeCommands).
//
// Every write goes through the registry's RegistryStore (deployServer: the instance and
// exactly its adapters in one transaction) and asks the RegistryService for an early
// reload. Every input is checked first (DeployRules): a refused call changes nothing.
//
// Results: 0 on success, else one of AdminRegCode, with the reason in `result` (or, for
// the methods without a result parameter, in the response context under "result").
// Threads: one instance per handle thread; what they share is the AdminRegContext, owned
// by RegistryServer and outliving the servants.
//
// The generated types are in namespace adminreg (protocol/AdminReg.tars says why).
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "AdminReg.h"
#include "NodeCommands.h"
#include "RegistryService.h"

namespace tars {

// The return codes of AdminRegObj's methods.
struct AdminRegCode {
    static constexpr int Ok = 0;
    static constexpr int Invalid = -1;          // an argument is missing or malformed
    static constexpr int NotFound = -2;         // no such instance
    static constexpr int Exists = -3;           // replace = false and it exists already
    static constexpr int StoreFailed = -4;      // the database failed
    static constexpr int NodeUnreachable = -5;  // the node is not registered or did not answer
    static constexpr int NodeFailed = -6;       // the node answered with an error
};

// What the AdminRegImp instances of one registry share.
struct AdminRegContext {
    AdminRegContext(RegistryService& registry, CommunicatorPtr communicator);

    RegistryService& service;
    NodeCommands nodes;
    // Serialises this registry's read-modify-write deployments (insertServerConf and
    // insertAdapterConf read the instance's adapters before writing them back).
    std::mutex writeMutex;
};

class AdminRegImp : public adminreg::AdminReg {
public:
    explicit AdminRegImp(AdminRegContext& context) : _context(context) {}

    void initialize() override {}
    void destroy() override {}

    Int32 insertServerConf(const adminreg::ServerConf& conf, Bool replace, CurrentPtr current) override;
    Int32 insertAdapterConf(const std::string& sApplication, const std::string& serverName, const std::string& nodeName,
                            const adminreg::AdapterConf& conf, Bool replace, CurrentPtr current) override;
    Int32 deployServer(const adminreg::ServerConf& conf, const std::vector<adminreg::AdapterConf>& adapters,
                       std::string& result, CurrentPtr current) override;
    Int32 undeploy(const std::string& application, const std::string& serverName, const std::string& nodeName,
                   const std::string& user, std::string& log, CurrentPtr current) override;
    Int32 insertConfigFile(const std::string& sFullServerName, const std::string& fileName, const std::string& content,
                           const std::string& nodeName, Int32 level, Bool replace, CurrentPtr current) override;

    Int32 listConfigFiles(const std::string& sFullServerName, const std::string& nodeName, Int32 level,
                          std::vector<adminreg::ConfigFileDesc>& files, std::string& result,
                          CurrentPtr current) override;
    Int32 getConfigFile(const std::string& sFullServerName, const std::string& fileName, const std::string& nodeName,
                        Int32 level, std::string& content, std::string& result, CurrentPtr current) override;
    Int32 deleteConfigFile(const std::string& sFullServerName, const std::string& fileName, const std::string& nodeName,
                           Int32 level, std::string& result, CurrentPtr current) override;

    std::vector<std::vector<std::string>> getAllServerIds(std::string& result, CurrentPtr current) override;
    std::vector<std::string> getAllNodeNames(std::string& result, CurrentPtr current) override;
    Int32 getServerState(const std::string& application, const std::string& serverName, const std::string& nodeName,
                         adminreg::ServerStateDesc& state, std::string& result, CurrentPtr current) override;

    Int32 startServer(const std::string& application, const std::string& serverName, const std::string& nodeName,
                      std::string& result, CurrentPtr current) override;
    Int32 stopServer(const std::string& application, const std::string& serverName, const std::string& nodeName,
                     std::string& result, CurrentPtr current) override;
    Int32 restartServer(const std::string& application, const std::string& serverName, const std::string& nodeName,
                        std::string& result, CurrentPtr current) override;
    Int32 loadServer(const std::string& application, const std::string& serverName, const std::string& nodeName,
                     std::string& result, CurrentPtr current) override;
    Int32 notifyServer(const std::string& application, const std::string& serverName, const std::string& nodeName,
                       const std::string& command, std::string& result, CurrentPtr current) override;
    Int32 getLogFileList(const std::string& application, const std::string& serverName, const std::string& nodeName,
                         std::vector<std::string>& logFileList, std::string& result, CurrentPtr current) override;
    // 0 with the data; 1 (no data) when cmd is "from OFFSET" and the file is shorter now.
    Int32 getLogData(const std::string& application, const std::string& serverName, const std::string& nodeName,
                     const std::string& logFile, const std::string& cmd, std::string& fileData, std::string& result,
                     CurrentPtr current) override;
    Int32 batchPatch(const adminreg::PatchRequest& req, std::string& result, CurrentPtr current) override;
    Int32 getPatchPercent(const std::string& application, const std::string& serverName, const std::string& nodeName,
                          adminreg::PatchInfo& tPatchInfo, CurrentPtr current) override;
    Int32 addServerPatch(const adminreg::ServerPatchDesc& patch, std::string& result, CurrentPtr current) override;
    Int32 listServerPatches(const std::string& application, const std::string& serverName,
                            std::vector<adminreg::ServerPatchDesc>& patches, std::string& result,
                            CurrentPtr current) override;
    Int32 listNodes(std::vector<adminreg::NodeDesc>& nodes, std::string& result, CurrentPtr current) override;

private:
    // The instance, which must exist (else a NotFound refusal).
    ServerConf existingInstance(const ServerKey& key);
    // The store rows for conf and adapters, checked; throws a refusal naming the problem.
    ServerConf checkedServer(const adminreg::ServerConf& conf, const std::string& user);
    AdapterConf checkedAdapter(const ServerConf& server, const adminreg::AdapterConf& conf, const std::string& user);
    // Two adapters of one instance on one port or servant, or a port another instance
    // of the node listens on: refused.
    void checkAdapterSet(const ServerConf& server, const std::vector<AdapterConf>& adapters);

    AdminRegContext& _context;
};

}  // namespace tars
