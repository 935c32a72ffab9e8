// CallTable: the client network thread's calls by request id, checked against
// std::unordered_map under the id patterns a Communicator produces and adversarial ones.
#include "internal/CallTable.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <unordered_map>
#include <vector>

namespace tars {
namespace {

struct Call {
    int32_t id = 0;
};

TEST(CallTableTest, AddsFindsAndEndsCalls) {
    CallTable<Call> table;
    Call a{1}, b{2};
    EXPECT_EQ(table.find(1), nullptr);
    EXPECT_FALSE(table.erase(1, &a));
    EXPECT_TRUE(table.insert(1, &a));
    EXPECT_TRUE(table.insert(2, &b));
    EXPECT_EQ(table.find(1), &a);
    EXPECT_EQ(table.find(2), &b);
    EXPECT_EQ(table.size(), 2u);
    EXPECT_FALSE(table.insert(1, &b)) << "an id in use is refused";
    EXPECT_EQ(table.find(1), &a) << "and the first call keeps it";
    EXPECT_FALSE(table.erase(1, &b)) << "ending another call with the same id leaves this one";
    EXPECT_FALSE(table.insert(3, nullptr)) << "a null call is refused";
    EXPECT_EQ(table.find(3), nullptr);
    EXPECT_EQ(table.find(1), &a);
    EXPECT_TRUE(table.erase(1, &a));
    EXPECT_EQ(table.find(1), nullptr);
    EXPECT_EQ(table.find(2), &b);
    EXPECT_EQ(table.size(), 1u);
}

TEST(CallTableTest, NegativeAndExtremeIdsAreKeys) {
    CallTable<Call> table;
    std::vector<int32_t> ids = {0, -1, INT32_MIN, INT32_MAX, 64, 128, -64};
    std::vector<Call> calls(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) ASSERT_TRUE(table.insert(ids[i], &calls[i]));
    for (size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(table.find(ids[i]), &calls[i]) << ids[i];
    EXPECT_EQ(table.ids().size(), ids.size());
}

// Random inserts and erases against a reference map, at most maxLive ids in the table at
// once; every id of the pool is looked up every checkEvery steps.
void checkAgainstMap(const std::vector<int32_t>& idPool, uint32_t seed, size_t steps, size_t checkEvery,
                     size_t maxLive) {
    std::mt19937 rng(seed);
    CallTable<Call> table;
    std::unordered_map<int32_t, Call*> reference;
    std::vector<size_t> live;  // pool indexes in the table
    std::vector<Call> calls(idPool.size());
    for (size_t step = 0; step < steps; ++step) {
        // Lean towards inserting for the first half (growth), erasing for the second (shrink).
        bool insert = live.size() < maxLive && (live.empty() || (rng() % 100) < (step < steps / 2 ? 70u : 30u));
        size_t pick = rng() % idPool.size();
        if (!insert && !live.empty() && rng() % 2 == 0) {  // an id that is there, half the time
            size_t at = rng() % live.size();
            pick = live[at];
        }
        int32_t id = idPool[pick];
        Call* call = &calls[pick];
        if (insert) {
            bool fresh = reference.emplace(id, call).second;
            ASSERT_EQ(table.insert(id, call), fresh) << "step " << step << " id " << id;
            if (fresh) live.push_back(pick);
        } else {
            bool present = reference.erase(id) == 1;
            ASSERT_EQ(table.erase(id, call), present) << "step " << step << " id " << id;
            if (present) live.erase(std::find(live.begin(), live.end(), pick));
        }
        ASSERT_EQ(table.size(), reference.size());
        if (step % 1000 == 999) table.shrinkIfSparse();  // the network thread's tidy-up
        if (step % checkEvery == 0) {
            for (int32_t probe : idPool) {
                auto it = reference.find(probe);
                ASSERT_EQ(table.find(probe), it == reference.end() ? nullptr : it->second) << "id " << probe;
            }
        }
    }
    std::vector<int32_t> present = table.ids();
    ASSERT_EQ(present.size(), reference.size());
    for (int32_t id : present) EXPECT_EQ(reference.count(id), 1u) << id;
}

// Up to count distinct ids drawn from the whole int32 range.
std::vector<int32_t> randomIds(uint32_t seed, size_t count) {
    std::mt19937 rng(seed);
    std::vector<int32_t> ids(count);
    for (int32_t& id : ids) id = static_cast<int32_t>(rng());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

TEST(CallTableTest, SequentialIdsMatchAReferenceMap) {
    std::vector<int32_t> ids(5000);
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int32_t>(i + 1);
    checkAgainstMap(ids, 1, 60000, 97, ids.size());
}

TEST(CallTableTest, StridedIdsOfSeveralNetworkThreadsMatchAReferenceMap) {
    std::vector<int32_t> ids(4000);
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int32_t>(7 + i * 4);
    checkAgainstMap(ids, 2, 60000, 97, ids.size());
}

TEST(CallTableTest, RandomIdsMatchAReferenceMap) {
    // Ids from the whole range collide in their home slots at every table size, so runs
    // form, wrap around the table's end and are shifted back by erases.
    std::vector<int32_t> ids = randomIds(42, 3000);
    checkAgainstMap(ids, 3, 60000, 97, ids.size());
}

TEST(CallTableTest, ASmallTableNearlyHalfFullMatchesAReferenceMapAtEveryStep) {
    // At most 31 of 2,000 random ids at once: the table stays at 64 slots, nearly half
    // full, and its runs wrap around the end; every id is looked up after every step.
    checkAgainstMap(randomIds(7, 2000), 4, 8000, 1, 31);
}

TEST(CallTableTest, GrowsForABurstAndShrinksAfterIt) {
    CallTable<Call> table;
    std::vector<Call> calls(100000);
    for (size_t i = 0; i < calls.size(); ++i) ASSERT_TRUE(table.insert(static_cast<int32_t>(i + 1), &calls[i]));
    size_t grown = table.slotCount();
    EXPECT_GE(grown, calls.size() * 2) << "at most half of the slots are used";
    for (size_t i = 0; i + 10 < calls.size(); ++i) ASSERT_TRUE(table.erase(static_cast<int32_t>(i + 1), &calls[i]));
    EXPECT_EQ(table.size(), 10u);
    EXPECT_EQ(table.slotCount(), grown) << "erasing alone never rehashes";
    EXPECT_TRUE(table.shrinkIfSparse());
    EXPECT_EQ(table.slotCount(), size_t{CallTable<Call>::kMinSlots}) << "the burst's slots are given back";
    EXPECT_FALSE(table.shrinkIfSparse());
    for (size_t i = calls.size() - 10; i < calls.size(); ++i) {
        EXPECT_EQ(table.find(static_cast<int32_t>(i + 1)), &calls[i]);
    }
}

}  // namespace
}  // namespace tars
