#include "DeployFile.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "util/tc_config_keys.h"
#include "util/tc_config_line_index.h"
#include "DeployRules.h"
#include "util/tc_common.h"
#include "util/tc_config.h"

namespace tars::admin {

namespace {

namespace fs = std::filesystem;

constexpr const char* kOpsKey = "/tars/application/server<ops>";
// The owner of a port taken by an ops endpoint (with a blank: no adapter has that name).
constexpr const char* kOpsOwner = "ops endpoint";

std::string portOwner(const std::string& owner) {
    return owner == kOpsOwner ? std::string("the ") + kOpsOwner : "adapter <" + owner + ">";
}

std::string joinLines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
    return out;
}

// A value as the file (or --set) gave it.
struct Value {
    std::string text;
    int line = 0;
    bool fromOverride = false;
};

struct NumberRange {
    int min;
    int max;
};

// In a deployment file, '#' after a blank starts a comment (the TC_Config format itself
// keeps it in the value); none of the format's values needs one.
std::string withoutComment(const std::string& value) {
    for (size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '#' && (i == 0 || value[i - 1] == ' ' || value[i - 1] == '\t')) {
            return TC_Common::trim(value.substr(0, i));
        }
    }
    return value;
}

// The lines of text without their common indentation and without leading and trailing
// blank lines; "" when blank.
std::string dedent(const std::string& text) {
    std::vector<std::string> lines = TC_Common::sepstr(text, "\n", true);
    auto blank = [](const std::string& l) { return l.find_first_not_of(TC_Common::kSpaces) == std::string::npos; };
    while (!lines.empty() && blank(lines.front())) lines.erase(lines.begin());
    while (!lines.empty() && blank(lines.back())) lines.pop_back();
    size_t indent = std::string::npos;
    for (const auto& l : lines) {
        if (!blank(l)) indent = std::min(indent, l.find_first_not_of(" \t"));
    }
    std::string out;
    for (const auto& l : lines) {
        out += (blank(l) ? std::string() : TC_Common::trimright(l.substr(std::min(indent, l.size())))) + "\n";
    }
    return out;
}

std::vector<std::string> keyNames(const char* section) {
    std::vector<std::string> names;
    for (const auto& key : deployFileKeys()) {
        if (std::string_view(key.section) == section) names.emplace_back(key.name);
    }
    return names;
}

const DeployFileKey* findKey(const char* section, const std::string& name) {
    for (const auto& key : deployFileKeys()) {
        if (std::string_view(key.section) == section && name == key.name) return &key;
    }
    return nullptr;
}

std::string suggestion(const std::string& word, const std::vector<std::string>& names) {
    std::string closest = closestName(word, names);
    return closest.empty() ? "" : " (did you mean '" + closest + "'?)";
}

std::string absolutePath(const std::string& path, const std::string& baseDir) {
    fs::path p(path);
    if (p.is_relative()) p = fs::path(baseDir) / p;
    return p.lexically_normal().string();
}

class Checker {
public:
    Checker(const std::string& text, std::string fileName, std::string baseDir,
            const std::map<std::string, std::string>& overrides)
        : _index(text), _fileName(std::move(fileName)), _baseDir(std::move(baseDir)), _overrides(overrides) {}

    std::vector<ServerSpec> run() {
        const auto& root = _index.section(0);
        for (const auto& param : root.params) {
            problem(param.line, "key '" + param.key + "' outside a <deploy> section");
        }
        int deploys = 0;
        for (int child : root.children) {
            const auto& s = _index.section(child);
            if (s.name != "deploy") {
                problem(s.openLine, "section <" + s.name + "> at the top level: only <deploy> sections belong there" +
                                        suggestion(s.name, {"deploy"}));
                continue;
            }
            ++deploys;
            checkDeploy(child);
        }
        if (deploys == 0 && _problems.empty()) problem(1, "no <deploy> section");
        if (!_problems.empty()) throw DeployFileError(_problems);
        return std::move(_servers);
    }

private:
    void problem(int line, const std::string& text) {
        _problems.push_back(_fileName + ":" + std::to_string(line) + ": " + text);
    }

    std::string where(const std::string& key, int section, const Value& value) const {
        return "key '" + key + "'" + (value.fromOverride ? " (from --set)" : "") + " in " + _index.describe(section);
    }

