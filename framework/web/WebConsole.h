// WebConsole: what tarsweb answers on its HTTP servant. The console's page (static files
// from the assets folder) and the JSON API under /api/, backed by the registry's
// AdminRegObj (server list, instance states, start/stop/restart/undeploy, admin commands)
// and RegistryObj (an instance's adapters and endpoints), and the notify service (events).
//
// Security: every /api/ call but POST /api/login needs a session (the HttpOnly,
// SameSite=Strict cookie `tarsweb_session`); every request that is not GET or HEAD also
// needs the session's CSRF token in `X-CSRF-Token` and a JSON body (Content-Type
// application/json). Passwords are checked against the password file (PasswordHash.h):
// a local file named in the config, or tars.tarsweb's config file `tarsweb.passwd` kept by
// the registry. Failed logins are throttled per client address and user (LoginThrottle):
// a refused try is answered 429 at once, never by sleeping. Secrets (passwords, tokens)
// never reach the log.
//
// One WebConsole per process, shared by the servant's handle threads: handle() is
// thread-safe. A registry that cannot be reached or refuses gives a JSON error with its
// message; nothing here throws out of handle().
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "AdminReg.h"
#include "Registry.h"
#include "WebPublish.h"
#include "WebSessions.h"
#include "WebSettings.h"
#include "servant/Communicator.h"
#include "servant/HttpProtocol.h"

namespace tars::web {

struct WebRequest {
    HttpRequest http;
    std::string clientIp;
    bool tls = false;
};

class WebConsole {
public:
    // communicator: the server's own (its locator resolves the registry's objects).
    WebConsole(WebSettings settings, CommunicatorPtr communicator);

    HttpResponse handle(const WebRequest& request);

    const WebSettings& settings() const { return _settings; }

private:
    HttpResponse staticFile(const std::string& path);
    HttpResponse api(const WebRequest& request, const std::string& path);
    HttpResponse login(const WebRequest& request);
    // The stored hash of user ("" when none); error set when the password file cannot be read.
    std::string storedHash(const std::string& user, std::string& error);

    // getAllServerIds' rows (each of its 7 columns), or the answer when the registry failed.
    struct ServerIds {
        std::vector<std::vector<std::string>> rows;
        std::optional<HttpResponse> failure;
    };
    ServerIds allServerIds();
    HttpResponse listServers();
    HttpResponse serverInstances(const std::string& app, const std::string& server);
    // Config files of APP.SERVER (its own, its hosts', its application's): list, read, store.
    HttpResponse listConfigs(const std::string& app, const std::string& server);
    HttpResponse readConfig(const std::string& app, const std::string& server, const std::string& query);
    HttpResponse storeConfig(const std::string& app, const std::string& server, const std::string& body,
                             const std::string& user);
    // The server's latest events from the notify service, newest first.
    HttpResponse serverEvents(const std::string& app, const std::string& server);
    HttpResponse serverCommand(const std::string& app, const std::string& server, const std::string& verb,
                               const std::string& body, const std::string& user);

    // ---- observation (WebObserve.cpp): read-only, GET
    // verb stat | properties (?hours=1|6|24), logs (?node=), log (?node=&file=&lines=|&from=).
    HttpResponse observe(const std::string& app, const std::string& server, const std::string& verb,
                         const std::string& query);
    HttpResponse serverStat(const std::string& app, const std::string& server, int hours);
    HttpResponse serverProperties(const std::string& app, const std::string& server, int hours);
    HttpResponse logFiles(const std::string& app, const std::string& server, const std::string& node);
    // The last lines of file (from unset), or what was appended since byte offset from.
    HttpResponse logTail(const std::string& app, const std::string& server, const std::string& node,
                         const std::string& file, int lines, std::optional<int64_t> from);
    HttpResponse listNodes();

    WebSettings _settings;
    CommunicatorPtr _communicator;
    adminreg::AdminRegPrx _query;    // short calls (listing, states, admin commands)
    adminreg::AdminRegPrx _command;  // start/stop/restart/undeploy: the node may take long
    RegistryPrx _registry;           // adapters of an instance
    SessionTable _sessions;
    LoginThrottle _throttle;
    // Deploy form, publish, versions, rollback (WebPublish.h).
    std::unique_ptr<WebPublish> _publish;
};

// JSON helpers shared with the tests: an error reply {"error": message} with status.
HttpResponse jsonReply(int status, const std::string& body);
HttpResponse jsonError(int status, const std::string& message);

}  // namespace tars::web
