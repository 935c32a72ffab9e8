// TC_Inbox: records (copied or moved bytes) and items arrive in post order, one wake-up per
// empty-to-non-empty, arenas are reused, and the close hands back what was left.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <semaphore>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_util.h"
#include "util/tc_inbox.h"

using namespace tars;
using tars::test::Watchdog;

namespace {

struct Header {
    uint32_t producer;
    uint32_t seq;
    uint64_t tag;
};

struct Seen {
    Header header;
    std::string bytes;
    bool moved;
};

using Inbox = TC_Inbox<Header, std::string>;

std::vector<Seen> records(Inbox::Batch& batch) {
    std::vector<Seen> out;
    batch.forEachRecord([&](const Header& h, std::string_view bytes, std::string* moved) {
        out.push_back(Seen{h, moved ? std::move(*moved) : std::string(bytes), moved != nullptr});
    });
    return out;
}

}  // namespace

TEST(TC_Inbox, RecordsAndItemsComeInPostOrder) {
    int wakes = 0;
    Inbox inbox([&] { ++wakes; });
    EXPECT_TRUE(inbox.empty());
    std::string big(100000, 'b');
    ASSERT_TRUE(inbox.post(Header{1, 1, 11}, std::string_view("one")));
    ASSERT_TRUE(inbox.post(Header{1, 2, 22}, std::move(big)));
    ASSERT_TRUE(inbox.post(std::string("item a")));
    ASSERT_TRUE(inbox.post(Header{1, 3, 33}, std::string_view()));
    ASSERT_TRUE(inbox.post(std::string("item b")));
    EXPECT_FALSE(inbox.empty());

    Inbox::Batch& batch = inbox.take();
    EXPECT_TRUE(inbox.empty());
    std::vector<Seen> seen = records(batch);
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].header.seq, 1u);
    EXPECT_EQ(seen[0].header.tag, 11u);
    EXPECT_EQ(seen[0].bytes, "one");
    EXPECT_FALSE(seen[0].moved);
    EXPECT_EQ(seen[1].header.tag, 22u);
    EXPECT_EQ(seen[1].bytes, std::string(100000, 'b'));
    EXPECT_TRUE(seen[1].moved);
    EXPECT_EQ(seen[2].header.seq, 3u);
    EXPECT_EQ(seen[2].bytes, "");
    EXPECT_EQ(batch.items(), (std::vector<std::string>{"item a", "item b"}));
    inbox.recycle();
    EXPECT_TRUE(inbox.take().empty());
}

TEST(TC_Inbox, OneWakePerBurstUntilTheConsumerTakes) {
    int wakes = 0;
    Inbox inbox([&] { ++wakes; });
    for (uint32_t i = 0; i < 10; ++i) inbox.post(Header{0, i, 0}, std::string_view("x"));
    inbox.post(std::string("item"));
    EXPECT_EQ(wakes, 1);
    inbox.take();
    inbox.recycle();
    EXPECT_EQ(wakes, 1) << "taking does not wake";
    inbox.post(Header{0, 10, 0}, std::string_view("y"));
    inbox.post(Header{0, 11, 0}, std::string_view("z"));
    EXPECT_EQ(wakes, 2);
    // A take of nothing owes the next post a wake too.
    inbox.take();
    inbox.recycle();
    inbox.take();
    inbox.recycle();
    inbox.post(std::string("again"));
    EXPECT_EQ(wakes, 3);
}

TEST(TC_Inbox, ArenasAreSwappedBackAndForthAndKeepTheirMemory) {
    Inbox inbox([] {});
    std::string payload(1000, 'p');
    std::vector<const char*> data;
    for (int round = 0; round < 4; ++round) {
        inbox.post(Header{0, 0, 0}, std::string_view(payload));
        Inbox::Batch& batch = inbox.take();
        batch.forEachRecord([&](const Header&, std::string_view bytes, std::string*) { data.push_back(bytes.data()); });
        inbox.recycle();
    }
    ASSERT_EQ(data.size(), 4u);
    // Two arenas take turns: round 3 writes into round 1's memory, round 4 into round 2's.
    EXPECT_EQ(data[2], data[0]);
    EXPECT_EQ(data[3], data[1]);
}

