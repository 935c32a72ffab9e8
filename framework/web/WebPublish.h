// WebPublish: the console's deploy form, package publish, versions and rollback, the same
// calls and messages as `tarsadmin deploy|publish|versions|rollback` (the shared code is
// framework/admin/PackageOps.h and DeployFile.h). WebConsole checks the session and the
// CSRF token before any of these is called; the package upload is the one request whose
// body is not JSON (application/octet-stream or application/gzip), at most
// /tars/web<maxupload> bytes (413 above).
//
//   POST /api/deploy                         {"deploy": {key: value}, "adapters": [{key: value}]}
//   POST /api/servers/APP.SERVER/publish?comment=TEXT&rolling=1   the .tgz as the body
//   GET  /api/servers/APP.SERVER/versions    recorded versions, nodes per version, the upload cap
//   POST /api/servers/APP.SERVER/rollback    {"to": VERSION, "rolling": false}
//
// One per WebConsole, shared by its handle threads: every call only reads the members set
// at construction (proxies are thread-safe). A publish or rollback holds its handle thread
// until the nodes are done (at most /tars/web<publishwait> seconds per step).
#pragma once

#include <string>

#include "AdminReg.h"
#include "Patch.h"
#include "WebSettings.h"
#include "servant/Communicator.h"
#include "servant/HttpProtocol.h"

namespace tars::web {

class WebPublish {
public:
    WebPublish(const WebSettings& settings, CommunicatorPtr communicator);

    // The one request that may carry a non-JSON body.
    static bool isPackageUpload(const std::string& method, const std::string& path);

    HttpResponse deploy(const std::string& body, const std::string& user);
    // verb: publish, versions or rollback.
    HttpResponse serverApi(const std::string& app, const std::string& server, const std::string& verb,
                           const HttpRequest& request, const std::string& user);

private:
    HttpResponse publish(const std::string& app, const std::string& server, const HttpRequest& request,
                         const std::string& user);
    HttpResponse versions(const std::string& app, const std::string& server);
    HttpResponse rollback(const std::string& app, const std::string& server, const std::string& body,
                          const std::string& user);

    PatchPrx patchProxy();  // throws when the name cannot be resolved

    const WebSettings& _settings;
    CommunicatorPtr _communicator;
    adminreg::AdminRegPrx _query;
    adminreg::AdminRegPrx _command;
};

}  // namespace tars::web
