// ActivatorThrottle: the limit on automatic starts of one server.
#include <gtest/gtest.h>

#include "ActivatorThrottle.h"

using namespace tars;

namespace {

TEST(ActivatorThrottle, AllowsMaxCountStartsWithinTheWindowThenPunishes) {
    ActivatorThrottle throttle(3, 60000, 600000);
    int64_t t = 1000;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(throttle.allow(t)) << "start " << i;
        throttle.recordStart(t);
        t += 1000;
    }
    EXPECT_FALSE(throttle.allow(t));
    EXPECT_TRUE(throttle.justPunished());
    EXPECT_FALSE(throttle.justPunished()) << "reported once";
    EXPECT_TRUE(throttle.punished(t + 599000));
    EXPECT_FALSE(throttle.allow(t + 599000));
    EXPECT_FALSE(throttle.justPunished());
    EXPECT_TRUE(throttle.allow(t + 600000)) << "the punishment ends";
}

TEST(ActivatorThrottle, StartsOlderThanTheWindowDoNotCount) {
    ActivatorThrottle throttle(2, 10000, 600000);
    throttle.recordStart(0);
    throttle.recordStart(5000);
    EXPECT_FALSE(throttle.allow(9000)) << "two starts within 10 s";
    throttle.reset();
    throttle.recordStart(0);
    throttle.recordStart(5000);
    EXPECT_TRUE(throttle.allow(10001)) << "the first start left the window";
}

TEST(ActivatorThrottle, ResetEndsAPunishment) {
    ActivatorThrottle throttle(1, 60000, 600000);
    throttle.recordStart(0);
    EXPECT_FALSE(throttle.allow(1));
    throttle.reset();
    EXPECT_TRUE(throttle.allow(2));
}

}  // namespace
