// tarsweb as a process (framework.web.*): the page is public, every API call needs a
// session, every state-changing one also its CSRF token, wrong passwords are refused and
// repeated ones slowed down, and neither passwords nor tokens reach the log.
//
// The tarsweb here reads a local password file (written by the real `tarsadmin
// web-password --file`) and names a registry that is not there: a call that passes the
// checks then fails with the registry's error as JSON, which shows it got through.
// Ports are reserved (ReservedPort); every wait polls with a deadline.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "AdminTestSupport.h"
#include "TestSupport.h"
#include "util/tc_file.h"

#ifndef TARSWEB_PATH
#error "TARSWEB_PATH must name the tarsweb executable"
#endif

using namespace tars;
using namespace tars::test;

namespace {

constexpr const char* kPassword = "s3cret-console-pw";

struct Login {
    std::string cookie;  // "tarsweb_session=..."
    std::string csrf;
};

class WebSecurity : public ::testing::Test {
protected:
    void SetUp() override {
        passwordFile = web.dir() + "/tarsweb.passwd";
        // The real tool writes the file, reading the password from stdin.
        auto r = runCommand("/bin/sh",
                            {"-c", std::string("printf '%s\\n' '") + kPassword + "' | '" + TARSADMIN_PATH +
                                       "' web-password --file '" + passwordFile + "'"},
                            web.dir());
        ASSERT_EQ(r.status, 0) << r.out << r.err;
        web.writeConfig(config());
        ASSERT_TRUE(web.start({port.port()})) << web.output();
    }

    std::string config() const {
        return "<tars>\n  <application>\n    <server>\n      app = tars\n      server = tarsweb\n"
               "      localip = 127.0.0.1\n      logpath = @LOG@\n      logLevel = DEBUG\n"
               "      <tars.tarsweb.WebObjAdapter>\n        endpoint = tcp -h 127.0.0.1 -p " +
               std::to_string(port.port()) +
               " -t 60000\n        servant = tars.tarsweb.WebObj\n        protocol = http\n        threads = 2\n"
               "      </tars.tarsweb.WebObjAdapter>\n    </server>\n  </application>\n  <web>\n"
               "    passwordfile = " +
               passwordFile + "\n    adminregobj = tars.tarsregistry.AdminRegObj@tcp -h 127.0.0.1 -p " +
               std::to_string(noRegistry.port()) +
               "\n    registryobj = tars.tarsregistry.RegistryObj@tcp -h 127.0.0.1 -p " +
               std::to_string(noRegistry.port()) +
               "\n    querytimeout = 1000\n    commandtimeout = 1000\n  </web>\n</tars>\n";
    }

    HttpAnswer post(const std::string& path, const std::string& body, const std::string& headers = "") {
        return httpRequest(port, "POST", path, "Content-Type: application/json\r\n" + headers, body);
    }

    HttpAnswer loginAs(const std::string& user, const std::string& password) {
        return post("/api/login", nlohmann::json{{"user", user}, {"password", password}}.dump());
    }

    Login login() {
        HttpAnswer a = loginAs("admin", kPassword);
        EXPECT_EQ(a.status, 200) << a.headers << a.body;
        std::smatch m;
        Login result;
        if (std::regex_search(a.headers, m, std::regex("Set-Cookie: (tarsweb_session=[0-9a-f]+)", std::regex::icase))) {
            result.cookie = m[1];
        }
        auto json = nlohmann::json::parse(a.body, nullptr, false);
        if (json.is_object() && json.contains("csrf")) result.csrf = json["csrf"].get<std::string>();
        EXPECT_FALSE(result.cookie.empty()) << a.headers;
        EXPECT_EQ(result.csrf.size(), 64u);
        return result;
    }

    static std::string errorOf(const HttpAnswer& a) {
        auto json = nlohmann::json::parse(a.body, nullptr, false);
        return json.is_object() && json.contains("error") ? json["error"].get<std::string>() : "";
    }

