#include <gtest/gtest.h>

#include "test_util.h"
#include "util/tc_config.h"
#include "util/tc_file.h"

using namespace tars;

namespace {

const char* kServerConf = R"(# a TARS server config
<tars>
  <application>
    enableset=n
    <client>
      locator = tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p 17890:tcp -h ::1 -p 17890
      sync-invoke-timeout=3000
    </client>
    <server>
      app=TestApp
      server=HelloServer
      netthread = 2
      closecout
      # a comment inside a section
      formula=a=b+c
      <TestApp.HelloServer.HelloObjAdapter>
        endpoint=tcp -h 127.0.0.1 -p 20001 -t 60000
        servant=TestApp.HelloServer.HelloObj
        threads=4
      </TestApp.HelloServer.HelloObjAdapter>
      <TestApp.HelloServer.PushObjAdapter>
        endpoint=tcp -h 127.0.0.1 -p 20002
      </TestApp.HelloServer.PushObjAdapter>
    </server>
  </application>
</tars>
)";

std::string parseError(const std::string& text) {
    TC_Config c;
    try {
        c.parseString(text);
    } catch (const TC_Config_Exception& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(TC_Config, LooksUpKeysByPath) {
    TC_Config c;
    c.parseString(kServerConf);
    EXPECT_EQ(c.get("/tars/application/server<app>"), "TestApp");
    EXPECT_EQ(c.get("/tars/application/server<netthread>"), "2");
    EXPECT_EQ(c["/tars/application/client<sync-invoke-timeout>"], "3000");
    EXPECT_EQ(c.get("/tars/application/client<locator>"),
              "tars.tarsregistry.QueryObj@tcp -h 127.0.0.1 -p 17890:tcp -h ::1 -p 17890");
    EXPECT_EQ(c.get("/tars/application/server/TestApp.HelloServer.HelloObjAdapter<threads>"), "4");
}

TEST(TC_Config, ValueSplitsAtFirstEqualsSign) {
    TC_Config c;
    c.parseString(kServerConf);
    EXPECT_EQ(c.get("/tars/application/server<formula>"), "a=b+c");
}

TEST(TC_Config, BareKeyHasEmptyValueAndExists) {
    TC_Config c;
    c.parseString(kServerConf);
    EXPECT_EQ(c.get("/tars/application/server<closecout>", "default"), "");
    EXPECT_EQ(c["/tars/application/server<closecout>"], "");
}

TEST(TC_Config, MissingKeyGivesDefaultOrThrows) {
    TC_Config c;
    c.parseString(kServerConf);
    EXPECT_EQ(c.get("/tars/application/server<nokey>", "dflt"), "dflt");
    EXPECT_EQ(c.get("/tars/nosection<app>", "dflt"), "dflt");
    EXPECT_EQ(c.get("/tars/application/server", "dflt"), "dflt");
    EXPECT_THROW(c["/tars/application/server<nokey>"], TC_ConfigNoParam_Exception);
    try {
        (void)c["/tars/x<y>"];
        FAIL();
    } catch (const TC_Config_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("/tars/x<y>"), std::string::npos);
    }
}

TEST(TC_Config, ListsSectionsAndKeysInFileOrder) {
    TC_Config c;
    c.parseString(kServerConf);
    EXPECT_EQ(c.getDomainVector("/tars/application"), (std::vector<std::string>{"client", "server"}));
    EXPECT_EQ(c.getDomainVector("/tars/application/server"),
              (std::vector<std::string>{"TestApp.HelloServer.HelloObjAdapter", "TestApp.HelloServer.PushObjAdapter"}));
    EXPECT_TRUE(c.getDomainVector("/tars/none").empty());
    EXPECT_TRUE(c.hasDomainVector("/tars/application/server"));
    EXPECT_TRUE(c.hasDomainVector("/tars"));
    EXPECT_FALSE(c.hasDomainVector("/tars/none"));
    EXPECT_EQ(c.getDomainKey("/tars/application/server"),
              (std::vector<std::string>{"app", "server", "netthread", "closecout", "formula"}));
    auto m = c.getDomainMap("/tars/application/server/TestApp.HelloServer.HelloObjAdapter");
    EXPECT_EQ(m.size(), 3u);
    EXPECT_EQ(m["servant"], "TestApp.HelloServer.HelloObj");
}

TEST(TC_Config, DecodesEscapes) {
    TC_Config c;
    c.parseString("<a>\nk\\=1=v\\=2\\\\x\\ty\\nz\\r\nplain=\\q\n</a>\n");
    EXPECT_EQ(c.get("/a<k=1>"), "v=2\\x\ty\nz\r");
    EXPECT_EQ(c.get("/a<plain>"), "\\q");  // unknown escapes stay as written
}

TEST(TC_Config, SeveralTagsOnOneLineAndCrLf) {
    TC_Config c;
    c.parseString("<a><b>k=v</b></a>\r\n<c>\r\nx=1\r\n</c>\r\n");
    EXPECT_EQ(c.get("/a/b<k>"), "v");
    EXPECT_EQ(c.get("/c<x>"), "1");
}

TEST(TC_Config, ReopenedSectionMergesLaterValuesWin) {
    TC_Config c;
    c.parseString("<a>\nx=1\ny=1\n</a>\n<a>\ny=2\n</a>\n");
    EXPECT_EQ(c.getDomainVector("/"), (std::vector<std::string>{"a"}));
    EXPECT_EQ(c.get("/a<x>"), "1");
    EXPECT_EQ(c.get("/a<y>"), "2");
}

TEST(TC_Config, ErrorsNameLineAndProblem) {
    std::string e = parseError("<a>\n<b>\nk=v\n</a>\n");
    EXPECT_NE(e.find("<string>:4:"), std::string::npos) << e;
    EXPECT_NE(e.find("</a> does not match <b> opened at line 2"), std::string::npos) << e;

    e = parseError("k=v\n</x>\n");
    EXPECT_NE(e.find("<string>:2:"), std::string::npos) << e;
    EXPECT_NE(e.find("</x> without an open section"), std::string::npos) << e;

    e = parseError("<a>\n<b>\n</b>\n");
    EXPECT_NE(e.find("<string>:1:"), std::string::npos) << e;
    EXPECT_NE(e.find("never closed"), std::string::npos) << e;

    e = parseError("<a>\n<b\n</a>\n");
    EXPECT_NE(e.find("<string>:2: unterminated tag"), std::string::npos) << e;

    e = parseError("<>\n");
    EXPECT_NE(e.find("empty section name"), std::string::npos) << e;

    e = parseError("<a>\n=v\n</a>\n");
    EXPECT_NE(e.find("<string>:2: empty key"), std::string::npos) << e;
}

TEST(TC_Config, FailedParseKeepsOldContent) {
    TC_Config c;
    c.parseString("<a>\nk=v\n</a>\n");
    EXPECT_THROW(c.parseString("<a>\n"), TC_Config_Exception);
    EXPECT_EQ(c.get("/a<k>"), "v");
}

TEST(TC_Config, ParseFileErrorsNameTheFile) {
    test::TempDir dir;
    std::string path = dir.file("Server.conf");
    TC_File::save2file(path, "<tars>\n  <application>\n  </tars>\n");
    TC_Config c;
    try {
        c.parseFile(path);
        FAIL();
    } catch (const TC_Config_Exception& e) {
        EXPECT_NE(std::string(e.what()).find(path + ":3:"), std::string::npos) << e.what();
    }
    try {
        c.parseFile(dir.file("missing.conf"));
        FAIL();
    } catch (const TC_Config_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("missing.conf"), std::string::npos) << e.what();
        EXPECT_EQ(e.getErrCode(), ENOENT);
    }
    TC_File::save2file(path, kServerConf);
    c.parseFile(path);
    EXPECT_EQ(c.get("/tars/application/server<server>"), "HelloServer");
}

