#include "WebSettings.h"

#include "servant/HttpProtocol.h"
#include "util/tc_config_keys.h"
#include "util/tc_ex.h"
#include "util/tc_file.h"

namespace tars::web {

namespace {

std::string value(const TC_Config& config, const char* name) {
    return declaredValue(config, webSettingsKeys(), "/tars/web", name);
}

long long number(const TC_Config& config, const char* name, long long min, long long max) {
    return declaredNumber(config, webSettingsKeys(), "/tars/web", name, min, max);
}

}  // namespace

const std::vector<WebSettingsKey>& webSettingsKeys() {
    static const std::vector<WebSettingsKey> keys = {
        {"/tars/web", "assets", "",
         "The console's page folder; default: ../share/tars/web beside the program, else ./assets beside it."},
        {"/tars/web", "passwordfile", "",
         "A local password file (user:hash lines, written by tarsadmin web-password --file); default: the config "
         "file tarsweb.passwd of tars.tarsweb kept by the registry."},
        {"/tars/web", "adminregobj", "tars.tarsregistry.AdminRegObj", "The registry's AdminRegObj."},
        {"/tars/web", "registryobj", "tars.tarsregistry.RegistryObj",
         "The registry's RegistryObj (an instance's adapters and endpoints)."},
        {"/tars/web", "notifyobj", "tars.tarsnotify.NotifyObj", "The notify service (a server's events)."},
        {"/tars/web", "sessionidle", "1800", "Seconds a session may stay unused before it ends."},
        {"/tars/web", "sessionlifetime", "43200", "Seconds a session lives at most."},
        {"/tars/web", "querytimeout", "10000", "Milliseconds of a listing call to the registry."},
        {"/tars/web", "commandtimeout", "150000",
         "Milliseconds of a start, stop, restart or undeploy (the node may wait for the server)."},
        {"/tars/web", "plainhttp", "0",
         "1: allow a plain http endpoint beyond loopback (behind a TLS proxy); 0: such an endpoint stops the start."},
        {"/tars/web", "maxupload", "8388608",
         "Bytes of the largest package the console's publish accepts (413 above); at most 16777216, the HTTP "
         "servant's body limit."},
        {"/tars/web", "patchobj", "tars.tarspatch.PatchObj", "tarspatch, where published packages are uploaded."},
        {"/tars/web", "publishwait", "60",
         "Seconds the nodes may take to install a published or rolled back version (rolling: per node)."},
    };
    return keys;
}

WebSettings WebSettings::fromConfig(const TC_Config& config, const std::string& exeDir) {
    WebSettings s;
    s.assets = value(config, "assets");
    if (s.assets.empty()) {
        const std::string installed = exeDir + "/../share/tars/web";
        s.assets = TC_File::isFileExist(installed + "/index.html") ? installed : exeDir + "/assets";
    }
    if (!TC_File::isFileExist(s.assets + "/index.html")) {
        throw TC_Exception("/tars/web<assets>: no index.html in " + s.assets);
    }
    s.passwordFile = value(config, "passwordfile");
    s.adminRegObj = value(config, "adminregobj");
    s.registryObj = value(config, "registryobj");
    s.notifyObj = value(config, "notifyobj");
    s.sessionIdleMs = number(config, "sessionidle", 10, 7 * 86400) * 1000;
    s.sessionLifetimeMs = number(config, "sessionlifetime", 10, 30 * 86400) * 1000;
    s.queryTimeoutMs = static_cast<int>(number(config, "querytimeout", 100, 600000));
    s.commandTimeoutMs = static_cast<int>(number(config, "commandtimeout", 100, 3600000));
    s.plainHttp = number(config, "plainhttp", 0, 1) == 1;
    s.maxUpload =
        static_cast<size_t>(number(config, "maxupload", 1024, static_cast<long long>(HttpProtocol::kMaxBodySize)));
    s.patchObj = value(config, "patchobj");
    s.publishWaitSeconds = static_cast<int>(number(config, "publishwait", 1, 3600));
    return s;
}

}  // namespace tars::web
