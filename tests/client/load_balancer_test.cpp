// The balancing policies on their own: fairness, stickiness, stability, proportions.
#include <gtest/gtest.h>

#include <map>

#include "internal/ConsistentHashLoadBalancer.h"
#include "internal/LoadBalancer.h"

using tars::LoadBalancer;

namespace {

std::vector<LoadBalancer::Node> nodes(std::vector<int> weights) {
    std::vector<LoadBalancer::Node> out;
    for (size_t i = 0; i < weights.size(); ++i)
        out.push_back({"tcp -h 10.0.0." + std::to_string(i) + " -p 1", weights[i]});
    return out;
}

}  // namespace

TEST(LoadBalancerTest, CreateKnowsEveryPolicyByNameAndRejectsOthers) {
    for (const char* name : {"roundrobin", "hash", "consistenthash", "weighted"}) {
        EXPECT_STREQ(LoadBalancer::create(name)->name(), name);
    }
    EXPECT_THROW(LoadBalancer::create("random"), std::invalid_argument);
}

TEST(LoadBalancerTest, RoundRobinTakesEachUsableNodeInTurn) {
    auto lb = LoadBalancer::create("roundrobin");
    lb->setNodes(nodes({1, 1, 1}));
    std::vector<uint8_t> usable{1, 1, 1};
    std::vector<size_t> picks;
    for (int i = 0; i < 6; ++i) picks.push_back(lb->select(0, usable));
    EXPECT_EQ(picks, (std::vector<size_t>{0, 1, 2, 0, 1, 2}));
    usable[1] = 0;
    for (int i = 0; i < 4; ++i) EXPECT_NE(lb->select(0, usable), 1u);
    EXPECT_EQ(lb->select(0, std::vector<uint8_t>{0, 0, 0}), LoadBalancer::kNone);
}

TEST(LoadBalancerTest, HashIsStickyAndSkipsUnusableNodes) {
    auto lb = LoadBalancer::create("hash");
    lb->setNodes(nodes({1, 1, 1}));
    std::vector<uint8_t> usable{1, 1, 1};
    for (int64_t key = 0; key < 30; ++key) EXPECT_EQ(lb->select(key, usable), static_cast<size_t>(key % 3));
    usable[2] = 0;
    EXPECT_EQ(lb->select(2, usable), 0u);  // the next usable after node 2
    EXPECT_EQ(lb->select(1, usable), 1u);  // others keep their node
}

TEST(LoadBalancerTest, ConsistentHashMovesOnlyTheKeysOfALostNode) {
    auto lb = LoadBalancer::create("consistenthash");
    lb->setNodes(nodes({1, 1, 1, 1}));
    std::vector<uint8_t> all{1, 1, 1, 1};
    std::map<int64_t, size_t> before;
    std::map<size_t, int> count;
    for (int64_t key = 0; key < 4000; ++key) {
        before[key] = lb->select(key, all);
        ++count[before[key]];
    }
    for (size_t n = 0; n < 4; ++n) EXPECT_GT(count[n], 600) << "node " << n << " owns too few keys";
    std::vector<uint8_t> without2{1, 1, 0, 1};
    for (int64_t key = 0; key < 4000; ++key) {
        size_t now = lb->select(key, without2);
        if (before[key] != 2)
            EXPECT_EQ(now, before[key]) << "key " << key << " moved";
        else
            EXPECT_NE(now, 2u);
    }
}

TEST(LoadBalancerTest, WeightedGivesSharesProportionalToWeights) {
    auto lb = LoadBalancer::create("weighted");
    lb->setNodes(nodes({1, 2, 3}));
    std::vector<uint8_t> usable{1, 1, 1};
    std::map<size_t, int> count;
    for (int i = 0; i < 600; ++i) ++count[lb->select(0, usable)];
    EXPECT_EQ(count[0], 100);
    EXPECT_EQ(count[1], 200);
    EXPECT_EQ(count[2], 300);
}
