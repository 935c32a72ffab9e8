// RegistryServer: the tarsregistry process. An Application serving
//   <app>.<server>.QueryObj     (QueryF, the locator of every client)
//   <app>.<server>.RegistryObj  (Registry, for tarsnode)
//   <app>.<server>.AdminRegObj  (AdminReg, for tarsadmin; only when the config has an
//                                adapter for it)
// (tars.tarsregistry.QueryObj / RegistryObj / AdminRegObj with app=tars,
// server=tarsregistry), over
// the store chosen in its config file (RegistrySettings). Its own servants are written
// to t_registry_info under the endpoints of their adapter sections, with a host of
// 0.0.0.0, * or localip replaced by the server's localip.
//
// initialize() reads the settings, opens the store and loads the first table; any
// failure there (bad key, unreachable database) stops the process with status 1 and a
// message naming the key or the backend and operation.
//
// Lifetimes: the RegistryService (and the AdminRegContext) are made in initialize() and
// handed by reference to the servants through their factories; nothing else reaches
// them. The servants are destroyed when the server stops (its handles end, before
// destroyApp()), and destroyApp() then stops and destroys the service, so a servant never
// sees a service that is gone.
#pragma once

#include <memory>

#include "AdminRegImp.h"
#include "RegistryService.h"
#include "servant/Application.h"

namespace tars {

class RegistryServer : public Application {
public:
    ~RegistryServer() override = default;

protected:
    void initialize() override;
    void destroyApp() override;
    // The sections of its own (their keys declared in RegistrySettings.cpp).
    std::vector<ConfigKeyRule> configKeyRules() const override;

private:
    std::unique_ptr<RegistryService> _service;
    std::unique_ptr<AdminRegContext> _adminReg;  // shared by the AdminRegImp servants
};

}  // namespace tars
