// Servant: the base of every service object. tars2cpp generates, for each interface, a class
// deriving from Servant whose onDispatch() decodes the arguments (TARS, TUP or JSON, after
// the request's version), calls the user's pure virtual method and encodes its result; the
// user derives from that class and implements the methods.
//
// Ownership and threads: Application::addServant<T>() makes one instance per handle thread
// (per network thread in merge mode); an instance only ever runs on its thread, so its
// members need no locking. initialize() runs on that thread before the first request,
// destroy() after the last one.
// Errors: an exception escaping onDispatch is answered -99 (TarsDecodeException: -1) with
// sResultDesc = what(); onDispatch returning TARSSERVERNOFUNCERR is answered -3.
// Non-TARS protocols: doRequest() gets each packet (as the adapter's parser cut it) and
// fills response (sent in request order on the connection, nothing if empty); doClose()
// hears that a connection closed. Push: keep the Current and call sendResponse(data, len)
// from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "BaseF.h"
#include "servant/Current.h"
#include "servant/NotifyObserver.h"

namespace tars {

class ServantHandle;

class Servant {
public:
    Servant() = default;
    virtual ~Servant() = default;
    Servant(const Servant&) = delete;
    Servant& operator=(const Servant&) = delete;

    virtual void initialize() {}
    virtual void destroy() {}

    // TARS protocols (TARS, TUP, JSON). Returns the framework code of the reply: 0 after
    // filling response with the encoded result, TARSSERVERNOFUNCERR for an unknown function.
    virtual int onDispatch(CurrentPtr current, std::vector<char>& response);

    // Other protocols. The return value is informative (logged when non-zero).
    virtual int doRequest(CurrentPtr current, std::vector<char>& response);
    virtual void doClose(CurrentPtr current);

    // The servant object name (App.Server.Obj) and the handle running this instance.
    const std::string& getName() const { return _name; }
    ServantHandle* getHandle() const { return _handle; }

    // Admin commands of this instance (see NotifyObserver); call from initialize().
    void addAdminCommandNormal(const std::string& command, AdminCommandHandler handler);
    void addAdminCommandPrefix(const std::string& command, AdminCommandHandler handler);

    // Set by the framework before initialize().
    void setName(const std::string& name) { _name = name; }
    void setHandle(ServantHandle* handle) { _handle = handle; }

private:
    std::string _name;
    ServantHandle* _handle = nullptr;
};

using ServantPtr = std::shared_ptr<Servant>;

}  // namespace tars

// Register memberFn (a member of the class whose initialize() runs this) as the handler of
// an admin command: bool memberFn(const std::string& command, const std::string& params,
// std::string& result). Usable in Application::initialize() and Servant::initialize().
#define TARS_ADD_ADMIN_CMD_NORMAL(cmd, memberFn)                                                                   \
    this->addAdminCommandNormal(                                                                                   \
        (cmd), [this](const std::string& tarsCommand_, const std::string& tarsParams_, std::string& tarsResult_) { \
            return this->memberFn(tarsCommand_, tarsParams_, tarsResult_);                                         \
        })
#define TARS_ADD_ADMIN_CMD_PREFIX(cmd, memberFn)                                                                   \
    this->addAdminCommandPrefix(                                                                                   \
        (cmd), [this](const std::string& tarsCommand_, const std::string& tarsParams_, std::string& tarsResult_) { \
            return this->memberFn(tarsCommand_, tarsParams_, tarsResult_);                                         \
        })
