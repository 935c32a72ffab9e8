#include "AdminRegImp.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "DeployRules.h"
#include "RegistryImp.h"
#include "util/tc_common.h"
#include "util/tc_config.h"
#include "util/tc_logger.h"

namespace tars {

namespace {

// A refused call: its code and the reason, thrown by the checks and caught by answer().
struct Refusal {
    int code;
    std::string text;
};

[[noreturn]] void refuse(int code, std::string text) { throw Refusal{code, std::move(text)}; }

void refuseIf(const std::string& problem) {
    if (!problem.empty()) refuse(AdminRegCode::Invalid, problem);
}

std::string describe(const ServerKey& key) { return key.application + "." + key.serverName + " on " + key.nodeName; }

std::string userOf(const CurrentPtr& current) { return current ? "adminreg@" + current->getIp() : "adminreg"; }

// Whether a call that succeeded is worth an INFO line (changes are; questions are not).
enum class Logged { Change, Question };

// Runs body(result) and logs the call; a Refusal or a store failure becomes its code and
// text. Every AdminReg method ends here, so none throws to the caller.
template <typename Body>
Int32 answer(const char* method, const std::string& subject, std::string& result, Body body,
             Logged logged = Logged::Change) {
    Int32 code;
    try {
        result.clear();
        code = body(result);
    } catch (const Refusal& refusal) {
        code = refusal.code;
        result = refusal.text;
    } catch (const StoreError& e) {
        code = AdminRegCode::StoreFailed;
        result = e.what();
    } catch (const std::exception& e) {
        code = AdminRegCode::StoreFailed;
        result = std::string("unexpected error: ") + e.what();
    }
    if (code == AdminRegCode::Ok && logged == Logged::Question) {
        TLOGDEBUG("adminreg: " << method << " " << subject << ": " << result << std::endl);
    } else if (code == AdminRegCode::Ok) {
        TLOGINFO("adminreg: " << method << " " << subject << ": " << result << std::endl);
    } else {
        TLOGWARN("adminreg: " << method << " " << subject << " refused (" << code << "): " << result << std::endl);
    }
    return code;
}

// For the methods without a result parameter: the text goes back in the response context.
template <typename Body>
Int32 answerInContext(const char* method, const std::string& subject, const CurrentPtr& current, Body body) {
    std::string result;
    Int32 code = answer(method, subject, result, body);
    if (current && !result.empty()) current->setResponseContext({{"result", result}});
    return code;
}

// The level rules of config files: 1 App, 2 App.Server, 3 App.Server on nodeName.
void checkConfigOwner(const std::string& owner, const std::string& nodeName, int level) {
    auto dot = owner.find('.');
    switch (level) {
        case 1: refuseIf(deploy::checkName("application", owner)); break;
        case 2:
        case 3:
            if (dot == std::string::npos) {
                refuse(AdminRegCode::Invalid,
                       "level " + std::to_string(level) + " needs App.Server, got '" + owner + "'");
            }
            refuseIf(deploy::checkName("application", owner.substr(0, dot)));
            refuseIf(deploy::checkName("server name", owner.substr(dot + 1)));
            if (level == 3) refuseIf(deploy::checkNodeName(nodeName));
            break;
        default:
            refuse(AdminRegCode::Invalid,
                   "level " + std::to_string(level) + ": must be 1 (application), 2 (server) or 3 (host)");
    }
}

void checkConfigFileName(const std::string& fileName) {
    if (fileName.empty() || fileName.find_first_of("/\\") != std::string::npos || fileName == "." || fileName == "..") {
        refuse(AdminRegCode::Invalid, "file name '" + fileName + "': must be a plain file name");
    }
}

std::string levelText(int level) {
    return level == 1 ? "application" : level == 2 ? "server" : level == 3 ? "host" : std::to_string(level);
}

ServerKey checkedKey(const std::string& application, const std::string& serverName, const std::string& nodeName) {
    refuseIf(deploy::checkName("application", application));
    refuseIf(deploy::checkName("server name", serverName));
    refuseIf(deploy::checkNodeName(nodeName));
    return {application, serverName, nodeName};
}

// The code and text of a node's outcome for a command the caller asked for.
Int32 fromOutcome(const NodeCommands::Outcome& outcome, const char* method, std::string& result) {
    switch (outcome.status) {
        case NodeCommands::Outcome::Status::Answered:
            if (outcome.ret == 0) {
                result = outcome.text.empty() ? std::string(method) + ": done" : outcome.text;
                return AdminRegCode::Ok;
            }
            result = std::string("node answered ") + method + " with " + std::to_string(outcome.ret) +
                     (outcome.text.empty() ? "" : ": " + outcome.text);
            return AdminRegCode::NodeFailed;
        case NodeCommands::Outcome::Status::UnknownNode:
        case NodeCommands::Outcome::Status::Unreachable: result = outcome.text; return AdminRegCode::NodeUnreachable;
    }
    return AdminRegCode::NodeFailed;
}

// "Y" or "N" for TARS's enable_group values (the IDL default "M" means not grouped).
std::string groupFlag(const std::string& value) {
    if (value == "Y" || value == "y") return "Y";
    if (value.empty() || value == "N" || value == "n" || value == "M" || value == "m") return "N";
    refuse(AdminRegCode::Invalid, "enableGroup '" + value + "': must be Y or N");
}

bool sameListenAddress(const TC_Endpoint& a, const TC_Endpoint& b) {
    if (a.getPort() != b.getPort() || a.isUdp() != b.isUdp()) return false;
    auto wildcard = [](const std::string& host) { return host == "0.0.0.0" || host == "::"; };
    return a.getHost() == b.getHost() || wildcard(a.getHost()) || wildcard(b.getHost());
}

}  // namespace

AdminRegContext::AdminRegContext(RegistryService& registry, CommunicatorPtr communicator)
    : service(registry),
      nodes(registry.store().nodes(), std::move(communicator),
            {registry.settings().nodeQueryTimeoutMs, registry.settings().nodeCommandTimeoutMs}) {}

// ---------------------------------------------------------------- checks

ServerConf AdminRegImp::existingInstance(const ServerKey& key) {
    auto found = _context.service.store().getServer(key);
    if (!found) refuse(AdminRegCode::NotFound, describe(key) + " is not deployed");
    return *found;
}

ServerConf AdminRegImp::checkedServer(const adminreg::ServerConf& conf, const std::string& user) {
    ServerKey key = checkedKey(conf.application, conf.serverName, conf.nodeName);
    refuseIf(deploy::checkSettingState(conf.settingState));
    std::string serverType = conf.serverType.empty() ? "tars_cpp" : conf.serverType;
    refuseIf(deploy::checkServerType(serverType));
    if (conf.asyncThreadNum < 0 || conf.asyncThreadNum > 1024) {
        refuse(AdminRegCode::Invalid, "asyncThreadNum " + std::to_string(conf.asyncThreadNum) + ": must be 0..1024");
    }
    for (const auto& [what, path] : {std::pair{"basePath", conf.basePath}, std::pair{"exePath", conf.exePath}}) {
        if (!path.empty() && path.front() != '/') {
            refuse(AdminRegCode::Invalid, std::string(what) + " '" + path + "': must be an absolute path");
        }
    }
    std::string enableSet = TC_Common::upper(conf.enableSet.empty() ? "N" : conf.enableSet);
    if (enableSet != "Y" && enableSet != "N")
        refuse(AdminRegCode::Invalid, "enableSet '" + conf.enableSet + "': must be Y or N");
    if (enableSet == "Y") {
        for (const auto& [what, part] : {std::pair{"setName", conf.setName}, std::pair{"setArea", conf.setArea},
                                         std::pair{"setGroup", conf.setGroup}}) {
            if (part.empty() || part.find_first_of(". \t") != std::string::npos) {
                refuse(AdminRegCode::Invalid, std::string(what) + " '" + part +
                                                  "': a set needs a name, an area and a group without '.' or blanks");
            }
        }
    }
    if (!conf.profile.empty()) {
        try {
            TC_Config profile;
            profile.parseString(conf.profile);
        } catch (const TC_Config_Exception& e) {
            refuse(AdminRegCode::Invalid, std::string("profile: ") + e.what());
        }
    }
    std::string templateName = conf.templateName.empty() ? deploy::kDefaultServerTemplate : conf.templateName;
    if (!_context.service.store().getTemplate(templateName)) {
        refuse(AdminRegCode::Invalid, "template '" + templateName + "' does not exist");
    }

    ServerConf server;
    server.application = key.application;
    server.serverName = key.serverName;
    server.nodeName = key.nodeName;
    server.basePath = conf.basePath;
    server.exePath = conf.exePath;
    server.templateName = templateName;
    server.settingState = conf.settingState;
    server.serverType = serverType;
    server.startScriptPath = conf.startScript;
    server.stopScriptPath = conf.stopScript;
    server.monitorScriptPath = conf.monitorScript;
    server.enableGroup = groupFlag(conf.enableGroup);
    server.ipGroupName = conf.ipGroupName;
    server.enableSet = enableSet;
    if (enableSet == "Y") {
        server.setName = conf.setName;
        server.setArea = conf.setArea;
        server.setGroup = conf.setGroup;
    }
    server.profile = conf.profile;
    server.asyncThreadNum = conf.asyncThreadNum;
    server.postTime = RegistryService::now();
    server.lastUser = user;
    return server;
}

AdapterConf AdminRegImp::checkedAdapter(const ServerConf& server, const adminreg::AdapterConf& conf,
                                        const std::string& user) {
    const std::string where = "adapter '" + conf.adapterName + "': ";
    refuseIf(deploy::checkAdapterName(conf.adapterName));
    auto positive = [&](const char* what, int value) {
        if (value < 1) refuse(AdminRegCode::Invalid, where + what + " " + std::to_string(value) + ": must be >= 1");
    };
    positive("threadNum", conf.threadNum);
    positive("maxConnections", conf.maxConnections);
    positive("queuecap", conf.queuecap);
    positive("queuetimeout", conf.queuetimeout);
    std::string problem = deploy::checkServant(server.application, server.serverName, conf.servant);
    if (!problem.empty()) refuse(AdminRegCode::Invalid, where + problem);
    std::string protocol = conf.protocol.empty() ? "tars" : conf.protocol;
    problem = deploy::checkProtocol(protocol);
    if (!problem.empty()) refuse(AdminRegCode::Invalid, where + problem);

    std::string endpoint = TC_Common::trim(conf.endpoint);
    problem = deploy::checkEndpoint(endpoint);
    if (!problem.empty()) refuse(AdminRegCode::Invalid, where + problem);
    if (deploy::isLocalipHost(deploy::endpointHost(endpoint))) {
        // The node's IP: as it registered, else its name when that is an address.
        std::string ip;
        auto node = _context.service.store().getNode(server.nodeName);
        if (node && !node->endpointIp.empty()) {
            ip = node->endpointIp;
        } else if (deploy::isIpAddress(server.nodeName)) {
            ip = server.nodeName;
        } else {
            refuse(AdminRegCode::Invalid,
                   where + "endpoint host " + deploy::endpointHost(endpoint) + " needs the IP of node " +
                       server.nodeName + ", which " + (node ? "registered no endpoint IP" : "is not registered") +
                       " and whose name is not an IP address: write the IP in the endpoint or register the node first");
        }
        endpoint = deploy::replaceEndpointHost(endpoint, ip);
    }

    AdapterConf adapter;
    adapter.application = server.application;
    adapter.serverName = server.serverName;
    adapter.nodeName = server.nodeName;
    adapter.adapterName = conf.adapterName;
    adapter.threadNum = conf.threadNum;
    adapter.endpoint = endpoint;
    adapter.maxConnections = conf.maxConnections;
    adapter.allowIp = TC_Common::trim(conf.allowIp);
    adapter.servant = conf.servant;
    adapter.queuecap = conf.queuecap;
    adapter.queuetimeout = conf.queuetimeout;
    adapter.protocol = protocol;
    adapter.postTime = RegistryService::now();
    adapter.lastUser = user;
    return adapter;
}

void AdminRegImp::checkAdapterSet(const ServerConf& server, const std::vector<AdapterConf>& adapters) {
    std::map<std::string, std::string> servants;  // servant -> adapter
    std::vector<std::pair<TC_Endpoint, std::string>> listening;
    for (const auto& adapter : adapters) {
        auto [at, fresh] = servants.emplace(adapter.servant, adapter.adapterName);
        if (!fresh) {
            refuse(AdminRegCode::Invalid,
                   "adapters '" + at->second + "' and '" + adapter.adapterName + "' both serve " + adapter.servant);
        }
        TC_Endpoint ep(adapter.endpoint);
        for (const auto& [other, otherName] : listening) {
            if (otherName == adapter.adapterName) {
                refuse(AdminRegCode::Invalid, "adapter '" + adapter.adapterName + "' is given twice");
            }
            if (sameListenAddress(ep, other)) {
                refuse(AdminRegCode::Invalid, "adapters '" + otherName + "' and '" + adapter.adapterName +
                                                  "' both listen on port " + std::to_string(ep.getPort()));
            }
        }
        listening.emplace_back(ep, adapter.adapterName);
    }
    // Other instances of the node: a port they listen on cannot be bound twice.
    for (const auto& other : _context.service.store().listAdapters({"", "", server.nodeName})) {
        if (other.application == server.application && other.serverName == server.serverName) continue;
        TC_Endpoint otherEp;
        try {
            otherEp.parse(other.endpoint);
        } catch (const TC_Endpoint_Exception&) {
            continue;  // a row written by hand that never parsed: not ours to judge here
        }
        for (const auto& [ep, name] : listening) {
            if (sameListenAddress(ep, otherEp)) {
                refuse(AdminRegCode::Invalid, "adapter '" + name + "': port " + std::to_string(ep.getPort()) +
                                                  " on node " + server.nodeName + " is used by " + other.servant +
                                                  " (" + other.application + "." + other.serverName + ")");
            }
        }
    }
}

// ---------------------------------------------------------------- deployment

Int32 AdminRegImp::insertServerConf(const adminreg::ServerConf& conf, Bool replace, CurrentPtr current) {
    return answerInContext("insertServerConf", conf.application + "." + conf.serverName + " on " + conf.nodeName,
                           current, [&](std::string& result) {
                               std::lock_guard lock(_context.writeMutex);
                               ServerConf server = checkedServer(conf, userOf(current));
                               auto& store = _context.service.store();
                               bool exists = store.getServer(server.key()).has_value();
                               if (exists && !replace)
                                   refuse(AdminRegCode::Exists, describe(server.key()) + " exists (replace is false)");
                               // Only the instance's row: its adapters stay as they are.
                               auto adapters =
                                   exists ? store.listAdapters({server.application, server.serverName, server.nodeName})
                                          : std::vector<AdapterConf>{};
                               store.deployServer(server, adapters, RegistryService::now());
                               _context.service.refreshSoon();
                               result = exists ? "replaced" : "inserted";
                               return AdminRegCode::Ok;
                           });
}

Int32 AdminRegImp::insertAdapterConf(const std::string& sApplication, const std::string& serverName,
                                     const std::string& nodeName, const adminreg::AdapterConf& conf, Bool replace,
                                     CurrentPtr current) {
    return answerInContext(
        "insertAdapterConf", sApplication + "." + serverName + " on " + nodeName, current, [&](std::string& result) {
            std::lock_guard lock(_context.writeMutex);
            ServerConf server = existingInstance(checkedKey(sApplication, serverName, nodeName));
            AdapterConf adapter = checkedAdapter(server, conf, userOf(current));
            auto& store = _context.service.store();
            auto adapters = store.listAdapters({sApplication, serverName, nodeName});
            auto same = std::find_if(adapters.begin(), adapters.end(),
                                     [&](const AdapterConf& a) { return a.adapterName == adapter.adapterName; });
            if (same != adapters.end() && !replace) {
                refuse(AdminRegCode::Exists, "adapter '" + adapter.adapterName + "' of " + describe(server.key()) +
                                                 " exists (replace is false)");
            }
            result = same != adapters.end() ? "replaced" : "inserted";
            if (same != adapters.end()) {
                *same = adapter;
            } else {
                adapters.push_back(adapter);
            }
            checkAdapterSet(server, adapters);
            store.deployServer(server, adapters, RegistryService::now());
            _context.service.refreshSoon();
            return AdminRegCode::Ok;
        });
}

Int32 AdminRegImp::deployServer(const adminreg::ServerConf& conf, const std::vector<adminreg::AdapterConf>& adapters,
                                std::string& result, CurrentPtr current) {
    return answer("deployServer", conf.application + "." + conf.serverName + " on " + conf.nodeName, result,
                  [&](std::string& text) {
                      ServerConf server;
                      {
                          std::lock_guard lock(_context.writeMutex);
                          const std::string user = userOf(current);
                          server = checkedServer(conf, user);
                          std::vector<AdapterConf> rows;
                          for (const auto& adapter : adapters) rows.push_back(checkedAdapter(server, adapter, user));
                          checkAdapterSet(server, rows);
                          _context.service.store().deployServer(server, rows, RegistryService::now());
                          _context.service.refreshSoon();
                          text = "stored " + describe(server.key()) + " with " + std::to_string(rows.size()) +
                                 " adapter" + (rows.size() == 1 ? "" : "s") + " (template " + server.templateName +
                                 ", " + server.settingState + ")";
                      }
                      auto outcome = _context.nodes.loadServer(server.key());
                      switch (outcome.status) {
                          case NodeCommands::Outcome::Status::Answered:
                              if (outcome.ret != 0) {
                                  text += "; node " + server.nodeName + " failed to load it (" +
                                          std::to_string(outcome.ret) + "): " + outcome.text;
                                  return AdminRegCode::NodeFailed;
                              }
                              text += "; node " + server.nodeName + " loaded it" +
                                      (outcome.text.empty() ? "" : ": " + outcome.text);
                              return AdminRegCode::Ok;
                          case NodeCommands::Outcome::Status::UnknownNode:
                              text += "; " + outcome.text + ": it loads the server when it registers";
                              return AdminRegCode::Ok;
                          case NodeCommands::Outcome::Status::Unreachable:
                              text +=
                                  "; " + outcome.text +
                                  "; the node loads the server when it registers again (or run start once it answers)";
                              return AdminRegCode::Ok;
                      }
                      return AdminRegCode::Ok;
                  });
}

Int32 AdminRegImp::undeploy(const std::string& application, const std::string& serverName, const std::string& nodeName,
                            const std::string& user, std::string& log, CurrentPtr current) {
    return answer("undeploy", application + "." + serverName + " on " + nodeName, log, [&](std::string& text) {
        ServerKey key = existingInstance(checkedKey(application, serverName, nodeName)).key();
        auto& store = _context.service.store();
        auto step = [&](const std::string& line) { text += (text.empty() ? "" : "\n") + line; };
        step("undeploy " + describe(key) + " (by " + (user.empty() ? userOf(current) : user) + ")");

        // Inactive first, so that the node does not start it again.
        store.setSettingState(key, "inactive", RegistryService::now());
        step("setting state: inactive");
        auto describeOutcome = [](const NodeCommands::Outcome& o) {
            if (o.succeeded()) return std::string("ok") + (o.text.empty() ? "" : ": " + o.text);
            if (o.answered()) return "warning: node answered " + std::to_string(o.ret) + ": " + o.text;
            return "warning: " + o.text;
        };
        auto stop = _context.nodes.stopServer(key);
        step("stop on node: " + describeOutcome(stop));
        auto destroy =
            stop.status == NodeCommands::Outcome::Status::Answered ? _context.nodes.destroyServer(key) : stop;
        step("destroy on node: " + describeOutcome(destroy));

        size_t adapters = store.listAdapters({key.application, key.serverName, key.nodeName}).size();
        {
            std::lock_guard lock(_context.writeMutex);
            store.undeployServer(key);
        }
        _context.service.refreshSoon();
        step("deleted from the store with " + std::to_string(adapters) + " adapter" + (adapters == 1 ? "" : "s"));
        return AdminRegCode::Ok;
    });
}

Int32 AdminRegImp::insertConfigFile(const std::string& sFullServerName, const std::string& fileName,
                                    const std::string& content, const std::string& nodeName, Int32 level, Bool replace,
                                    CurrentPtr current) {
    return answerInContext("insertConfigFile", sFullServerName + " " + fileName, current, [&](std::string& result) {
        ConfigFile file;
        file.serverName = sFullServerName;
        file.filename = fileName;
        file.config = content;
        file.level = level;
        file.postTime = RegistryService::now();
        file.lastUser = userOf(current);
        checkConfigOwner(sFullServerName, nodeName, level);
        if (level == 3) file.host = nodeName;
        checkConfigFileName(fileName);
        auto& store = _context.service.store();
        auto existing = store.listConfigFiles({file.serverName, file.filename, file.host, file.level});
        bool exists = std::any_of(existing.begin(), existing.end(), [&](const ConfigFile& f) {
            return f.host == file.host && f.setName.empty() && f.setArea.empty() && f.setGroup.empty();
        });
        if (exists && !replace) refuse(AdminRegCode::Exists, "config file " + fileName + " exists (replace is false)");
        int64_t id = store.upsertConfigFile(file);
        result = std::string(exists ? "replaced" : "inserted") + " config file " + fileName + " (id " +
                 std::to_string(id) + ", level " + std::to_string(level) + ")";
        return AdminRegCode::Ok;
    });
}

Int32 AdminRegImp::listConfigFiles(const std::string& sFullServerName, const std::string& nodeName, Int32 level,
                                   std::vector<adminreg::ConfigFileDesc>& files, std::string& result, CurrentPtr) {
    return answer(
        "listConfigFiles", sFullServerName, result,
        [&](std::string& text) {
            std::vector<int> levels;
            if (level != 0) {
                checkConfigOwner(sFullServerName, nodeName, level);
                levels = {level};
            } else {
                bool server = sFullServerName.find('.') != std::string::npos;
                checkConfigOwner(sFullServerName, nodeName, server ? 2 : 1);
                levels = server ? std::vector<int>{2, 3} : std::vector<int>{1};
            }
            for (int l : levels) {
                std::string host = l == 3 ? nodeName : "";
                for (const auto& f : _context.service.store().listConfigFiles({sFullServerName, "", host, l})) {
                    if (!f.setName.empty() || !f.setArea.empty() || !f.setGroup.empty()) continue;
                    adminreg::ConfigFileDesc d;
                    d.id = f.id;
                    d.serverName = f.serverName;
                    d.fileName = f.filename;
                    d.host = f.host;
                    d.level = f.level;
                    d.postTime = f.postTime ? formatStoreTime(f.postTime) : "";
                    d.lastUser = f.lastUser;
                    d.size = static_cast<int>(f.config.size());
                    files.push_back(std::move(d));
                }
            }
            text = std::to_string(files.size()) + " config files";
            return AdminRegCode::Ok;
        },
        Logged::Question);
}

namespace {

// The one stored file of that name and level (no set), or a NotFound refusal.
ConfigFile storedConfigFile(RegistryStore& store, const std::string& owner, const std::string& fileName,
                            const std::string& nodeName, int level) {
    checkConfigOwner(owner, nodeName, level);
    checkConfigFileName(fileName);
    std::string host = level == 3 ? nodeName : "";
    for (const auto& f : store.listConfigFiles({owner, fileName, host, level})) {
        if (f.host == host && f.setName.empty() && f.setArea.empty() && f.setGroup.empty()) return f;
    }
    refuse(AdminRegCode::NotFound, "no config file " + fileName + " at " + levelText(level) + " level for " + owner +
                                       (level == 3 ? " on " + nodeName : ""));
}

}  // namespace

Int32 AdminRegImp::getConfigFile(const std::string& sFullServerName, const std::string& fileName,
                                 const std::string& nodeName, Int32 level, std::string& content, std::string& result,
                                 CurrentPtr) {
    return answer(
        "getConfigFile", sFullServerName + " " + fileName, result,
        [&](std::string& text) {
            ConfigFile f = storedConfigFile(_context.service.store(), sFullServerName, fileName, nodeName, level);
            content = f.config;
            text = "config file " + fileName + " (id " + std::to_string(f.id) + ")";
            return AdminRegCode::Ok;
        },
        Logged::Question);
}

Int32 AdminRegImp::deleteConfigFile(const std::string& sFullServerName, const std::string& fileName,
                                    const std::string& nodeName, Int32 level, std::string& result, CurrentPtr) {
    return answer("deleteConfigFile", sFullServerName + " " + fileName, result, [&](std::string& text) {
        auto& store = _context.service.store();
        ConfigFile f = storedConfigFile(store, sFullServerName, fileName, nodeName, level);
        if (!store.deleteConfigFile(f.id)) {
            refuse(AdminRegCode::NotFound, "config file " + fileName + " (id " + std::to_string(f.id) + ") vanished");
        }
        text = "deleted config file " + fileName + " (id " + std::to_string(f.id) + ", " + levelText(level) + " level)";
        return AdminRegCode::Ok;
    });
}

// ---------------------------------------------------------------- listing

std::vector<std::vector<std::string>> AdminRegImp::getAllServerIds(std::string& result, CurrentPtr) {
    std::vector<std::vector<std::string>> ids;
    answer(
        "getAllServerIds", "", result,
        [&](std::string& text) {
            for (const auto& s : _context.service.store().listServers()) {
                // TARS's five columns, then (extension) the patch version and the set.
                std::string set = s.enableSet == "Y" ? s.setName + "." + s.setArea + "." + s.setGroup : "";
                ids.push_back({s.application + "." + s.serverName, s.nodeName, s.settingState, s.presentState,
                               std::to_string(s.processId), s.patchVersion, set});
            }
            text = std::to_string(ids.size()) + " instances";
            return AdminRegCode::Ok;
        },
        Logged::Question);
    return ids;
}

std::vector<std::string> AdminRegImp::getAllNodeNames(std::string& result, CurrentPtr) {
    std::vector<std::string> names;
    answer(
        "getAllNodeNames", "", result,
        [&](std::string& text) {
            for (const auto& node : _context.service.store().listNodes()) names.push_back(node.nodeName);
            text = std::to_string(names.size()) + " nodes";
            return AdminRegCode::Ok;
        },
        Logged::Question);
    return names;
}

Int32 AdminRegImp::getServerState(const std::string& application, const std::string& serverName,
                                  const std::string& nodeName, adminreg::ServerStateDesc& state, std::string& result,
                                  CurrentPtr) {
    return answer(
        "getServerState", application + "." + serverName + " on " + nodeName, result,
        [&](std::string& text) {
            ServerConf server = existingInstance(checkedKey(application, serverName, nodeName));
            state.settingStateInReg = server.settingState;
            state.presentStateInReg = server.presentState;
            state.processId = server.processId;
            state.patchVersion = server.patchVersion;
            state.patchTime = server.patchTime ? formatStoreTime(server.patchTime) : "";
            state.patchUser = server.patchUser;
            state.presentStateInNode = "unknown";
            ServerStateInfo info;
            auto outcome = _context.nodes.getStateInfo(server.key(), info);
            if (outcome.succeeded() && !presentStateName(info.serverState).empty()) {
                state.presentStateInNode = presentStateName(info.serverState);
                state.processId = info.processId;
                state.nodeState = info.exState;
                text = "node " + nodeName + " answered";
            } else if (outcome.answered()) {
                text = "node " + nodeName + " answered getStateInfo with " + std::to_string(outcome.ret) + ": " +
                       outcome.text;
            } else {
                text = outcome.text;
            }
            return AdminRegCode::Ok;
        },
        Logged::Question);
}

// ---------------------------------------------------------------- commands

Int32 AdminRegImp::startServer(const std::string& application, const std::string& serverName,
                               const std::string& nodeName, std::string& result, CurrentPtr) {
    return answer("startServer", application + "." + serverName + " on " + nodeName, result, [&](std::string& text) {
        ServerKey key = existingInstance(checkedKey(application, serverName, nodeName)).key();
        _context.service.store().setSettingState(key, "active", RegistryService::now());
        _context.service.refreshSoon();
        Int32 code = fromOutcome(_context.nodes.startServer(key), "startServer", text);
        if (code != AdminRegCode::Ok) text = "setting state is active, but " + text;
        return code;
    });
}

Int32 AdminRegImp::stopServer(const std::string& application, const std::string& serverName,
                              const std::string& nodeName, std::string& result, CurrentPtr) {
    return answer("stopServer", application + "." + serverName + " on " + nodeName, result, [&](std::string& text) {
        ServerKey key = existingInstance(checkedKey(application, serverName, nodeName)).key();
        _context.service.store().setSettingState(key, "inactive", RegistryService::now());
        _context.service.refreshSoon();
        Int32 code = fromOutcome(_context.nodes.stopServer(key), "stopServer", text);
        if (code != AdminRegCode::Ok) text = "setting state is inactive, but " + text;
        return code;
    });
}

Int32 AdminRegImp::restartServer(const std::string& application, const std::string& serverName,
                                 const std::string& nodeName, std::string& result, CurrentPtr) {
    return answer("restartServer", application + "." + serverName + " on " + nodeName, result, [&](std::string& text) {
        ServerKey key = existingInstance(checkedKey(application, serverName, nodeName)).key();
        auto& store = _context.service.store();
        store.setSettingState(key, "inactive", RegistryService::now());
        std::string stopText;
        auto stop = _context.nodes.stopServer(key);
        Int32 stopCode = fromOutcome(stop, "stopServer", stopText);
        // The node answered (even "not running"): go on and start; no answer: stop here.
        if (!stop.answered()) {
            text = "stop: " + stopText;
            return stopCode;
        }
        store.setSettingState(key, "active", RegistryService::now());
        _context.service.refreshSoon();
        std::string startText;
        Int32 code = fromOutcome(_context.nodes.startServer(key), "startServer", startText);
        text = "stop: " + stopText + "; start: " + startText;
        return code;
    });
}

Int32 AdminRegImp::loadServer(const std::string& application, const std::string& serverName,
                              const std::string& nodeName, std::string& result, CurrentPtr) {
    return answer("loadServer", application + "." + serverName + " on " + nodeName, result, [&](std::string& text) {
        ServerKey key = existingInstance(checkedKey(application, serverName, nodeName)).key();
        return fromOutcome(_context.nodes.loadServer(key), "loadServer", text);
    });
}

Int32 AdminRegImp::notifyServer(const std::string& application, const std::string& serverName,
                                const std::string& nodeName, const std::string& command, std::string& result,
                                CurrentPtr) {
    return answer("notifyServer", application + "." + serverName + " on " + nodeName, result, [&](std::string& text) {
        ServerKey key = existingInstance(checkedKey(application, serverName, nodeName)).key();
        if (TC_Common::trim(command).empty()) refuse(AdminRegCode::Invalid, "command is empty");
        return fromOutcome(_context.nodes.notifyServer(key, command), "notifyServer", text);
    });
}

Int32 AdminRegImp::getLogFileList(const std::string& application, const std::string& serverName,
                                  const std::string& nodeName, std::vector<std::string>& logFileList,
                                  std::string& result, CurrentPtr) {
    return answer(
        "getLogFileList", application + "." + serverName + " on " + nodeName, result,
        [&](std::string& text) {
            ServerKey key = existingInstance(checkedKey(application, serverName, nodeName)).key();
            Int32 code = fromOutcome(_context.nodes.getLogFileList(key, logFileList), "getLogFileList", text);
            if (code == AdminRegCode::Ok) text = std::to_string(logFileList.size()) + " files";
            return code;
        },
        Logged::Question);
}

Int32 AdminRegImp::getLogData(const std::string& application, const std::string& serverName,
                              const std::string& nodeName, const std::string& logFile, const std::string& cmd,
                              std::string& fileData, std::string& result, CurrentPtr) {
    return answer(
        "getLogData", application + "." + serverName + " on " + nodeName + " " + logFile + " (" + cmd + ")", result,
        [&](std::string& text) {
            ServerKey key = existingInstance(checkedKey(application, serverName, nodeName)).key();
            auto outcome = _context.nodes.getLogData(key, logFile, cmd, fileData);
            if (outcome.answered() && outcome.ret == 1) {
                text = logFile + " is shorter than the offset asked for (rolled or truncated)";
                return 1;
            }
            Int32 code = fromOutcome(outcome, "getLogData", text);
            if (code == AdminRegCode::Ok) text = std::to_string(fileData.size()) + " bytes";
            return code;
        },
        Logged::Question);
}

Int32 AdminRegImp::batchPatch(const adminreg::PatchRequest& req, std::string& result, CurrentPtr current) {
    return answer("batchPatch", req.appname + "." + req.servername + " on " + req.nodename + " version " + req.version,
                  result, [&](std::string& text) {
                      ServerKey key = existingInstance(checkedKey(req.appname, req.servername, req.nodename)).key();
                      PatchRequest forward;
                      forward.appname = key.application;
                      forward.servername = key.serverName;
                      forward.nodename = key.nodeName;
                      forward.groupname = req.groupname;
                      forward.binname = req.binname;
                      forward.version = req.version;
                      forward.user = req.user.empty() ? userOf(current) : req.user;
                      forward.servertype = req.servertype;
                      forward.patchobj = req.patchobj;
                      forward.md5 = req.md5;
                      forward.ostype = req.ostype;
                      forward.filepath = req.filepath;
                      return fromOutcome(_context.nodes.patchPro(forward), "patchPro", text);
                  });
}

Int32 AdminRegImp::getPatchPercent(const std::string& application, const std::string& serverName,
                                   const std::string& nodeName, adminreg::PatchInfo& tPatchInfo, CurrentPtr) {
    std::string result;
    Int32 code = answer(
        "getPatchPercent", application + "." + serverName + " on " + nodeName, result,
        [&](std::string& text) {
            ServerKey key = existingInstance(checkedKey(application, serverName, nodeName)).key();
            PatchInfo info;
            Int32 ret = fromOutcome(_context.nodes.getPatchPercent(key, info), "getPatchPercent", text);
            tPatchInfo.bPatching = info.bPatching;
            tPatchInfo.iPercent = info.iPercent;
            tPatchInfo.iModifyTime = info.iModifyTime;
            tPatchInfo.sVersion = info.sVersion;
            tPatchInfo.bSucc = info.bSucc;
            return ret;
        },
        Logged::Question);
    tPatchInfo.sResult = result;
    return code;
}

}  // namespace tars

