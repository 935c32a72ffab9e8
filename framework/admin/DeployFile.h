// DeployFile: a deployment description, the file `tarsadmin deploy` reads: one or more
// <deploy> sections in the TARS config format, each one server on one or more nodes
// with its adapters, an optional profile and optional config files. The format, with
// every key, is in framework/admin/README.md; deployFileKeys() declares the keys once.
//
// load() checks the whole file before anything is sent anywhere and reports every
// problem it finds, each as "FILE:LINE: ..." naming the key: syntax errors (from
// TC_Config), missing and unknown keys (with the closest known key), numbers, endpoints
// (TC_Endpoint), servants outside app.server., a servant or a port used twice in the
// file, an executable that does not exist or cannot be run, config files that cannot
// be read. Relative paths are taken from the file's directory and made absolute.
//
// Overrides (`tarsadmin deploy FILE --set KEY=VALUE`) replace a <deploy> key of every
// section of the file, as if written there; a relative path in one is taken from the
// current directory.
//
// Plain functions and values: thread-safe. Errors: DeployFileError (what() lists every
// problem, one per line; problems() gives them one by one).
#pragma once

#include "util/tc_config_keys.h"

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace tars::admin {

struct DeployFileError : std::runtime_error {
    explicit DeployFileError(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const { return _problems; }

private:
    std::vector<std::string> _problems;
};

struct AdapterSpec {
    std::string name;  // the section name
    std::string endpoint;
    std::string servant;
    int threads = 5;
    int maxconns = 10240;
    int queuecap = 100000;
    int queuetimeout = 600000;
    std::string protocol = "tars";
    std::string allow;
    int line = 0;
};

// A file for the config service (t_config_files).
struct ConfigFileSpec {
    enum class Level { App = 1, Server = 2, Host = 3 };
    std::string name;  // the file name the server asks for
    Level level = Level::Server;
    std::vector<std::string> hosts;  // Level::Host: one copy per host
    std::string content;
    int line = 0;
};

struct ServerSpec {
    std::string file;  // where it was described, for messages
    int line = 0;
    std::string app;
    std::string server;
    std::vector<std::string> nodes;
    std::string templateName = "tars.default";
    std::string executable;  // absolute; "" = the node's default place
    std::string basepath;    // absolute; "" = the node's default
    std::string setting = "active";
    std::string serverType = "tars_cpp";
    int asyncThreads = 3;
    std::string setName, setArea, setGroup;  // all empty: no set
    std::string profile;                     // config text merged over the template's
    std::string ops;                         // the ops endpoint (`ops`); "" = none. Also in profile, as server<ops>
    std::vector<AdapterSpec> adapters;
    std::vector<ConfigFileSpec> configFiles;

    std::string fullName() const { return app + "." + server; }
};

// One key of the format, for the README and for "did you mean".
struct DeployFileKey {
    const char* section;  // "deploy", "adapter", "configfile"
    const char* name;
    const char* defaultValue;  // nullptr: required
    const char* description;
};
const std::vector<DeployFileKey>& deployFileKeys();

class DeployFile {
public:
    // Reads and checks path; throws DeployFileError.
    static std::vector<ServerSpec> load(const std::string& path,
                                        const std::map<std::string, std::string>& overrides = {});
    // The same for text (fileName names it in messages; relative paths are taken from
    // baseDir).
    static std::vector<ServerSpec> parse(const std::string& text, const std::string& fileName,
                                         const std::string& baseDir,
                                         const std::map<std::string, std::string>& overrides = {});
};

// closestName (the "did you mean" of unknown keys) is util/tc_config_keys.h's.
using tars::closestName;

}  // namespace tars::admin
