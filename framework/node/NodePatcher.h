// NodePatcher: NodeObj's patchPro and getPatchPercent. A patch installs a published version
// of a server (a package made by tars_package(), stored by tarspatch) on this node:
//
//   1. download   the file from tarspatch in chunks (downloadChunk) into
//                 <server dir>/versions/.<version>.tgz.part; a download cut off resumes from
//                 the bytes already there at the next patch of the same version (a write the
//                 disk refused, full, deletes the file instead)
//   2. verify     the MD5 of the whole file against the request's (a mismatch drops the file)
//   3. unpack     with TC_Archive into <server dir>/versions/.<version>.new/ (all or
//                 nothing), renamed to versions/<version>/ once step 4 passed
//   4. check      <version>/<Server>/<executable> is a regular, executable file
//   5. stop       the server (its normal stop path)
//   6. switch     <server dir>/bin becomes a symbolic link to versions/<version>/<Server>
//                 (a new link renamed over the old one: atomic)
//   7. start      the server, report the version to the registry (updatePatchResult), and
//                 delete the oldest versions beyond keepVersions (never the running one)
//
// Step 3 also records the package's MD5 in <version>/.tars-package-md5. A version already
// unpacked (a rollback) skips 1-3 when that record matches the request's MD5; a kept
// folder of another package under that name (or without a record) stays in place while
// the version is downloaded again, and the new folder replaces it only when whole (after
// step 5 when it is the running one; the kept folder waits in .<version>.replaced until
// the switch succeeded, and comes back if anything fails). A node that dies during a patch
// can leave .<version>.new, TC_Archive's .<name>.unpacking.* or .<version>.replaced
// folders: recoverVersions, run when the node starts and before each patch, deletes the
// first two and puts the third back when its version folder is missing (else deletes it).
// Any failure before the switch leaves
// the running version running and nothing half-unpacked; the result names the node, the
// server, the version and the cause. Only servers whose executable lives in their bin
// folder (a deployment without an absolute executable path) can be patched.
//
// One patch per server at a time, each on a thread of its own; patch() answers at once,
// getPatchPercent reports progress and, once done, the result (bSucc). Thread-safe.
// stop() (or the destructor) asks running patches to give up between chunks and joins them.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "NodeDescriptor.h"
#include "Registry.h"
#include "ServerConfigBuilder.h"
#include "servant/Communicator.h"

namespace tars {

class NodePatcher {
public:
    struct Hooks {
        // The layout of a server this node runs; false with why otherwise.
        std::function<bool(const std::string& app, const std::string& server, ServerLayout& layout, std::string& why)>
            layout;
        std::function<int(const std::string& app, const std::string& server, std::string& result)> stop;
        std::function<int(const std::string& app, const std::string& server, std::string& result)> start;
        // Reports the installed version to the registry; false when it could not.
        std::function<bool(const PatchResult& result)> report;
    };

    NodePatcher(std::string nodeName, std::string defaultPatchObj, int keepVersions, CommunicatorPtr communicator,
                Hooks hooks);
    ~NodePatcher();
    NodePatcher(const NodePatcher&) = delete;
    NodePatcher& operator=(const NodePatcher&) = delete;

    // 0: the patch started (result says so); -1: refused at once (result says why).
    int patch(const PatchRequest& request, std::string& result);
    // 0 with the state of the server's last patch; -1 when it was never patched here.
    int percent(const std::string& app, const std::string& server, PatchInfo& info) const;
    void stop();

    // Puts right what a patch interrupted by the node's death left in <serverDir>/versions
    // (see above); one line per folder it dealt with, for the log.
    static std::vector<std::string> recoverVersions(const std::string& serverDir);
    static constexpr const char* kNewSuffix = ".new";
    static constexpr const char* kReplacedSuffix = ".replaced";

private:
    struct Job {
        PatchInfo info;
        std::thread thread;
    };
    void run(const std::string& key, PatchRequest request, ServerLayout layout);
    void progress(const std::string& key, int percent, const std::string& text);
    void finish(const std::string& key, bool ok, const std::string& text);

    std::string _nodeName;
    std::string _defaultPatchObj;
    int _keepVersions;
    CommunicatorPtr _communicator;
    Hooks _hooks;
    std::atomic<bool> _stopping{false};
    mutable std::mutex _mutex;
    std::map<std::string, Job> _jobs;  // by <App>.<Server>
};

}  // namespace tars