// A consumer interrupted by an exception never called recycle(): the next take() must not
// hand the old records back (nor put them back in the inbox).
TEST(TC_Inbox, TakeWithoutRecycleDoesNotRepeatTheLastBatch) {
    Inbox inbox([] {});
    inbox.post(Header{0, 1, 0}, std::string_view("first"));
    inbox.post(std::string("first item"));
    EXPECT_EQ(records(inbox.take()).size(), 1u);
    inbox.post(Header{0, 2, 0}, std::string_view("second"));
    Inbox::Batch& second = inbox.take();
    std::vector<Seen> seen = records(second);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].bytes, "second");
    EXPECT_TRUE(second.items().empty());
    EXPECT_TRUE(inbox.empty());
    EXPECT_TRUE(inbox.take().empty());
}

TEST(TC_Inbox, CopiedBytesOfFourGiBOrMoreAreRefusedWithoutAWake) {
    int wakes = 0;
    Inbox inbox([&] { ++wakes; });
    char byte = 'x';
    // Never read: the length alone is refused.
    std::string_view huge(&byte, size_t{1} << 32);
    EXPECT_THROW(inbox.post(Header{0, 1, 0}, huge), std::length_error);
    EXPECT_TRUE(inbox.empty());
    EXPECT_EQ(wakes, 0);
    EXPECT_TRUE(inbox.post(Header{0, 2, 0}, std::string_view("fine")));
    EXPECT_EQ(wakes, 1);
}

TEST(TC_Inbox, CloseRefusesLaterPostsAndHandsBackWhatWasLeft) {
    int wakes = 0;
    Inbox inbox([&] { ++wakes; });
    inbox.post(Header{0, 1, 0}, std::string_view("left"));
    inbox.post(std::string("left item"));
    EXPECT_FALSE(inbox.isClosed());
    Inbox::Batch& left = inbox.close();
    EXPECT_TRUE(inbox.isClosed());
    std::vector<Seen> seen = records(left);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].bytes, "left");
    EXPECT_EQ(left.items(), std::vector<std::string>{"left item"});
    inbox.recycle();
    EXPECT_FALSE(inbox.post(Header{0, 2, 0}, std::string_view("late")));
    std::string moved = "late and moved";
    EXPECT_FALSE(inbox.post(Header{0, 3, 0}, std::move(moved)));
    EXPECT_FALSE(inbox.post(std::string("late item")));
    EXPECT_EQ(wakes, 1) << "a refused post does not wake";
    EXPECT_TRUE(inbox.empty());
}

namespace {

// Producers post numbered records (now and then a moved one and an item); one consumer
// sleeps on a semaphore the wake callback releases, and checks every producer's numbers.
struct Stress {
    static constexpr uint32_t kProducers = 4;
    static constexpr uint32_t kPerProducer = 20000;

    Inbox inbox{[this] {
        wakes.fetch_add(1);
        semaphore.release();
    }};
    std::counting_semaphore<1 << 20> semaphore{0};
    std::atomic<int> wakes{0};
    std::vector<uint32_t> next = std::vector<uint32_t>(kProducers, 0);
    std::vector<uint32_t> nextItem = std::vector<uint32_t>(kProducers, 0);
    int takes = 0;
    int wrong = 0;
    uint64_t received = 0;

