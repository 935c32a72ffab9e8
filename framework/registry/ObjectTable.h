// ObjectTable: the registry's answer to "where is object X?", built in memory from one
// read of the store (RegistryData) and a clock, and applying TARS's selection rules:
//
//   - Rows: each adapter of t_adapter_conf with its server instance of t_server_conf,
//     plus each row of t_registry_info (the registries' own QueryObj / RegistryObj).
//     Instances with bak_flag 1 and endpoints that do not parse are left out.
//   - Active iff setting_state and present_state are "active", flow_state is not
//     "inactive", and the instance's node is alive: no t_node_info row for it (a server
//     not managed by a node), or a node row "active" whose last heartbeat is at most
//     nodeTimeout old (heartbeatOff: node rows are not looked at). Registry rows are
//     active iff "active" and their heartbeat is at most registryTimeout old.
//   - setId = set_name.set_area.set_group when enable_set is Y; grouprealid = the group
//     of ip_group_name, else of the endpoint's host (t_server_group_rule.allow_ip_rule:
//     '|'-separated exact IPs or prefixes ending in '*'); groupworkid = grouprealid when
//     enable_group is Y, else -1.
//   - The find* methods answer QueryF's calls (docs: framework/registry/README.md).
//
// Immutable once built: share it (std::shared_ptr<const ObjectTable>) between threads
// and read it from any number of them without locks.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "EndpointF.h"
#include "StoreRecords.h"

namespace tars {

class ObjectTable {
public:
    struct Options {
        int64_t nodeTimeoutSeconds = 250;
        int64_t registryTimeoutSeconds = 150;
        bool heartbeatOff = false;  // ignore node heartbeats (migrations)
    };

    // One endpoint of an object with what the rules need to know about it.
    struct Entry {
        EndpointF endpoint;
        bool active = false;
        bool inSet = false;  // a valid set: name, area and group non-empty, name/area not '*'
        std::string setName;
        std::string setArea;  // name.area
        std::string setId;    // name.area.group
    };

    ObjectTable() = default;
    static ObjectTable build(const RegistryData& data, int64_t now, const Options& options);

    // The active endpoints of id.
    std::vector<EndpointF> findObjectById(const std::string& id) const;
    // Every endpoint of id; 0.
    int findObjectById4Any(const std::string& id, std::vector<EndpointF>& active,
                           std::vector<EndpointF>& inactive) const;
    // callerHost: the caller's IP (or node name); its group picks the endpoints. 0.
    int findObjectByIdInSameGroup(const std::string& id, const std::string& callerHost, std::vector<EndpointF>& active,
                                  std::vector<EndpointF>& inactive) const;
    // -1 for a station no group priority row names; else 0.
    int findObjectByIdInSameStation(const std::string& id, const std::string& station, std::vector<EndpointF>& active,
                                    std::vector<EndpointF>& inactive) const;
    // -1 for a malformed set id or a set with no endpoint; falls back to the same-group
    // rule when the object has no endpoint in a set of that name.
    int findObjectByIdInSameSet(const std::string& id, const std::string& setId, const std::string& callerHost,
                                std::vector<EndpointF>& active, std::vector<EndpointF>& inactive) const;

    // The group of an IP by t_server_group_rule (-1: none).
    int groupIdOf(const std::string& ip) const;

    size_t objectCount() const { return _objects.size(); }
    // Every object name with its entries, for admin views and tests.
    const std::map<std::string, std::vector<Entry>>& objects() const { return _objects; }

private:
    struct Rule {
        int groupId;
        std::vector<std::string> allow;
    };
    struct Priority {
        std::string station;
        std::set<int> groups;
    };

    const std::vector<Entry>* entries(const std::string& id) const;

    std::map<std::string, std::vector<Entry>> _objects;
    std::vector<Rule> _rules;                 // by group_id
    std::map<std::string, int> _groupByName;  // group_name -> group_id
    std::vector<Priority> _priorities;        // by list_order
};

}  // namespace tars
