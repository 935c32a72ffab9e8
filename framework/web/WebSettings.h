// WebSettings: tarsweb's keys (/tars/web), each declared once with its default and
// description (webSettingsKeys(), which also checks the config file for unknown keys).
// A plain value, read once at start; fromConfig throws TC_Exception naming a bad key.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/tc_config.h"

namespace tars::web {

struct WebSettingsKey {
    std::string section;
    std::string name;
    std::string defaultValue;
    std::string description;
};

const std::vector<WebSettingsKey>& webSettingsKeys();

struct WebSettings {
    std::string assets;        // the page's folder (resolved: never empty after fromConfig)
    std::string passwordFile;  // "" = the registry's tars.tarsweb config file tarsweb.passwd
    std::string adminRegObj = "tars.tarsregistry.AdminRegObj";
    std::string registryObj = "tars.tarsregistry.RegistryObj";
    std::string notifyObj = "tars.tarsnotify.NotifyObj";
    int64_t sessionIdleMs = 30 * 60 * 1000;
    int64_t sessionLifetimeMs = 12 * 3600 * 1000;
    int queryTimeoutMs = 10000;
    int commandTimeoutMs = 150000;
    bool plainHttp = false;  // plain http beyond loopback allowed (behind a TLS proxy)
    // Publish (WebPublish.h): the package upload's cap, tarspatch, how long nodes may take.
    size_t maxUpload = 8 * 1024 * 1024;
    std::string patchObj = "tars.tarspatch.PatchObj";
    int publishWaitSeconds = 60;

    // exeDir: the folder of the running program (the default assets are looked for
    // beside it: ../share/tars/web, then ./assets).
    static WebSettings fromConfig(const TC_Config& config, const std::string& exeDir);
};

}  // namespace tars::web