    // The keys of a section: unknown and repeated ones reported; values without comments.
    std::map<std::string, Value> readKeys(int section, const char* kind) {
        std::map<std::string, Value> values;
        const auto names = keyNames(kind);
        for (const auto& param : _index.section(section).params) {
            if (!findKey(kind, param.key)) {
                problem(param.line, "unknown key '" + param.key + "' in " + _index.describe(section) +
                                        suggestion(param.key, names));
                continue;
            }
            auto [at, fresh] = values.emplace(param.key, Value{withoutComment(param.value), param.line, false});
            if (!fresh) {
                problem(param.line, "key '" + param.key + "' in " + _index.describe(section) +
                                        " is given twice (first at line " + std::to_string(at->second.line) + ")");
            }
        }
        return values;
    }

    // The value of key, else its declared default; a missing required key is reported.
    std::optional<Value> required(const std::map<std::string, Value>& values, const char* kind, const char* key,
                                  int section) {
        auto found = values.find(key);
        if (found != values.end()) {
            if (!found->second.text.empty()) return found->second;
            problem(found->second.line, where(key, section, found->second) + " is empty");
            return std::nullopt;
        }
        const DeployFileKey* declared = findKey(kind, key);
        if (declared && declared->defaultValue) return Value{declared->defaultValue, _index.section(section).openLine};
        problem(_index.section(section).openLine,
                _index.describe(section) + " has no key '" + key + "' (it is required)");
        return std::nullopt;
    }

    std::string text(const std::map<std::string, Value>& values, const char* kind, const char* key, int section) {
        auto value = required(values, kind, key, section);
        return value ? value->text : "";
    }

    bool number(const std::map<std::string, Value>& values, const char* kind, const char* key, int section,
                NumberRange range, int& out) {
        auto value = required(values, kind, key, section);
        if (!value) return false;
        auto parsed = TC_Common::tryStrto<int>(value->text);
        if (!parsed || *parsed < range.min || *parsed > range.max) {
            problem(value->line, where(key, section, *value) + ": '" + value->text + "' is not a whole number in " +
                                     std::to_string(range.min) + ".." + std::to_string(range.max));
            return false;
        }
        out = *parsed;
        return true;
    }

    // A rule of DeployRules: its problem reported at the key's line.
    bool rule(const std::string& problemText, const std::map<std::string, Value>& values, const char* key,
              int section) {
        if (problemText.empty()) return true;
        auto found = values.find(key);
        Value value = found != values.end() ? found->second : Value{"", _index.section(section).openLine};
        problem(value.line, where(key, section, value) + ": " + problemText);
        return false;
    }

    // Sub-sections of section: the allowed ones once each; the others reported.
    std::map<std::string, int> readSections(int section, const std::vector<std::string>& allowed) {
        std::map<std::string, int> found;
        for (int child : _index.section(section).children) {
            const auto& s = _index.section(child);
            if (std::find(allowed.begin(), allowed.end(), s.name) == allowed.end()) {
                problem(s.openLine, "unknown section <" + s.name + "> in " + _index.describe(section) +
                                        suggestion(s.name, allowed));
                continue;
            }
            auto [at, fresh] = found.emplace(s.name, child);
            if (!fresh) {
                problem(s.openLine, "section <" + s.name + "> is given twice in " + _index.describe(section) +
                                        " (first at line " + std::to_string(_index.section(at->second).openLine) + ")");
            }
        }
        return found;
    }

