// ConsistentHashLoadBalancer: tars_consistent_hash(code) calls. Each endpoint owns
// kVirtualNodes points on a 64-bit ring (hashes of its endpoint string), and a code goes
// to the first usable endpoint clockwise from the code's hash. When an endpoint goes
// away (or is isolated) only the codes it owned move; all others keep their endpoint.
// The ring depends only on the endpoint strings, so every thread and every process with
// the same list agrees. See LoadBalancer.h.
#pragma once

#include <utility>

#include "internal/LoadBalancer.h"

namespace tars {

class ConsistentHashLoadBalancer : public LoadBalancer {
public:
    static constexpr int kVirtualNodes = 160;

    const char* name() const override { return "consistenthash"; }
    void setNodes(const std::vector<Node>& nodes) override;
    size_t select(int64_t key, const std::vector<uint8_t>& usable) override;

    // The ring's hash (FNV-1a 64 with a final mix), exposed for tests.
    static uint64_t hash(const void* data, size_t len);

private:
    std::vector<std::pair<uint64_t, size_t>> _ring;  // sorted by point
    size_t _count = 0;
};

}  // namespace tars
