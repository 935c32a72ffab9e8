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
// message naming the key or the backend and operation. registryService() is valid from
// initialize() until destroyApp() returns; servants use it from their threads.
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

private:
    std::unique_ptr<RegistryService> _service;
    std::unique_ptr<AdminRegContext> _adminReg;  // shared by the AdminRegImp servants
};

// The running registry's state (see above).
RegistryService& registryService();

}  // namespace tars