    ReservedPort port;
    ReservedPort noRegistry;
    ServerProcess web{TARSWEB_PATH};
    std::string passwordFile;
};

TEST_F(WebSecurity, PasswordFileIsPrivateAndHoldsOnlyAHash) {
    struct stat st {};
    ASSERT_EQ(::stat(passwordFile.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
    std::string text = TC_File::load2str(passwordFile);
    EXPECT_NE(text.find("admin:pbkdf2-sha256$"), std::string::npos) << text;
    EXPECT_EQ(text.find(kPassword), std::string::npos);
}

TEST_F(WebSecurity, WebPasswordRefusesShortPasswordsAndArguments) {
    const std::string file = web.dir() + "/other.passwd";
    auto shortOne = runCommand(
        "/bin/sh",
        {"-c", std::string("printf 'short\\n' | '") + TARSADMIN_PATH + "' web-password --file '" + file + "'"},
        web.dir());
    EXPECT_EQ(shortOne.status, 2);
    EXPECT_NE(shortOne.err.find("8 to 1024 characters"), std::string::npos) << shortOne.err;
    EXPECT_FALSE(TC_File::isFileExist(file));
    auto extra = runCommand(TARSADMIN_PATH, {"web-password", "hunter22hunter22"}, web.dir());
    EXPECT_EQ(extra.status, 2);
    EXPECT_NE(extra.err.find("the password comes from stdin"), std::string::npos) << extra.err;
}

TEST_F(WebSecurity, WebPasswordFileRefusesASymlinkAndFollowsNoPlantedTemporaryFile) {
    const std::string target = web.dir() + "/elsewhere";
    TC_File::save2file(target, "untouched\n");
    auto setPassword = [&](const std::string& file) {
        return runCommand("/bin/sh",
                          {"-c", std::string("printf '%s\\n' '") + kPassword + "' | '" + TARSADMIN_PATH +
                                     "' web-password --file '" + file + "'"},
                          web.dir());
    };
    const std::string link = web.dir() + "/linked.passwd";
    ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
    auto refused = setPassword(link);
    EXPECT_EQ(refused.status, 1) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("is a symbolic link"), std::string::npos) << refused.err;
    EXPECT_EQ(TC_File::load2str(target), "untouched\n");

    // A link planted at the old fixed temporary name is neither followed nor reused.
    const std::string file = web.dir() + "/fresh.passwd";
    ASSERT_EQ(::symlink(target.c_str(), (file + ".tmp").c_str()), 0);
    auto written = setPassword(file);
    ASSERT_EQ(written.status, 0) << written.out << written.err;
    EXPECT_EQ(TC_File::load2str(target), "untouched\n");
    struct stat st {};
    ASSERT_EQ(::lstat(file.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0600);
    EXPECT_NE(TC_File::load2str(file).find("admin:pbkdf2-sha256$"), std::string::npos);
    for (const auto& entry : std::filesystem::directory_iterator(web.dir())) {
        EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << "left behind: " << entry.path();
    }
}

TEST_F(WebSecurity, PageIsServedWithoutLoginButNotFilesOutsideIt) {
    HttpAnswer page = httpRequest(port, "GET", "/");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Log in"), std::string::npos);
    EXPECT_NE(page.headers.find("Content-Security-Policy"), std::string::npos);
    EXPECT_EQ(httpRequest(port, "GET", "/assets/console.js").status, 200);
    EXPECT_EQ(httpRequest(port, "GET", "/../tarsweb.passwd").status, 404);
    EXPECT_EQ(httpRequest(port, "GET", "/assets/%2e%2e/index.html").status, 404);
    EXPECT_EQ(httpRequest(port, "GET", "/.hidden").status, 404);
}

TEST_F(WebSecurity, AFolderInThePagesFolderIsNotFoundAndNoPathReachesThePeer) {
    // Reading a folder as a file fails: such a failure must not show the peer a path.
    ReservedPort otherPort;
    ServerProcess other{TARSWEB_PATH};
    const std::string assets = other.dir() + "/assets";
    TC_File::makeDirRecursive(assets + "/sub");
    TC_File::save2file(assets + "/index.html", "<html>Log in</html>\n");
    std::string text = config();
    const std::string endpoint = "-p " + std::to_string(port.port()) + " ";
    ASSERT_NE(text.find(endpoint), std::string::npos);
    text.replace(text.find(endpoint), endpoint.size(), "-p " + std::to_string(otherPort.port()) + " ");
    text.replace(text.find("  <web>\n"), 8, "  <web>\n    assets = " + assets + "\n");
    other.writeConfig(text);
    ASSERT_TRUE(other.start({otherPort.port()})) << other.output();
    EXPECT_EQ(httpRequest(otherPort, "GET", "/").status, 200);
    HttpAnswer folder = httpRequest(otherPort, "GET", "/sub");
    EXPECT_EQ(folder.status, 404) << folder.body;
    EXPECT_EQ(folder.body.find(other.dir()), std::string::npos) << folder.body;
}

TEST_F(WebSecurity, EveryApiCallNeedsASession) {
    for (const char* path : {"/api/session", "/api/servers", "/api/servers/TestApp.HelloServer"}) {
        HttpAnswer a = httpRequest(port, "GET", path);
        EXPECT_EQ(a.status, 401) << path;
        EXPECT_EQ(errorOf(a), "log in first") << a.body;
    }
    HttpAnswer forged =
        httpRequest(port, "GET", "/api/servers", "Cookie: tarsweb_session=" + std::string(64, 'a') + "\r\n");
    EXPECT_EQ(forged.status, 401);
}

TEST_F(WebSecurity, WrongPasswordIsRefused) {
    HttpAnswer a = loginAs("admin", "not the password");
    EXPECT_EQ(a.status, 401);
    EXPECT_EQ(errorOf(a), "wrong user or password");
    EXPECT_EQ(a.headers.find("Set-Cookie"), std::string::npos);
    EXPECT_EQ(loginAs("nobody", kPassword).status, 401);
    EXPECT_EQ(post("/api/login", "not json").status, 400);
    EXPECT_EQ(httpRequest(port, "POST", "/api/login", "Content-Type: text/plain\r\n", "{}").status, 415);
}

TEST_F(WebSecurity, SessionCookieIsHttpOnlyAndStrict) {
    HttpAnswer a = loginAs("admin", kPassword);
    ASSERT_EQ(a.status, 200) << a.body;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(a.headers, m, std::regex("Set-Cookie: ([^\r\n]*)", std::regex::icase)));
    const std::string cookie = m[1];
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("Max-Age="), std::string::npos) << cookie;
}

TEST_F(WebSecurity, StateChangingCallsNeedSessionAndCsrfToken) {
    Login session = login();
    const std::string body = R"({"node":"node1"})";
    for (const char* verb : {"start", "stop", "restart", "undeploy"}) {
        const std::string path = std::string("/api/servers/TestApp.HelloServer/") + verb;
        EXPECT_EQ(post(path, body).status, 401) << path;
        EXPECT_EQ(post(path, body, "X-CSRF-Token: " + session.csrf + "\r\n").status, 401) << path;
        EXPECT_EQ(post(path, body, "Cookie: " + session.cookie + "\r\n").status, 403) << path;
        EXPECT_EQ(
            post(path, body, "Cookie: " + session.cookie + "\r\nX-CSRF-Token: " + std::string(64, '0') + "\r\n").status,
            403)
            << path;
        // With both, the call reaches the (absent) registry: its failure comes back as JSON.
        HttpAnswer passed =
            post(path, body, "Cookie: " + session.cookie + "\r\nX-CSRF-Token: " + session.csrf + "\r\n");
        EXPECT_EQ(passed.status, 502) << path << passed.body;
        EXPECT_NE(errorOf(passed).find("AdminRegObj"), std::string::npos) << passed.body;
    }
    const std::string config = R"({"name":"hello.conf","level":2,"content":"x"})";
    EXPECT_EQ(post("/api/servers/TestApp.HelloServer/configfile", config).status, 401);
    EXPECT_EQ(post("/api/servers/TestApp.HelloServer/configfile", config, "Cookie: " + session.cookie + "\r\n").status,
              403);
    HttpAnswer stored = post("/api/servers/TestApp.HelloServer/configfile", config,
                             "Cookie: " + session.cookie + "\r\nX-CSRF-Token: " + session.csrf + "\r\n");
    EXPECT_EQ(stored.status, 502) << stored.body;
    HttpAnswer notify = post("/api/servers/TestApp.HelloServer/notify",
                             R"({"node":"node1","command":"tars.viewstatus"})", "Cookie: " + session.cookie + "\r\n");
    EXPECT_EQ(notify.status, 403);
    // A GET needs the session only; the registry's failure reaches the page as JSON.
    HttpAnswer list = httpRequest(port, "GET", "/api/servers", "Cookie: " + session.cookie + "\r\n");
    EXPECT_EQ(list.status, 502);
    EXPECT_NE(errorOf(list).find("AdminRegObj"), std::string::npos) << list.body;
}

TEST_F(WebSecurity, ThePasswordFileIsNeitherReadNorWrittenThroughTheConsole) {
    // Refused before the registry is asked (it is absent here: asking it would give 502).
    Login session = login();
    const std::string headers = "Cookie: " + session.cookie + "\r\nX-CSRF-Token: " + session.csrf + "\r\n";
    HttpAnswer read = httpRequest(port, "GET", "/api/servers/tars.tarsweb/configfile?name=tarsweb.passwd&level=2",
                                  "Cookie: " + session.cookie + "\r\n");
    EXPECT_EQ(read.status, 403) << read.body;
    EXPECT_NE(errorOf(read).find("web-password"), std::string::npos) << read.body;
    HttpAnswer write = post("/api/servers/tars.tarsweb/configfile",
                            R"({"name":"tarsweb.passwd","level":2,"content":"eve:x"})", headers);
    EXPECT_EQ(write.status, 403) << write.body;
    HttpAnswer host = post("/api/servers/tars.tarsweb/configfile",
                           R"({"name":"tarsweb.passwd","level":3,"host":"node1","content":"eve:x"})", headers);
    EXPECT_EQ(host.status, 403) << host.body;
}

TEST_F(WebSecurity, AUserNameOutsideTheAllowedCharactersIsRefusedBeforeItIsLogged) {
    HttpAnswer a = loginAs("admin\nweb: admin logged in", kPassword);
    EXPECT_EQ(a.status, 400) << a.body;
}

TEST_F(WebSecurity, LogoutEndsTheSession) {
    Login session = login();
    const std::string cookie = "Cookie: " + session.cookie + "\r\n";
    EXPECT_EQ(httpRequest(port, "GET", "/api/session", cookie).status, 200);
    EXPECT_EQ(post("/api/logout", "{}", cookie).status, 403);  // logout changes state: token needed
    EXPECT_EQ(post("/api/logout", "{}", cookie + "X-CSRF-Token: " + session.csrf + "\r\n").status, 200);
    EXPECT_EQ(httpRequest(port, "GET", "/api/session", cookie).status, 401);
}

TEST_F(WebSecurity, RepeatedFailedLoginsAreSlowedDown) {
    for (int i = 0; i < 3; ++i) EXPECT_EQ(loginAs("admin", "wrong").status, 401);
    // The next try comes sooner than the wait: refused at once, even with the right password.
    HttpAnswer refused = loginAs("admin", kPassword);
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_NE(refused.headers.find("Retry-After"), std::string::npos);
    // The server keeps serving meanwhile.
    EXPECT_EQ(httpRequest(port, "GET", "/").status, 200);
}

TEST_F(WebSecurity, SecretsNeverReachTheLog) {
    Login session = login();
    loginAs("admin", "wrong-password-xyz");
    httpRequest(port, "GET", "/api/servers", "Cookie: " + session.cookie + "\r\n");
    EXPECT_EQ(web.stop(), 0);  // the log is complete once the process ended
    std::string log = web.log() + web.output();
    EXPECT_NE(log.find("admin logged in"), std::string::npos) << log;
    EXPECT_EQ(log.find(kPassword), std::string::npos);
    EXPECT_EQ(log.find("wrong-password-xyz"), std::string::npos);
    EXPECT_EQ(log.find(session.cookie.substr(16)), std::string::npos);
    EXPECT_EQ(log.find(session.csrf), std::string::npos);
}

TEST_F(WebSecurity, PlainHttpBeyondLoopbackStopsTheStart) {
    ServerProcess exposed{TARSWEB_PATH};
    std::string text = config();
    text.replace(text.find("endpoint = tcp -h 127.0.0.1"), std::string("endpoint = tcp -h 127.0.0.1").size(),
                 "endpoint = tcp -h 0.0.0.0");
    exposed.writeConfig(text);
    EXPECT_EQ(exposed.runToExit({"--config=" + exposed.dir() + "/server.conf"}), 1);
    EXPECT_NE(exposed.output().find("in plain http, where passwords and session cookies would cross the network"),
              std::string::npos)
        << exposed.output();
}

// With an ssl endpoint: https only (a servant has one adapter, so there is no plain one
// beside it). Plain HTTP gets no answer; over TLS the session cookie is Secure and the
// answer carries Strict-Transport-Security (curl is the client).
class WebTls : public ::testing::Test {
protected:
    static std::string cert(const std::string& name) { return std::string(TLS_CERT_DIR) + "/" + name; }

