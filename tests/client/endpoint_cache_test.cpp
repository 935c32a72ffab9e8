// The endpoint cache (`endpoint-cache`, TarsCpp's <datapath>/<ServerName>.tarsdat): the
// endpoints resolved through the registry are written to the file, and a client started
// while the registry is down calls the cached endpoints, saying so in its log. A corrupt
// file is logged and replaced, never fatal.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <csignal>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "Hello.h"
#include "TestServer.h"
#include "servant/Communicator.h"
#include "util/tc_config.h"
#include "util/tc_file.h"
#include "util/tc_logger.h"

using namespace tars;
using namespace tars::test;
using TestApp::HelloPrx;

namespace {

constexpr const char* kObject = "TestApp.HelloServer.HelloObj";

EndpointF endpointOf(const TestServer& server) {
    EndpointF ep;
    ep.host = "127.0.0.1";
    ep.port = server.port();
    ep.timeout = 60000;
    ep.istcp = 1;
    return ep;
}

// A fresh directory for one test's cache and log files.
std::string freshDir(const std::string& name) {
    std::string dir = testing::TempDir() + "endpoint_cache_" + name + "_" + std::to_string(::getpid());
    TC_File::removeFile(dir, true);
    TC_File::makeDirRecursive(dir);
    return dir;
}

TC_Config clientConfig(const std::string& locator, const std::string& cacheFile) {
    TC_Config conf;
    conf.parseString("<tars><application><client>\nlocator = tars.tarsregistry.QueryObj@" + locator +
                     "\nsync-invoke-timeout = 3000\nendpoint-cache = " + cacheFile +
                     "\n</client></application></tars>");
    return conf;
}

// The process log goes to a file while it lives.
class LogToFile {
public:
    explicit LogToFile(std::string path) : _path(std::move(path)) {
        TC_Logger::global().setRollBySize(_path, 16 * 1024 * 1024, 1);
        TC_Logger::global().setLogLevel(TC_Logger::DEBUG_LOG);
    }
    ~LogToFile() { TC_Logger::global().setConsole(); }
    std::string text() const {
        TC_Logger::global().flush();
        return TC_File::isFileExist(_path) ? TC_File::load2str(_path) : "";
    }

private:
    std::string _path;
};

}  // namespace