    void checkDeploy(int section) {
        ServerSpec spec;
        spec.file = _fileName;
        spec.line = _index.section(section).openLine;
        auto values = readKeys(section, "deploy");
        for (const auto& [key, value] : _overrides) values[key] = Value{value, spec.line, true};

        // An invalid name is reported once and then left out (cleared), so that the
        // servant checks do not repeat it.
        spec.app = text(values, "deploy", "app", section);
        if (!spec.app.empty() && !rule(deploy::checkName("application", spec.app), values, "app", section))
            spec.app.clear();
        spec.server = text(values, "deploy", "server", section);
        if (!spec.server.empty() && !rule(deploy::checkName("server name", spec.server), values, "server", section)) {
            spec.server.clear();
        }
        std::string nodes = text(values, "deploy", "node", section);
        for (const auto& node : TC_Common::sepstr(nodes, ";, \t")) {
            if (!rule(deploy::checkNodeName(node), values, "node", section)) continue;
            if (std::find(spec.nodes.begin(), spec.nodes.end(), node) != spec.nodes.end()) {
                rule("node " + node + " is listed twice", values, "node", section);
                continue;
            }
            spec.nodes.push_back(node);
        }
        spec.templateName = text(values, "deploy", "template", section);
        spec.setting = text(values, "deploy", "setting", section);
        rule(deploy::checkSettingState(spec.setting), values, "setting", section);
        spec.serverType = text(values, "deploy", "servertype", section);
        rule(deploy::checkServerType(spec.serverType), values, "servertype", section);
        number(values, "deploy", "asyncthread", section, {0, 1024}, spec.asyncThreads);
        checkSet(values, section, spec);
        checkPaths(values, section, spec);

        auto children = readSections(section, {"profile", "adapters", "configfiles"});
        if (auto p = children.find("profile"); p != children.end()) spec.profile = dedent(_index.content(p->second));
        if (auto a = children.find("adapters"); a != children.end()) checkAdapters(a->second, spec);
        if (auto c = children.find("configfiles"); c != children.end()) checkConfigFiles(c->second, spec);
        checkOps(values, section, spec);

        if (!spec.app.empty() && !spec.server.empty()) {
            for (const auto& node : spec.nodes) {
                std::string instance = spec.fullName() + " on " + node;
                auto [at, fresh] = _instances.emplace(instance, spec.line);
                if (!fresh) {
                    problem(spec.line, instance + " is deployed twice in the file (first at line " +
                                           std::to_string(at->second) + ")");
                }
            }
        }
        _servers.push_back(std::move(spec));
    }

    void checkSet(const std::map<std::string, Value>& values, int section, ServerSpec& spec) {
        std::string set = text(values, "deploy", "set", section);
        if (set.empty()) return;
        auto parts = TC_Common::sepstr(set, ".", true);
        bool ok = parts.size() == 3 && std::none_of(parts.begin(), parts.end(), [](const std::string& p) {
                      return p.empty() || p.find_first_of(" \t") != std::string::npos;
                  });
        if (!ok) {
            rule("'" + set + "' is not name.area.group", values, "set", section);
            return;
        }
        if (parts[0] == "*" || parts[1] == "*") {
            rule("'" + set + "': the set name and area cannot be '*'", values, "set", section);
            return;
        }
        spec.setName = parts[0];
        spec.setArea = parts[1];
        spec.setGroup = parts[2];
    }

    // `ops`: a TCP endpoint with a fixed port (Prometheus finds it through the registry),
    // written into the profile as /tars/application/server<ops>, where the server reads it.
    void checkOps(const std::map<std::string, Value>& values, int section, ServerSpec& spec) {
        auto found = values.find("ops");
        if (found == values.end() || found->second.text.empty()) return;
        const std::string ops = TC_Common::trim(found->second.text);
        TC_Endpoint endpoint;
        if (!rule(deploy::checkEndpoint(ops, &endpoint), values, "ops", section)) return;
        if (!endpoint.isTcp() || endpoint.isSSL()) {
            rule("the ops endpoint serves plain HTTP: tcp only", values, "ops", section);
            return;
        }
        TC_Config profile;
        if (!spec.profile.empty()) {
            try {
                profile.parseString(spec.profile);
            } catch (const std::exception& e) {
                rule(std::string("the <profile> is not a valid config: ") + e.what(), values, "ops", section);
                return;
            }
            if (!profile.get(std::string(kOpsKey)).empty()) {
                rule("the <profile> sets ops too: give it once", values, "ops", section);
                return;
            }
        }
        for (const auto& node : spec.nodes) {
            auto [at, fresh] = _ports.emplace(node + ":" + std::to_string(endpoint.getPort()),
                                              std::make_pair(std::string(kOpsOwner), found->second.line));
            if (!fresh) {
                rule("port " + std::to_string(endpoint.getPort()) + " on node " + node + " is already used by " +
                         portOwner(at->second.first) + " at line " + std::to_string(at->second.second),
                     values, "ops", section);
                return;
            }
        }
        profile.insertDomainParam("/tars/application/server", {{"ops", ops}}, true);
        spec.profile = profile.tostr();
        spec.ops = ops;
    }

