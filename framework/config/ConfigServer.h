// ConfigServer: the tarsconfig process. An Application serving <app>.<server>.ConfigObj
// (tars.tarsconfig.ConfigObj with app=tars, server=tarsconfig; interface Config) over the
// store of its /tars/db section (ConfigSettings), the same section and keys the registry
// reads, so on one machine both open the same SQLite file (or MySQL database).
//
// initialize() reads the settings and opens the store (creating missing tables unless
// createschema=N); a bad key or an unreachable database stops the process with status 1
// and a message naming the key or the backend and operation. The store lives in a
// ConfigService shared by the servants until the last of them is gone.
#pragma once

#include <memory>

#include "ConfigService.h"
#include "servant/Application.h"

namespace tars {

class ConfigServer : public Application {
public:
    ~ConfigServer() override = default;

protected:
    void initialize() override;
    void destroyApp() override;
    // The sections of its own (their keys declared in ConfigSettings.cpp).
    std::vector<ConfigKeyRule> configKeyRules() const override;

private:
    std::shared_ptr<ConfigService> _service;
};

}  // namespace tars
