// RoundRobinLoadBalancer: each call takes the next usable endpoint in turn (the default).
// See LoadBalancer.h for the contract; one instance per ObjectProxy, one thread.
#pragma once

#include "internal/LoadBalancer.h"

namespace tars {

class RoundRobinLoadBalancer : public LoadBalancer {
public:
    const char* name() const override { return "roundrobin"; }
    void setNodes(const std::vector<Node>& nodes) override;
    size_t select(int64_t key, const std::vector<uint8_t>& usable) override;

private:
    size_t _count = 0;
    size_t _next = 0;
};

}  // namespace tars
