#include "ServerConfigBuilder.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <random>

#include "NodeException.h"
#include "util/tc_common.h"
#include "util/tc_config.h"
#include "util/tc_endpoint.h"
#include "util/tc_file.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {

constexpr const char* kServerPath = "/tars/application/server";

// Application and server names become directory and file names: letters, digits, '_',
// '-' and '.', not starting with '.' (no "..", no '/').
void checkName(const char* what, const std::string& name, const std::string& id) {
    bool ok = !name.empty() && name[0] != '.';
    for (char c : name) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) ok = false;
    }
    if (!ok) throw Node_Exception("server " + id + ": " + what + " '" + name + "' is not a usable name");
}

// True when the local TCP port can be bound now (no SO_REUSEADDR: any bound socket counts).
bool portIsFree(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    ::close(fd);
    return free;
}

}  // namespace

ServerLayout ServerConfigBuilder::layout(const ServerDescriptor& server) const {
    ServerLayout l;
    l.id = server.application + "." + server.serverName;
    checkName("application", server.application, l.id);
    checkName("server name", server.serverName, l.id);
    if (server.basePath.starts_with('/')) {
        l.dir = TC_Common::trimright(server.basePath, "/");
        if (l.dir.empty()) throw Node_Exception("server " + l.id + ": basePath '/' cannot be a server's directory");
    } else {
        l.dir = _node.dataPath + l.id;
    }
    l.configFile = l.dir + "/conf/" + l.id + ".config.conf";
    if (server.exePath.starts_with('/')) {
        l.exe = server.exePath;
    } else if (!server.exePath.empty()) {
        l.exe = l.dir + "/bin/" + server.exePath;
    } else {
        l.exe = l.dir + "/bin/" + server.serverName;
    }
    l.exeDir = TC_File::extractFilePath(l.exe);
    l.binDir = l.dir + "/bin/";
    l.dataDir = l.dir + "/data/";
    l.logDir = _node.logPath + server.application + "/" + server.serverName + "/";
    l.outputFile = l.logDir + l.id + ".stdout.log";
    l.pidFile = l.dir + "/" + l.id + ".pid";
    return l;
}

std::map<std::string, std::string> ServerConfigBuilder::macros(const ServerDescriptor& server,
                                                               const ServerLayout& layout,
                                                               const std::string& local) const {
    return {
        {"locator", _node.locator},
        {"app", server.application},
        {"server", server.serverName},
        {"modulename", layout.id},
        {"serverid", layout.id},
        {"nodename", _node.nodeName},
        {"localip", _node.localIp},
        {"basepath", layout.binDir},
        {"datapath", layout.dataDir},
        {"logpath", _node.logPath},
        {"local", local},
        {"exe", layout.exe},
        {"asyncthread", std::to_string(server.asyncThreadNum)},
        {"setdivision", server.setId.empty() ? std::string("NULL") : server.setId},
        {"enableset", server.setId.empty() ? "n" : "y"},
        {"config-center-port", std::to_string(server.configCenterPort)},
    };
}

std::string ServerConfigBuilder::replaceMacros(std::string text, const std::map<std::string, std::string>& macros) {
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (true) {
        size_t open = text.find("${", pos);
        if (open == std::string::npos) break;
        size_t close = text.find('}', open + 2);
        if (close == std::string::npos) break;
        out.append(text, pos, open - pos);
        auto found = macros.find(text.substr(open + 2, close - open - 2));
        if (found != macros.end()) {
            out += found->second;
        } else {
            out.append(text, open, close + 1 - open);  // an unknown macro stays as written
        }
        pos = close + 1;
    }
    out.append(text, pos, std::string::npos);
    return out;
}

