#include "internal/HashLoadBalancer.h"

namespace tars {

size_t HashLoadBalancer::select(int64_t key, const std::vector<uint8_t>& usable) {
    if (_count == 0) return kNone;
    size_t start = static_cast<size_t>(static_cast<uint64_t>(key) % _count);
    for (size_t i = 0; i < _count; ++i) {
        size_t index = (start + i) % _count;
        if (usable[index]) return index;
    }
    return kNone;
}

}  // namespace tars
