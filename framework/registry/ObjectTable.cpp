#include "ObjectTable.h"

#include "util/tc_common.h"
#include "util/tc_endpoint.h"
#include "util/tc_logger.h"

namespace tars {

namespace {

bool isYes(const std::string& flag) { return TC_Common::lower(TC_Common::trim(flag)) == "y"; }

// Splits into the kept-apart lists a registry answer is made of.
void split(const std::vector<ObjectTable::Entry>& entries, std::vector<EndpointF>& active,
           std::vector<EndpointF>& inactive, const auto& keep) {
    active.clear();
    inactive.clear();
    for (const auto& entry : entries) {
        if (!keep(entry)) continue;
        (entry.active ? active : inactive).push_back(entry.endpoint);
    }
}

}  // namespace

ObjectTable ObjectTable::build(const RegistryData& data, int64_t now, const Options& options) {
    ObjectTable table;

    for (const auto& rule : data.groupRules) {
        Rule r{rule.groupId, {}};
        for (auto& ip : TC_Common::sepstr(rule.allowIpRule, "|")) {
            std::string trimmed = TC_Common::trim(ip);
            if (!trimmed.empty()) r.allow.push_back(std::move(trimmed));
        }
        table._rules.push_back(std::move(r));
        if (!rule.groupName.empty()) table._groupByName[rule.groupName] = rule.groupId;
    }
    for (const auto& priority : data.groupPriorities) {  // already by list_order
        Priority p{priority.station, {}};
        for (const auto& id : TC_Common::sepstr(priority.groupList, "|,;")) {
            if (auto value = TC_Common::tryStrto<int>(TC_Common::trim(id))) p.groups.insert(*value);
        }
        table._priorities.push_back(std::move(p));
    }

    std::map<std::string, const NodeRecord*> nodes;
    for (const auto& node : data.nodes) nodes[node.nodeName] = &node;
    auto nodeAlive = [&](const std::string& nodeName) {
        if (options.heartbeatOff) return true;
        auto it = nodes.find(nodeName);
        if (it == nodes.end()) return true;  // not managed by a node: its own state decides
        const NodeRecord& node = *it->second;
        return node.presentState == "active" && node.lastHeartbeat >= now - options.nodeTimeoutSeconds;
    };

    std::map<ServerKey, const ServerConf*> servers;
    for (const auto& server : data.servers) servers[server.key()] = &server;

    auto makeEndpoint = [&](const std::string& text, const std::string& what, EndpointF& out) {
        TC_Endpoint ep;
        try {
            ep.parse(text);
        } catch (const std::exception& e) {
            TLOGWARN("registry: " << what << ": bad endpoint '" << text << "': " << e.what() << std::endl);
            return false;
        }
        if (ep.isUnix()) {
            // A Unix socket serves callers on its own host only and has no EndpointF form.
            TLOGWARN("registry: " << what << ": unix endpoint '" << text << "' is not published" << std::endl);
            return false;
        }
        out.host = ep.getHost();
        out.port = ep.getPort();
        out.timeout = ep.getTimeout();
        out.istcp = static_cast<int>(ep.getType());
        out.grid = ep.getGrid();
        out.qos = ep.getQos();
        out.weight = ep.getWeight();
        out.weightType = ep.getWeightType();
        out.authType = ep.getAuthType();
        out.grouprealid = table.groupIdOf(out.host);
        return true;
    };

    for (const auto& adapter : data.adapters) {
        auto it = servers.find(adapter.key());
        if (it == servers.end() || adapter.servant.empty()) continue;
        const ServerConf& server = *it->second;
        if (server.bakFlag == 1) continue;  // a standby instance is never routed to

        Entry entry;
        std::string what = server.application + "." + server.serverName + "@" + server.nodeName;
        if (!makeEndpoint(adapter.endpoint, what, entry.endpoint)) continue;
        EndpointF& ep = entry.endpoint;
        if (!server.ipGroupName.empty()) {
            auto group = table._groupByName.find(server.ipGroupName);
            ep.grouprealid = group == table._groupByName.end() ? -1 : group->second;
        }
        ep.groupworkid = isYes(server.enableGroup) ? ep.grouprealid : -1;
        ep.bakFlag = server.bakFlag;
        ep.nodeName = server.nodeName;
        if (isYes(server.enableSet)) {
            ep.setId = server.setName + "." + server.setArea + "." + server.setGroup;
            entry.inSet = !server.setName.empty() && !server.setArea.empty() && !server.setGroup.empty() &&
                          server.setName != "*" && server.setArea != "*";
            if (entry.inSet) {
                entry.setName = server.setName;
                entry.setArea = server.setName + "." + server.setArea;
                entry.setId = ep.setId;
            }
        }
        entry.active = server.settingState == "active" && server.presentState == "active" &&
                       server.flowState != "inactive" && nodeAlive(server.nodeName);
        table._objects[adapter.servant].push_back(std::move(entry));
    }

    for (const auto& registry : data.registries) {
        Entry entry;
        if (!makeEndpoint(registry.endpoint, "registry " + registry.locatorId, entry.endpoint)) continue;
        entry.endpoint.groupworkid = isYes(registry.enableGroup) ? entry.endpoint.grouprealid : -1;
        entry.active =
            registry.presentState == "active" && registry.lastHeartbeat >= now - options.registryTimeoutSeconds;
        table._objects[registry.servant].push_back(std::move(entry));
    }
    return table;
}

int ObjectTable::groupIdOf(const std::string& ip) const {
    if (ip.empty()) return -1;
    for (const auto& rule : _rules) {
        for (const auto& pattern : rule.allow) {
            bool match = pattern.ends_with('*')
                             ? ip.starts_with(std::string_view(pattern).substr(0, pattern.size() - 1))
                             : ip == pattern;
            if (match) return rule.groupId;
        }
    }
    return -1;
}

const std::vector<ObjectTable::Entry>* ObjectTable::entries(const std::string& id) const {
    auto it = _objects.find(id);
    return it == _objects.end() ? nullptr : &it->second;
}

std::vector<EndpointF> ObjectTable::findObjectById(const std::string& id) const {
    std::vector<EndpointF> active;
    std::vector<EndpointF> inactive;
    findObjectById4Any(id, active, inactive);
    return active;
}

int ObjectTable::findObjectById4Any(const std::string& id, std::vector<EndpointF>& active,
                                    std::vector<EndpointF>& inactive) const {
    active.clear();
    inactive.clear();
    if (const auto* all = entries(id)) split(*all, active, inactive, [](const Entry&) { return true; });
    return 0;
}

int ObjectTable::findObjectByIdInSameGroup(const std::string& id, const std::string& callerHost,
                                           std::vector<EndpointF>& active, std::vector<EndpointF>& inactive) const {
    int callerGroup = groupIdOf(callerHost);
    if (callerGroup == -1) return findObjectById4Any(id, active, inactive);
    active.clear();
    inactive.clear();
    const auto* all = entries(id);
    if (!all) return 0;

    // The caller's own group first, then each priority list holding it, then the
    // ungrouped endpoints, and at last everything.
    split(*all, active, inactive, [&](const Entry& e) { return e.endpoint.groupworkid == callerGroup; });
    for (const auto& priority : _priorities) {
        if (!active.empty()) break;
        if (!priority.groups.contains(callerGroup)) continue;
        split(*all, active, inactive, [&](const Entry& e) { return priority.groups.contains(e.endpoint.groupworkid); });
    }
    if (active.empty()) split(*all, active, inactive, [](const Entry& e) { return e.endpoint.groupworkid == -1; });
    if (active.empty()) split(*all, active, inactive, [](const Entry&) { return true; });
    return 0;
}

int ObjectTable::findObjectByIdInSameStation(const std::string& id, const std::string& station,
                                             std::vector<EndpointF>& active, std::vector<EndpointF>& inactive) const {
    active.clear();
    inactive.clear();
    const Priority* found = nullptr;
    for (const auto& priority : _priorities) {
        if (priority.station == station) {
            found = &priority;
            break;
        }
    }
    if (!found) return -1;
    if (const auto* all = entries(id)) {
        split(*all, active, inactive, [&](const Entry& e) { return found->groups.contains(e.endpoint.grouprealid); });
    }
    return 0;
}

int ObjectTable::findObjectByIdInSameSet(const std::string& id, const std::string& setId, const std::string& callerHost,
                                         std::vector<EndpointF>& active, std::vector<EndpointF>& inactive) const {
    active.clear();
    inactive.clear();
    auto parts = TC_Common::sepstr(setId, ".", true);
    if (parts.size() != 3 || parts[0] == "*" || parts[1] == "*") return -1;
    const std::string& name = parts[0];
    const std::string area = parts[0] + "." + parts[1];

    const auto* all = entries(id);
    bool setNameKnown = false;
    if (all) {
        for (const auto& e : *all) setNameKnown = setNameKnown || (e.inSet && e.setName == name);
    }
    // Sets are not in use for this object (under that name): route by groups.
    if (!setNameKnown) return findObjectByIdInSameGroup(id, callerHost, active, inactive);

    if (parts[2] == "*") {
        split(*all, active, inactive, [&](const Entry& e) { return e.inSet && e.setArea == area; });
    } else {
        split(*all, active, inactive, [&](const Entry& e) { return e.inSet && e.setId == setId; });
        if (active.empty() && inactive.empty()) {
            const std::string wildcard = area + ".*";
            split(*all, active, inactive, [&](const Entry& e) { return e.inSet && e.setId == wildcard; });
        }
    }
    return active.empty() && inactive.empty() ? -1 : 0;
}

}  // namespace tars