    std::string config() const {
        std::string text =
            "<tars>\n  <application>\n    <server>\n      app = tars\n      server = tarsweb\n"
            "      localip = 127.0.0.1\n      logpath = @LOG@\n      cert = " +
            cert("server.pem") + "\n      key = " + cert("server.key") +
            "\n      <tars.tarsweb.WebObjAdapter>\n        endpoint = ssl -h 127.0.0.1 -p " +
            std::to_string(port.port()) +
            " -t 60000\n        servant = tars.tarsweb.WebObj\n        protocol = http\n"
            "      </tars.tarsweb.WebObjAdapter>\n";
        return text + "    </server>\n  </application>\n  <web>\n    passwordfile = " + web.dir() +
               "/tarsweb.passwd\n    adminregobj = tars.tarsregistry.AdminRegObj@tcp -h 127.0.0.1 -p " +
               std::to_string(noRegistry.port()) +
               "\n    registryobj = tars.tarsregistry.RegistryObj@tcp -h 127.0.0.1 -p " +
               std::to_string(noRegistry.port()) + "\n  </web>\n</tars>\n";
    }

    ReservedPort port;
    ReservedPort noRegistry;
    ServerProcess web{TARSWEB_PATH};
};

TEST_F(WebTls, HttpsOnlyWithSecureCookie) {
    auto set = runCommand("/bin/sh",
                          {"-c", std::string("printf '%s\\n' '") + kPassword + "' | '" + TARSADMIN_PATH +
                                     "' web-password --file '" + web.dir() + "/tarsweb.passwd'"},
                          web.dir());
    ASSERT_EQ(set.status, 0) << set.err;
    web.writeConfig(config());
    ASSERT_TRUE(web.start({port.port()})) << web.output();
    EXPECT_EQ(httpRequest(port, "GET", "/").status, 0);  // plain HTTP: no answer
    if (::access("/usr/bin/curl", X_OK) != 0) GTEST_SKIP() << "curl is missing: the https half is not checked";
    auto r = runCommand(
        "/usr/bin/curl",
        {"-sS", "-D", "-", "-o", "/dev/null", "--cacert", cert("ca.pem"), "-H", "Content-Type: application/json",
         "--data", std::string(R"({"user":"admin","password":")") + kPassword + "\"}",
         "https://127.0.0.1:" + std::to_string(port.port()) + "/api/login"},
        web.dir());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("HTTP/1.1 200"), std::string::npos) << r.out;
    EXPECT_TRUE(std::regex_search(
        r.out, std::regex("Set-Cookie: tarsweb_session=[0-9a-f]+;[^\r\n]*; Secure", std::regex::icase)))
        << r.out;
    EXPECT_NE(r.out.find("Strict-Transport-Security"), std::string::npos) << r.out;
}

}  // namespace
