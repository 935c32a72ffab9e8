// LoadBalancer: the second level of client load balancing, picking one endpoint of an
// object for each call. Each policy is one small class behind this interface, made by
// name with LoadBalancer::create():
//
//   "roundrobin"      RoundRobinLoadBalancer      the default
//   "hash"            HashLoadBalancer            tars_hash(code): code % n, sticky
//   "consistenthash"  ConsistentHashLoadBalancer  tars_consistent_hash(code): a ring, so
//                                                 removing one endpoint moves only its keys
//   "weighted"        WeightedLoadBalancer        EndpointF weight (-w), smooth weighted RR
//
// A balancer sees endpoints as indices 0..n-1 with a stable key (the endpoint string) and
// a weight; setNodes() is called when the list changes, in the same order in every
// network thread, so the same key picks the same endpoint everywhere. select() gets the
// call's key and which nodes are usable now (not isolated, not waiting to reconnect) and
// returns an index, or kNone when no usable node exists.
// Thread-safety: none; each ObjectProxy (one network thread) owns its balancers.
// Errors: create() throws std::invalid_argument for an unknown name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tars {

class LoadBalancer {
public:
    struct Node {
        std::string key;  // the endpoint's canonical string
        int weight = 1;   // > 0
    };
    static constexpr size_t kNone = static_cast<size_t>(-1);

    virtual ~LoadBalancer() = default;
    virtual const char* name() const = 0;
    virtual void setNodes(const std::vector<Node>& nodes) = 0;
    // usable.size() == number of nodes; usable[i] != 0 when node i may take a call.
    virtual size_t select(int64_t key, const std::vector<uint8_t>& usable) = 0;

    static std::unique_ptr<LoadBalancer> create(const std::string& name);
    static bool isKnown(const std::string& name);
};

}  // namespace tars
