#include "AdminTool.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "DeployFile.h"
#include "DeployRules.h"
#include "util/tc_common.h"

namespace tars::admin {

namespace {

// A mistake in the command line: status 2, nothing sent.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

// "App.Server" -> {App, Server}; a usage error for anything else.
std::pair<std::string, std::string> splitServer(const std::string& fullName) {
    auto dot = fullName.find('.');
    if (dot == std::string::npos) throw UsageError("'" + fullName + "' is not APP.SERVER");
    std::string app = fullName.substr(0, dot);
    std::string server = fullName.substr(dot + 1);
    for (const auto& problem : {deploy::checkName("application", app), deploy::checkName("server name", server)}) {
        if (!problem.empty()) throw UsageError("'" + fullName + "': " + problem);
    }
    return {app, server};
}

std::string instanceName(const std::string& app, const std::string& server, const std::string& node) {
    return app + "." + server + " on " + node;
}

std::string levelName(ConfigFileSpec::Level level) {
    switch (level) {
        case ConfigFileSpec::Level::App: return "app";
        case ConfigFileSpec::Level::Server: return "server";
        case ConfigFileSpec::Level::Host: return "host";
    }
    return "?";
}

adminreg::ServerConf serverConf(const ServerSpec& spec, const std::string& node) {
    adminreg::ServerConf conf;
    conf.application = spec.app;
    conf.serverName = spec.server;
    conf.nodeName = node;
    conf.basePath = spec.basepath;
    conf.exePath = spec.executable;
    conf.settingState = spec.setting;
    conf.profile = spec.profile;
    conf.serverType = spec.serverType;
    conf.asyncThreadNum = spec.asyncThreads;
    conf.templateName = spec.templateName;
    conf.enableSet = spec.setName.empty() ? "N" : "Y";
    conf.setName = spec.setName;
    conf.setArea = spec.setArea;
    conf.setGroup = spec.setGroup;
    return conf;
}

std::vector<adminreg::AdapterConf> adapterConfs(const ServerSpec& spec) {
    std::vector<adminreg::AdapterConf> adapters;
    for (const auto& a : spec.adapters) {
        adminreg::AdapterConf conf;
        conf.adapterName = a.name;
        conf.threadNum = a.threads;
        conf.endpoint = a.endpoint;
        conf.maxConnections = a.maxconns;
        conf.allowIp = a.allow;
        conf.servant = a.servant;
        conf.queuecap = a.queuecap;
        conf.queuetimeout = a.queuetimeout;
        conf.protocol = a.protocol;
        adapters.push_back(std::move(conf));
    }
    return adapters;
}

std::string responseResult(const std::map<std::string, std::string>& context) {
    auto found = context.find("result");
    return found == context.end() ? "" : found->second;
}

}  // namespace

AdminTool::AdminTool(std::ostream& out, std::ostream& err) : _out(out), _err(err) {}

AdminTool::~AdminTool() {
    _registry.reset();
    if (_communicator) _communicator->terminate();
}

std::string AdminTool::usage() {
    return R"(usage: tarsadmin [--registry=OBJ] [--locator=OBJ] [--timeout=MS] [--ca=FILE --cert=FILE --key=FILE]
                 COMMAND ARGS

Commands:
  deploy FILE... [--set KEY=VALUE]...  deploy the servers a deployment file describes
                                        (--set replaces a <deploy> key in every section)
  list                                  every deployed instance: server, node, states, pid
  nodes                                 the registered nodes
  status APP.SERVER [NODE]              its states, in the registry and on the node
  start APP.SERVER [NODE]               set it active and start it
  stop APP.SERVER [NODE]                set it inactive and stop it
  restart APP.SERVER [NODE]             stop it, then start it
  load APP.SERVER [NODE]                have the node load it again (config, adapters)
  undeploy APP.SERVER [NODE]            stop it and delete it
  notify APP.SERVER [NODE] -- COMMAND   send an admin command, e.g. -- tars.viewstatus
  config put APP[.SERVER] FILE [--host NODE] [--name NAME]
                                        store FILE for the config service: for every
                                        server of APP, for APP.SERVER, or for APP.SERVER
                                        on NODE only; NAME defaults to FILE's name
  help                                  this text
Without NODE, a command applies to every node the server is deployed on.

Options:
  --registry=OBJ  the AdminRegObj to call: "tars.tarsregistry.AdminRegObj@tcp -h HOST -p 12000"
                  or just its endpoint; default: resolved through the locator
  --locator=OBJ   the registry's QueryObj (default: tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p 17890)
  --timeout=MS    how long to wait for an answer (default 10000; deploy, start, stop,
                  restart, load and undeploy: 150000)
  --ca=FILE --cert=FILE --key=FILE
                  TLS for a registry on ssl endpoints: the CA of the registry's
                  certificate, and this tool's client certificate and key (mutual TLS;
                  the registry's allowsubjects must list its subject)

Exit status: 0 done, 1 the operation failed (the registry's code and text on stderr),
2 usage error or invalid deployment file (nothing was sent).
)";
}

int AdminTool::run(const std::vector<std::string>& args) {
    try {
        std::vector<std::string> rest;
        bool literal = false;  // after "--": the words of a notify command
        for (const auto& arg : args) {
            if (literal) {
                rest.push_back(arg);
            } else if (arg == "--") {
                literal = true;
                rest.push_back(arg);
            } else if (arg.starts_with("--registry=")) {
                _registryObj = TC_Common::trim(arg.substr(std::strlen("--registry=")));
                if (_registryObj.empty()) throw UsageError("--registry needs a value");
            } else if (arg.starts_with("--locator=")) {
                _locator = TC_Common::trim(arg.substr(std::strlen("--locator=")));
                if (_locator.empty()) throw UsageError("--locator needs a value");
            } else if (arg.starts_with("--ca=") || arg.starts_with("--cert=") || arg.starts_with("--key=")) {
                std::string key = arg.substr(2, arg.find('=') - 2);
                std::string value = TC_Common::trim(arg.substr(arg.find('=') + 1));
                if (value.empty()) throw UsageError("--" + key + " needs a file");
                _tls[key] = value;
            } else if (arg.starts_with("--timeout=")) {
                auto ms = TC_Common::tryStrto<int>(arg.substr(std::strlen("--timeout=")));
                if (!ms || *ms <= 0) throw UsageError("--timeout needs a number of milliseconds > 0");
                _timeoutMs = *ms;
            } else if (arg == "--help" || arg == "-h") {
                _out << usage();
                return kOk;
            } else {
                rest.push_back(arg);
            }
        }
        if (rest.empty()) throw UsageError("no command given");
        const std::string name = rest.front();
        rest.erase(rest.begin());
        if (name == "help") {
            _out << usage();
            return kOk;
        }
        if (name == "deploy") return deploy(rest);
        if (name == "list") return list(rest);
        if (name == "nodes") return nodes(rest);
        if (name == "status") return status(rest);
        if (name == "start" || name == "stop" || name == "restart" || name == "load") return command(name, rest);
        if (name == "undeploy") return undeploy(rest);
        if (name == "notify") return notify(rest);
        if (name == "config") return config(rest);
        throw UsageError("unknown command '" + name + "'");
    } catch (const UsageError& e) {
        _err << "tarsadmin: " << e.what() << "\n(tarsadmin help lists the commands)\n";
        return kUsage;
    } catch (const DeployFileError& e) {
        _err << e.what() << "\ntarsadmin: nothing was deployed\n";
        return kUsage;
    } catch (const TarsCallException& e) {
        std::string target =
            _registryObj.empty() ? std::string(kAdminRegObj) + " (through " + _locator + ")" : _registryObj;
        _err << "tarsadmin: calling " << target << " failed: " << e.what() << " (code " << e.getErrCode() << ")\n";
        return kFailed;
    } catch (const std::exception& e) {
        _err << "tarsadmin: " << e.what() << "\n";
        return kFailed;
    }
}

adminreg::AdminRegPrx& AdminTool::registry(int timeoutMs) {
    if (!_registry) {
        std::string object = kAdminRegObj;
        try {
            _communicator = std::make_unique<Communicator>();
            for (const auto& [key, value] : _tls) _communicator->setProperty(key, value);
            if (_registryObj.empty()) {
                _communicator->setProperty("locator", _locator);
            } else if (_registryObj.find('@') != std::string::npos) {
                object = _registryObj;
            } else {
                object = std::string(kAdminRegObj) + "@" + _registryObj;  // just the endpoint
                _registryObj = object;
            }
            _registry = _communicator->stringToProxy<adminreg::AdminRegPrx>(object);
        } catch (const Communicator_Exception& e) {
            throw UsageError(std::string("bad --registry or --locator: ") + e.what());
        } catch (const TC_Exception& e) {
            throw UsageError(std::string("bad --registry or --locator: ") + e.what());
        }
    }
    _registry->tars_set_timeout(_timeoutMs > 0 ? _timeoutMs : timeoutMs);
    return _registry;
}

int AdminTool::failed(const std::string& what, int code, const std::string& text) {
    _err << "tarsadmin: " << what << " failed (" << code << "): " << text << "\n";
    return kFailed;
}

std::vector<AdminTool::Instance> AdminTool::instances(const std::string& fullName, const std::string& node) {
    auto [app, server] = splitServer(fullName);
    if (!node.empty()) {
        if (std::string problem = deploy::checkNodeName(node); !problem.empty()) throw UsageError(problem);
        return {{app, server, node}};
    }
    std::string result;
    std::vector<Instance> found;
    for (const auto& row : registry(kQueryTimeoutMs)->getAllServerIds(result)) {
        if (row.size() >= 2 && row[0] == fullName) found.push_back({app, server, row[1]});
    }
    return found;
}

// ---------------------------------------------------------------- commands

int AdminTool::deploy(const std::vector<std::string>& args) {
    std::vector<std::string> files;
    std::map<std::string, std::string> overrides;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string assignment;
        if (args[i] == "--set") {
            if (i + 1 >= args.size()) throw UsageError("--set needs KEY=VALUE");
            assignment = args[++i];
        } else if (args[i].starts_with("--set=")) {
            assignment = args[i].substr(std::strlen("--set="));
        } else if (args[i].starts_with("--")) {
            throw UsageError("deploy: unknown option '" + args[i] + "'");
        } else {
            files.push_back(args[i]);
            continue;
        }
        auto eq = assignment.find('=');
        if (eq == std::string::npos || eq == 0) throw UsageError("--set needs KEY=VALUE, got '" + assignment + "'");
        overrides[TC_Common::trim(assignment.substr(0, eq))] = TC_Common::trim(assignment.substr(eq + 1));
    }
    if (files.empty()) throw UsageError("deploy needs a deployment file");

