// PackageOps: what `tarsadmin deploy|publish|versions|rollback` and the web console
// (tarsweb) share, so that both do the same calls and give the same messages:
//  - a checked deployment (DeployFile's ServerSpec) as the registry's ServerConf and
//    AdapterConfs;
//  - a package uploaded to tarspatch in chunks, recorded as a version
//    (AdminReg.addServerPatch) and installed by the node of each instance
//    (AdminReg.batchPatch, followed with getPatchPercent), all nodes at once or rolling;
//  - the recorded versions with the nodes running each, and the version a rollback picks.
//
// PackageInstaller is owned by one command (or one web request) and used by one thread;
// it only calls the proxies it is given (thread-safe themselves). Nothing here throws for
// a refused or failed remote call: each outcome carries the reason as text.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "AdminReg.h"
#include "DeployFile.h"
#include "Patch.h"

namespace tars::admin {

constexpr const char* kDefaultPatchObj = "tars.tarspatch.PatchObj";
constexpr int kPackageQueryTimeoutMs = 10000;
constexpr int kPackagePollMs = 100;

// One deployed instance of a server.
struct Instance {
    std::string application;
    std::string server;
    std::string node;
};

// How one node took a version.
struct NodeOutcome {
    std::string node;
    bool ok = false;
    std::string text;
};

adminreg::ServerConf serverConf(const ServerSpec& spec, const std::string& node);
std::vector<adminreg::AdapterConf> adapterConfs(const ServerSpec& spec);

// A version id: the UTC time of the publish and the package's MD5 prefix.
std::string packageVersionId(const std::string& md5);
// Where tarspatch keeps a package uploaded as name for app.server (the record's tgz).
std::string packagePath(const std::string& app, const std::string& server, const std::string& name);

// Uploads data to tarspatch as name (chunks of 1 MiB); progress(bytes sent) after each
// chunk. "" when stored, else why not (with the byte it stopped at).
std::string uploadPackage(PatchPrx& patch, const std::string& app, const std::string& server, const std::string& name,
                          std::string_view data, const std::string& md5,
                          const std::function<void(size_t sent)>& progress = {});

// The nodes of APP.SERVER by the version each runs (as the nodes reported it; "" for none).
std::map<std::string, std::vector<std::string>> nodesByVersion(adminreg::AdminRegPrx& registry,
                                                               const std::string& fullName);

// The version a rollback installs: to when given (it must be recorded), else the
// recorded version before the newest one an instance runs now. nullptr and why when none.
const adminreg::ServerPatchDesc* chooseRollback(const std::vector<adminreg::ServerPatchDesc>& recorded,
                                                const std::map<std::string, std::vector<std::string>>& runningNow,
                                                const std::string& to, std::string& why);

// "" when version's package (record.tgz) is still on tarspatch, else why not.
std::string packageStillStored(PatchPrx& patch, const std::string& patchObj, const adminreg::ServerPatchDesc& record);

std::string joinedNames(const std::vector<std::string>& names);

class PackageInstaller {
public:
    // progress: a one-line account while nodes install ("install V: node1 40% ..."), and ""
    // when a step (a rolling node, the whole install) ended; may be empty. waitSeconds: how long one node (rolling) or
    // all of them may take.
    PackageInstaller(adminreg::AdminRegPrx registry, int waitSeconds,
                     std::function<void(const std::string&)> progress = {});

    // Has the node of each target install request's version (batchPatch) and follows it
    // (getPatchPercent) until every node is done or waitSeconds passed. rolling: one node
    // after the other, each (once installed) waiting until its instance is active again in
    // the registry before the next; the first node that fails ends it and the nodes after
    // it are reported as not attempted.
    std::vector<NodeOutcome> install(const std::vector<Instance>& targets, const adminreg::PatchRequest& request,
                                     bool rolling);
    // After a patch: waits until t is active on its node and in the registry with the same
    // pid; "" or why not.
    std::string waitActiveAgain(const Instance& t);

private:
    bool queryState(const Instance& t, adminreg::ServerStateDesc& state, std::string& why);
    std::pair<std::string, int> registryRow(const Instance& t);
    void show(const std::string& text) {
        if (_progress) _progress(text);
    }

    adminreg::AdminRegPrx _registry;
    int _waitSeconds;
    std::function<void(const std::string&)> _progress;
};

}  // namespace tars::admin