    void produce(uint32_t p) {
        for (uint32_t i = 0; i < kPerProducer; ++i) {
            std::string bytes = std::to_string(p) + ":" + std::to_string(i);
            Header h{p, i, i * 7ull};
            if (i % 1000 == 999) {
                inbox.post(h, std::move(bytes));
                inbox.post(std::to_string(p) + ":" + std::to_string(i / 1000));
            } else {
                inbox.post(h, std::string_view(bytes));
            }
        }
    }
    void check(Inbox::Batch& batch) {
        batch.forEachRecord([&](const Header& h, std::string_view bytes, std::string* moved) {
            std::string expect = std::to_string(h.producer) + ":" + std::to_string(h.seq);
            if (h.producer >= kProducers || h.seq != next[h.producer] || h.tag != h.seq * 7ull) ++wrong;
            if ((moved ? *moved : std::string(bytes)) != expect) ++wrong;
            if ((moved != nullptr) != (h.seq % 1000 == 999)) ++wrong;
            if (h.producer < kProducers) next[h.producer] = h.seq + 1;
            ++received;
        });
        for (const std::string& item : batch.items()) {
            uint32_t p = static_cast<uint32_t>(std::stoul(item));
            uint32_t n = static_cast<uint32_t>(std::stoul(item.substr(item.find(':') + 1)));
            if (p >= kProducers || n != nextItem[p]) ++wrong;
            if (p < kProducers) nextItem[p] = n + 1;
        }
    }
};

}  // namespace

TEST(TC_Inbox, StressProducersAndASleepingConsumer) {
    Watchdog watchdog(std::chrono::seconds(45), "TC_Inbox StressProducersAndASleepingConsumer");
    Stress s;
    std::vector<std::thread> producers;
    for (uint32_t p = 0; p < Stress::kProducers; ++p) producers.emplace_back([&, p] { s.produce(p); });
    const uint64_t total = uint64_t{Stress::kProducers} * Stress::kPerProducer;
    bool lost = false;
    while (s.received < total) {
        // Bounded: records pending and no wake for 20 s is a lost wake-up.
        if (!s.semaphore.try_acquire_for(std::chrono::seconds(20))) {
            lost = true;
            break;
        }
        ++s.takes;
        s.check(s.inbox.take());
        s.inbox.recycle();
    }
    for (auto& t : producers) t.join();
    EXPECT_FALSE(lost) << "records were posted and the consumer was never woken";
    EXPECT_EQ(s.received, total);
    EXPECT_EQ(s.wrong, 0);
    for (uint32_t p = 0; p < Stress::kProducers; ++p) {
        EXPECT_EQ(s.next[p], Stress::kPerProducer);
        EXPECT_EQ(s.nextItem[p], Stress::kPerProducer / 1000);
    }
    // One wake per empty-to-non-empty: at most one per take that emptied the inbox (and the
    // last one may come after the last take).
    EXPECT_LE(s.wakes.load(), s.takes + 1);
    EXPECT_TRUE(s.inbox.empty());
}

// The close races with producers: each post that returned true is seen exactly once,
// either by a take or in what close() hands back.
TEST(TC_Inbox, StressCloseWhileProducersPost) {
    Watchdog watchdog(std::chrono::seconds(45), "TC_Inbox StressCloseWhileProducersPost");
    for (int round = 0; round < 20; ++round) {
        Inbox inbox([] {});
        constexpr uint32_t kProducers = 3;
        std::vector<uint32_t> accepted(kProducers, 0);
        std::atomic<bool> started{false};
        std::vector<std::thread> producers;
        for (uint32_t p = 0; p < kProducers; ++p) {
            producers.emplace_back([&, p] {
                for (uint32_t i = 0; i < 1000000; ++i) {
                    if (!inbox.post(Header{p, i, 0}, std::string_view("r"))) break;
                    accepted[p] = i + 1;
                    started.store(true);
                }
            });
        }
        while (!started.load()) std::this_thread::yield();
        std::vector<uint32_t> next(kProducers, 0);
        int wrong = 0;
        auto check = [&](Inbox::Batch& batch) {
            batch.forEachRecord([&](const Header& h, std::string_view, std::string*) {
                if (h.seq != next[h.producer]) ++wrong;
                next[h.producer] = h.seq + 1;
            });
            inbox.recycle();
        };
        for (int i = 0; i < round % 4; ++i) check(inbox.take());
        check(inbox.close());
        for (auto& t : producers) t.join();
        EXPECT_EQ(wrong, 0);
        EXPECT_EQ(next, accepted) << "round " << round;
    }
}