    // Every file is checked before anything is sent.
    std::vector<ServerSpec> specs;
    std::vector<std::string> problems;
    for (const auto& file : files) {
        try {
            auto parsed = DeployFile::load(file, overrides);
            specs.insert(specs.end(), parsed.begin(), parsed.end());
        } catch (const DeployFileError& e) {
            problems.insert(problems.end(), e.problems().begin(), e.problems().end());
        }
    }
    if (!problems.empty()) throw DeployFileError(problems);

    int status = kOk;
    auto& prx = registry(kCommandTimeoutMs);
    for (const auto& spec : specs) {
        // Config files first: the server may ask for them as soon as it starts.
        bool configStored = true;
        for (const auto& file : spec.configFiles) {
            std::vector<std::pair<std::string, std::string>> targets;  // name, host
            if (file.level == ConfigFileSpec::Level::App) targets.emplace_back(spec.app, "");
            if (file.level == ConfigFileSpec::Level::Server) targets.emplace_back(spec.fullName(), "");
            if (file.level == ConfigFileSpec::Level::Host) {
                for (const auto& host : file.hosts) targets.emplace_back(spec.fullName(), host);
            }
            for (const auto& [name, host] : targets) {
                std::map<std::string, std::string> context;
                int ret = prx->insertConfigFile(name, file.name, file.content, host, static_cast<int>(file.level), true,
                                                {}, &context);
                std::string what = "config file " + file.name + " of " + name + (host.empty() ? "" : " on " + host);
                if (ret != 0) {
                    status = failed(what, ret, responseResult(context));
                    configStored = false;
                } else {
                    _out << what << " (" << levelName(file.level) << "): " << responseResult(context) << "\n";
                }
            }
        }
        if (!configStored) {
            _err << "tarsadmin: " << spec.fullName() << " not deployed: its config files could not be stored\n";
            continue;
        }
        auto adapters = adapterConfs(spec);
        for (const auto& node : spec.nodes) {
            std::string result;
            int ret = prx->deployServer(serverConf(spec, node), adapters, result);
            std::string what = "deploy " + instanceName(spec.app, spec.server, node);
            if (ret != 0) {
                status = failed(what, ret, result);
            } else {
                _out << instanceName(spec.app, spec.server, node) << ": " << result << "\n";
            }
        }
    }
    return status;
}