    void checkPaths(const std::map<std::string, Value>& values, int section, ServerSpec& spec) {
        auto resolve = [&](const char* key) -> std::pair<std::string, Value> {
            auto found = values.find(key);
            if (found == values.end() || found->second.text.empty()) return {"", Value{}};
            // From the file: relative to the file; from --set: relative to where we run.
            std::string base = found->second.fromOverride ? fs::current_path().string() : _baseDir;
            return {absolutePath(found->second.text, base), found->second};
        };
        auto [basepath, baseValue] = resolve("basepath");
        spec.basepath = basepath;
        auto [executable, exeValue] = resolve("executable");
        if (executable.empty()) return;
        struct stat info {};
        std::string problemText;
        if (::stat(executable.c_str(), &info) != 0) {
            problemText = "'" + executable + "' does not exist (" + std::strerror(errno) + ")";
        } else if (!S_ISREG(info.st_mode)) {
            problemText = "'" + executable + "' is not a regular file";
        } else if (::access(executable.c_str(), X_OK) != 0) {
            problemText = "'" + executable + "' is not executable (chmod +x?)";
        }
        if (!problemText.empty()) {
            problem(exeValue.line, where("executable", section, exeValue) + ": " + problemText);
            return;
        }
        spec.executable = executable;
    }

    void checkAdapters(int section, ServerSpec& spec) {
        for (const auto& param : _index.section(section).params) {
            problem(param.line, "key '" + param.key +
                                    "' in <adapters>: each adapter is a section of its own, e.g. "
                                    "<HelloObjAdapter> endpoint = ... </HelloObjAdapter>");
        }
        std::map<std::string, int> names;
        for (int child : _index.section(section).children) {
            const auto& s = _index.section(child);
            auto [at, fresh] = names.emplace(s.name, s.openLine);
            if (!fresh) {
                problem(s.openLine,
                        "adapter <" + s.name + "> is given twice (first at line " + std::to_string(at->second) + ")");
                continue;
            }
            checkAdapter(child, spec);
        }
    }

    void checkAdapter(int section, ServerSpec& spec) {
        const auto& s = _index.section(section);
        for (int child : s.children) {
            problem(_index.section(child).openLine, "section <" + _index.section(child).name + "> inside adapter <" +
                                                        s.name + ">: adapters have keys only");
        }
        AdapterSpec adapter;
        adapter.name = s.name;
        adapter.line = s.openLine;
        if (std::string p = deploy::checkAdapterName(s.name); !p.empty()) problem(s.openLine, p);
        auto values = readKeys(section, "adapter");
        adapter.endpoint = text(values, "adapter", "endpoint", section);
        TC_Endpoint endpoint;
        bool endpointOk = !adapter.endpoint.empty() &&
                          rule(deploy::checkEndpoint(adapter.endpoint, &endpoint), values, "endpoint", section);
        adapter.servant = text(values, "adapter", "servant", section);
        bool servantOk = !adapter.servant.empty() && !spec.app.empty() && !spec.server.empty() &&
                         rule(deploy::checkServant(spec.app, spec.server, adapter.servant), values, "servant", section);
        number(values, "adapter", "threads", section, {1, 1024}, adapter.threads);
        number(values, "adapter", "maxconns", section, {1, 10000000}, adapter.maxconns);
        number(values, "adapter", "queuecap", section, {1, 100000000}, adapter.queuecap);
        number(values, "adapter", "queuetimeout", section, {1, 86400000}, adapter.queuetimeout);
        adapter.protocol = text(values, "adapter", "protocol", section);
        rule(deploy::checkProtocol(adapter.protocol), values, "protocol", section);
        if (auto allow = values.find("allow"); allow != values.end()) adapter.allow = allow->second.text;

        // Within the file: one adapter per servant, one adapter per port of a node.
        if (servantOk) {
            auto [at, fresh] = _servants.emplace(adapter.servant, std::make_pair(adapter.name, values["servant"].line));
            if (!fresh) {
                rule("servant " + adapter.servant + " is already served by adapter <" + at->second.first +
                         "> at line " + std::to_string(at->second.second),
                     values, "servant", section);
            }
        }
        if (endpointOk) {
            for (const auto& node : spec.nodes) {
                std::string port = node + ":" + std::to_string(endpoint.getPort()) + (endpoint.isUdp() ? "/udp" : "");
                auto [at, fresh] = _ports.emplace(port, std::make_pair(adapter.name, values["endpoint"].line));
                if (!fresh) {
                    rule("port " + std::to_string(endpoint.getPort()) + " on node " + node + " is already used by " +
                             portOwner(at->second.first) + " at line " + std::to_string(at->second.second),
                         values, "endpoint", section);
                }
            }
        }
        spec.adapters.push_back(std::move(adapter));
    }