// ---------------------------------------------------------------- versions

namespace tars {

namespace {

// The node's rule for a version (it becomes a folder name): letters, digits, '.', '_'
// and '-', at most 128, not starting with '.'.
void checkVersion(const std::string& version) {
    bool ok = !version.empty() && version.size() <= 128 && version.front() != '.' &&
              std::all_of(version.begin(), version.end(), [](char c) {
                  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
              });
    if (!ok) {
        refuse(AdminRegCode::Invalid,
               "version '" + version + "': letters, digits, '.', '_' and '-' (at most 128), not starting with '.'");
    }
}

adminreg::ServerPatchDesc describePatch(const ServerPatch& p) {
    adminreg::ServerPatchDesc d;
    d.id = p.id;
    auto dot = p.server.find('.');
    d.application = p.server.substr(0, dot);
    d.serverName = dot == std::string::npos ? "" : p.server.substr(dot + 1);
    d.version = p.version;
    d.tgz = p.tgz;
    d.md5 = p.md5;
    d.size = p.size;
    d.comment = p.comment;
    d.uploadTime = p.uploadTime ? formatStoreTime(p.uploadTime) : "";
    d.uploadUser = p.uploadUser;
    return d;
}

}  // namespace

Int32 AdminRegImp::addServerPatch(const adminreg::ServerPatchDesc& patch, std::string& result, CurrentPtr current) {
    return answer(
        "addServerPatch", patch.application + "." + patch.serverName + " version " + patch.version, result,
        [&](std::string& text) {
            refuseIf(deploy::checkName("application", patch.application));
            refuseIf(deploy::checkName("server name", patch.serverName));
            checkVersion(patch.version);
            bool hex = patch.md5.size() == 32 && std::all_of(patch.md5.begin(), patch.md5.end(), [](char c) {
                           return std::isxdigit(static_cast<unsigned char>(c));
                       });
            if (!hex) refuse(AdminRegCode::Invalid, "md5 '" + patch.md5 + "': must be 32 hex digits");
            if (patch.tgz.empty() || patch.tgz.size() > 1024) {
                refuse(AdminRegCode::Invalid, "tgz: the package's file name on tarspatch (1..1024 bytes)");
            }
            if (patch.size <= 0) refuse(AdminRegCode::Invalid, "size " + std::to_string(patch.size) + ": must be > 0");
            if (patch.comment.size() > 1024) {
                refuse(AdminRegCode::Invalid,
                       "comment of " + std::to_string(patch.comment.size()) + " bytes: at most 1024");
            }
            if (patch.uploadUser.size() > 64) refuse(AdminRegCode::Invalid, "uploadUser: at most 64 bytes");
            ServerPatch row;
            row.server = patch.application + "." + patch.serverName;
            row.version = patch.version;
            row.tgz = patch.tgz;
            row.md5 = TC_Common::lower(patch.md5);
            row.size = patch.size;
            row.comment = patch.comment;
            row.uploadTime = RegistryService::now();
            row.uploadUser = patch.uploadUser.empty() ? userOf(current) : patch.uploadUser;
            auto added = _context.service.store().addPatch(row);
            if (added.conflicting) {
                refuse(AdminRegCode::Exists,
                       "version " + row.version + " of " + row.server + " is recorded already with MD5 " +
                           added.conflicting->md5 + " (uploaded " + formatStoreTime(added.conflicting->uploadTime) +
                           "); this package's MD5 is " + row.md5 + ": publish it under another version");
            }
            text = "recorded version " + row.version + " of " + row.server + " (id " + std::to_string(added.id) + ")";
            return AdminRegCode::Ok;
        });
}

Int32 AdminRegImp::listServerPatches(const std::string& application, const std::string& serverName,
                                     std::vector<adminreg::ServerPatchDesc>& patches, std::string& result, CurrentPtr) {
    return answer(
        "listServerPatches", application + "." + serverName, result,
        [&](std::string& text) {
            refuseIf(deploy::checkName("application", application));
            refuseIf(deploy::checkName("server name", serverName));
            for (const auto& p : _context.service.store().listPatches(application + "." + serverName)) {
                patches.push_back(describePatch(p));
            }
            text = std::to_string(patches.size()) + " versions";
            return AdminRegCode::Ok;
        },
        Logged::Question);
}

Int32 AdminRegImp::listNodes(std::vector<adminreg::NodeDesc>& nodes, std::string& result, CurrentPtr) {
    return answer(
        "listNodes", "", result,
        [&](std::string& text) {
            const int64_t now = RegistryService::now();
            for (const auto& n : _context.service.store().listNodes()) {
                adminreg::NodeDesc d;
                d.nodeName = n.nodeName;
                d.nodeObj = n.nodeObj;
                d.endpointIp = n.endpointIp;
                d.endpointPort = n.endpointPort;
                d.settingState = n.settingState;
                d.presentState = n.presentState;
                d.lastHeartbeat = n.lastHeartbeat;
                d.lastRegTime = n.lastRegTime;
                d.loadAvg1 = n.loadAvg1;
                d.loadAvg5 = n.loadAvg5;
                d.loadAvg15 = n.loadAvg15;
                d.tarsVersion = n.tarsVersion;
                d.templateName = n.templateName;
                d.now = now;
                nodes.push_back(std::move(d));
            }
            text = std::to_string(nodes.size()) + " nodes";
            return AdminRegCode::Ok;
        },
        Logged::Question);
}

}  // namespace tars
