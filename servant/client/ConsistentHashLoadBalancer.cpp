#include "internal/ConsistentHashLoadBalancer.h"

#include <algorithm>
#include <string>

namespace tars {

uint64_t ConsistentHashLoadBalancer::hash(const void* data, size_t len) {
    const auto* p = static_cast<const unsigned char*>(data);
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < len; ++i) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    // FNV alone clusters similar strings; a final avalanche spreads them over the ring.
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

void ConsistentHashLoadBalancer::setNodes(const std::vector<Node>& nodes) {
    _count = nodes.size();
    _ring.clear();
    _ring.reserve(nodes.size() * kVirtualNodes);
    for (size_t n = 0; n < nodes.size(); ++n) {
        for (int v = 0; v < kVirtualNodes; ++v) {
            std::string point = nodes[n].key + "#" + std::to_string(v);
            _ring.emplace_back(hash(point.data(), point.size()), n);
        }
    }
    std::sort(_ring.begin(), _ring.end());
}

size_t ConsistentHashLoadBalancer::select(int64_t key, const std::vector<uint8_t>& usable) {
    if (_ring.empty()) return kNone;
    uint64_t h = hash(&key, sizeof(key));
    auto it = std::lower_bound(_ring.begin(), _ring.end(), std::make_pair(h, size_t{0}));
    for (size_t i = 0; i < _ring.size(); ++i, ++it) {
        if (it == _ring.end()) it = _ring.begin();
        if (usable[it->second]) return it->second;
    }
    return kNone;
}

}  // namespace tars
