#include "internal/WeightedLoadBalancer.h"

namespace tars {

void WeightedLoadBalancer::setNodes(const std::vector<Node>& nodes) {
    _weight.assign(nodes.size(), 1);
    for (size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].weight > 0) _weight[i] = nodes[i].weight;
    }
    _current.assign(nodes.size(), 0);
}

// Smooth weighted round robin: every usable node gains its weight, the richest is chosen
// and pays the total back. Over sum(weights) calls each node is chosen weight times.
size_t WeightedLoadBalancer::select(int64_t /*key*/, const std::vector<uint8_t>& usable) {
    size_t best = kNone;
    int64_t total = 0;
    for (size_t i = 0; i < _weight.size(); ++i) {
        if (!usable[i]) continue;
        _current[i] += _weight[i];
        total += _weight[i];
        if (best == kNone || _current[i] > _current[best]) best = i;
    }
    if (best != kNone) _current[best] -= total;
    return best;
}

}  // namespace tars