    void checkConfigFiles(int section, ServerSpec& spec) {
        for (const auto& param : _index.section(section).params) {
            problem(param.line, "key '" + param.key +
                                    "' in <configfiles>: each file is a section named after it, "
                                    "e.g. <HelloServer.conf> file = ... </HelloServer.conf>");
        }
        std::map<std::string, int> names;
        for (int child : _index.section(section).children) {
            const auto& s = _index.section(child);
            auto [at, fresh] = names.emplace(s.name, s.openLine);
            if (!fresh) {
                problem(s.openLine, "config file <" + s.name + "> is given twice (first at line " +
                                        std::to_string(at->second) + ")");
                continue;
            }
            checkConfigFile(child, spec);
        }
    }

    void checkConfigFile(int section, ServerSpec& spec) {
        const auto& s = _index.section(section);
        ConfigFileSpec file;
        file.name = s.name;
        file.line = s.openLine;
        if (s.name == "." || s.name == ".." || s.name.find('\\') != std::string::npos) {
            problem(s.openLine, "config file <" + s.name + ">: the section name is the file name, a plain name");
        }
        auto values = readKeys(section, "configfile");
        auto children = readSections(section, {"content"});

        std::string level = text(values, "configfile", "level", section);
        if (level == "app" || level == "1") {
            file.level = ConfigFileSpec::Level::App;
        } else if (level == "server" || level == "2") {
            file.level = ConfigFileSpec::Level::Server;
        } else if (level == "host" || level == "3") {
            file.level = ConfigFileSpec::Level::Host;
        } else {
            rule("'" + level + "' is not app, server or host", values, "level", section);
        }
        std::string hosts = text(values, "configfile", "host", section);
        if (file.level == ConfigFileSpec::Level::Host) {
            file.hosts = hosts.empty() ? spec.nodes : TC_Common::sepstr(hosts, ";, \t");
            for (const auto& host : file.hosts) rule(deploy::checkNodeName(host), values, "host", section);
        } else if (!hosts.empty()) {
            rule("a host is only for level = host", values, "host", section);
        }

        std::string path = text(values, "configfile", "file", section);
        auto content = children.find("content");
        if (!path.empty() && content != children.end()) {
            rule("give either file or <content>, not both", values, "file", section);
        } else if (!path.empty()) {
            std::string absolute = absolutePath(path, _baseDir);
            std::error_code error;
            std::ifstream in(absolute, std::ios::binary);
            if (!in || !fs::is_regular_file(absolute, error)) {
                rule("cannot read '" + absolute + "'", values, "file", section);
            } else {
                std::ostringstream buffer;
                buffer << in.rdbuf();  // an empty file sets failbit here: still a file
                file.content = buffer.str();
            }
        } else if (content != children.end()) {
            file.content = dedent(_index.content(content->second));
        } else {
            problem(s.openLine, "config file <" + s.name + "> needs key 'file' or a <content> section");
        }
        spec.configFiles.push_back(std::move(file));
    }

    ConfigLineIndex _index;
    std::string _fileName;
    std::string _baseDir;
    const std::map<std::string, std::string>& _overrides;
    std::vector<std::string> _problems;
    std::vector<ServerSpec> _servers;
    std::map<std::string, int> _instances;                         // "App.Server on node" -> line
    std::map<std::string, std::pair<std::string, int>> _servants;  // servant -> adapter, line
    std::map<std::string, std::pair<std::string, int>> _ports;     // "node:port" -> adapter, line
};

}  // namespace

