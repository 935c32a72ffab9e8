// EndpointCache: the endpoints a client resolved through the registry, kept in a file so
// that a process starting while the registry cannot be reached still finds its servers.
//
// The file is TarsCpp's `<datapath>/<ServerName>.tarsdat` (its AppCache), a TC_Config:
//   <cache>
//     tarsversion=<version that wrote it>
//     modify=2026-01-31 12:00:00
//     <tars.tarsregistry.QueryObj@tcp -h 10.0.0.1 -p 17890>     (the locator string,
//       App.Server.Obj=tcp -h 10.0.0.5 -p 20001 -t 3000:tcp ...   "_<set division>" added
//       inactive_App.Server.Obj=...                                when set routing is on)
//     </tars.tarsregistry.QueryObj@tcp -h 10.0.0.1 -p 17890>
//   </cache>
// A file without tarsversion is ignored, as TarsCpp does. It is read once, at the first
// lookup; every change is written at once, atomically (a temporary file renamed over it).
// Errors: a file that cannot be read or parsed is logged (naming it and the reason) and
// treated as empty, then replaced at the next write; a failed write is logged. Nothing
// throws to the caller. A locator or object name containing '/' (a unix socket locator)
// cannot be a TC_Config section name: its entries are neither read nor written (logged
// once). The write happens on the network thread that got the registry's answer.
// Ownership: the Communicator owns it. Thread-safety: every method takes its lock (the
// network threads share it).
#pragma once

#include <mutex>
#include <set>
#include <string>

#include "util/tc_config.h"

namespace tars {

class EndpointCache {
public:
    explicit EndpointCache(std::string path) : _path(std::move(path)) {}

    const std::string& path() const { return _path; }

    // The value of key in section domain ("" when missing).
    std::string get(const std::string& domain, const std::string& key);
    // Sets key=value in section domain and writes the file, unless nothing changed.
    void set(const std::string& domain, const std::string& key, const std::string& value);
    // True the first time it is asked about `notice`: each network thread has its own view
    // of an object, and this lets one of them (whichever comes first) log it once.
    bool firstNotice(const std::string& notice);

private:
    void loadLocked();
    // Whether domain and key can be a TC_Config path (no '/'); logs once when not.
    bool storableLocked(const std::string& domain, const std::string& key);

    std::mutex _mutex;
    const std::string _path;
    bool _loaded = false;
    TC_Config _config;
    std::set<std::string> _notices;
};

}  // namespace tars