TEST(EndpointCacheTest, ResolvedEndpointsAreCachedAndUsedWhileTheRegistryIsDown) {
    const std::string dir = freshDir("down");
    const std::string cacheFile = dir + "/HelloClient.tarsdat";
    TestServer registry(0, "registry");
    TestServer server(1, "server");
    registry.start();
    server.start();
    registry.setLocatorAnswer({endpointOf(server)});
    const std::string locator = registry.endpoint();
    {
        Communicator comm(clientConfig(locator, cacheFile));
        HelloPrx prx;
        comm.stringToProxy(kObject, prx);
        std::string rsp;
        EXPECT_EQ(prx->testHello("x", rsp), 1);
    }
    // TarsCpp's layout: /cache<tarsversion>, and the object's endpoints under the locator.
    ASSERT_TRUE(TC_File::isFileExist(cacheFile));
    TC_Config cached;
    cached.parseFile(cacheFile);
    EXPECT_FALSE(cached.get("/cache<tarsversion>").empty());
    EXPECT_FALSE(cached.get("/cache<modify>").empty());
    const std::string domain = "/cache/tars.tarsregistry.QueryObj@" + locator;
    EXPECT_NE(cached.get(domain + "<" + kObject + ">").find("tcp -h 127.0.0.1 -p " + std::to_string(server.port())),
              std::string::npos)
        << TC_File::load2str(cacheFile);
    EXPECT_TRUE(cached.getDomainMap(domain).count(std::string("inactive_") + kObject)) << TC_File::load2str(cacheFile);

    registry.stop();

    // A new client process with the same cache file: the registry refuses connections, the
    // calls go to the cached endpoint.
    const std::string logFile = dir + "/client.log";
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        int code = 1;
        {
            LogToFile log(logFile);
            Communicator comm(clientConfig(locator, cacheFile));
            HelloPrx prx;
            comm.stringToProxy(kObject, prx);
            std::string rsp;
            try {
                code = prx->testHello("y", rsp) == 1 && rsp == "y" ? 0 : 2;
                // Bounded wait for the registry's failure to be logged.
                for (int i = 0; i < 500 && log.text().find("the registry cannot be asked") == std::string::npos; ++i) {
                    ::usleep(10000);
                }
            } catch (const std::exception&) {
                code = 3;
            }
        }
        std::_Exit(code);
    }
    // A copy of a multithreaded process can deadlock on a lock held at fork time: wait a
    // bounded time, then kill the child and fail rather than hang.
    int status = 0;
    pid_t done = 0;
    for (int i = 0; i < 3000 && (done = ::waitpid(pid, &status, WNOHANG)) == 0; ++i) ::usleep(10000);
    if (done == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        FAIL() << "the client child did not finish within 30 s (killed)";
    }
    ASSERT_EQ(done, pid);
    std::string log = TC_File::isFileExist(logFile) ? TC_File::load2str(logFile) : "";
    ASSERT_TRUE(WIFEXITED(status)) << log;
    EXPECT_EQ(WEXITSTATUS(status), 0) << log;
    EXPECT_NE(log.find("taken from the endpoint cache " + cacheFile), std::string::npos) << log;
    EXPECT_NE(log.find("the registry cannot be asked, calls use the 1 endpoints of the endpoint cache"),
              std::string::npos)
        << log;
    EXPECT_EQ(registry.locatorQueries(), 1u);
}

TEST(EndpointCacheTest, CorruptCacheFileIsLoggedAndReplaced) {
    const std::string dir = freshDir("corrupt");
    const std::string cacheFile = dir + "/HelloClient.tarsdat";
    TC_File::save2file(cacheFile, "<cache>\ntarsversion=1\n<unclosed>\n");
    TestServer registry(0, "registry");
    TestServer server(1, "server");
    registry.start();
    server.start();
    registry.setLocatorAnswer({endpointOf(server)});
    {
        LogToFile log(dir + "/client.log");
        Communicator comm(clientConfig(registry.endpoint(), cacheFile));
        HelloPrx prx;
        comm.stringToProxy(kObject, prx);
        std::string rsp;
        EXPECT_EQ(prx->testHello("x", rsp), 1);  // resolved through the registry
        std::string text = log.text();
        EXPECT_NE(text.find("endpoint cache " + cacheFile + " cannot be used, ignored"), std::string::npos) << text;
    }
    TC_Config rewritten;
    rewritten.parseFile(cacheFile);
    EXPECT_FALSE(
        rewritten.get("/cache/tars.tarsregistry.QueryObj@" + registry.endpoint() + "<" + kObject + ">").empty());
}

// A locator with '/' in it (a unix socket path) cannot name a TC_Config section: its
// entries are neither read nor written, and the log says so once.
TEST(EndpointCacheTest, LocatorWithASlashIsNotCached) {
    const std::string dir = freshDir("slash");
    const std::string cacheFile = dir + "/HelloClient.tarsdat";
    LogToFile log(dir + "/client.log");
    {
        Communicator comm(clientConfig("unix -h " + dir + "/registry.sock", cacheFile));
        HelloPrx prx;
        comm.stringToProxy(kObject, prx);
        std::string rsp;
        EXPECT_ANY_THROW(prx->testHello("x", rsp));  // no registry listens there
    }
    std::string text = log.text();
    EXPECT_NE(text.find("contains '/' (a unix socket path?), its endpoints are not cached"), std::string::npos) << text;
    EXPECT_FALSE(TC_File::isFileExist(cacheFile));
}