DeployFileError::DeployFileError(std::vector<std::string> problems)
    : std::runtime_error(joinLines(problems)), _problems(std::move(problems)) {}

const std::vector<DeployFileKey>& deployFileKeys() {
    static const std::vector<DeployFileKey> keys = {
        {"deploy", "app", nullptr, "Application name (letters, digits, _ and -)."},
        {"deploy", "server", nullptr, "Server name; with app it names the server: app.server."},
        {"deploy", "node", nullptr, "Node(s) to run it on, separated by ; or , (a node name, usually its IP)."},
        {"deploy", "template", "tars.default", "Profile template the server's config is built from."},
        {"deploy", "executable", "",
         "The server's program, relative to this file's directory; checked to exist and be executable. Empty: "
         "the node runs <node data>/<app>.<server>/bin/<server>, the version tarsadmin publish installed there."},
        {"deploy", "basepath", "", "The server's base directory on the node; empty: the node's default."},
        {"deploy", "setting", "active", "active: the node runs it; inactive: deployed but not started."},
        {"deploy", "servertype", "tars_cpp", "tars_cpp, tars_java, tars_nodejs, tars_php, tars_go or not_tars."},
        {"deploy", "asyncthread", "3", "Callback threads of the server's client side (0..1024)."},
        {"deploy", "set", "", "Set division name.area.group; empty: no set."},
        {"deploy", "ops", "",
         "The server's ops endpoint (HTTP /metrics, /health, /status), e.g. tcp -h localip -p 20003 -t 60000; "
         "host localip = the node's IP. The registry lists it for Prometheus. Empty: none."},
        {"adapter", "endpoint", nullptr,
         "Listen endpoint, e.g. tcp -h localip -p 20001 -t 60000; host localip = the node's IP."},
        {"adapter", "servant", nullptr, "The object it serves: app.server.Name."},
        {"adapter", "threads", "5", "Handle threads (1..1024)."},
        {"adapter", "maxconns", "10240", "Most open connections."},
        {"adapter", "queuecap", "100000", "Most requests waiting for a handle thread."},
        {"adapter", "queuetimeout", "600000", "Milliseconds a request may wait in the queue."},
        {"adapter", "protocol", "tars", "tars, or the name of another protocol the server registers (http, not_tars)."},
        {"adapter", "allow", "", "IPs or prefixes allowed to connect, separated by ; (empty: all)."},
        {"configfile", "file", "", "Where the content is, relative to this file (or give a <content> section)."},
        {"configfile", "level", "server",
         "app: every server of the application; server: this server; host: this server on the given hosts."},
        {"configfile", "host", "", "level = host only: the hosts, separated by ; (empty: every node of <deploy>)."},
    };
    return keys;
}

std::vector<ServerSpec> DeployFile::parse(const std::string& text, const std::string& fileName,
                                          const std::string& baseDir,
                                          const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> problems;
    const auto deployKeys = keyNames("deploy");
    for (const auto& [key, value] : overrides) {
        if (!findKey("deploy", key)) {
            problems.push_back("--set " + key + "=" + value + ": unknown key of <deploy>" +
                               suggestion(key, deployKeys));
        }
    }
    if (!problems.empty()) throw DeployFileError(problems);
    try {
        TC_Config syntax;
        syntax.parseString(text);
    } catch (const TC_Config_Exception& e) {
        // "TC_Config: <string>:12: problem" -> "FILE:12: problem"
        std::string message = e.what();
        if (message.starts_with("TC_Config: ")) message.erase(0, std::strlen("TC_Config: "));
        if (message.starts_with("<string>:")) message = fileName + message.substr(std::strlen("<string>"));
        throw DeployFileError({message});
    }
    return Checker(text, fileName, baseDir, overrides).run();
}

std::vector<ServerSpec> DeployFile::load(const std::string& path, const std::map<std::string, std::string>& overrides) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DeployFileError({path + ": cannot open: " + std::strerror(errno)});
    std::ostringstream text;
    text << in.rdbuf();
    std::string baseDir = fs::absolute(fs::path(path)).parent_path().lexically_normal().string();
    return parse(text.str(), path, baseDir, overrides);
}

}  // namespace tars::admin
