// The keys a server's config file may hold, section by section, for the check at start
// (Application::checkConfigKeys): declared ones (ServerConfig.cpp, Communicator::keys())
// and the TARS keys other components read that this runtime accepts and ignores.
#include "servant/Communicator.h"
#include "servant/ServerConfig.h"

namespace tars {

namespace {

// TarsCpp client keys read elsewhere or not read at all, found in TARS's templates.
const std::set<std::string> kToleratedClientKeys = {"sample-rate",       "max-sample-count", "asyncqueuecap",
                                                    "sendqueuelimit",    "enableset",        "setdivision",
                                                    "timeout-queue-size"};

// A per-object section (/tars/application/client/<App.Server.Obj>): TARS's authentication
// and TLS keys of one target.
const std::set<std::string> kObjectClientKeys = {"accesskey", "secretkey",    "ca",     "cert",
                                                 "key",       "verifyclient", "ciphers"};

}  // namespace

std::vector<ConfigKeyRule> serverConfigKeyRules() {
    ConfigKeyRule server{"/tars/application/server", toleratedConfigKeys("server")};
    ConfigKeyRule adapter{"/tars/application/server/*", toleratedConfigKeys("adapter")};
    for (const ConfigKeyInfo& key : serverConfigKeys()) {
        (std::string_view(key.scope) == "server" ? server : adapter).keys.insert(key.name);
    }
    ConfigKeyRule client{"/tars/application/client", kToleratedClientKeys};
    for (const auto& key : Communicator::keys()) client.keys.insert(key.key);
    ConfigKeyRule object{"/tars/application/client/*", kObjectClientKeys};
    return {server, adapter, client, object};
}

}  // namespace tars
