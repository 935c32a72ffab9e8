#include "PrometheusTargets.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "DeployRules.h"
#include "util/tc_common.h"
#include "util/tc_config.h"
#include "util/tc_endpoint.h"

namespace tars {

namespace {

std::string opsEndpointOf(const std::string& profileText) {
    if (TC_Common::trim(profileText).empty()) return "";
    try {
        TC_Config profile;
        profile.parseString(profileText);
        return TC_Common::trim(profile.get("/tars/application/server<ops>"));
    } catch (const std::exception&) {
        return "";
    }
}

// The node's IP as the registry knows it; "" when unknown.
std::string nodeIp(const std::string& nodeName, const std::vector<NodeRecord>& nodes) {
    for (const auto& node : nodes) {
        if (node.nodeName == nodeName && !node.endpointIp.empty()) return node.endpointIp;
    }
    return deploy::isIpAddress(nodeName) ? nodeName : "";
}

bool isWildcard(const std::string& host) { return host == "0.0.0.0" || host == "*" || host == "::"; }

}  // namespace

std::optional<PrometheusTarget> prometheusTarget(const ServerConf& server, const std::vector<NodeRecord>& nodes) {
    if (server.presentState != "active") return std::nullopt;
    const std::string ops = opsEndpointOf(server.profile);
    if (ops.empty()) return std::nullopt;

    std::string host = deploy::endpointHost(ops);
    if (host.empty()) {
        host = "127.0.0.1";  // the ops endpoint listens on loopback without -h
    } else if (deploy::isLocalipHost(host) || isWildcard(host)) {
        host = nodeIp(server.nodeName, nodes);
        if (host.empty()) return std::nullopt;
    }
    TC_Endpoint endpoint;
    try {
        const std::string hostless = deploy::endpointHost(ops).empty() ? ops + " -h 127.0.0.1" : ops;
        endpoint.parse(deploy::replaceEndpointHost(hostless, "127.0.0.1"));
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (endpoint.getPort() <= 0 || endpoint.getPort() > 65535) return std::nullopt;

    PrometheusTarget target;
    target.address =
        (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(endpoint.getPort());
    target.app = server.application;
    target.server = server.serverName;
    target.node = server.nodeName;
    if (server.enableSet == "Y" && !server.setName.empty()) {
        target.set = server.setName + "." + server.setArea + "." + server.setGroup;
    }
    return target;
}

std::string prometheusTargetsJson(const std::vector<ServerConf>& servers, const std::vector<NodeRecord>& nodes) {
    std::vector<PrometheusTarget> targets;
    for (const auto& server : servers) {
        if (auto target = prometheusTarget(server, nodes)) targets.push_back(std::move(*target));
    }
    std::sort(targets.begin(), targets.end(), [](const PrometheusTarget& a, const PrometheusTarget& b) {
        return std::tie(a.app, a.server, a.node) < std::tie(b.app, b.server, b.node);
    });
    nlohmann::json answer = nlohmann::json::array();
    for (const auto& t : targets) {
        answer.push_back({{"targets", nlohmann::json::array({t.address})},
                          {"labels", {{"app", t.app}, {"server", t.server}, {"node", t.node}, {"set", t.set}}}});
    }
    return answer.dump() + "\n";
}

}  // namespace tars