int AdminTool::list(const std::vector<std::string>& args) {
    if (!args.empty()) throw UsageError("list takes no arguments");
    std::string result;
    auto rows = registry(kQueryTimeoutMs)->getAllServerIds(result);
    std::vector<std::vector<std::string>> table = {{"SERVER", "NODE", "SETTING", "PRESENT", "PID"}};
    for (auto row : rows) {
        row.resize(5);
        table.push_back(std::move(row));
    }
    std::vector<size_t> widths(5, 0);
    for (const auto& row : table) {
        for (size_t c = 0; c < 5; ++c) widths[c] = std::max(widths[c], row[c].size());
    }
    for (const auto& row : table) {
        std::string line;
        for (size_t c = 0; c < 5; ++c) {
            line += row[c];
            if (c + 1 < 5) line += std::string(widths[c] - row[c].size() + 2, ' ');
        }
        _out << TC_Common::trimright(line) << "\n";
    }
    if (rows.empty()) _out << "(no server is deployed)\n";
    return kOk;
}

int AdminTool::nodes(const std::vector<std::string>& args) {
    if (!args.empty()) throw UsageError("nodes takes no arguments");
    std::string result;
    auto names = registry(kQueryTimeoutMs)->getAllNodeNames(result);
    for (const auto& name : names) _out << name << "\n";
    if (names.empty()) _out << "(no node is registered)\n";
    return kOk;
}

