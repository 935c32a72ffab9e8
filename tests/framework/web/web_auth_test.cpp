// The console's login pieces on their own: password hashes (PasswordHash), the password
// file, the session table and the login throttle, with times chosen by the test.
#include <gtest/gtest.h>

#include "PasswordHash.h"
#include "WebSessions.h"

using namespace tars::web;

namespace {

constexpr int kFastIterations = 1000;  // the hash format is the same; the tests stay quick

TEST(WebPasswordHash, RightPasswordMatchesWrongOneDoesNot) {
    std::string stored = hashPassword("correct horse", kFastIterations);
    EXPECT_TRUE(stored.starts_with("pbkdf2-sha256$1000$"));
    EXPECT_TRUE(verifyPassword("correct horse", stored));
    EXPECT_FALSE(verifyPassword("correct horsE", stored));
    EXPECT_FALSE(verifyPassword("", stored));
}

TEST(WebPasswordHash, SaltMakesEveryHashDifferent) {
    EXPECT_NE(hashPassword("same", kFastIterations), hashPassword("same", kFastIterations));
}

TEST(WebPasswordHash, DefaultIterationsAreSlow) {
    EXPECT_GE(kPasswordIterations, 100000);
    EXPECT_TRUE(hashPassword("x").starts_with("pbkdf2-sha256$" + std::to_string(kPasswordIterations) + "$"));
}

TEST(WebPasswordHash, MalformedStoredHashNeverMatches) {
    for (const std::string bad : {"", "plain", "pbkdf2-sha256$1000$zz$00", "pbkdf2-sha256$1$00$00",
                                  "md5$1000$0011$0011", "pbkdf2-sha256$1000$0011"}) {
        EXPECT_FALSE(verifyPassword("plain", bad)) << bad;
    }
}

TEST(WebPasswordFile, SetLineReplacesOnlyThatUser) {
    std::string text = setPasswordLine("", "admin", "h1");
    text = setPasswordLine(text, "ops", "h2");
    text = setPasswordLine(text, "admin", "h3");
    auto users = parsePasswordFile(text);
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users["admin"], "h3");
    EXPECT_EQ(users["ops"], "h2");
}

TEST(WebSessionTable, SessionEndsWhenIdleOrTooOld) {
    SessionTable table(1000, 5000);
    Session s = table.create("admin", 0);
    EXPECT_EQ(s.token.size(), 64u);
    EXPECT_NE(s.token, s.csrf);
    EXPECT_TRUE(table.find(s.token, 900));
    EXPECT_TRUE(table.find(s.token, 1800));   // used at 900: idle 900 ms
    EXPECT_FALSE(table.find(s.token, 2800));  // idle 1000 ms
    Session t = table.create("admin", 0);
    for (int64_t now = 900; now < 5000; now += 900) EXPECT_TRUE(table.find(t.token, now));
    EXPECT_FALSE(table.find(t.token, 5000));  // lifetime
    EXPECT_FALSE(table.find("", 0));
    EXPECT_FALSE(table.find("unknown", 0));
}

TEST(WebSessionTable, RemovedSessionIsGone) {
    SessionTable table(60000, 60000);
    Session s = table.create("admin", 0);
    table.remove(s.token);
    EXPECT_FALSE(table.find(s.token, 1));
}

TEST(WebLoginThrottle, WaitGrowsAfterFreeFailuresOfAPairAndSuccessClearsIt) {
    LoginThrottle throttle;
    for (int i = 0; i < LoginThrottle::kFreeFailures; ++i) {
        EXPECT_EQ(throttle.waitMs("10.0.0.1", "admin", 0), 0);
        throttle.failed("10.0.0.1", "admin", 0);
    }
    EXPECT_EQ(throttle.waitMs("10.0.0.1", "admin", 0), 1000);  // the same address is slowed
    EXPECT_EQ(throttle.waitMs("10.0.0.1", "admin", 999), 1);
    throttle.failed("10.0.0.1", "admin", 1000);
    EXPECT_EQ(throttle.waitMs("10.0.0.1", "admin", 1000), 2000);
    for (int i = 0; i < 10; ++i) throttle.failed("10.0.0.1", "admin", 2000);
    EXPECT_EQ(throttle.waitMs("10.0.0.1", "admin", 2000), LoginThrottle::kMaxDelayMs);
    throttle.succeeded("10.0.0.1", "admin");
    EXPECT_EQ(throttle.waitMs("10.0.0.1", "admin", 2000), 0);
    // Forgotten after kForgetMs without a failure.
    for (int i = 0; i < LoginThrottle::kFreeFailures + 2; ++i) throttle.failed("10.0.0.3", "ops", 5000);
    EXPECT_GT(throttle.waitMs("10.0.0.3", "ops", 5000), 0);
    EXPECT_EQ(throttle.waitMs("10.0.0.3", "ops", 5000 + LoginThrottle::kForgetMs), 0);
}