std::string ServerConfigBuilder::build(const ServerDescriptor& server, const ServerLayout& layout,
                                       int adminPort) const {
    const std::string local = "tcp -h 127.0.0.1 -p " + std::to_string(adminPort) + " -t 10000";
    const auto values = macros(server, layout, local);

    TC_Config conf;
    conf.insertDomainParam("/tars/application",
                           {{"enableset", values.at("enableset")}, {"setdivision", values.at("setdivision")}}, true);
    std::map<std::string, std::string> params = {
        {"app", server.application}, {"server", server.serverName},
        {"localip", _node.localIp},  {"nodename", _node.nodeName},
        {"basepath", layout.binDir}, {"datapath", layout.dataDir},
        {"logpath", _node.logPath},  {"local", local},
        {"node", _node.serverObj},
    };
    if (_node.serverKeepAliveIntervalMs > 0) {
        params["keepaliveinterval"] = std::to_string(_node.serverKeepAliveIntervalMs);
    }
    conf.insertDomainParam(kServerPath, params, true);

    for (const auto& [name, adapter] : server.adapters) {
        if (name.empty() || name.find_first_of("/<> \t") != std::string::npos) {
            throw Node_Exception("server " + layout.id + ": adapter name '" + name + "' cannot be a config section");
        }
        std::string endpointText = replaceMacros(adapter.endpoint, values);
        TC_Endpoint endpoint;
        try {
            endpoint.parse(endpointText);
        } catch (const std::exception& e) {
            throw Node_Exception("server " + layout.id + ": adapter " + name + ": endpoint '" + adapter.endpoint +
                                 "': " + e.what());
        }
        if (endpoint.getHost() == "localip") {
            endpoint.setHost(_node.localIp);
            endpointText = endpoint.toString();
        }
        std::string threads = TC_Common::trim(adapter.threadNum);
        std::string protocol = TC_Common::trim(adapter.protocol);
        conf.insertDomainParam(std::string(kServerPath) + "/" + name,
                               {{"endpoint", endpointText},
                                {"servant", adapter.servant},
                                {"threads", threads.empty() ? "1" : threads},
                                {"maxconns", std::to_string(adapter.maxConnections)},
                                {"queuecap", std::to_string(adapter.queuecap)},
                                {"queuetimeout", std::to_string(adapter.queuetimeout)},
                                {"protocol", protocol.empty() ? "tars" : protocol},
                                {"allow", adapter.allowIp}},
                               true);
    }

    std::map<std::string, std::string> client;
    if (!_node.locator.empty()) client["locator"] = _node.locator;
    if (server.asyncThreadNum > 0) client["asyncthread"] = std::to_string(server.asyncThreadNum);
    conf.insertDomainParam("/tars/application/client", client, true);

    std::string profileText = TC_Common::replace(replaceMacros(server.profile, values), "\\s", " ");
    if (!TC_Common::trim(profileText).empty()) {
        TC_Config profile;
        try {
            profile.parseString(profileText);
        } catch (const std::exception& e) {
            throw Node_Exception("server " + layout.id + ": its profile is not a valid config: " + e.what());
        }
        conf.joinConfig(profile, true);
    }
    // The ops endpoint (the deploy file's `ops`, kept in the profile): localip is the
    // node's IP, as in the adapters' endpoints.
    const std::string opsKey = std::string(kServerPath) + "<ops>";
    if (std::string ops = TC_Common::trim(conf.get(opsKey)); !ops.empty()) {
        TC_Endpoint endpoint;
        try {
            endpoint.parse(ops);
        } catch (const std::exception& e) {
            throw Node_Exception("server " + layout.id + ": ops endpoint '" + ops + "': " + e.what());
        }
        if (endpoint.getHost() == "localip") {
            endpoint.setHost(_node.localIp);
            conf.insertDomainParam(kServerPath, {{"ops", endpoint.toString()}}, true);
        }
    }
    return "# " + layout.id + " on node " + _node.nodeName + ": written by tarsnode at " +
           TC_Common::tm2str(TC_TimeProvider::getInstance()->getNow()) +
           "; it is rewritten on every load, change the profile instead.\n" + conf.tostr();
}

int ServerConfigBuilder::existingAdminPort(const std::string& configText) {
    try {
        TC_Config conf;
        conf.parseString(configText);
        std::string local = TC_Common::trim(conf.get(std::string(kServerPath) + "<local>"));
        if (local.empty()) return 0;
        return TC_Endpoint(local).getPort();
    } catch (const std::exception&) {
        return 0;
    }
}

int ServerConfigBuilder::findFreeLocalPort(int first, int last) {
    constexpr int kTries = 500;
    std::random_device seed;
    std::mt19937 random(seed());
    std::uniform_int_distribution<int> pick(first, last);
    for (int i = 0; i < kTries; ++i) {
        int port = pick(random);
        if (portIsFree(port)) return port;
    }
    throw Node_Exception("no free local port in " + std::to_string(first) + ".." + std::to_string(last) + " after " +
                         std::to_string(kTries) + " tries");
}

}  // namespace tars