int AdminTool::status(const std::vector<std::string>& args) {
    if (args.empty() || args.size() > 2) throw UsageError("usage: status APP.SERVER [NODE]");
    auto targets = instances(args[0], args.size() == 2 ? args[1] : "");
    if (targets.empty()) return failed("status " + args[0], -2, args[0] + " is not deployed");
    int status = kOk;
    for (const auto& t : targets) {
        adminreg::ServerStateDesc state;
        std::string result;
        int ret = registry(kQueryTimeoutMs)->getServerState(t.application, t.server, t.node, state, result);
        std::string name = instanceName(t.application, t.server, t.node);
        if (ret != 0) {
            status = failed("status " + name, ret, result);
            continue;
        }
        _out << name << ": setting " << state.settingStateInReg << ", present " << state.presentStateInReg
             << " (registry) / " << state.presentStateInNode << " (node), pid " << state.processId << "\n";
        if (state.presentStateInNode == "unknown" && !result.empty()) _out << "  " << result << "\n";
    }
    return status;
}

int AdminTool::command(const std::string& name, const std::vector<std::string>& args) {
    if (args.empty() || args.size() > 2) throw UsageError("usage: " + name + " APP.SERVER [NODE]");
    auto targets = instances(args[0], args.size() == 2 ? args[1] : "");
    if (targets.empty()) return failed(name + " " + args[0], -2, args[0] + " is not deployed");
    int status = kOk;
    for (const auto& t : targets) {
        auto& prx = registry(kCommandTimeoutMs);
        std::string result;
        int ret = 0;
        if (name == "start") ret = prx->startServer(t.application, t.server, t.node, result);
        if (name == "stop") ret = prx->stopServer(t.application, t.server, t.node, result);
        if (name == "restart") ret = prx->restartServer(t.application, t.server, t.node, result);
        if (name == "load") ret = prx->loadServer(t.application, t.server, t.node, result);
        std::string instance = instanceName(t.application, t.server, t.node);
        if (ret != 0) {
            status = failed(name + " " + instance, ret, result);
        } else {
            _out << instance << ": " << name << ": " << result << "\n";
        }
    }
    return status;
}

