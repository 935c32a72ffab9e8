#include "AdminTool.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "AdminF.h"
#include "AdminSupport.h"
#include "DeployFile.h"
#include "DeployRules.h"
#include "PackageOps.h"
#include "util/tc_common.h"
#include "util/tc_endpoint.h"
#include "util/tc_timeprovider.h"

namespace tars::admin {

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

namespace {

// The level rules of config put, list, get and delete: APP = level 1, APP.SERVER = 2, and
// with --host NODE = 3. Throws UsageError for a bad name or a host without a server.
int configLevel(const std::string& owner, const std::string& host) {
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
    return level;
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

std::string responseResult(const std::map<std::string, std::string>& context) {
    auto found = context.find("result");
    return found == context.end() ? "" : found->second;
}

// ---- the node's account of an instance (ServerStateDesc.nodeState, framework/node/README.md)

std::string field(const std::map<std::string, std::string>& state, const std::string& key) {
    auto found = state.find(key);
    return found == state.end() ? "" : found->second;
}

int64_t number(const std::map<std::string, std::string>& state, const std::string& key, int64_t def = 0) {
    auto value = TC_Common::tryStrto<int64_t>(field(state, key));
    return value ? *value : def;
}

// Seconds since the epoch as "2026-12-07 00:15:10 UTC" (the node may be in another zone).
std::string utcTime(int64_t seconds) {
    std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return text;
}

std::string isoTime(int64_t seconds) {
    std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// "3m20s", "45s"
std::string duration(int64_t seconds) {
    if (seconds < 60) return std::to_string(seconds) + "s";
    if (seconds < 3600) return std::to_string(seconds / 60) + "m" + std::to_string(seconds % 60) + "s";
    return std::to_string(seconds / 3600) + "h" + std::to_string(seconds % 3600 / 60) + "m";
}

std::string signalName(int signal) {
    const char* name = ::sigabbrev_np(signal);
    return name ? std::string("SIG") + name : std::string();
}

// "exited with status 1", "killed by signal 11 (SIGSEGV), core dumped"; "" when none.
std::string exitText(const std::map<std::string, std::string>& state) {
    if (field(state, "last_exit_start").empty()) return "";
    std::string text;
    if (!field(state, "last_exit_status").empty()) {
        text = "exited with status " + field(state, "last_exit_status");
    } else if (int signal = static_cast<int>(number(state, "last_exit_signal")); signal > 0) {
        std::string name = signalName(signal);
        text = "killed by signal " + std::to_string(signal) + (name.empty() ? "" : " (" + name + ")");
    } else {
        text = field(state, "last_exit");  // "process gone": not the node's child
    }
    if (field(state, "last_exit_core") == "1") text += ", core dumped";
    return text;
}

int64_t punishedLeft(const std::map<std::string, std::string>& state) {
    int64_t until = number(state, "punished_until");
    return until > 0 ? std::max<int64_t>(0, until - static_cast<int64_t>(std::time(nullptr))) : 0;
}

// One line per remarkable fact of the node's account (crash loop, punished, last exit, stale).
std::vector<std::string> remarks(const std::map<std::string, std::string>& state) {
    std::vector<std::string> out;
    if (state.empty()) return out;
    if (int64_t restarts = number(state, "restarts"); restarts > 0) {
        out.push_back((restarts >= 2 ? "crash loop: " : "") + std::to_string(restarts) + " restart" +
                      (restarts == 1 ? "" : "s") + " by the node in the last " + field(state, "restart_window_s") +
                      " s");
    }
    if (number(state, "punished_until") > 0) {
        out.push_back("punished: the node stopped restarting it (ActivatorMaxCount), for another " +
                      duration(punishedLeft(state)) + " (until " + utcTime(number(state, "punished_until")) + ")");
    }
    if (std::string exit = exitText(state); !exit.empty()) {
        std::string cause = field(state, "last_exit_cause");
        out.push_back("last exit: " + exit + " at " + utcTime(number(state, "last_exit_time")) +
                      (cause.empty() ? "" : " (" + cause + ")"));
    }
    if (field(state, "config_stale") == "1") {
        out.push_back("config stale: it runs with a config or executable older than its deployment (restart it)");
    }
    return out;
}

// The log lines the node sent, indented, and where the whole log is.
std::string logExcerpt(const std::map<std::string, std::string>& state) {
    std::string out;
    std::string tail = field(state, "log_tail");
    std::string log = field(state, "log");
    if (!tail.empty()) {
        out += "  last lines of its stdout/stderr log:\n";
        for (const auto& line : TC_Common::sepstr(tail, "\n")) out += "    " + line + "\n";
    } else if (!log.empty()) {
        out += "  its stdout/stderr log has nothing since the start\n";
    }
    if (!log.empty()) out += "  full log: " + log + " (on the node)\n";
    return out;
}

}  // namespace

AdminTool::AdminTool(std::ostream& out, std::ostream& err)
    : _out(out), _err(err), _terminal(&err == &std::cerr && ::isatty(STDERR_FILENO) == 1) {}

AdminTool::~AdminTool() {
    _registry.reset();
    if (_communicator) _communicator->terminate();
}

std::string AdminTool::usage() {
    return R"(usage: tarsadmin [--registry=OBJ] [--locator=OBJ] [--timeout=MS] [--wait=S|--no-wait]
                 [--ca=FILE --cert=FILE --key=FILE] COMMAND ARGS

Commands:
  deploy FILE... [--set KEY=VALUE]... [--no-restart]
                                        deploy the servers a deployment file describes
                                        (--set replaces a <deploy> key in every section);
                                        a running instance whose executable, profile or
                                        adapters changed is restarted, one node after the
                                        other (--no-restart: only say which need one)
  publish APP.SERVER FILE.tgz [--node NODE]... [--rolling] [--comment TEXT] [--patch OBJ]
          [--version ID] [--json]       upload FILE.tgz (tars_package()) to tarspatch
                                        (OBJ: tars.tarspatch.PatchObj by name), record the
                                        version (ID: UTC time and MD5 prefix) with TEXT in
                                        the registry, then each node of the server (or each
                                        NODE) installs it and restarts it; --rolling: one
                                        node at a time, each active again before the next;
                                        progress on stderr, --json prints the final state;
                                        1 names the nodes that did not take it
  versions APP.SERVER [--json]          the recorded versions, newest first, and the nodes
                                        running each
  rollback APP.SERVER [--to VERSION] [--node NODE]... [--rolling] [--patch OBJ] [--json]
                                        install a recorded version again (default: the one
                                        recorded before the newest version running now),
                                        as publish does; its package must still be on
                                        tarspatch
  list [--json]                         every deployed instance: server, node, states, pid,
                                        published version, restarts, last exit,
                                        punishment, stale config
  nodes                                 the registered nodes
  status APP.SERVER [NODE]              its states, in the registry and on the node
  start APP.SERVER [NODE] [--force]     set it active and start it (--force: also when
                                        the node stopped restarting it after a crash loop)
  stop APP.SERVER [NODE]                set it inactive and stop it
  restart APP.SERVER [NODE]             stop it, then start it
  load APP.SERVER [NODE]                have the node load it again (config, adapters)
  undeploy APP.SERVER [NODE]            stop it and delete it
  notify APP.SERVER [NODE] -- COMMAND   send an admin command, e.g. -- tars.viewstatus
  notify --endpoint "tcp -h H -p P" -- COMMAND
                                        the same, straight to a server's local AdminObj
  config put APP[.SERVER] FILE [--host NODE] [--name NAME]
                                        store FILE for the config service: for every
                                        server of APP, for APP.SERVER, or for APP.SERVER
                                        on NODE only; NAME defaults to FILE's name
  config list APP[.SERVER] [--host NODE]
                                        the stored files of that level (APP.SERVER
                                        without --host: its own and every host's)
  config get APP[.SERVER] NAME [--host NODE]
                                        print the stored file, byte for byte
  config delete APP[.SERVER] NAME [--host NODE]
                                        delete the stored file of that level
  log APP.SERVER [NODE] [--file NAME] [--lines N] [--follow] [--remote]
                                        the last N (50) lines of its log, read through its
                                        node: the main log, or NAME (an FDLOG name, "day"
                                        for DLOG's, stdout, or a file name); --follow
                                        prints what is appended until Ctrl-C; --remote
                                        reads the day logs tarslog keeps of it instead
  events APP.SERVER [--limit N] [--json]
                                        its events from tarsnotify, newest first (20)
  stat APP.SERVER [--interface NAME] [--since DURATION] [--by minute|interface|caller] [--json]
                                        calls, timeouts, exceptions, average, maximum and
                                        estimated p50/p90/p99 times, from tarsquerystat;
                                        the server's own served-call rows (client rows
                                        when it reports none; --by caller: client rows)
  property APP.SERVER [--name NAME] [--since DURATION] [--json]
                                        its properties, each policy combined over the
                                        window, from tarsqueryproperty
  web-password [--user USER] [--file FILE]
                                        set a web console (tarsweb) password, read from
                                        stdin (first line; not echoed on a terminal):
                                        stored salted and hashed as tars.tarsweb's config
                                        file tarsweb.passwd, or in FILE (tarsweb's
                                        passwordfile) instead; USER defaults to admin
  help                                  this text
DURATION: 30s, 10m, 2h, 1d (default 1h). Every --json prints one JSON array of objects.
events, stat and property find their service by name through the locator; --notify
OBJ@ENDPOINT (events) and --query OBJ@ENDPOINT (stat, property) name it instead.
Without NODE, a command applies to every node the server is deployed on.

Options:
  --registry=OBJ  the AdminRegObj to call: "tars.tarsregistry.AdminRegObj@tcp -h HOST -p 12000"
                  or just its endpoint; default: resolved through the locator
  --locator=OBJ   the registry's QueryObj (default: tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p 17890)
  --timeout=MS    how long to wait for an answer (default 10000; deploy, start, stop,
                  restart, load and undeploy: 150000)
  --wait=S        deploy, start, restart: wait at most S seconds (default 60) for the
                  started instance's first heartbeat to reach the registry; fail at once
                  when the process exits, printing its exit and its last log lines
  --no-wait       do not wait: the node started the process, nothing more is known
  --ca=FILE --cert=FILE --key=FILE
                  TLS for a registry on ssl endpoints: the CA of the registry's
                  certificate, and this tool's client certificate and key (mutual TLS;
                  the registry's allowsubjects must list its subject)

Exit status: 0 done, 1 the operation failed (the registry's code and text on stderr;
a started server that exited or did not report), 2 usage error or invalid deployment
file (nothing was sent).
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
            } else if (arg.starts_with("--wait=")) {
                auto seconds = TC_Common::tryStrto<int>(arg.substr(std::strlen("--wait=")));
                if (!seconds || *seconds < 0 || *seconds > 3600) {
                    throw UsageError("--wait needs a number of seconds in 0..3600 (0: do not wait)");
                }
                _waitSeconds = *seconds;
            } else if (arg == "--no-wait") {
                _waitSeconds = 0;
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
        if (name == "publish") return publish(rest);
        if (name == "versions") return versions(rest);
        if (name == "rollback") return rollback(rest);
        if (name == "list") return list(rest);
        if (name == "nodes") return nodes(rest);
        if (name == "status") return status(rest);
        if (name == "start" || name == "stop" || name == "restart" || name == "load") return command(name, rest);
        if (name == "undeploy") return undeploy(rest);
        if (name == "notify") return notify(rest);
        if (name == "config") return config(rest);
        if (name == "log") return log(rest);
        if (name == "events") return events(rest);
        if (name == "stat") return stat(rest);
        if (name == "property") return property(rest);
        if (name == "web-password") return webPassword(rest);
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

Communicator& AdminTool::communicator() {
    if (!_communicator) {
        _communicator = std::make_unique<Communicator>();
        for (const auto& [key, value] : _tls) _communicator->setProperty(key, value);
        // Also with --registry: the observability commands find their services by name.
        _communicator->setProperty("locator", _locator);
    }
    return *_communicator;
}

adminreg::AdminRegPrx& AdminTool::registry(int timeoutMs) {
    if (!_registry) {
        std::string object = kAdminRegObj;
        try {
            communicator();
            if (_registryObj.find('@') != std::string::npos) {
                object = _registryObj;
            } else if (!_registryObj.empty()) {
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

bool AdminTool::queryState(const Instance& t, adminreg::ServerStateDesc& state, std::string& why) {
    try {
        int ret = registry(kQueryTimeoutMs)->getServerState(t.application, t.server, t.node, state, why);
        if (ret != 0) {
            why = "getServerState answered " + std::to_string(ret) + ": " + why;
            return false;
        }
        return true;
    } catch (const TarsCallException& e) {
        why = std::string("getServerState failed: ") + e.what();
        return false;
    }
}

int64_t AdminTool::startSeq(const Instance& t) {
    adminreg::ServerStateDesc state;
    std::string why;
    return queryState(t, state, why) ? number(state.nodeState, "start_seq") : 0;
}

std::pair<std::string, int> AdminTool::registryRow(const Instance& t) {
    std::string result;
    for (const auto& row : registry(kQueryTimeoutMs)->getAllServerIds(result)) {
        if (row.size() >= 5 && row[0] == t.application + "." + t.server && row[1] == t.node) {
            return {row[3], TC_Common::tryStrto<int>(row[4]).value_or(0)};
        }
    }
    return {"", 0};
}

int AdminTool::waitStarted(const Instance& t, int64_t baseline, const std::string& what, int64_t sentMs) {
    const int64_t begin = TC_TimeProvider::steadyNowMs();
    const int64_t deadline = begin + static_cast<int64_t>(_waitSeconds) * 1000;
    const int maxPolls = _waitSeconds * 1000 / kWaitPollMs + 2;  // the deadline ends it first
    adminreg::ServerStateDesc state;
    std::string why;
    bool answered = false;
    std::pair<std::string, int> inRegistry;
    for (int poll = 0; poll < maxPolls; ++poll) {
        answered = queryState(t, state, why);
        const auto& node = state.nodeState;
        if (answered && number(node, "last_exit_start") > baseline) {
            // A process started after the command exited (even if the node started it again).
            std::string text = exitText(node);
            std::string cause = field(node, "last_exit_cause");
            _err << "tarsadmin: " << what << " failed: " << (text.empty() ? "the process ended" : text)
                 << (cause.empty() ? "" : " (" + cause + ")") << "\n";
            for (const auto& remark : remarks(node)) {
                if (!remark.starts_with("last exit")) _err << "  " << remark << "\n";
            }
            _err << logExcerpt(node);
            return kFailed;
        }
        if (answered && state.presentStateInNode == "active") {
            inRegistry = registryRow(t);
            if (inRegistry.first == "active" && inRegistry.second == state.processId) {
                double seconds = static_cast<double>(TC_TimeProvider::steadyNowMs() - sentMs) / 1000;
                std::ostringstream line;
                line.precision(1);
                line << std::fixed << instanceName(t.application, t.server, t.node) << ": running, pid "
                     << state.processId << " (its first heartbeat reached the registry " << seconds
                     << " s after the command)\n";
                _out << line.str();
                return kOk;
            }
        }
        if (TC_TimeProvider::steadyNowMs() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(kWaitPollMs));
    }
    _err << "tarsadmin: " << what << " failed: no heartbeat reached the registry within " << _waitSeconds << " s";
    if (!answered) {
        _err << " (" << why << ")\n";
        return kFailed;
    }
    _err << " (node: " << state.presentStateInNode << ", pid " << state.processId
         << "; registry: " << (inRegistry.first.empty() ? state.presentStateInReg : inRegistry.first) << ")\n";
    _err << "  it is still starting or never reports; the node stops it after its activating-timeout\n";
    _err << logExcerpt(state.nodeState);
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
    bool restart = true;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string assignment;
        if (args[i] == "--no-restart") {
            restart = false;
            continue;
        }
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
        const bool active = TC_Common::lower(spec.setting) == "active";
        for (const auto& node : spec.nodes) {
            Instance instance{spec.app, spec.server, node};
            int64_t baseline = active && _waitSeconds > 0 ? startSeq(instance) : 0;
            int64_t sentMs = TC_TimeProvider::steadyNowMs();
            std::string result;
            int ret = prx->deployServer(serverConf(spec, node), adapters, result);
            std::string what = "deploy " + instanceName(spec.app, spec.server, node);
            if (ret != 0) {
                status = failed(what, ret, result);
                continue;
            }
            _out << instanceName(spec.app, spec.server, node) << ": " << result << "\n";
            // Only a node that loaded it starts it now; another one does when it registers.
            if (result.find("; node " + node + " loaded it") == std::string::npos) continue;
            // A published server (no executable path) runs what tarsadmin publish installed;
            // before its first version there is nothing to start or wait for.
            if (spec.executable.empty()) {
                adminreg::ServerStateDesc state;
                std::string why;
                if (queryState(instance, state, why) && state.patchVersion.empty() &&
                    state.presentStateInNode != "active") {
                    _out << instanceName(spec.app, spec.server, node)
                         << ": no package was published for it yet; it starts once one is: tarsadmin publish "
                         << spec.fullName() << " FILE.tgz\n";
                    continue;
                }
            }
            // A running process keeps its old config or program until restarted: restart it
            // (one node after the other, each confirmed), or say that it needs one.
            adminreg::ServerStateDesc state;
            std::string why;
            if (queryState(instance, state, why) && field(state.nodeState, "config_stale") == "1") {
                std::string name = instanceName(spec.app, spec.server, node);
                if (!restart) {
                    _out << name << ": needs a restart to apply this deployment (it runs pid " << state.processId
                         << " with the previous config or executable): tarsadmin restart " << spec.fullName() << " "
                         << node << "\n";
                    continue;
                }
                baseline = number(state.nodeState, "start_seq");
                sentMs = TC_TimeProvider::steadyNowMs();
                std::string restartResult;
                int restarted = registry(kCommandTimeoutMs)->restartServer(spec.app, spec.server, node, restartResult);
                if (restarted != 0) {
                    status = failed("restart " + name + " to apply the deployment", restarted, restartResult);
                    continue;
                }
                _out << name << ": restarted to apply the deployment: " << restartResult << "\n";
            }
            if (active && _waitSeconds > 0) {
                if (waitStarted(instance, baseline, what, sentMs) != kOk) status = kFailed;
            }
        }
    }
    return status;
}

int AdminTool::list(const std::vector<std::string>& args) {
    bool json = false;
    for (const auto& arg : args) {
        if (arg != "--json") throw UsageError("list takes no arguments but --json, got '" + arg + "'");
        json = true;
    }
    std::string result;
    auto rows = registry(kQueryTimeoutMs)->getAllServerIds(result);
    // Each instance's node account: the registry asks its node (one call per instance).
    struct Entry {
        std::vector<std::string> row;  // name, node, setting, present, pid, version, set
        adminreg::ServerStateDesc state;
        bool answered = false;
        std::string why;
    };
    std::vector<Entry> entries;
    for (auto row : rows) {
        row.resize(7);
        Entry entry{row, {}, false, ""};
        auto dot = row[0].find('.');
        if (dot != std::string::npos) {
            entry.answered =
                queryState({row[0].substr(0, dot), row[0].substr(dot + 1), row[1]}, entry.state, entry.why);
        }
        entries.push_back(std::move(entry));
    }

    if (json) {
        for (const auto& e : entries) {
            const auto& node = e.state.nodeState;
            auto dot = e.row[0].find('.');
            nlohmann::json object;
            object["app"] = e.row[0].substr(0, dot);
            object["server"] = dot == std::string::npos ? "" : e.row[0].substr(dot + 1);
            object["node"] = e.row[1];
            object["setting"] = e.row[2];
            object["present"] = e.answered && !node.empty() ? e.state.presentStateInNode : e.row[3];
            object["pid"] = e.answered ? e.state.processId : TC_Common::tryStrto<int>(e.row[4]).value_or(0);
            object["version"] = e.row[5];
            object["set"] = e.row[6];
            object["restarts"] = number(node, "restarts");
            object["punished_until"] =
                number(node, "punished_until") > 0 ? nlohmann::json(isoTime(number(node, "punished_until"))) : nullptr;
            if (field(node, "last_exit_start").empty()) {
                object["last_exit"] = nullptr;
            } else {
                nlohmann::json exit;
                exit["status"] = field(node, "last_exit_status").empty()
                                     ? nlohmann::json(nullptr)
                                     : nlohmann::json(number(node, "last_exit_status"));
                exit["signal"] = number(node, "last_exit_signal") > 0 ? nlohmann::json(number(node, "last_exit_signal"))
                                                                      : nlohmann::json(nullptr);
                exit["core"] = field(node, "last_exit_core") == "1";
                exit["time"] = isoTime(number(node, "last_exit_time"));
                exit["cause"] = field(node, "last_exit_cause");
                exit["text"] = exitText(node);
                object["last_exit"] = std::move(exit);
            }
            object["config_stale"] = field(node, "config_stale") == "1";
            _out << object.dump() << "\n";
        }
        return kOk;
    }

    const std::vector<std::string> header = {"SERVER", "NODE",    "SETTING",  "PRESENT", "PID",
                                             "SET",    "VERSION", "RESTARTS", "NOTES"};
    std::vector<std::vector<std::string>> table = {header};
    for (const auto& e : entries) {
        const auto& node = e.state.nodeState;
        std::vector<std::string> line(e.row.begin(), e.row.begin() + 5);
        if (e.answered && !node.empty()) {
            line[3] = e.state.presentStateInNode;
            line[4] = std::to_string(e.state.processId);
        }
        line.push_back(e.row[6].empty() ? "-" : e.row[6]);
        line.push_back(e.row[5].empty() ? "-" : e.row[5]);  // the published version it runs
        line.push_back(node.empty() ? "-" : field(node, "restarts"));
        std::vector<std::string> notes;
        if (number(node, "restarts") >= 2) notes.push_back("crash loop");
        if (number(node, "punished_until") > 0) {
            notes.push_back("punished " + duration(punishedLeft(node)) + " more");
        }
        if (std::string exit = exitText(node); !exit.empty()) notes.push_back("last: " + exit);
        if (field(node, "config_stale") == "1") notes.push_back("config stale: restart to apply");
        if (!e.answered) notes.push_back("state unknown: " + e.why);
        std::string joined;
        for (const auto& note : notes) joined += (joined.empty() ? "" : "; ") + note;
        line.push_back(joined);
        table.push_back(std::move(line));
    }
    std::vector<size_t> widths(header.size(), 0);
    for (const auto& row : table) {
        for (size_t c = 0; c < header.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
    }
    for (const auto& row : table) {
        std::string line;
        for (size_t c = 0; c < header.size(); ++c) {
            line += row[c];
            if (c + 1 < header.size()) line += std::string(widths[c] - row[c].size() + 2, ' ');
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
        for (const auto& remark : remarks(state.nodeState)) _out << "  " << remark << "\n";
        if (std::string log = field(state.nodeState, "log"); !log.empty()) _out << "  log: " << log << "\n";
    }
    return status;
}

int AdminTool::command(const std::string& name, const std::vector<std::string>& allArgs) {
    std::vector<std::string> args;
    bool force = false;
    for (const auto& arg : allArgs) {
        if (arg == "--force" && name == "start") {
            force = true;
        } else if (arg.starts_with("--")) {
            throw UsageError(name + ": unknown option '" + arg + "'");
        } else {
            args.push_back(arg);
        }
    }
    if (args.empty() || args.size() > 2) {
        throw UsageError("usage: " + name + " APP.SERVER [NODE]" + (name == "start" ? " [--force]" : ""));
    }
    auto targets = instances(args[0], args.size() == 2 ? args[1] : "");
    if (targets.empty()) return failed(name + " " + args[0], -2, args[0] + " is not deployed");
    const bool starts = name == "start" || name == "restart";
    int status = kOk;
    for (const auto& t : targets) {
        int64_t baseline = 0;
        if (starts) {
            adminreg::ServerStateDesc before;
            std::string why;
            if (queryState(t, before, why)) {
                baseline = number(before.nodeState, "start_seq");
                if (name == "start" && !force && number(before.nodeState, "punished_until") > 0) {
                    const auto& node = before.nodeState;
                    std::string exit = exitText(node);
                    _err << "tarsadmin: start " << instanceName(t.application, t.server, t.node)
                         << " refused: the node stopped restarting it after it failed repeatedly (crash loop), for "
                            "another "
                         << duration(punishedLeft(node)) << " (ActivatorPunishInterval)\n";
                    if (!exit.empty()) _err << "  last exit: " << exit << "\n";
                    _err << logExcerpt(node) << "  fix the cause, then: tarsadmin start " << t.application << "."
                         << t.server << " " << t.node << " --force\n";
                    status = kFailed;
                    continue;
                }
            }
        }
        auto& prx = registry(kCommandTimeoutMs);
        const int64_t sentMs = TC_TimeProvider::steadyNowMs();
        std::string result;
        int ret = 0;
        if (name == "start") ret = prx->startServer(t.application, t.server, t.node, result);
        if (name == "stop") ret = prx->stopServer(t.application, t.server, t.node, result);
        if (name == "restart") ret = prx->restartServer(t.application, t.server, t.node, result);
        if (name == "load") ret = prx->loadServer(t.application, t.server, t.node, result);
        std::string instance = instanceName(t.application, t.server, t.node);
        if (ret != 0) {
            status = failed(name + " " + instance, ret, result);
            continue;
        }
        _out << instance << ": " << name << ": " << result << "\n";
        if (starts && _waitSeconds > 0 && waitStarted(t, baseline, name + " " + instance, sentMs) != kOk)
            status = kFailed;
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

int AdminTool::notify(const std::vector<std::string>& allArgs) {
    auto dashes = std::find(allArgs.begin(), allArgs.end(), "--");
    std::vector<std::string> target;
    std::string endpoint;
    bool endpointGiven = false;
    for (auto arg = allArgs.begin(); arg != dashes; ++arg) {
        if (*arg == "--endpoint") {
            if (arg + 1 == dashes) throw UsageError("--endpoint needs a value, e.g. --endpoint \"tcp -h H -p P\"");
            endpoint = *++arg;
            endpointGiven = true;
        } else if (arg->starts_with("--endpoint=")) {
            endpoint = arg->substr(std::strlen("--endpoint="));
            endpointGiven = true;
        } else if (arg->starts_with("--")) {
            throw UsageError("notify: unknown option '" + *arg + "'");
        } else {
            target.push_back(*arg);
        }
    }
    if (endpointGiven) {
        if (TC_Common::trim(endpoint).empty()) throw UsageError("--endpoint needs a value, e.g. \"tcp -h H -p P\"");
        if (!target.empty() || dashes == allArgs.end() || dashes + 1 == allArgs.end()) {
            throw UsageError("usage: notify --endpoint \"tcp -h HOST -p PORT\" -- COMMAND [PARAMS...]");
        }
        std::string commandText;
        for (auto word = dashes + 1; word != allArgs.end(); ++word) {
            commandText += (commandText.empty() ? "" : " ") + *word;
        }
        return notifyEndpoint(TC_Common::trim(endpoint), commandText);
    }
    std::vector<std::string> args(target);
    args.insert(args.end(), dashes, allArgs.end());
    dashes = std::find(args.begin(), args.end(), "--");
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

int AdminTool::configFile(const std::vector<std::string>& args) {
    const std::string& verb = args[0];
    const std::string usageText = verb == "list" ? "usage: config list APP[.SERVER] [--host NODE]"
                                                 : "usage: config " + verb + " APP[.SERVER] NAME [--host NODE]";
    std::vector<std::string> positional;
    std::string host;
    for (size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--host") {
            if (i + 1 >= args.size()) throw UsageError("--host needs a value");
            host = args[++i];
        } else if (args[i].starts_with("--host=")) {
            host = args[i].substr(std::strlen("--host="));
        } else if (args[i].starts_with("--")) {
            throw UsageError("config " + verb + ": unknown option '" + args[i] + "'");
        } else {
            positional.push_back(args[i]);
        }
    }
    if (positional.size() != (verb == "list" ? 1u : 2u)) throw UsageError(usageText);
    const std::string& owner = positional[0];
    const int level = configLevel(owner, host);
    std::string where = owner + (host.empty() ? "" : " on " + host);
    auto& prx = registry(kQueryTimeoutMs);
    std::string result;
    if (verb == "list") {
        std::vector<adminreg::ConfigFileDesc> files;
        // APP.SERVER without --host: its server files and every host's copies.
        int ret = prx->listConfigFiles(owner, host, level == 2 ? 0 : level, files, result);
        if (ret != 0) return failed("config list " + where, ret, result);
        std::vector<std::vector<std::string>> table = {{"NAME", "LEVEL", "HOST", "BYTES", "UPDATED", "BY"}};
        for (const auto& f : files) {
            table.push_back({f.fileName,
                             f.level == 1   ? "app"
                             : f.level == 2 ? "server"
                                            : "host",
                             f.host, std::to_string(f.size), f.postTime, f.lastUser});
        }
        std::vector<size_t> widths(table[0].size(), 0);
        for (const auto& row : table) {
            for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
        }
        for (const auto& row : table) {
            std::string line;
            for (size_t c = 0; c < row.size(); ++c) {
                line += row[c];
                if (c + 1 < row.size()) line += std::string(widths[c] - row[c].size() + 2, ' ');
            }
            _out << TC_Common::trimright(line) << "\n";
        }
        if (files.empty()) _out << "(no config file for " << where << ")\n";
        return kOk;
    }
    const std::string& name = positional[1];
    if (verb == "get") {
        std::string content;
        int ret = prx->getConfigFile(owner, name, host, level, content, result);
        if (ret != 0) return failed("config get " + name + " for " + where, ret, result);
        _out << content;  // exactly as stored
        return kOk;
    }
    int ret = prx->deleteConfigFile(owner, name, host, level, result);
    if (ret != 0) return failed("config delete " + name + " for " + where, ret, result);
    _out << where << ": " << result << "\n";
    return kOk;
}

int AdminTool::notifyEndpoint(const std::string& endpoint, const std::string& commandText) {
    std::string object = "AdminObj@" + endpoint;
    try {
        TC_Endpoint check(endpoint);
        (void)check;
    } catch (const std::exception& e) {
        throw UsageError("--endpoint '" + endpoint + "': " + e.what());
    }
    if (!_communicator) _communicator = std::make_unique<Communicator>();
    AdminFPrx prx;
    try {
        prx = _communicator->stringToProxy<AdminFPrx>(object);
    } catch (const std::exception& e) {
        throw UsageError("--endpoint '" + endpoint + "': " + e.what());
    }
    prx->tars_set_timeout(_timeoutMs > 0 ? _timeoutMs : kQueryTimeoutMs);
    try {
        std::string answer = prx->notify(commandText);
        _out << answer << (answer.ends_with('\n') || answer.empty() ? "" : "\n");
        return kOk;
    } catch (const TarsCallException& e) {
        _err << "tarsadmin: notify " << object << " failed: " << e.what() << " (code " << e.getErrCode() << ")\n";
        return kFailed;
    }
}

int AdminTool::config(const std::vector<std::string>& args) {
    if (!args.empty() && (args[0] == "list" || args[0] == "get" || args[0] == "delete")) return configFile(args);
    if (args.empty() || args[0] != "put")
        throw UsageError("usage: config put|list|get|delete ... (tarsadmin help has each)");
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
    const int level = configLevel(owner, host);
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
