// checkConfigKeys: unknown keys of the sections rules cover, with FILE:LINE and the
// closest known key; other sections untouched; an exact rule wins over a "/*" rule.
#include <gtest/gtest.h>

#include "util/tc_config_keys.h"

using namespace tars;

TEST(ConfigKeys, ReportsUnknownKeysWithFileLineAndTheClosestKey) {
    std::string text =
        "<tars>\n"                       // 1
        "  <application>\n"              // 2
        "    <server>\n"                 // 3
        "      logLevle = INFO\n"        // 4
        "      app = A\n"                // 5
        "      <A.S.ObjAdapter>\n"       // 6
        "        thread = 2\n"           // 7
        "        endpoint = tcp -p 1\n"  // 8
        "      </A.S.ObjAdapter>\n"      // 9
        "      zzzz = 1\n"               // 10
        "    </server>\n"                // 11
        "    <mine>\n      anything = 1\n    </mine>\n"
        "  </application>\n"
        "</tars>\n";
    std::vector<ConfigKeyRule> rules = {{"/tars/application/server", {"logLevel", "app"}},
                                        {"/tars/application/server/*", {"threads", "endpoint"}}};
    auto problems = checkConfigKeys("s.conf", text, rules);
    ASSERT_EQ(problems.size(), 3u) << ::testing::PrintToString(problems);
    EXPECT_EQ(problems[0], "s.conf:4: unknown key 'logLevle' in /tars/application/server (did you mean 'logLevel'?)");
    EXPECT_EQ(problems[1],
              "s.conf:7: unknown key 'thread' in /tars/application/server/A.S.ObjAdapter (did you mean 'threads'?)");
    EXPECT_EQ(problems[2], "s.conf:10: unknown key 'zzzz' in /tars/application/server");
}

TEST(ConfigKeys, AnExactRuleWinsOverTheWildcardAndUncoveredSectionsAreLeftAlone) {
    std::string text = "<a>\n<b>\nx = 1\n</b>\n<c>\ny = 1\n</c>\n</a>\n<d>\nq = 1\n</d>\n";
    std::vector<ConfigKeyRule> rules = {{"/a/*", {"x"}}, {"/a/c", {"y"}}};
    EXPECT_TRUE(checkConfigKeys("f", text, rules).empty());
    rules = {{"/a/*", {"y"}}};
    auto problems = checkConfigKeys("f", text, rules);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0], "f:3: unknown key 'x' in /a/b");  // one letter: too far for a suggestion
}

TEST(ConfigKeys, RulesFromADeclaredKeyTableGroupBySection) {
    struct Key {
        const char* section;
        const char* name;
    };
    std::vector<Key> keys = {
        {"/tars/node", "registryObj"}, {"/tars/node/keepalive", "heartTimeout"}, {"/tars/node", "adminObj"}};
    auto rules = configKeyRulesOf(keys);
    ASSERT_EQ(rules.size(), 2u);
    EXPECT_EQ(rules[0].path, "/tars/node");
    EXPECT_EQ(rules[0].keys, (std::set<std::string>{"registryObj", "adminObj"}));
    EXPECT_EQ(rules[1].keys, (std::set<std::string>{"heartTimeout"}));
}

TEST(ClosestName, FindsNamesWithinTwoEditsOnly) {
    EXPECT_EQ(closestName("endpiont", {"endpoint", "servant"}), "endpoint");
    EXPECT_EQ(closestName("LOGLEVEL", {"logLevel"}), "logLevel");
    EXPECT_EQ(closestName("xyz", {"endpoint", "servant"}), "");
    EXPECT_EQ(closestName("ab", {"xy"}), "");
}