TEST(WebLoginThrottle, AnAttackersFailuresDoNotLockTheUserOutFromAnotherAddress) {
    LoginThrottle throttle;
    for (int i = 0; i < 50; ++i) throttle.failed("203.0.113.9", "admin", 1000);
    EXPECT_EQ(throttle.waitMs("203.0.113.9", "admin", 1000), LoginThrottle::kMaxDelayMs);
    EXPECT_EQ(throttle.waitMs("10.0.0.2", "admin", 1000), 0);  // admin from its own address
}

TEST(WebLoginThrottle, OneAddressTryingManyUsersHitsTheAddressCap) {
    LoginThrottle throttle;
    // Below the pair's limit for each user, but many users from one address.
    for (int i = 0; i < LoginThrottle::kAddressFreeFailures; ++i) {
        const std::string user = "user" + std::to_string(i);
        EXPECT_EQ(throttle.waitMs("203.0.113.9", user, 0), 0) << i;
        throttle.failed("203.0.113.9", user, 0);
    }
    EXPECT_EQ(throttle.waitMs("203.0.113.9", "someone-else", 0), 1000);
    EXPECT_EQ(throttle.waitMs("10.0.0.2", "someone-else", 0), 0);
    // A success of one pair does not reset the address's count.
    throttle.succeeded("203.0.113.9", "user0");
    EXPECT_EQ(throttle.waitMs("203.0.113.9", "someone-else", 0), 1000);
}

// One host owns a whole IPv6 /64: a fresh address of it per try is the same attacker.
TEST(WebLoginThrottle, AnIpv6SlashSixtyFourCountsAsOneAddress) {
    LoginThrottle throttle;
    for (int i = 0; i < LoginThrottle::kFreeFailures; ++i) {
        throttle.failed("2001:db8:1:2::" + std::to_string(i + 1), "admin", 0);
    }
    EXPECT_EQ(throttle.waitMs("2001:db8:1:2:ffff::9", "admin", 0), 1000);
    EXPECT_EQ(throttle.waitMs("2001:db8:1:3::1", "admin", 0), 0);  // another /64
    // An IPv4 address mapped into IPv6 is that IPv4 address.
    for (int i = 0; i < LoginThrottle::kFreeFailures; ++i) throttle.failed("::ffff:198.51.100.7", "ops", 0);
    EXPECT_EQ(throttle.waitMs("198.51.100.7", "ops", 0), 1000);
}

TEST(WebLoginThrottle, StaysBoundedUnderManyAddresses) {
    constexpr size_t kMax = 1000;
    LoginThrottle throttle(kMax);
    for (int i = 0; i < 3; ++i) throttle.failed("10.9.9.9", "admin", 0);
    for (int i = 0; i < 100000; ++i) {
        throttle.failed(
            "10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256),
            "admin", 1 + i / 1000);
        ASSERT_LE(throttle.size(), 2 * kMax);
    }
    EXPECT_EQ(throttle.size(), 2 * kMax);
    // The newest failures are kept, the oldest went.
    EXPECT_EQ(throttle.waitMs("10.9.9.9", "admin", 100), 0);
    for (int i = 0; i < 2; ++i) throttle.failed("10.1.134.159", "admin", 100);  // the last address, 3 failures now
    EXPECT_GT(throttle.waitMs("10.1.134.159", "admin", 100), 0);
}

}  // namespace