int AdminTool::undeploy(const std::vector<std::string>& args) {
    if (args.empty() || args.size() > 2) throw UsageError("usage: undeploy APP.SERVER [NODE]");
    auto targets = instances(args[0], args.size() == 2 ? args[1] : "");
    if (targets.empty()) return failed("undeploy " + args[0], -2, args[0] + " is not deployed");
    int status = kOk;
    for (const auto& t : targets) {
        std::string log;
        int ret = registry(kCommandTimeoutMs)->undeploy(t.application, t.server, t.node, "tarsadmin", log);
        std::string instance = instanceName(t.application, t.server, t.node);
        if (ret != 0) {
            status = failed("undeploy " + instance, ret, log);
            continue;
        }
        _out << instance << ": undeployed\n";
        for (const auto& line : TC_Common::sepstr(log, "\n")) _out << "  " << line << "\n";
    }
    return status;
}

int AdminTool::notify(const std::vector<std::string>& args) {
    auto dashes = std::find(args.begin(), args.end(), "--");
    std::vector<std::string> target(args.begin(), dashes);
    if (target.empty() || target.size() > 2 || dashes == args.end() || dashes + 1 == args.end()) {
        throw UsageError("usage: notify APP.SERVER [NODE] -- COMMAND [PARAMS...]");
    }
    std::string commandText;
    for (auto word = dashes + 1; word != args.end(); ++word) commandText += (commandText.empty() ? "" : " ") + *word;
    auto targets = instances(target[0], target.size() == 2 ? target[1] : "");
    if (targets.empty()) return failed("notify " + target[0], -2, target[0] + " is not deployed");
    int status = kOk;
    for (const auto& t : targets) {
        std::string result;
        int ret = registry(kQueryTimeoutMs)->notifyServer(t.application, t.server, t.node, commandText, result);
        std::string instance = instanceName(t.application, t.server, t.node);
        if (ret != 0) {
            status = failed("notify " + instance, ret, result);
        } else {
            _out << instance << ":\n" << result << (result.ends_with('\n') ? "" : "\n");
        }
    }
    return status;
}

int AdminTool::config(const std::vector<std::string>& args) {
    if (args.empty() || args[0] != "put")
        throw UsageError("usage: config put APP[.SERVER] FILE [--host NODE] [--name NAME]");
    std::vector<std::string> positional;
    std::string host;
    std::string name;
    for (size_t i = 1; i < args.size(); ++i) {
        auto value = [&](const char* option) {
            if (i + 1 >= args.size()) throw UsageError(std::string(option) + " needs a value");
            return args[++i];
        };
        if (args[i] == "--host") {
            host = value("--host");
        } else if (args[i].starts_with("--host=")) {
            host = args[i].substr(std::strlen("--host="));
        } else if (args[i] == "--name") {
            name = value("--name");
        } else if (args[i].starts_with("--name=")) {
            name = args[i].substr(std::strlen("--name="));
        } else if (args[i].starts_with("--")) {
            throw UsageError("config put: unknown option '" + args[i] + "'");
        } else {
            positional.push_back(args[i]);
        }
    }
    if (positional.size() != 2) throw UsageError("usage: config put APP[.SERVER] FILE [--host NODE] [--name NAME]");
    const std::string& owner = positional[0];
    const std::string& path = positional[1];
    int level = 1;
    if (owner.find('.') != std::string::npos) {
        splitServer(owner);
        level = host.empty() ? 2 : 3;
    } else {
        if (std::string problem = deploy::checkName("application", owner); !problem.empty()) throw UsageError(problem);
        if (!host.empty()) throw UsageError("--host needs APP.SERVER (a host's copy belongs to one server)");
    }
    if (!host.empty()) {
        if (std::string problem = deploy::checkNodeName(host); !problem.empty()) throw UsageError(problem);
    }
    std::ifstream in(path, std::ios::binary);
    std::error_code error;
    if (!in || !std::filesystem::is_regular_file(path, error)) throw UsageError("cannot read '" + path + "'");
    std::ostringstream content;
    content << in.rdbuf();
    if (name.empty()) name = std::filesystem::path(path).filename().string();

    std::map<std::string, std::string> context;
    int ret = registry(kQueryTimeoutMs)->insertConfigFile(owner, name, content.str(), host, level, true, {}, &context);
    std::string what = "config put " + name + " for " + owner + (host.empty() ? "" : " on " + host);
    if (ret != 0) return failed(what, ret, responseResult(context));
    _out << owner << (host.empty() ? "" : " on " + host) << ": " << responseResult(context) << "\n";
    return kOk;
}

}  // namespace tars::admin
