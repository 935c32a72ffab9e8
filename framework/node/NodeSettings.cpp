#include "NodeSettings.h"

#include <string_view>

#include "util/tc_common.h"

namespace tars {

namespace {

constexpr const char* kNode = "/tars/node";
constexpr const char* kKeepAlive = "/tars/node/keepalive";
constexpr const char* kActivator = "/tars/app_conf/default";

const char* declaredDefault(const char* section, const char* name) {
    for (const auto& key : nodeConfigKeys()) {
        if (std::string_view(key.section) == section && std::string_view(key.name) == name) return key.defaultValue;
    }
    throw NodeSettings_Exception(std::string("undeclared node key ") + section + "<" + name + ">");
}

class Reader {
public:
    Reader(const TC_Config& config, const std::string& file) : _config(config), _file(file) {}

    std::string text(const char* section, const char* name) const {
        return TC_Common::trim(_config.get(std::string(section) + "<" + name + ">", declaredDefault(section, name)));
    }

    // An integer in [min, max] (unit names the unit in the error message).
    int number(const char* section, const char* name, int min, int max, const char* unit) const {
        std::string value = text(section, name);
        auto parsed = TC_Common::tryStrto<int>(value);
        if (!parsed || *parsed < min || *parsed > max) {
            throw NodeSettings_Exception("config file '" + _file + "': " + section + "<" + name + ">='" + value +
                                         "' is not a number of " + unit + " in " + std::to_string(min) + ".." +
                                         std::to_string(max));
        }
        return *parsed;
    }

private:
    const TC_Config& _config;
    const std::string& _file;
};

constexpr int kMaxSeconds = 24 * 3600;

}  // namespace

const std::vector<NodeConfigKey>& nodeConfigKeys() {
    static const std::vector<NodeConfigKey> keys = {
        {kNode, "registryObj", "tars.tarsregistry.RegistryObj",
         "The registry's RegistryObj: Obj@endpoints, or a bare name resolved through the locator of "
         "/tars/application/client."},
        {kNode, "nodename", "",
         "This node's name in the registry when --nodeid is not given; empty: the server's localip."},
        {kNode, "patchObj", "tars.tarspatch.PatchObj",
         "The tarspatch PatchObj patchPro downloads from when the request names none (Obj@endpoints, or a "
         "bare name resolved through the locator)."},
        {kNode, "keepVersions", "5",
         "Published versions kept in each server's versions/ folder (the running one included), 1..100; older "
         "ones are deleted after a successful patch."},
        {kNode, "drainWait", "6000",
         "Milliseconds an active server is drained before the node stops it (stop, restart, patch): the registry "
         "stops returning its endpoints at once and the node waits this long before AdminF.shutdown, so that "
         "clients refresh their endpoint lists first. Set it to at least the clients' refresh-endpoint-interval "
         "(TARS's default is 60000; the minimum 5000). 0: no drain; 0..60000."},
        {kKeepAlive, "heartTimeout", "45",
         "Seconds without a heartbeat after which an active server is killed and restarted, unless its own "
         "config sets hearttimeout."},
        {kKeepAlive, "monitorInterval", "2",
         "Seconds between two checks of the servers (and between two registration attempts), 1..10."},
        {kKeepAlive, "reportAliveInterval", "10", "Seconds between two node heartbeats (Registry.keepAlive)."},
        {kKeepAlive, "synStatInterval", "60",
         "Seconds between two reports of every server's state (Registry.updateServerBatch)."},
        {kKeepAlive, "serverKeepAliveInterval", "0",
         "Milliseconds written as keepaliveinterval into each server's config (its heartbeat period, at least "
         "500); 0: not written, the server's default (10000) applies."},
        {kActivator, "ActivatorMaxCount", "10",
         "Automatic starts of one server allowed within ActivatorTimeInterval; one more is refused."},
        {kActivator, "ActivatorTimeInterval", "60", "Seconds of the window ActivatorMaxCount counts starts in."},
        {kActivator, "ActivatorPunishInterval", "600",
         "Seconds without automatic starts of a server that reached ActivatorMaxCount."},
    };
    return keys;
}

NodeSettings NodeSettings::fromConfig(const TC_Config& config, const std::string& configFile,
                                      const std::string& nodeIdArgument, const std::string& localIp) {
    Reader read(config, configFile);
    NodeSettings s;
    s.registryObj = read.text(kNode, "registryObj");
    if (s.registryObj.empty()) {
        throw NodeSettings_Exception("config file '" + configFile + "': " + kNode + "<registryObj> is empty");
    }
    s.nodeName = TC_Common::trim(nodeIdArgument);
    if (s.nodeName.empty()) s.nodeName = read.text(kNode, "nodename");
    if (s.nodeName.empty()) s.nodeName = localIp;
    if (s.nodeName.empty()) {
        throw NodeSettings_Exception("config file '" + configFile +
                                     "': no node name (--nodeid, /tars/node<nodename> and localip are empty)");
    }
    s.patchObj = read.text(kNode, "patchObj");
    if (s.patchObj.empty()) {
        throw NodeSettings_Exception("config file '" + configFile + "': " + kNode + "<patchObj> is empty");
    }
    s.keepVersions = read.number(kNode, "keepVersions", 1, 100, "versions");
    s.drainWaitMs = read.number(kNode, "drainWait", 0, 60000, "milliseconds");
    s.heartTimeoutSeconds = read.number(kKeepAlive, "heartTimeout", 1, kMaxSeconds, "seconds");
    s.monitorIntervalSeconds = read.number(kKeepAlive, "monitorInterval", 1, 10, "seconds");
    s.reportAliveIntervalSeconds = read.number(kKeepAlive, "reportAliveInterval", 1, kMaxSeconds, "seconds");
    s.synStatIntervalSeconds = read.number(kKeepAlive, "synStatInterval", 1, kMaxSeconds, "seconds");
    s.serverKeepAliveIntervalMs =
        read.number(kKeepAlive, "serverKeepAliveInterval", 0, kMaxSeconds * 1000, "milliseconds");
    if (s.serverKeepAliveIntervalMs != 0 && s.serverKeepAliveIntervalMs < 500) {
        throw NodeSettings_Exception("config file '" + configFile + "': " + kKeepAlive +
                                     "<serverKeepAliveInterval>=" + std::to_string(s.serverKeepAliveIntervalMs) +
                                     " is below the servers' minimum of 500 ms (0: not written)");
    }
    s.activatorMaxCount = read.number(kActivator, "ActivatorMaxCount", 1, 1000000, "starts");
    s.activatorTimeIntervalSeconds = read.number(kActivator, "ActivatorTimeInterval", 1, kMaxSeconds, "seconds");
    s.activatorPunishIntervalSeconds = read.number(kActivator, "ActivatorPunishInterval", 0, kMaxSeconds, "seconds");
    return s;
}

}  // namespace tars
