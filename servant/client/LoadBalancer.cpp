#include "internal/LoadBalancer.h"

#include <stdexcept>

#include "internal/ConsistentHashLoadBalancer.h"
#include "internal/HashLoadBalancer.h"
#include "internal/RoundRobinLoadBalancer.h"
#include "internal/WeightedLoadBalancer.h"

namespace tars {

// The one place that knows every policy: adding one is a class and a line here.
std::unique_ptr<LoadBalancer> LoadBalancer::create(const std::string& name) {
    if (name == "roundrobin" || name.empty()) return std::make_unique<RoundRobinLoadBalancer>();
    if (name == "hash") return std::make_unique<HashLoadBalancer>();
    if (name == "consistenthash") return std::make_unique<ConsistentHashLoadBalancer>();
    if (name == "weighted") return std::make_unique<WeightedLoadBalancer>();
    throw std::invalid_argument("unknown load balancer '" + name +
                                "' (known: roundrobin, hash, consistenthash, weighted)");
}

bool LoadBalancer::isKnown(const std::string& name) {
    return name.empty() || name == "roundrobin" || name == "hash" || name == "consistenthash" || name == "weighted";
}

}  // namespace tars
