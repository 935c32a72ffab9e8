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

TEST(WebLoginThrottle, WaitGrowsAfterFreeFailuresAndSuccessClears) {
    LoginThrottle throttle;
    for (int i = 0; i < LoginThrottle::kFreeFailures; ++i) {
        EXPECT_EQ(throttle.waitMs("10.0.0.1", "admin", 0), 0);
        throttle.failed("10.0.0.1", "admin", 0);
    }
    EXPECT_EQ(throttle.waitMs("10.0.0.1", "admin", 0), 1000);
    EXPECT_EQ(throttle.waitMs("10.0.0.2", "admin", 0), 1000);  // the same user from elsewhere
    EXPECT_EQ(throttle.waitMs("10.0.0.1", "ops", 0), 1000);    // another user from there
    EXPECT_EQ(throttle.waitMs("10.0.0.2", "ops", 0), 0);
    throttle.failed("10.0.0.1", "admin", 1000);
    EXPECT_EQ(throttle.waitMs("10.0.0.1", "admin", 1000), 2000);
    for (int i = 0; i < 20; ++i) throttle.failed("10.0.0.1", "admin", 2000);
    EXPECT_EQ(throttle.waitMs("10.0.0.1", "admin", 2000), LoginThrottle::kMaxDelayMs);
    throttle.succeeded("10.0.0.1", "admin");
    EXPECT_EQ(throttle.waitMs("10.0.0.1", "admin", 2000), 0);
}

}  // namespace
