// tarsweb's keys: the shipped tarsweb.conf reads cleanly, README.md lists every key, bad
// values and a missing page folder stop the start with a message naming them.
#include <gtest/gtest.h>

#include "WebSettings.h"
#include "util/tc_config_keys.h"
#include "util/tc_ex.h"
#include "util/tc_file.h"

using namespace tars;
using namespace tars::web;

namespace {

TC_Config parse(const std::string& text) {
    TC_Config config;
    config.parseString(text);
    return config;
}

TEST(WebSettings, ShippedConfigHasNoUnknownKeyAndFindsThePageBesideTheProgram) {
    const std::string text = TC_File::load2str(TARSWEB_CONF);
    EXPECT_TRUE(checkConfigKeys("tarsweb.conf", text, configKeyRulesOf(webSettingsKeys())).empty());
    WebSettings s = WebSettings::fromConfig(parse(text), TARSWEB_BINARY_DIR);
    EXPECT_EQ(s.assets, std::string(TARSWEB_BINARY_DIR) + "/assets");
    EXPECT_EQ(s.passwordFile, "");
    EXPECT_EQ(s.adminRegObj, "tars.tarsregistry.AdminRegObj");
    EXPECT_EQ(s.sessionIdleMs, 1800 * 1000);
    EXPECT_EQ(s.sessionLifetimeMs, 43200 * 1000);
}

TEST(WebSettings, ReadmeListsEveryKey) {
    const std::string readme = TC_File::load2str(TARSWEB_README);
    for (const auto& key : webSettingsKeys()) {
        EXPECT_NE(readme.find("| `" + key.name + "` |"), std::string::npos) << key.name;
    }
}

TEST(WebSettings, BadValueNamesTheKey) {
    try {
        WebSettings::fromConfig(parse("<tars><web>sessionidle = soon</web></tars>"), TARSWEB_BINARY_DIR);
        FAIL() << "no error";
    } catch (const TC_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("/tars/web<sessionidle>"), std::string::npos) << e.what();
    }
}

TEST(WebSettings, MissingPageFolderStopsTheStart) {
    try {
        WebSettings::fromConfig(parse("<tars><web>assets = /nonexistent/web</web></tars>"), TARSWEB_BINARY_DIR);
        FAIL() << "no error";
    } catch (const TC_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("no index.html in /nonexistent/web"), std::string::npos) << e.what();
    }
}

}  // namespace
