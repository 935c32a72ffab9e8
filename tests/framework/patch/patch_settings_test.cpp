// tarspatch's keys (declared once in PatchService.cpp): documented in its README, the
// shipped tarspatch.conf has no unknown key, bad values are refused naming the key; and
// the names the store accepts.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "PatchService.h"
#include "servant/Application.h"
#include "util/tc_config_keys.h"
#include "util/tc_file.h"

namespace tars {
namespace {

TC_Config parse(const std::string& text) {
    TC_Config config;
    config.parseString(text);
    return config;
}

TEST(PatchSettings, EveryKeyHasARowInTheReadme) {
    const std::string readme = TC_File::load2str(PATCH_README);
    for (const auto& key : patchSettingsKeys()) {
        std::string row = "| `" + std::string(key.section) + "` | `" + key.name + "` | ";
        auto at = readme.find(row);
        ASSERT_NE(at, std::string::npos) << "README has no row for " << key.section << "<" << key.name << ">";
        if (*key.defaultValue) {
            std::string cell = "`" + std::string(key.defaultValue) + "`";
            EXPECT_EQ(0, readme.compare(at + row.size(), cell.size(), cell)) << key.name;
        }
    }
}

TEST(PatchSettings, TheShippedConfigHasNoUnknownKey) {
    std::vector<ConfigKeyRule> rules = serverConfigKeyRules();
    for (auto& rule : configKeyRulesOf(patchSettingsKeys())) rules.push_back(std::move(rule));
    EXPECT_EQ(checkConfigKeys(PATCH_CONF, TC_File::load2str(PATCH_CONF), rules), std::vector<std::string>{});
}

TEST(PatchSettings, DefaultsAndValues) {
    auto settings = PatchSettings::fromConfig(parse("<tars>\n</tars>\n"), "/data/x");
    EXPECT_EQ("/data/x/patchs", settings.root);
    EXPECT_EQ(1073741824u, settings.maxUploadBytes);
    EXPECT_EQ(1048576u, settings.chunkBytes);
    EXPECT_EQ(600, settings.uploadTimeoutSeconds);
    EXPECT_EQ(16u, settings.maxUploads);
    EXPECT_EQ(0u, settings.maxPartialBytes);
    settings = PatchSettings::fromConfig(
        parse("<tars>\n<patch>\nroot=/p\nmaxuploadsize=5000\nchunksize=4096\nuploadtimeout=9\n</patch>\n</tars>\n"),
        "/data/x");
    EXPECT_EQ("/p", settings.root);
    EXPECT_EQ(5000u, settings.maxUploadBytes);
    EXPECT_EQ(4096u, settings.chunkBytes);
    EXPECT_EQ(9, settings.uploadTimeoutSeconds);
}

TEST(PatchSettings, ABadValueIsRefusedNamingItsKey) {
    for (const std::string line : {"maxuploadsize=0", "maxuploadsize=3000000000", "chunksize=10", "uploadtimeout=x",
                                   "maxuploads=0", "maxpartialbytes=-1"}) {
        try {
            PatchSettings::fromConfig(parse("<tars>\n<patch>\n" + line + "\n</patch>\n</tars>\n"), "/d");
            ADD_FAILURE() << line;
        } catch (const TC_Exception& e) {
            EXPECT_NE(std::string::npos, std::string(e.what()).find(line.substr(0, line.find('=')))) << e.what();
        }
    }
}

TEST(PatchNames, OnlyPlainNamesAreAllowed) {
    EXPECT_TRUE(PatchService::isServerName("HelloServer"));
    EXPECT_TRUE(PatchService::isServerName("Test_App-2"));
    for (const std::string& bad : std::vector<std::string>{"", ".", "..", "a.b", "a/b", "a b", std::string(129, 'a')}) {
        EXPECT_FALSE(PatchService::isServerName(bad)) << bad;
    }
    EXPECT_TRUE(PatchService::isFileName("HelloServer_20261207.tgz"));
    for (const std::string& bad :
         std::vector<std::string>{"", ".", "..", ".hidden", "a/b", "/a", "a\\b", "a\nb", std::string(129, 'a')}) {
        EXPECT_FALSE(PatchService::isFileName(bad)) << bad;
    }
}

}  // namespace
}  // namespace tars
