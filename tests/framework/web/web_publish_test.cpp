// tarsweb's deploy form, publish, versions and rollback API as a process
// (framework.web.security.WebPublishApi.*): none of them answers without a session, the
// state-changing ones not without the CSRF token; the package body (not JSON) is taken on
// the publish path only; a package above /tars/web<maxupload> gets 413, one above the HTTP
// servant's body limit a closed connection at once (no hang); a bad deploy form is refused
// with exactly what `tarsadmin deploy` says about the same deployment file.
//
// As in web_security_test.cpp, the registry named is not there: a call that passes every
// check fails with the registry's error, which shows it got through.
#include <gtest/gtest.h>

#include <csignal>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "AdminTestSupport.h"
#include "TestSupport.h"
#include "servant/HttpProtocol.h"
#include "util/tc_file.h"
#include "util/tc_timeprovider.h"

using namespace tars;
using namespace tars::test;

namespace {

constexpr const char* kPassword = "s3cret-publish-pw";
constexpr size_t kMaxUpload = 4096;

class WebPublishApi : public ::testing::Test {
protected:
    void SetUp() override {
        passwordFile = web.dir() + "/tarsweb.passwd";
        auto r = runCommand("/bin/sh",
                            {"-c", std::string("printf '%s\\n' '") + kPassword + "' | '" + TARSADMIN_PATH +
                                       "' web-password --file '" + passwordFile + "'"},
                            web.dir());
        ASSERT_EQ(r.status, 0) << r.out << r.err;
        web.writeConfig(
            "<tars>\n  <application>\n    <server>\n      app = tars\n      server = tarsweb\n"
            "      localip = 127.0.0.1\n      logpath = @LOG@\n      logLevel = DEBUG\n"
            "      <tars.tarsweb.WebObjAdapter>\n        endpoint = tcp -h 127.0.0.1 -p " +
            std::to_string(port.port()) +
            " -t 60000\n        servant = tars.tarsweb.WebObj\n        protocol = http\n        threads = 2\n"
            "      </tars.tarsweb.WebObjAdapter>\n    </server>\n  </application>\n  <web>\n    passwordfile = " +
            passwordFile + "\n    adminregobj = tars.tarsregistry.AdminRegObj@tcp -h 127.0.0.1 -p " +
            std::to_string(noRegistry.port()) +
            "\n    registryobj = tars.tarsregistry.RegistryObj@tcp -h 127.0.0.1 -p " +
            std::to_string(noRegistry.port()) + "\n    patchobj = tars.tarspatch.PatchObj@tcp -h 127.0.0.1 -p " +
            std::to_string(noRegistry.port()) + "\n    querytimeout = 1000\n    commandtimeout = 1000\n" +
            "    maxupload = " + std::to_string(kMaxUpload) + "\n  </web>\n</tars>\n");
        ASSERT_TRUE(web.start({port.port()})) << web.output();
        HttpAnswer a = httpRequest(port, "POST", "/api/login", "Content-Type: application/json\r\n",
                                   nlohmann::json{{"user", "admin"}, {"password", kPassword}}.dump());
        ASSERT_EQ(a.status, 200) << a.body;
        std::smatch m;
        ASSERT_TRUE(
            std::regex_search(a.headers, m, std::regex("Set-Cookie: (tarsweb_session=[0-9a-f]+)", std::regex::icase)));
        cookie = "Cookie: " + m[1].str() + "\r\n";
        csrf = "X-CSRF-Token: " + nlohmann::json::parse(a.body)["csrf"].get<std::string>() + "\r\n";
    }

    HttpAnswer upload(const std::string& body, const std::string& headers,
                      const std::string& type = "application/octet-stream") {
        return httpRequest(port, "POST", "/api/servers/TestApp.HelloServer/publish?comment=first%20one",
                           "Content-Type: " + type + "\r\n" + headers, body);
    }
    HttpAnswer postJson(const std::string& path, const std::string& body, const std::string& headers) {
        return httpRequest(port, "POST", path, "Content-Type: application/json\r\n" + headers, body);
    }

    static nlohmann::json parsed(const HttpAnswer& a) {
        auto json = nlohmann::json::parse(a.body, nullptr, false);
        return json.is_object() ? json : nlohmann::json::object();
    }
    static std::string errorOf(const HttpAnswer& a) { return parsed(a).value("error", std::string()); }

