#include "internal/RoundRobinLoadBalancer.h"

namespace tars {

void RoundRobinLoadBalancer::setNodes(const std::vector<Node>& nodes) {
    _count = nodes.size();
    if (_next >= _count) _next = 0;
}

size_t RoundRobinLoadBalancer::select(int64_t /*key*/, const std::vector<uint8_t>& usable) {
    for (size_t i = 0; i < _count; ++i) {
        size_t index = (_next + i) % _count;
        if (usable[index]) {
            _next = (index + 1) % _count;
            return index;
        }
    }
    return kNone;
}

}  // namespace tars
