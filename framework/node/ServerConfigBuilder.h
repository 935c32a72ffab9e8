// ServerConfigBuilder: where a deployed server lives on this host (ServerLayout) and the
// config file tarsnode writes for it, as TARS's node does:
//
//   directory  absolute basePath, else <node datapath>/<App>.<Server>
//   config     <dir>/conf/<App>.<Server>.config.conf
//   exe        absolute exePath, <dir>/bin/<exePath> for a relative one, else <dir>/bin/<Server>
//   generated  /tars/application (enableset, setdivision), /tars/application/server (app,
//              server, localip, nodename, basepath = exe dir, datapath = <dir>/data/,
//              logpath, local, node, keepaliveinterval), one section per adapter and
//              /tars/application/client (locator, asyncthread)
//   profile    the descriptor's profile (the registry already merged the template chain)
//              with ${macros} replaced and "\s" turned into a space, merged on top: the
//              profile's keys win.
//
// An adapter endpoint whose host is localip (or ${localip}) gets the node's IP.
// Pure functions of their arguments (no files are touched) except existingAdminPort and
// findFreeLocalPort; every method may be called from any thread.
// Errors: build() throws Node_Exception naming the server and the adapter or profile
// that cannot be used.
#pragma once

#include <map>
#include <string>

#include "NodeContext.h"
#include "RegistryDescriptor.h"

namespace tars {

struct ServerLayout {
    std::string id;          // App.Server
    std::string dir;         // the server's directory (no trailing '/')
    std::string configFile;  // <dir>/conf/<App>.<Server>.config.conf
    std::string exe;
    std::string exeDir;      // ends with '/': the executable's directory (LD_LIBRARY_PATH)
    std::string binDir;      // <dir>/bin/: the working directory and the basepath, even when
                             // the executable lives elsewhere (files the server fetches with
                             // addConfig belong to this instance, not beside a shared program)
    std::string dataDir;     // <dir>/data/
    std::string logDir;      // <logpath><App>/<Server>/
    std::string outputFile;  // stdout and stderr of the process: <logDir><App>.<Server>.stdout.log
    std::string pidFile;     // <dir>/<App>.<Server>.pid
};

class ServerConfigBuilder {
public:
    explicit ServerConfigBuilder(NodeContext node) : _node(std::move(node)) {}

    ServerLayout layout(const ServerDescriptor& server) const;

    // The config text; adminPort is the port of `local` (tcp -h 127.0.0.1 -p <port> -t 10000).
    std::string build(const ServerDescriptor& server, const ServerLayout& layout, int adminPort) const;

    // The macro values of one server (${app} ... ${setdivision}), keyed by macro name.
    std::map<std::string, std::string> macros(const ServerDescriptor& server, const ServerLayout& layout,
                                              const std::string& local) const;
    static std::string replaceMacros(std::string text, const std::map<std::string, std::string>& macros);

    // The port of /tars/application/server<local> in configText; 0 if none or unreadable.
    static int existingAdminPort(const std::string& configText);
    // A port of [first, last] on 127.0.0.1 that nothing is bound to now (found by binding
    // it); throws Node_Exception when none is found after a bounded number of tries.
    static int findFreeLocalPort(int first = 30000, int last = 44999);

    const NodeContext& node() const { return _node; }

private:
    NodeContext _node;
};

}  // namespace tars
