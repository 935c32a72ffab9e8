// The registry-side pieces of AdminRegObj that need no process: its node timeouts in the
// registry's settings, and the default templates it seeds.
#include <gtest/gtest.h>

#include "DefaultTemplates.h"
#include "RegistrySettings.h"
#include "util/tc_config.h"

using namespace tars;

namespace {

RegistrySettings parse(const std::string& text) {
    TC_Config config;
    config.parseString(text);
    return RegistrySettings::fromConfig(config, "/data");
}

TEST(AdminRegSettings, NodeTimeoutsHaveDefaultsAndAreRead) {
    auto defaults = parse("<tars>\n</tars>\n");
    EXPECT_EQ(defaults.nodeQueryTimeoutMs, 5000);
    EXPECT_EQ(defaults.nodeCommandTimeoutMs, 70000);
    auto set = parse("<tars>\n<nodeinfo>\nnodeQueryTimeout = 800\nnodeCommandTimeout = 90000\n</nodeinfo>\n</tars>\n");
    EXPECT_EQ(set.nodeQueryTimeoutMs, 800);
    EXPECT_EQ(set.nodeCommandTimeoutMs, 90000);
}

TEST(AdminRegSettings, ABadTimeoutNamesItsKey) {
    try {
        parse("<tars>\n<nodeinfo>\nnodeCommandTimeout = long\n</nodeinfo>\n</tars>\n");
        FAIL() << "no exception";
    } catch (const RegistrySettings_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("/tars/nodeinfo<nodeCommandTimeout>"), std::string::npos) << e.what();
    }
}

TEST(DefaultTemplates, AreConfigTextWithTheLocatorMacro) {
    ASSERT_EQ(defaultTemplates().size(), 2u);
    for (const auto& t : defaultTemplates()) {
        TC_Config profile;
        ASSERT_NO_THROW(profile.parseString(t.profile)) << t.templateName;
        EXPECT_EQ(profile.get("/tars/application/client<locator>"), "${locator}") << t.templateName;
        EXPECT_TRUE(t.parentsName.empty()) << t.templateName;
    }
    EXPECT_EQ(defaultTemplates()[0].templateName, "tars.default");
    TC_Config server;
    server.parseString(defaultTemplates()[0].profile);
    EXPECT_EQ(server.get("/tars/application/client<sync-invoke-timeout>"), "3000");
    EXPECT_EQ(server.get("/tars/application/client<async-invoke-timeout>"), "5000");
    EXPECT_EQ(server.get("/tars/application/client<refresh-endpoint-interval>"), "60000");
    EXPECT_EQ(server.get("/tars/application/server<logLevel>"), "DEBUG");
    EXPECT_EQ(defaultTemplates()[1].templateName, "tars.tarsnode");
}

}  // namespace
