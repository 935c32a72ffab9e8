// HashLoadBalancer: tars_hash(code) calls go to endpoint code % n of the full list, so a
// code sticks to one endpoint while the list is unchanged; when that endpoint is not
// usable the call takes the next usable one after it. See LoadBalancer.h.
#pragma once

#include "internal/LoadBalancer.h"

namespace tars {

class HashLoadBalancer : public LoadBalancer {
public:
    const char* name() const override { return "hash"; }
    void setNodes(const std::vector<Node>& nodes) override { _count = nodes.size(); }
    size_t select(int64_t key, const std::vector<uint8_t>& usable) override;

private:
    size_t _count = 0;
};

}  // namespace tars
