// RemoteConfig: the config files a server fetches from the config service (Config on the
// servant named by /tars/application/server<config>) into its basepath, for
// Application::addConfig / addAppConfig at start-up and the admin command
// `tars.loadconfig <file>` at run time.
//
// A fetch is loadConfigByInfo(ConfigInfo{app, server (empty for an application file),
// file, bAppOnly, host = nodename, setdivision when /tars/application<enableset> is y}),
// tried twice when the call itself fails (connect error, timeout); an answer < 0 from the
// service (no such file ...) is final. The content is written to basepath/<file>
// atomically (a temporary file renamed over it); when a different older content was
// there, it is kept as <file>.1.bak, the earlier ones shift to .2.bak ... .5.bak and the
// oldest is dropped. Fetching the same content again rewrites nothing.
//
// Errors: file names must be plain names (not empty, no '/', not "." or ".."). add()
// (start-up) keeps a local copy, with a warning in the log, when the fetch fails, and
// throws RemoteConfig_Exception naming the file, the servant and the error when there is
// no local copy either; with no config servant configured the local file must exist.
// reload() (run time) throws when the fetch fails, saying that the local copy is kept;
// with no config servant it succeeds when the local file exists (nothing to fetch).
//
// Ownership: owned by the Application; uses its communicator, so it must not be used
// after the communicator is terminated. Threads: add() and reload() may be called from
// any thread; they are serialised.
#pragma once

#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "servant/Communicator.h"
#include "util/tc_ex.h"

namespace tars {

struct RemoteConfig_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

class ConfigProxy;

class RemoteConfig {
public:
    static constexpr int kMaxBackups = 5;

    struct Options {
        std::string configObj;    // "" = no config servant: local files only
        std::string application;  // ConfigInfo.appname
        std::string serverName;   // ConfigInfo.servername (for server files)
        std::string basePath;     // where files are written
        std::string host;         // ConfigInfo.host: the node name
        std::string setDivision;  // ConfigInfo.setdivision ("" = none)
    };

    RemoteConfig(CommunicatorPtr communicator, Options options);
    ~RemoteConfig();
    RemoteConfig(const RemoteConfig&) = delete;
    RemoteConfig& operator=(const RemoteConfig&) = delete;

    // Start-up: fetches fileName (appOnly: the application's file) into basepath. Returns
    // one line saying what happened (fetched, unchanged, local copy kept).
    std::string add(const std::string& fileName, bool appOnly);
    // Run time: fetches again a file (an application file if add() fetched it as one).
    // Returns one line saying what happened.
    std::string reload(const std::string& fileName);

    // basepath/fileName.
    std::string localPath(const std::string& fileName) const;

private:
    struct Fetched {
        std::optional<std::string> content;  // set on success
        std::string error;                   // why not
    };

    static void checkFileName(const std::string& fileName);
    Fetched fetch(const std::string& fileName, bool appOnly);
    // Writes content to basepath/fileName (with backups); a description.
    std::string install(const std::string& fileName, const std::string& content, const std::string& origin);
    std::string describeFile(const std::string& fileName, bool appOnly) const;

    CommunicatorPtr _communicator;
    Options _options;
    std::mutex _mutex;  // serialises fetches and writes
    std::shared_ptr<ConfigProxy> _proxy;
    std::set<std::string> _appFiles;  // fetched with add(..., appOnly = true)
};

}  // namespace tars
