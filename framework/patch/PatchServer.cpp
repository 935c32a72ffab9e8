// tarspatch: the package store. An Application serving <app>.<server>.PatchObj
// (tars.tarspatch.PatchObj; interface Patch) over the folder of its /tars/patch section
// (PatchService). README.md lists the keys.
//
// Uploads replace what nodes install, and packages may hold config files, so PatchObj is a
// control object: bound beyond loopback its adapter must authenticate its peers (mutual
// TLS with allowsubjects, or -e 1), or the server refuses to start. A bad key stops the
// process with status 1 and a message naming it.
#include <algorithm>
#include <memory>

#include "PatchImp.h"
#include "PatchService.h"
#include "servant/Application.h"
#include "util/tc_timer.h"

namespace tars {

class PatchServer : public Application {
protected:
    void initialize() override {
        const std::string patchObj = ServerConfig::Application + "." + ServerConfig::ServerName + ".PatchObj";
        PatchSettings settings = PatchSettings::fromConfig(getConfig(), ServerConfig::DataPath);
        _service = std::make_shared<PatchService>(settings);
        auto service = _service;
        addServantFactory(patchObj,
                          [service] { return std::static_pointer_cast<Servant>(std::make_shared<PatchImp>(service)); });
        requireTrustedPeers(patchObj);
        addAdminCommandNormal("patch.status", [service](const std::string&, const std::string&, std::string& result) {
            result = service->status();
            return true;
        });
        // A vanished uploader's slot and partial file go within a quarter of uploadtimeout
        // (at least 250 ms, at most 30 s) after its timeout, even when nobody uploads.
        const int64_t sweepMs = std::clamp<int64_t>(settings.uploadTimeoutSeconds * 250LL, 250, 30000);
        _timer = std::make_unique<TC_Timer>();
        _timer->postRepeated(sweepMs, false, [service] { service->expireIdleUploads(); });
        TLOGINFO("patch: serving " << patchObj << " from " << settings.root << ", uploads up to "
                                   << settings.maxUploadBytes << " bytes" << std::endl);
    }

    void destroyApp() override {
        _timer.reset();  // joins its thread
        _service.reset();
    }

    std::vector<ConfigKeyRule> configKeyRules() const override { return configKeyRulesOf(patchSettingsKeys()); }

private:
    std::shared_ptr<PatchService> _service;
    std::unique_ptr<TC_Timer> _timer;  // the sweep of idle uploads; made in initialize()
};

}  // namespace tars

namespace {
tars::PatchServer g_app;
}

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