    ReservedPort port;
    ReservedPort noRegistry;
    ServerProcess web{TARSWEB_PATH};
    std::string passwordFile, cookie, csrf;
};

TEST_F(WebPublishApi, NothingAnswersWithoutSessionAndToken) {
    const std::string package(100, 'x');
    EXPECT_EQ(upload(package, "").status, 401);
    EXPECT_EQ(upload(package, csrf).status, 401);
    EXPECT_EQ(upload(package, cookie).status, 403);
    EXPECT_EQ(upload(package, cookie + "X-CSRF-Token: " + std::string(64, '0') + "\r\n").status, 403);
    EXPECT_EQ(httpRequest(port, "GET", "/api/servers/TestApp.HelloServer/versions").status, 401);
    for (const char* path : {"/api/deploy", "/api/servers/TestApp.HelloServer/rollback"}) {
        EXPECT_EQ(postJson(path, "{}", "").status, 401) << path;
        EXPECT_EQ(postJson(path, "{}", cookie).status, 403) << path;
    }
    // With both, each call reaches the (absent) registry.
    HttpAnswer passed = upload(package, cookie + csrf);
    EXPECT_EQ(passed.status, 502) << passed.body;
    EXPECT_NE(errorOf(passed).find("AdminRegObj"), std::string::npos) << passed.body;
    HttpAnswer versions = httpRequest(port, "GET", "/api/servers/TestApp.HelloServer/versions", cookie);
    EXPECT_EQ(versions.status, 502) << versions.body;
    HttpAnswer rollback = postJson("/api/servers/TestApp.HelloServer/rollback", R"({"to":"v1"})", cookie + csrf);
    EXPECT_EQ(rollback.status, 502) << rollback.body;
    EXPECT_EQ(httpRequest(port, "GET", "/api/servers/TestApp.HelloServer/publish", cookie).status, 405);
}

TEST_F(WebPublishApi, OnlyThePublishPathTakesABinaryBody) {
    const std::string headers = cookie + csrf + "";
    for (const char* path : {"/api/deploy", "/api/servers/TestApp.HelloServer/restart",
                             "/api/servers/TestApp.HelloServer/rollback", "/api/logout"}) {
        HttpAnswer a = httpRequest(port, "POST", path, "Content-Type: application/octet-stream\r\n" + headers, "x");
        EXPECT_EQ(a.status, 415) << path << a.body;
    }
    // ... and the publish path takes nothing else.
    EXPECT_EQ(upload("{}", headers, "application/json").status, 415);
    EXPECT_EQ(upload("x", headers, "text/plain").status, 415);
    EXPECT_EQ(upload("", headers).status, 400);
}

TEST_F(WebPublishApi, APackageAboveMaxUploadGets413BeforeAnythingIsCalled) {
    HttpAnswer a = upload(std::string(kMaxUpload + 1, 'x'), cookie + csrf);
    EXPECT_EQ(a.status, 413) << a.body;
    EXPECT_NE(errorOf(a).find("at most 4096"), std::string::npos) << a.body;
    EXPECT_NE(errorOf(a).find("maxupload"), std::string::npos) << a.body;
    // At the cap it is taken (and fails only at the absent registry).
    EXPECT_EQ(upload(std::string(kMaxUpload, 'x'), cookie + csrf).status, 502);
}

TEST_F(WebPublishApi, ABodyAboveTheServantLimitClosesTheConnectionAtOnce) {
    std::signal(SIGPIPE, SIG_IGN);  // the server closes while the body is still being sent
    const int64_t startMs = TC_TimeProvider::steadyNowMs();
    HttpAnswer a = upload(std::string(HttpProtocol::kMaxBodySize + 1, 'x'), cookie + csrf);
    EXPECT_EQ(a.status, 0) << a.headers;
    EXPECT_LT(TC_TimeProvider::steadyNowMs() - startMs, 10000);
    // The server goes on serving.
    EXPECT_EQ(httpRequest(port, "GET", "/api/session", cookie).status, 200);
}

TEST_F(WebPublishApi, ABadDeployFormGetsTarsadminsMessages) {
    const nlohmann::json form = {
        {"deploy", {{"app", "TestApp"}, {"server", ""}, {"node", "node1"}, {"setting", "sometimes"}}},
        {"adapters",
         {{{"name", "TestApp.Web.WebObjAdapter"}, {"endpoint", "tcp -h 127.0.0.1 -p 99999"}, {"servnat", "x"}}}}};
    HttpAnswer a = postJson("/api/deploy", form.dump(), cookie + csrf);
    ASSERT_EQ(a.status, 400) << a.body;
    const auto answer = parsed(a);
    ASSERT_TRUE(answer.contains("problems") && answer["problems"].size() >= 3) << a.body;
    EXPECT_NE(errorOf(a).find("nothing was deployed"), std::string::npos);

    // The same deployment file given to tarsadmin deploy: the same problems, word for word.
    const std::string file = web.dir() + "/form.conf";
    TC_File::save2file(file, answer["deployFile"].get<std::string>());
    auto r = runCommand(TARSADMIN_PATH, {"deploy", file}, web.dir());
    EXPECT_EQ(r.status, 2) << r.out << r.err;
    for (const auto& problem : answer["problems"]) {
        std::string text = problem.get<std::string>();
        ASSERT_TRUE(text.starts_with("deploy form:")) << text;
        EXPECT_NE(r.err.find(file + text.substr(std::string("deploy form").size())), std::string::npos) << text << "\n"
                                                                                                        << r.err;
    }
    // A value cannot open a section of its own.
    nlohmann::json injected = form;
    injected["deploy"]["server"] = "Web\n</deploy>";
    EXPECT_EQ(postJson("/api/deploy", injected.dump(), cookie + csrf).status, 400);
    EXPECT_EQ(postJson("/api/deploy", "[]", cookie + csrf).status, 400);
}

TEST_F(WebPublishApi, AValidDeployFormReachesTheRegistry) {
    const nlohmann::json form = {{"deploy", {{"app", "TestApp"}, {"server", "Web"}, {"node", "node1"}}},
                                 {"adapters",
                                  {{{"name", "TestApp.Web.WebObjAdapter"},
                                    {"endpoint", "tcp -h 127.0.0.1 -p 20101"},
                                    {"servant", "TestApp.Web.WebObj"},
                                    {"threads", 2}}}}};
    HttpAnswer a = postJson("/api/deploy", form.dump(), cookie + csrf);
    EXPECT_EQ(a.status, 409) << a.body;
    const auto answer = parsed(a);
    ASSERT_TRUE(answer.contains("results") && answer["results"].size() == 1) << a.body;
    EXPECT_FALSE(answer["results"][0]["ok"].get<bool>());
    EXPECT_NE(answer["results"][0]["result"].get<std::string>().find("AdminRegObj"), std::string::npos) << a.body;
}

}  // namespace
