// ConfigRepository: the config service's rules (TARS's tarsconfig) over the framework's
// store (t_config_files, t_config_references through RegistryStore):
//
//   level 1  application file: server_name = App
//   level 2  server file:      server_name = App.Server
//   level 3  host file:        server_name = App.Server, host = the node's name or IP
//
// An application file is the level-1 file without a set, followed (when a set division
// "name.area.group" is given) by the level-1 file of that set. A server file is, joined
// with "\r\n\r\n" (empty parts left out): the files the level-2 file references, the
// level-2 file, the files the host's level-3 file references, the level-3 file. With a set
// division, levels 2 and 3 are the rows of that set (else the rows without a set), and
// each referenced file is followed by its version for that set, if any.
//
// A file that exists at none of its levels is an error (-1, naming app, server, host and
// file), never an empty success; so are a malformed set division (-1) and a failing
// database (-1, the store's message). Threads: every method may be called from any thread
// (the store serialises); holds a reference to the store, which must outlive it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "RegistryStore.h"

namespace tars {

class ConfigRepository {
public:
    // ret 0: text is the content; ret < 0: text says why.
    struct Content {
        int ret = 0;
        std::string text;
    };
    // ret 0: names (sorted, unique); ret < 0: error says why.
    struct Names {
        int ret = 0;
        std::vector<std::string> names;
        std::string error;
    };

    explicit ConfigRepository(RegistryStore& store) : _store(store) {}

    Content appFile(const std::string& app, const std::string& file, const std::string& setDivision);
    Content serverFile(const std::string& app, const std::string& server, const std::string& file,
                       const std::string& host, const std::string& setDivision);

    // Names of the level-1 files of app.
    Names appFileNames(const std::string& app, const std::string& setDivision);
    // Names of the level-3 files of app.server on host.
    Names hostFileNames(const std::string& app, const std::string& server, const std::string& host,
                        const std::string& setDivision);
    // Names of the files of app.server at levels 2 and 3 (any host), or, with a host, of
    // its level-3 files on that host.
    Names serverFileNames(const std::string& app, const std::string& server, const std::string& host,
                          const std::string& setDivision);

    // "name.area.group" -> its parts; "" -> three empty parts; anything else -> nullopt.
    struct SetDivision {
        std::string name;
        std::string area;
        std::string group;
    };
    static std::optional<SetDivision> parseSetDivision(const std::string& text);

private:
    // The row of (serverName, file, level[, host]) in set (exactly), if any.
    std::optional<ConfigFile> findRow(const std::string& serverName, const std::string& file, int level,
                                      const std::string& host, const SetDivision& set);
    // The references of row in order, each followed by its version for set.
    std::string referencedText(const ConfigFile& row, const SetDivision& set);
    Names names(const ConfigFileFilter& filter, const std::optional<SetDivision>& set, bool anyHost);

    RegistryStore& _store;
};

}  // namespace tars