TEST(TC_Config, TostrRoundTrips) {
    TC_Config c;
    c.parseString(kServerConf);
    c.insertDomainParam("/tars/escapes", {{"we=ird", "tab\there\\back\nline"}, {"empty", ""}}, true);
    TC_Config again;
    again.parseString(c.tostr());
    EXPECT_EQ(again.tostr(), c.tostr());
    EXPECT_EQ(again.get("/tars/escapes<we=ird>"), "tab\there\\back\nline");
    EXPECT_EQ(again.get("/tars/application/server<formula>"), "a=b+c");
    EXPECT_EQ(again["/tars/escapes<empty>"], "");
    EXPECT_EQ(again.getDomainVector("/tars/application/server"), c.getDomainVector("/tars/application/server"));
}

TEST(TC_Config, JoinConfigAddsMissingAndUpdatesOnRequest) {
    TC_Config server;
    server.parseString("<tars>\n<application>\n<server>\napp=Mine\nnetthread=4\n</server>\n</application>\n</tars>\n");
    TC_Config tmpl;
    tmpl.parseString(
        "<tars>\n<application>\n<server>\napp=Template\nlogsize=50M\n<Adm>\nendpoint=tcp -h 127.0.0.1 -p 1\n</Adm>\n"
        "</server>\n<client>\nnetthread=1\n</client>\n</application>\n</tars>\n");

    TC_Config keep = server;
    keep.joinConfig(tmpl, false);
    EXPECT_EQ(keep.get("/tars/application/server<app>"), "Mine");
    EXPECT_EQ(keep.get("/tars/application/server<netthread>"), "4");
    EXPECT_EQ(keep.get("/tars/application/server<logsize>"), "50M");
    EXPECT_EQ(keep.get("/tars/application/server/Adm<endpoint>"), "tcp -h 127.0.0.1 -p 1");
    EXPECT_EQ(keep.get("/tars/application/client<netthread>"), "1");

    TC_Config update = server;
    update.joinConfig(tmpl, true);
    EXPECT_EQ(update.get("/tars/application/server<app>"), "Template");
    EXPECT_EQ(update.get("/tars/application/server<netthread>"), "4");
}

TEST(TC_Config, InsertDomainNeedsParentUnlessCreate) {
    TC_Config c;
    EXPECT_THROW(c.insertDomain("/tars/application", "server", false), TC_Config_Exception);
    c.insertDomain("/tars/application", "server", true);
    EXPECT_EQ(c.getDomainVector("/tars/application"), (std::vector<std::string>{"server"}));
    c.insertDomainParam("/tars/application/server", {{"app", "A"}}, false);
    EXPECT_EQ(c.get("/tars/application/server<app>"), "A");
}
