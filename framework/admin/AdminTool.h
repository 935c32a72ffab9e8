// AdminTool: the `tarsadmin` command line, a client of the registry's AdminRegObj.
//
//   tarsadmin [--registry=OBJ] [--locator=OBJ] [--timeout=MS] [--wait=S|--no-wait] COMMAND ARGS
//
// Commands: deploy, publish, versions, rollback, list, nodes, status, start, stop, restart, load, undeploy, notify,
// config put|list|get|delete, help (usage() has the details, framework/admin/README.md
// the manual). deploy, start and restart wait (--wait) until the started instance's first
// heartbeat reached the registry, and fail when its process exits first.
// run() returns the exit status: 0 success, 1 the registry or a node refused or could
// not be reached (the message on the error stream has the code and the text), 2 a usage
// error or an invalid file (nothing was sent).
//
// One AdminTool runs one command line. It owns its Communicator (made on the first
// remote call). Not thread-safe; output goes to the streams given.
#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "AdminReg.h"
#include "PackageOps.h"
#include "Patch.h"
#include "servant/Communicator.h"

namespace tars::admin {

class AdminTool {
public:
    static constexpr const char* kAdminRegObj = "tars.tarsregistry.AdminRegObj";
    static constexpr const char* kDefaultLocator = "tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p 17890";
    static constexpr int kQueryTimeoutMs = 10000;
    // deploy, start, stop, restart, load, undeploy: the registry waits for the node,
    // which may wait for a server to stop (restart: to stop and to start).
    static constexpr int kCommandTimeoutMs = 150000;
    static constexpr int kDefaultWaitSeconds = 60;
    static constexpr int kWaitPollMs = 100;

    AdminTool(std::ostream& out, std::ostream& err);
    ~AdminTool();
    AdminTool(const AdminTool&) = delete;
    AdminTool& operator=(const AdminTool&) = delete;

    int run(const std::vector<std::string>& args);

    static std::string usage();

    using Instance = admin::Instance;
    using NodeOutcome = admin::NodeOutcome;

private:
    int deploy(const std::vector<std::string>& args);
    int list(const std::vector<std::string>& args);
    int nodes(const std::vector<std::string>& args);
    int status(const std::vector<std::string>& args);
    int command(const std::string& name, const std::vector<std::string>& args);
    int undeploy(const std::vector<std::string>& args);
    int notify(const std::vector<std::string>& args);
    // notify --endpoint: AdminF.notify on AdminObj@endpoint, no registry involved.
    int notifyEndpoint(const std::string& endpoint, const std::string& commandText);
    int config(const std::vector<std::string>& args);
    // config list|get|delete (args[0] is the verb).
    int configFile(const std::vector<std::string>& args);
    // Versions (AdminPublish.cpp). publish APP.SERVER FILE.tgz: upload to tarspatch, record
    // the version in the registry, each node installs it; versions: the recorded versions
    // and which node runs which; rollback: a recorded version installed again.
    int publish(const std::vector<std::string>& args);
    int versions(const std::vector<std::string>& args);
    int rollback(const std::vector<std::string>& args);

    // PackageInstaller::install (PackageOps.h) with _waitSeconds and a progress line on
    // _err unless quiet.
    std::vector<NodeOutcome> install(const std::vector<Instance>& targets, const adminreg::PatchRequest& request,
                                     bool rolling, bool quiet);
    // APP.SERVER's instances on nodes (every node of it when nodes is empty).
    std::vector<Instance> targetsOf(const std::string& fullName, const std::vector<std::string>& nodes);
    // The tarspatch proxy of --patch, with timeoutMs unless --timeout was given; a bad
    // object name is a UsageError naming it.
    tars::PatchPrx patchProxy(const std::string& patchObj, int timeoutMs);

    // Observability (AdminObserve.cpp): the log files of an instance through its node,
    // its events from the notify service, call statistics and properties from the query
    // services.
    int log(const std::vector<std::string>& args);
    // log --follow of one file of t's log directory, until Ctrl-C.
    int followLog(const Instance& t, const std::string& file, int lines);
    int events(const std::vector<std::string>& args);
    int stat(const std::vector<std::string>& args);
    int property(const std::vector<std::string>& args);
    // web-password (AdminWebPassword.cpp): the web console's password of a user, hashed.
    int webPassword(const std::vector<std::string>& args);

    // The communicator, made on first use: the TLS options and the locator.
    Communicator& communicator();
    // The proxy, made on first use with the command's timeout.
    adminreg::AdminRegPrx& registry(int timeoutMs);
    // APP.SERVER [NODE]: the instances meant (every node of it without NODE).
    std::vector<Instance> instances(const std::string& fullName, const std::string& node);
    // A failed call: the message, and the status 1.
    int failed(const std::string& what, int code, const std::string& text);
    // getServerState; false (why says so) when the call or the registry failed.
    bool queryState(const Instance& t, adminreg::ServerStateDesc& state, std::string& why);
    // The node's start sequence number of the instance now (0 when unknown).
    int64_t startSeq(const Instance& t);
    // After a start: waits (_waitSeconds) until a process started after start number
    // `baseline` is active on the node and in the registry (0), or exited or never
    // reported (1, with the exit, the last log lines and where the log is on stderr).
    // sentMs: when the command was sent (steady clock), for the time the output shows.
    int waitStarted(const Instance& t, int64_t baseline, const std::string& what, int64_t sentMs);
    // The registry's stored present state and pid of the instance ("" when not listed).
    std::pair<std::string, int> registryRow(const Instance& t);

    std::ostream& _out;
    std::ostream& _err;
    std::string _registryObj;
    std::string _locator = kDefaultLocator;
    int _timeoutMs = 0;                       // 0: the command's default
    int _waitSeconds = kDefaultWaitSeconds;   // 0: --no-wait
    std::map<std::string, std::string> _tls;  // --ca, --cert, --key: client TLS keys
    std::unique_ptr<Communicator> _communicator;
    adminreg::AdminRegPrx _registry;
    bool _terminal = false;  // _err is a terminal: progress lines are rewritten in place
};

}  // namespace tars::admin
