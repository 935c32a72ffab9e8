// tarsweb's observation API as a process (framework.web.observe.*): the charts' data, the
// log tail and the nodes page need a session, answer only GET, and a log file is named by
// a plain relative path, refused before any call otherwise. The tarsweb here reads a local
// password file and names a registry and query services that are not there: a request
// that passes the checks fails with the service's error as JSON (a message for the page,
// never a blank), which shows it got through.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "AdminTestSupport.h"
#include "TestSupport.h"

#ifndef TARSWEB_PATH
#error "TARSWEB_PATH must name the tarsweb executable"
#endif

using namespace tars;
using namespace tars::test;

namespace {

constexpr const char* kPassword = "observe-console-pw";
constexpr const char* kServer = "/api/servers/TestApp.HelloServer";

class WebObserve : public ::testing::Test {
protected:
    void SetUp() override {
        const std::string passwordFile = web.dir() + "/tarsweb.passwd";
        auto r = runCommand("/bin/sh",
                            {"-c", std::string("printf '%s\\n' '") + kPassword + "' | '" + TARSADMIN_PATH +
                                       "' web-password --file '" + passwordFile + "'"},
                            web.dir());
        ASSERT_EQ(r.status, 0) << r.out << r.err;
        const std::string nowhere = "@tcp -h 127.0.0.1 -p " + std::to_string(noService.port());
        web.writeConfig(
            "<tars>\n  <application>\n    <server>\n      app = tars\n      server = tarsweb\n"
            "      localip = 127.0.0.1\n      logpath = @LOG@\n      logLevel = DEBUG\n"
            "      <tars.tarsweb.WebObjAdapter>\n        endpoint = tcp -h 127.0.0.1 -p " +
            std::to_string(port.port()) +
            " -t 60000\n        servant = tars.tarsweb.WebObj\n        protocol = http\n        threads = 2\n"
            "      </tars.tarsweb.WebObjAdapter>\n    </server>\n    <client>\n"
            "      locator = tars.tarsregistry.QueryObj" +
            nowhere + "\n    </client>\n  </application>\n  <web>\n" + "    passwordfile = " + passwordFile +
            "\n    adminregobj = tars.tarsregistry.AdminRegObj" + nowhere +
            "\n    registryobj = tars.tarsregistry.RegistryObj" + nowhere +
            "\n    querytimeout = 1000\n    commandtimeout = 1000\n  </web>\n</tars>\n");
        ASSERT_TRUE(web.start({port.port()})) << web.output();
        HttpAnswer a = httpRequest(port, "POST", "/api/login", "Content-Type: application/json\r\n",
                                   nlohmann::json{{"user", "admin"}, {"password", kPassword}}.dump());
        ASSERT_EQ(a.status, 200) << a.headers << a.body;
        std::smatch m;
        ASSERT_TRUE(
            std::regex_search(a.headers, m, std::regex("Set-Cookie: (tarsweb_session=[0-9a-f]+)", std::regex::icase)));
        cookie = m[1];
        csrf = nlohmann::json::parse(a.body)["csrf"].get<std::string>();
    }

    HttpAnswer get(const std::string& path) { return httpRequest(port, "GET", path, "Cookie: " + cookie + "\r\n"); }

    static std::string errorOf(const HttpAnswer& a) {
        auto json = nlohmann::json::parse(a.body, nullptr, false);
        return json.is_object() && json.contains("error") && json["error"].is_string()
                   ? json["error"].get<std::string>()
                   : "";
    }

    ReservedPort port;
    ReservedPort noService;
    ServerProcess web{TARSWEB_PATH};
    std::string cookie;
    std::string csrf;
};

const std::vector<std::string>& observePaths() {
    static const std::vector<std::string> paths = {
        "/api/nodes",
        std::string(kServer) + "/stat?hours=1",
        std::string(kServer) + "/properties?hours=6",
        std::string(kServer) + "/logs?node=node1",
        std::string(kServer) + "/log?node=node1&file=TestApp.HelloServer.log&lines=10",
        std::string(kServer) + "/log?node=node1&file=TestApp.HelloServer.log&from=0",
    };
    return paths;
}

TEST_F(WebObserve, EveryObservationCallNeedsASession) {
    for (const auto& path : observePaths()) {
        HttpAnswer a = httpRequest(port, "GET", path);
        EXPECT_EQ(a.status, 401) << path << a.body;
        EXPECT_EQ(errorOf(a), "log in first") << path << a.body;
        HttpAnswer forged = httpRequest(port, "GET", path, "Cookie: tarsweb_session=" + std::string(64, 'a') + "\r\n");
        EXPECT_EQ(forged.status, 401) << path << forged.body;
    }
}

TEST_F(WebObserve, ObservationCallsOnlyRead) {
    for (const auto& path : observePaths()) {
        HttpAnswer a = httpRequest(
            port, "POST", path,
            "Cookie: " + cookie + "\r\nX-CSRF-Token: " + csrf + "\r\nContent-Type: application/json\r\n", "{}");
        EXPECT_EQ(a.status, 405) << path << a.body;
    }
}

TEST_F(WebObserve, LogFileNamesThatAreNotPlainAreRefused) {
    // A log service's tree has folders: a/b.log is a name; what leaves or hides is not.
    for (const std::string file :
         {"../../etc/passwd", "%2e%2e%2fetc%2fpasswd", "..", ".hidden", "a/../b.log", "a//b.log", "a/.hidden/b.log",
          "a/", "%2Fetc%2Fpasswd", "a%00b", "x..log", "with%20space", ""}) {
        HttpAnswer a = get(std::string(kServer) + "/log?node=node1&lines=5&file=" + file);
        EXPECT_EQ(a.status, 400) << file << " " << a.body;
        EXPECT_NE(errorOf(a).find("log file as the node lists it"), std::string::npos) << file << " " << a.body;
    }
    HttpAnswer nested = get(std::string(kServer) + "/log?node=node1&lines=5&file=tars_dyeing/dyeing.log");
    EXPECT_NE(nested.status, 400) << nested.body;
    for (const std::string node : {"", "../x", "a%2Fb"}) {
        HttpAnswer a = get(std::string(kServer) + "/logs?node=" + node);
        EXPECT_EQ(a.status, 400) << node << " " << a.body;
        EXPECT_NE(errorOf(a).find("node"), std::string::npos) << a.body;
    }
    const std::string file = std::string(kServer) + "/log?node=node1&file=TestApp.HelloServer.log";
    for (const std::string bad : {"&lines=0", "&lines=x", "&lines=5001", "&from=-1", "&from=x"}) {
        HttpAnswer a = get(file + bad);
        EXPECT_EQ(a.status, 400) << bad << " " << a.body;
    }
    for (const std::string hours : {"0", "2", "x", "-1"}) {
        HttpAnswer a = get(std::string(kServer) + "/stat?hours=" + hours);
        EXPECT_EQ(a.status, 400) << hours << " " << a.body;
        EXPECT_NE(errorOf(a).find("hours must be 1, 6 or 24"), std::string::npos) << a.body;
    }
    EXPECT_EQ(get("/api/servers/TestApp/stat").status, 400);
}

TEST_F(WebObserve, UnreachableServicesAnswerAMessage) {
    // Checked requests reach the services, which are not there: an error the page shows.
    for (const auto& path : observePaths()) {
        HttpAnswer a = get(path);
        EXPECT_EQ(a.status, 502) << path << " " << a.body;
        EXPECT_NE(errorOf(a).find("failed"), std::string::npos) << path << " " << a.body;
    }
}

}  // namespace
