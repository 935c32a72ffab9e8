// WeightedLoadBalancer: smooth weighted round robin over the usable endpoints; over any
// run of calls each endpoint gets a share proportional to its weight (EndpointF.weight,
// `-w` in an endpoint string), interleaved rather than in bursts. Chosen automatically
// when every endpoint has weightType 1 (static weight), or by name. See LoadBalancer.h.
#pragma once

#include "internal/LoadBalancer.h"

namespace tars {

class WeightedLoadBalancer : public LoadBalancer {
public:
    const char* name() const override { return "weighted"; }
    void setNodes(const std::vector<Node>& nodes) override;
    size_t select(int64_t key, const std::vector<uint8_t>& usable) override;

private:
    std::vector<int64_t> _weight;
    std::vector<int64_t> _current;
};

}  // namespace tars
