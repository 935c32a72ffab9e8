// tarsnode's patchPro and getPatchPercent as processes: a tarsregistry, a tarspatch holding
// uploads of HelloServer.tgz (tars_package()), and a tarsnode running TestApp.HelloServer
// from a deployment without an executable path. A patch downloads, verifies, unpacks,
// switches bin/ to the new version and restarts the server (a new pid), and the registry
// records the version; a kept version comes back without a download (rollback). Bad
// packages are refused with the cause and the node named, and the running server keeps
// its pid.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "AdminTool.h"
#include "NodeF.h"
#include "NodeTestSupport.h"
#include "Patch.h"
#include "util/tc_common.h"
#include "util/tc_file.h"
#include "util/tc_md5.h"

#ifndef HELLO_SERVER_TGZ
#error "HELLO_SERVER_TGZ must name the HelloServer package"
#endif

using namespace tars;
using namespace tars::test;
namespace fs = std::filesystem;

namespace {

const std::string kApp = "TestApp";
const std::string kHello = "HelloServer";

std::vector<char> fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string md5Of(const std::vector<char>& data) { return TC_MD5::hex(std::string_view(data.data(), data.size())); }

// tarspatch on reserved loopback ports, its store in its own temporary directory.
struct PatchServer {
    ReservedPort port, admin;
    ServerProcess process{TARSPATCH_PATH};
    Communicator communicator;
    PatchPrx proxy;
    bool started = false;

    explicit PatchServer(const std::string& patchKeys = "    chunksize = 65536\n") {
        process.writeConfig(
            "<tars>\n  <application>\n    <server>\n      app = tars\n      server = tarspatch\n"
            "      localip = 127.0.0.1\n      logpath = @LOG@\n      datapath = @DIR@/data\n"
            "      local = tcp -h 127.0.0.1 -p " +
            std::to_string(admin.port()) +
            " -t 60000\n      <tars.tarspatch.PatchObjAdapter>\n"
            "        endpoint = tcp -h 127.0.0.1 -p " +
            std::to_string(port.port()) +
            " -t 60000\n        servant = tars.tarspatch.PatchObj\n        threads = 2\n"
            "      </tars.tarspatch.PatchObjAdapter>\n    </server>\n  </application>\n"
            "  <patch>\n" +
            patchKeys + "  </patch>\n</tars>\n");
        started = process.start({port, admin});
        proxy = communicator.stringToProxy<PatchPrx>(object());
        proxy->tars_set_timeout(10000);
    }
    std::string object() const { return "tars.tarspatch.PatchObj@tcp -h 127.0.0.1 -p " + std::to_string(port.port()); }

    // Uploads data as <name> of TestApp.HelloServer; "" or the refusal.
    std::string upload(const std::string& name, const std::vector<char>& data) {
        const size_t chunkSize = 100000;
        size_t offset = 0;
        std::string md5 = md5Of(data);
        do {
            FileContent chunk;
            chunk.md5 = md5;
            chunk.name = name;
            chunk.firstChunk = offset == 0;
            size_t n = std::min(chunkSize, data.size() - offset);
            chunk.content.assign(data.begin() + static_cast<long>(offset),
                                 data.begin() + static_cast<long>(offset + n));
            offset += n;
            chunk.lastChunk = offset == data.size();
            std::string result;
            if (proxy->uploadChunk(kApp, kHello, chunk, result) != 0) return result.empty() ? "refused" : result;
        } while (offset < data.size());
        return "";
    }
};

class NodePatchTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(patch.started) << patch.process.output();
        store = db.open();
        registry = std::make_unique<RegistryProcess>(db);
        ASSERT_TRUE(registry->start()) << registry->process().output();
        // A published server: no executable path; nothing runs until the first patch.
        deployServer(*store, "node1", kHello, hello.port(), "");
        NodeOptions options;
        options.activatorMaxCount = 100000;  // the failed starts before the first patch
        node = std::make_unique<NodeProcess>(*registry, options);
        beforeNodeStarts();
        if (IsSkipped() || HasFatalFailure()) return;
        ASSERT_TRUE(node->start()) << node->process().output();
        package = fileBytes(HELLO_SERVER_TGZ);
        ASSERT_FALSE(package.empty()) << HELLO_SERVER_TGZ;
        ASSERT_EQ(patch.upload("v1.tgz", package), "");
        ASSERT_EQ(patch.upload("v2.tgz", package), "");
    }

    // Runs once the node's folders are chosen, before it starts.
    virtual void beforeNodeStarts() {}

    PatchRequest request(const std::string& version, const std::string& file, const std::string& md5) {
        PatchRequest r;
        r.appname = kApp;
        r.servername = kHello;
        r.nodename = "node1";
        r.version = version;
        r.user = "tester";
        r.patchobj = patch.object();
        r.md5 = md5;
        r.filepath = "tars.upload/TestApp.HelloServer/" + file;
        return r;
    }

    // patchPro, then getPatchPercent until the patch ends; its final PatchInfo.
    PatchInfo install(const PatchRequest& r) {
        std::string result;
        EXPECT_EQ(node->node()->patchPro(r, result), 0) << result;
        PatchInfo info;
        EXPECT_TRUE(eventually(
            [&] {
                return node->node()->getPatchPercent(kApp, kHello, info) == 0 && !info.bPatching &&
                       info.sVersion == r.version;
            },
            60000))
            << info.sResult;
        return info;
    }

    std::string binTarget() {
        std::error_code ec;
        return fs::read_symlink(node->serverDir(kApp, kHello) + "/bin", ec).string();
    }
    std::string registryVersion() {
        auto s = store->getServer({kApp, kHello, "node1"});
        return s ? s->patchVersion : "";
    }
    // Nothing half-done in versions/: only the named version folders.
    std::vector<std::string> versionEntries() {
        std::vector<std::string> names;
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(node->serverDir(kApp, kHello) + "/versions", ec)) {
            names.push_back(e.path().filename().string());
        }
        std::sort(names.begin(), names.end());
        return names;
    }

    // The patch is refused naming the cause and the node; v1 keeps running with the same
    // pid and bin/ target, and versions/ holds v1 alone (no partial download, no folder
    // half unpacked).
    void expectRefused(const PatchRequest& r, const std::string& cause, int pid) {
        auto result = install(r);
        EXPECT_FALSE(result.bSucc) << result.sResult;
        EXPECT_NE(result.sResult.find(cause), std::string::npos) << result.sResult;
        EXPECT_NE(result.sResult.find("node node1"), std::string::npos) << result.sResult;
        EXPECT_NE(result.sResult.find("the running version keeps running"), std::string::npos) << result.sResult;
        auto state = node->state(kApp, kHello);
        ASSERT_TRUE(state);
        EXPECT_EQ(state->processId, pid);
        EXPECT_EQ(binTarget(), "versions/v1/HelloServer");
        EXPECT_EQ(versionEntries(), std::vector<std::string>{"v1"});
        EXPECT_EQ(registryVersion(), "v1");
    }

    // A folder <name>/HelloServer/ holding the HelloServer executable, for packages made
    // with tar; its path.
    std::string packageFolder(const std::string& name) {
        const std::string dir = node->process().dir() + "/" + name;
        fs::create_directories(dir + "/HelloServer");
        fs::copy_file(HELLO_SERVER_PATH, dir + "/HelloServer/HelloServer", fs::copy_options::overwrite_existing);
        return dir;
    }
    // Runs tar (GNU tar; -P keeps '..' and absolute names) and uploads the result as <name>.tgz;
    // its MD5.
    std::string tarAndUpload(const std::string& name, const std::string& tarArgs) {
        const std::string file = node->process().dir() + "/" + name + ".tgz";
        const std::string command = "tar -czf " + file + " " + tarArgs + " 2>/dev/null";
        EXPECT_EQ(std::system(command.c_str()), 0) << command;
        auto bytes = fileBytes(file);
        EXPECT_EQ(patch.upload(name + ".tgz", bytes), "");
        return md5Of(bytes);
    }

    PatchServer patch;
    TestDatabase db{"sqlite"};
    std::unique_ptr<RegistryStore> store;
    std::unique_ptr<RegistryProcess> registry;
    ReservedPort hello;
    std::unique_ptr<NodeProcess> node;  // destroyed first: stops its servers, then itself
    std::vector<char> package;
};

TEST_F(NodePatchTest, PublishedVersionsReplaceTheRunningOneAndAKeptOneComesBack) {
    std::string md5 = md5Of(package);
    auto info = install(request("v1", "v1.tgz", md5));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    EXPECT_EQ(info.iPercent, 100);
    int pid1 = node->waitActive(kApp, kHello);
    ASSERT_GT(pid1, 0);
    EXPECT_EQ(binTarget(), "versions/v1/HelloServer");
    EXPECT_TRUE(eventually([&] { return registryVersion() == "v1"; })) << registryVersion();

    info = install(request("v2", "v2.tgz", md5));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    int pid2 = node->waitActive(kApp, kHello, pid1);
    ASSERT_GT(pid2, 0);
    EXPECT_NE(pid2, pid1);
    EXPECT_EQ(binTarget(), "versions/v2/HelloServer");
    EXPECT_TRUE(eventually([&] { return registryVersion() == "v2"; })) << registryVersion();

    // Rollback: v1 is kept, so it comes back even when tarspatch no longer has it.
    info = install(request("v1", "gone.tgz", md5));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    int pid3 = node->waitActive(kApp, kHello, pid2);
    ASSERT_GT(pid3, 0);
    EXPECT_NE(pid3, pid2);
    EXPECT_EQ(binTarget(), "versions/v1/HelloServer");
    EXPECT_TRUE(eventually([&] { return registryVersion() == "v1"; })) << registryVersion();
    EXPECT_EQ(versionEntries(), (std::vector<std::string>{"v1", "v2"}));
}

TEST_F(NodePatchTest, AKeptVersionOfAnotherPackageIsDownloadedAgain) {
    auto info = install(request("v1", "v1.tgz", md5Of(package)));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    int pid1 = node->waitActive(kApp, kHello);
    ASSERT_GT(pid1, 0);
    const std::string serverDir = node->serverDir(kApp, kHello);
    EXPECT_EQ(TC_Common::trim(TC_File::load2str(serverDir + "/versions/v1/.tars-package-md5")), md5Of(package));

    // Another package under the name v1 (its MD5 differs): the kept v1 is not reused, even
    // while it runs.
    std::string dir = packageFolder("other");
    std::ofstream(dir + "/HelloServer/marker.txt") << "the other package\n";
    const std::string otherMd5 = tarAndUpload("other", "-C " + dir + " HelloServer");
    ASSERT_NE(otherMd5, md5Of(package));
    info = install(request("v1", "other.tgz", otherMd5));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    EXPECT_EQ(info.sResult.find("already the running version"), std::string::npos) << info.sResult;
    int pid2 = node->waitActive(kApp, kHello, pid1);
    ASSERT_GT(pid2, 0);
    EXPECT_NE(pid2, pid1);
    EXPECT_TRUE(fs::exists(serverDir + "/versions/v1/HelloServer/marker.txt"));
    EXPECT_EQ(TC_Common::trim(TC_File::load2str(serverDir + "/versions/v1/.tars-package-md5")), otherMd5);
    EXPECT_EQ(versionEntries(), std::vector<std::string>{"v1"});

    // The same package again is the running version: nothing is downloaded.
    info = install(request("v1", "gone.tgz", otherMd5));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    EXPECT_NE(info.sResult.find("already the running version"), std::string::npos) << info.sResult;

    // A third MD5 that tarspatch does not have: refused, and the kept v1 stays as it was.
    info = install(request("v1", "gone.tgz", std::string(32, 'c')));
    EXPECT_FALSE(info.bSucc) << info.sResult;
    EXPECT_TRUE(fs::exists(serverDir + "/versions/v1/HelloServer/marker.txt"));
    EXPECT_EQ(TC_Common::trim(TC_File::load2str(serverDir + "/versions/v1/.tars-package-md5")), otherMd5);
    EXPECT_EQ(versionEntries(), std::vector<std::string>{"v1"});
    auto state = node->state(kApp, kHello);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->processId, pid2);

    // A running folder from before MD5s were recorded (no record): the same version sent
    // again leaves it in place and running, not moved aside while a download runs.
    fs::remove(serverDir + "/versions/v1/.tars-package-md5");
    info = install(request("v1", "gone.tgz", md5Of(package)));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    EXPECT_NE(info.sResult.find("already the running version"), std::string::npos) << info.sResult;
    EXPECT_TRUE(fs::exists(serverDir + "/versions/v1/HelloServer/marker.txt"));
    EXPECT_EQ(versionEntries(), std::vector<std::string>{"v1"});
    state = node->state(kApp, kHello);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->processId, pid2);
}

TEST_F(NodePatchTest, ANodeKilledInTheMiddleOfAReplacementPutsTheOldFolderBackWhenItStarts) {
    auto info = install(request("v1", "v1.tgz", md5Of(package)));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    int pid1 = node->waitActive(kApp, kHello);
    ASSERT_GT(pid1, 0);
    const std::string versions = node->serverDir(kApp, kHello) + "/versions/";

    // What a node killed between the swap's two renames leaves behind: the server stopped,
    // the running version moved aside and its replacement still in its staging folder.
    ASSERT_EQ(node->process().stop(SIGKILL), 128 + SIGKILL);
    ASSERT_EQ(::kill(pid1, SIGKILL), 0);
    ASSERT_TRUE(eventually([&] { return !processAlive(pid1); }));
    fs::rename(versions + "v1", versions + ".v1.replaced");
    fs::create_directories(versions + ".v1.new/HelloServer");
    std::ofstream(versions + ".v1.new/HelloServer/partial") << "cut off\n";
    fs::create_directories(versions + "..v1.new.unpacking.Ab12Cd/HelloServer");  // TC_Archive's own staging

    // The node starts again: v1 is back where bin/ points, the server runs, no leftovers.
    ASSERT_TRUE(node->start()) << node->process().output();
    int pid2 = node->waitActive(kApp, kHello, pid1);
    ASSERT_GT(pid2, 0) << node->process().output();
    EXPECT_EQ(binTarget(), "versions/v1/HelloServer");
    EXPECT_EQ(versionEntries(), std::vector<std::string>{"v1"});
    EXPECT_EQ(TC_Common::trim(TC_File::load2str(versions + "v1/.tars-package-md5")), md5Of(package));

    // A swap that was done but for removing the old folder: the old one goes, v1 stays.
    fs::create_directories(versions + ".v1.replaced/HelloServer");
    info = install(request("v1", "gone.tgz", md5Of(package)));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    EXPECT_NE(info.sResult.find("already the running version"), std::string::npos) << info.sResult;
    EXPECT_EQ(versionEntries(), std::vector<std::string>{"v1"});
}

TEST_F(NodePatchTest, BadPackagesAreRefusedNamingTheCauseAndTheNodeAndTheServerKeepsRunning) {
    std::string md5 = md5Of(package);
    auto info = install(request("v1", "v1.tgz", md5));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    int pid = node->waitActive(kApp, kHello);
    ASSERT_GT(pid, 0);

    auto refused = [&](const PatchRequest& r, const std::string& cause) { expectRefused(r, cause, pid); };

    // An MD5 other than the file's.
    refused(request("badmd5", "v2.tgz", std::string(32, '0')), "MD5 mismatch");

    // Bytes that are no archive.
    std::vector<char> junk(5000);
    std::mt19937 random(7);
    for (auto& c : junk) c = static_cast<char>(random());
    ASSERT_EQ(patch.upload("corrupt.tgz", junk), "");
    refused(request("corrupt", "corrupt.tgz", md5Of(junk)), "bad package");

    // An archive without HelloServer/HelloServer.
    std::string dir = node->process().dir() + "/noexe";
    fs::create_directories(dir + "/HelloServer");
    std::ofstream(dir + "/HelloServer/README") << "no executable here\n";
    ASSERT_EQ(std::system(("tar -czf " + dir + "/noexe.tgz -C " + dir + " HelloServer").c_str()), 0);
    auto noexe = fileBytes(dir + "/noexe.tgz");
    ASSERT_EQ(patch.upload("noexe.tgz", noexe), "");
    refused(request("noexe", "noexe.tgz", md5Of(noexe)), "no executable HelloServer/HelloServer");

    // A file tarspatch does not have.
    refused(request("missing", "missing.tgz", md5), "tarspatch has no file");
}

// Entries that would land outside the version folder: '..', an absolute path, a symbolic
// link out (absolute or climbing). Each package also holds a good executable, so the entry
// alone is the cause; nothing is written outside, nothing is left in versions/.
TEST_F(NodePatchTest, PackagesWithEntriesLeavingTheVersionFolderAreRefusedAndNothingEscapes) {
    auto info = install(request("v1", "v1.tgz", md5Of(package)));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    int pid = node->waitActive(kApp, kHello);
    ASSERT_GT(pid, 0);
    const std::string serverDir = node->serverDir(kApp, kHello);

    std::string dir = packageFolder("dotdot");
    std::ofstream(dir + "/escape.txt") << "outside\n";
    std::string md5 = tarAndUpload("dotdot", "-P -C " + dir + " HelloServer -C " + dir + "/HelloServer ../escape.txt");
    auto names = [&](const std::string& file) {
        std::string text;
        std::FILE* pipe = ::popen(("tar -tzf " + node->process().dir() + "/" + file + " 2>/dev/null").c_str(), "r");
        if (!pipe) return text;
        char buffer[512];
        while (std::fgets(buffer, sizeof buffer, pipe)) text += buffer;
        ::pclose(pipe);
        return text;
    };
    ASSERT_NE(names("dotdot.tgz").find("../"), std::string::npos) << names("dotdot.tgz");
    expectRefused(request("dotdot", "dotdot.tgz", md5), "has a '..' part", pid);
    EXPECT_FALSE(fs::exists(serverDir + "/versions/escape.txt"));
    EXPECT_FALSE(fs::exists(serverDir + "/escape.txt"));

    dir = packageFolder("absolute");
    const std::string outside = dir + "/written-from-the-package.txt";
    std::ofstream(outside) << "outside\n";
    md5 = tarAndUpload("absolute", "-P -C " + dir + " HelloServer " + outside);
    ASSERT_NE(names("absolute.tgz").find("\n/"), std::string::npos) << names("absolute.tgz");
    fs::remove(outside);
    expectRefused(request("absolute", "absolute.tgz", md5), "has an absolute path", pid);
    EXPECT_FALSE(fs::exists(outside));

    dir = packageFolder("linkout");
    fs::create_symlink("/etc", dir + "/HelloServer/etc");
    md5 = tarAndUpload("linkout", "-C " + dir + " HelloServer");
    expectRefused(request("linkout", "linkout.tgz", md5), "is a symbolic link to '/etc', outside the folder", pid);

    dir = packageFolder("linkup");
    fs::create_symlink("../../..", dir + "/HelloServer/up");
    md5 = tarAndUpload("linkup", "-C " + dir + " HelloServer");
    expectRefused(request("linkup", "linkup.tgz", md5), "is a symbolic link to '../../..', outside the folder", pid);
}

// The node's data root on a small tmpfs of its own, mounted in a private mount namespace
// of this test's thread: the node and its servers (spawned from this thread) inherit it,
// nothing outside this test sees it. Needs root (CAP_SYS_ADMIN); skipped otherwise.
class NodePatchDiskFullTest : public NodePatchTest {
protected:
    void beforeNodeStarts() override {
        if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a tmpfs in a private mount namespace";
        if (::unshare(CLONE_NEWNS) != 0) GTEST_SKIP() << "unshare(CLONE_NEWNS): " << std::strerror(errno);
        if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
            GTEST_SKIP() << "cannot make the mounts private: " << std::strerror(errno);
        }
        _root = node->dataPath();
        fs::create_directories(_root);
        if (::mount("tars-node-test", _root.c_str(), "tmpfs", 0, "size=16m,mode=0755") != 0) {
            GTEST_SKIP() << "cannot mount a tmpfs on the node's data root: " << std::strerror(errno);
        }
        _mounted = true;
    }
    void TearDown() override {
        node.reset();  // stops its servers first: their pid files are on the tmpfs
        if (_mounted) ::umount2(_root.c_str(), MNT_DETACH);
    }
    // Fills the data root with a file until about `bytes` are left free; false if it cannot.
    bool leaveFree(uint64_t bytes) {
        const std::string filler = _root + "/filler";
        fs::remove(filler);
        struct statvfs st {};
        if (::statvfs(_root.c_str(), &st) != 0) return false;
        const uint64_t available = static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
        if (available < bytes) return false;
        uint64_t left = available - bytes;
        int fd = ::open(filler.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) return false;
        std::vector<char> block(65536, 'f');
        bool ok = true;
        while (left > 0 && ok) {
            size_t n = static_cast<size_t>(std::min<uint64_t>(left, block.size()));
            ssize_t w = ::write(fd, block.data(), n);
            ok = w > 0;
            if (ok) left -= static_cast<uint64_t>(w);
        }
        ::close(fd);
        return ok;
    }

    std::string _root;
    bool _mounted = false;
};

TEST_F(NodePatchDiskFullTest, ANodeWhoseDiskIsFullRefusesThePatchAndKeepsNothingOfIt) {
    const std::string md5 = md5Of(package);
    auto info = install(request("v1", "v1.tgz", md5));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    int pid = node->waitActive(kApp, kHello);
    ASSERT_GT(pid, 0);

    // Less room than the package: the download is refused, its partial file deleted.
    ASSERT_TRUE(leaveFree(package.size() / 2));
    expectRefused(request("v2", "v2.tgz", md5), "No space left on device", pid);

    // Room for the package, not for what it unpacks to: the unpacking is refused, the
    // download and the half-unpacked folder deleted.
    ASSERT_TRUE(leaveFree(package.size() + 256 * 1024));
    expectRefused(request("v2", "v2.tgz", md5), "cannot unpack on this node", pid);
    expectRefused(request("v2", "v2.tgz", md5), "Write failed: No space left on device", pid);

    // Room again: the same version installs.
    fs::remove(_root + "/filler");
    info = install(request("v2", "v2.tgz", md5));
    ASSERT_TRUE(info.bSucc) << info.sResult;
    EXPECT_GT(node->waitActive(kApp, kHello, pid), 0);
    EXPECT_EQ(binTarget(), "versions/v2/HelloServer");
}

TEST_F(NodePatchTest, RequestsForUnknownServersOrWithBadFieldsAreRefusedAtOnce) {
    std::string result;
    auto r = request("v1", "v1.tgz", md5Of(package));
    r.servername = "NoSuchServer";
    EXPECT_EQ(node->node()->patchPro(r, result), -1);
    EXPECT_NE(result.find("is not a server of node node1"), std::string::npos) << result;
    r = request("../x", "v1.tgz", md5Of(package));
    EXPECT_EQ(node->node()->patchPro(r, result), -1);
    EXPECT_NE(result.find("a version is letters"), std::string::npos) << result;
    PatchInfo info;
    EXPECT_EQ(node->node()->getPatchPercent(kApp, kHello, info), -1);
    EXPECT_NE(info.sResult.find("was not patched"), std::string::npos) << info.sResult;
}

}  // namespace

namespace {

// tarsadmin publish (in-process AdminTool) against the same registry, node and tarspatch.
TEST_F(NodePatchTest, TarsadminPublishRefusesAnotherPackageUnderARecordedVersionBeforeUploading) {
    auto publish = [&](const std::string& file, std::string& out, std::string& err) {
        std::ostringstream o, e;
        admin::AdminTool tool(o, e);
        int ret = tool.run({"--registry=" + registry->adminRegObj(), "--wait=60", "publish", "TestApp.HelloServer",
                            file, "--patch", patch.object(), "--version", "same"});
        out = o.str();
        err = e.str();
        return ret;
    };
    std::string out, err;
    ASSERT_EQ(publish(HELLO_SERVER_TGZ, out, err), 0) << out << err;
    // The same package under its version again: fine.
    ASSERT_EQ(publish(HELLO_SERVER_TGZ, out, err), 0) << out << err;

    std::string dir = packageFolder("changed");
    std::ofstream(dir + "/HelloServer/marker.txt") << "another build\n";
    const std::string changed = node->process().dir() + "/changed.tgz";
    ASSERT_EQ(std::system(("tar -czf " + changed + " -C " + dir + " HelloServer").c_str()), 0);
    const std::string changedMd5 = md5Of(fileBytes(changed));
    EXPECT_EQ(publish(changed, out, err), 1) << out << err;
    EXPECT_NE(err.find("version same is recorded already with MD5 " + md5Of(package)), std::string::npos) << err;
    EXPECT_NE(err.find("has MD5 " + changedMd5), std::string::npos) << err;
    EXPECT_NE(err.find("nothing was uploaded"), std::string::npos) << err;
    // tarspatch still holds the first package under that name; the node runs it.
    std::vector<FileInfo> files;
    patch.proxy->listFileInfo("tars.upload/TestApp.HelloServer/same.tgz", files);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].size, static_cast<int>(package.size()));
    EXPECT_FALSE(fs::exists(node->serverDir(kApp, kHello) + "/versions/same/HelloServer/marker.txt"));
    EXPECT_EQ(binTarget(), "versions/same/HelloServer");
}

TEST_F(NodePatchTest, TarsadminPublishInstallsTheVersionAndNamesTheNodesThatDidNotTakeIt) {
    auto publish = [&](const std::string& file, const std::string& version, std::string& out, std::string& err) {
        std::ostringstream o, e;
        admin::AdminTool tool(o, e);
        int ret = tool.run({"--registry=" + registry->adminRegObj(), "--wait=60", "publish", "TestApp.HelloServer",
                            file, "--patch", patch.object(), "--version", version, "--json"});
        out = o.str();
        err = e.str();
        return ret;
    };
    std::string out, err;
    ASSERT_EQ(publish(HELLO_SERVER_TGZ, "p1", out, err), 0) << out << err;
    EXPECT_NE(out.find("\"version\": \"p1\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"ok\": true"), std::string::npos) << out;
    int pid1 = node->waitActive(kApp, kHello);
    ASSERT_GT(pid1, 0);
    EXPECT_EQ(binTarget(), "versions/p1/HelloServer");
    EXPECT_TRUE(eventually([&] { return registryVersion() == "p1"; })) << registryVersion();

    ASSERT_EQ(publish(HELLO_SERVER_TGZ, "p2", out, err), 0) << out << err;
    int pid2 = node->waitActive(kApp, kHello, pid1);
    EXPECT_NE(pid2, pid1);
    EXPECT_TRUE(eventually([&] { return registryVersion() == "p2"; })) << registryVersion();

    // A package without the executable: refused by node1, named, exit 1; p2 keeps running.
    std::string dir = node->process().dir() + "/noexe";
    fs::create_directories(dir + "/HelloServer");
    std::ofstream(dir + "/HelloServer/README") << "no executable here\n";
    ASSERT_EQ(std::system(("tar -czf " + dir + "/noexe.tgz -C " + dir + " HelloServer").c_str()), 0);
    EXPECT_EQ(publish(dir + "/noexe.tgz", "p3", out, err), 1) << out << err;
    EXPECT_NE(err.find("was not taken by: node1"), std::string::npos) << err;
    EXPECT_NE(out.find("no executable HelloServer/HelloServer"), std::string::npos) << out;
    auto state = node->state(kApp, kHello);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->processId, pid2);
    EXPECT_EQ(registryVersion(), "p2");

    // An upload tarspatch cuts in the middle (past its maxuploadsize at the second chunk):
    // exit 1 naming the node, nothing of it stored, p2 keeps running.
    PatchServer small("    maxuploadsize = 1500000\n");
    ASSERT_TRUE(small.started) << small.process.output();
    std::vector<char> big(3 * 1048576);
    std::mt19937 random(11);
    for (auto& c : big) c = static_cast<char>(random());
    const std::string bigFile = node->process().dir() + "/big.tgz";
    std::ofstream(bigFile, std::ios::binary).write(big.data(), static_cast<std::streamsize>(big.size()));
    std::ostringstream o, e;
    admin::AdminTool tool(o, e);
    EXPECT_EQ(tool.run({"--registry=" + registry->adminRegObj(), "--wait=60", "publish", "TestApp.HelloServer", bigFile,
                        "--patch", small.object(), "--version", "p4", "--json"}),
              1)
        << o.str() << e.str();
    EXPECT_NE(e.str().find("maxuploadsize"), std::string::npos) << e.str();
    EXPECT_NE(e.str().find("at byte 1048576"), std::string::npos) << e.str();
    EXPECT_NE(e.str().find("was not taken by: node1"), std::string::npos) << e.str();
    std::vector<FileInfo> files;
    small.proxy->listFileInfo("tars.upload/TestApp.HelloServer", files);  // -1: no such folder yet
    EXPECT_TRUE(files.empty());
    EXPECT_TRUE(fs::is_empty(small.process.dir() + "/data/patchs/.partial/TestApp.HelloServer"));
    state = node->state(kApp, kHello);
    ASSERT_TRUE(state);
    EXPECT_EQ(state->processId, pid2);
    EXPECT_EQ(registryVersion(), "p2");
}

}  // namespace

namespace {

// tarsadmin publish --comment, versions, rollback and --rolling over two nodes (node1 and
// node2, two tarsnode processes of this test) that run TestApp.HelloServer on ports of
// their own; the registry records each version (t_server_patchs) before the nodes install it.
class VersionsTest : public NodePatchTest {
protected:
    void SetUp() override {
        NodePatchTest::SetUp();
        if (HasFatalFailure()) return;
        deployServer(*store, "node2", kHello, hello2.port(), "");
        NodeOptions options;
        options.nodeName = "node2";
        options.activatorMaxCount = 100000;
        node2 = std::make_unique<NodeProcess>(*registry, options);
        ASSERT_TRUE(node2->start()) << node2->process().output();
    }
    void TearDown() override { node2.reset(); }

    int admin(std::vector<std::string> args, std::string& out, std::string& err) {
        std::ostringstream o, e;
        admin::AdminTool tool(o, e);
        args.insert(args.begin(), {"--registry=" + registry->adminRegObj(), "--wait=60"});
        int ret = tool.run(args);
        out = o.str();
        err = e.str();
        return ret;
    }
    std::string versionOn(const std::string& nodeName) {
        auto s = store->getServer({kApp, kHello, nodeName});
        return s ? s->patchVersion : "";
    }
    std::string binOf(NodeProcess& n) {
        std::error_code ec;
        return fs::read_symlink(n.serverDir(kApp, kHello) + "/bin", ec).string();
    }

    ReservedPort hello2;
    std::unique_ptr<NodeProcess> node2;
};

TEST_F(VersionsTest, PublishRecordsVersionsThatVersionsListsAndRollbackInstallsAgain) {
    const std::string patchArg = patch.object();
    std::string out, err;
    // A rolling publish: node1, then node2, each active again before the next; plain
    // progress lines (no terminal).
    ASSERT_EQ(admin({"publish", "TestApp.HelloServer", HELLO_SERVER_TGZ, "--patch", patchArg, "--version", "r1",
                     "--comment", "first release", "--rolling"},
                    out, err),
              0)
        << out << err;
    auto first = err.find("install r1: node 1/2: node1");
    auto second = err.find("install r1: node 2/2: node2");
    EXPECT_NE(first, std::string::npos) << err;
    EXPECT_NE(second, std::string::npos) << err;
    EXPECT_LT(first, second) << err;
    EXPECT_NE(err.find("node1 waiting until active again"), std::string::npos) << err;
    EXPECT_EQ(err.find('\r'), std::string::npos) << "no in-place rewriting when not on a terminal";
    EXPECT_NE(out.find("runs on 2 node(s)"), std::string::npos) << out;
    EXPECT_EQ(versionOn("node1"), "r1");
    EXPECT_EQ(versionOn("node2"), "r1");
    EXPECT_EQ(binOf(*node), "versions/r1/HelloServer");
    EXPECT_EQ(binOf(*node2), "versions/r1/HelloServer");

    ASSERT_EQ(admin({"publish", "TestApp.HelloServer", HELLO_SERVER_TGZ, "--patch", patchArg, "--version", "r2",
                     "--comment", "second release", "--json"},
                    out, err),
              0)
        << out << err;
    auto published = nlohmann::json::parse(out);  // --json: only the final state on stdout
    EXPECT_EQ(published["version"], "r2");
    EXPECT_EQ(published["comment"], "second release");
    EXPECT_EQ(published["ok"], true);
    EXPECT_EQ(published["nodes"].size(), 2u);
    EXPECT_TRUE(err.empty()) << err;
    EXPECT_TRUE(eventually([&] { return versionOn("node1") == "r2" && versionOn("node2") == "r2"; }));

    // versions: newest first, with the nodes running each.
    ASSERT_EQ(admin({"versions", "TestApp.HelloServer", "--json"}, out, err), 0) << out << err;
    auto listed = nlohmann::json::parse(out);
    ASSERT_EQ(listed.size(), 2u) << out;
    EXPECT_EQ(listed[0]["version"], "r2");
    EXPECT_EQ(listed[0]["comment"], "second release");
    EXPECT_EQ(listed[0]["md5"], md5Of(package));
    EXPECT_EQ(listed[0]["size"], package.size());
    EXPECT_EQ(listed[0]["nodes"], nlohmann::json({"node1", "node2"}));
    EXPECT_EQ(listed[1]["version"], "r1");
    EXPECT_EQ(listed[1]["comment"], "first release");
    EXPECT_TRUE(listed[1]["nodes"].empty()) << out;
    ASSERT_EQ(admin({"versions", "TestApp.HelloServer"}, out, err), 0) << out << err;
    EXPECT_NE(out.find("second release"), std::string::npos) << out;
    EXPECT_NE(out.find("node1, node2"), std::string::npos) << out;

    // rollback without --to: the version before the one running now.
    ASSERT_EQ(admin({"rollback", "TestApp.HelloServer", "--patch", patchArg, "--rolling"}, out, err), 0) << out << err;
    EXPECT_NE(out.find("rolled back to version r1 on 2 node(s)"), std::string::npos) << out;
    EXPECT_EQ(versionOn("node1"), "r1");
    EXPECT_EQ(versionOn("node2"), "r1");
    EXPECT_EQ(binOf(*node2), "versions/r1/HelloServer");
    // and nothing before r1: a clear refusal, nothing changes.
    EXPECT_EQ(admin({"rollback", "TestApp.HelloServer", "--patch", patchArg}, out, err), 1) << out << err;
    EXPECT_NE(err.find("no version was recorded before it"), std::string::npos) << err;

    // --to a recorded version, on one node only.
    ASSERT_EQ(admin({"rollback", "TestApp.HelloServer", "--to", "r2", "--node", "node2", "--patch", patchArg, "--json"},
                    out, err),
              0)
        << out << err;
    EXPECT_EQ(nlohmann::json::parse(out)["version"], "r2");
    EXPECT_EQ(versionOn("node2"), "r2");
    EXPECT_EQ(versionOn("node1"), "r1");
    EXPECT_EQ(admin({"rollback", "TestApp.HelloServer", "--to", "r9", "--patch", patchArg}, out, err), 1);
    EXPECT_NE(err.find("version 'r9' was not recorded; recorded (newest first): r2, r1"), std::string::npos) << err;
}

TEST_F(VersionsTest, ARollingPublishStopsAtTheFirstNodeThatFailsAndNamesTheRest) {
    std::string out, err;
    ASSERT_EQ(
        admin({"publish", "TestApp.HelloServer", HELLO_SERVER_TGZ, "--patch", patch.object(), "--version", "good"}, out,
              err),
        0)
        << out << err;
    std::string dir = node->process().dir() + "/noexe";
    fs::create_directories(dir + "/HelloServer");
    std::ofstream(dir + "/HelloServer/README") << "no executable here\n";
    ASSERT_EQ(std::system(("tar -czf " + dir + "/noexe.tgz -C " + dir + " HelloServer").c_str()), 0);
    EXPECT_EQ(admin({"publish", "TestApp.HelloServer", dir + "/noexe.tgz", "--patch", patch.object(), "--version",
                     "bad", "--rolling", "--json"},
                    out, err),
              1)
        << out << err;
    EXPECT_NE(err.find("was not taken by: node1, node2"), std::string::npos) << err;
    auto result = nlohmann::json::parse(out);
    ASSERT_EQ(result["nodes"].size(), 2u) << out;
    EXPECT_NE(result["nodes"][0]["result"].get<std::string>().find("no executable"), std::string::npos) << out;
    EXPECT_NE(result["nodes"][1]["result"].get<std::string>().find("not attempted"), std::string::npos) << out;
    EXPECT_EQ(versionOn("node1"), "good");
    EXPECT_EQ(versionOn("node2"), "good");
    // The failed version is recorded all the same (it was uploaded), and rollback refuses
    // a version whose package tarspatch no longer has.
    ASSERT_EQ(admin({"versions", "TestApp.HelloServer", "--json"}, out, err), 0) << out << err;
    EXPECT_EQ(nlohmann::json::parse(out)[0]["version"], "bad");
    int removed = 0;
    for (const auto& e : fs::recursive_directory_iterator(patch.process.dir())) {
        if (e.path().filename() == "good.tgz" && e.path().parent_path().filename() == "TestApp.HelloServer") {
            removed += fs::remove(e.path()) ? 1 : 0;
            break;
        }
    }
    ASSERT_EQ(removed, 1) << "good.tgz in tarspatch's store";
    EXPECT_EQ(admin({"rollback", "TestApp.HelloServer", "--to", "good", "--patch", patch.object()}, out, err), 1);
    EXPECT_NE(err.find("is no longer on tarspatch"), std::string::npos) << err;
}

}  // namespace

namespace {

// A deployment without an executable path, before any publish: deploy says that the
// server waits for its first package (and does not wait for a start), and starting it
// says the same through the node.
TEST_F(VersionsTest, ADeploymentWithoutAPathWaitsForItsFirstPackage) {
    ReservedPort port;
    std::string file = node->process().dir() + "/unpublished.deploy.conf";
    std::ofstream(file) << "<deploy>\n  app = TestApp\n  server = Unpublished\n  node = node1\n"
                           "  <adapters>\n    <TestApp.Unpublished.HelloObjAdapter>\n"
                           "      endpoint = tcp -h 127.0.0.1 -p "
                        << port.port()
                        << " -t 60000\n      servant = TestApp.Unpublished.HelloObj\n"
                           "    </TestApp.Unpublished.HelloObjAdapter>\n  </adapters>\n</deploy>\n";
    std::string out, err;
    ASSERT_EQ(admin({"deploy", file}, out, err), 0) << out << err;
    EXPECT_NE(out.find("TestApp.Unpublished on node1: no package was published for it yet"), std::string::npos) << out;
    EXPECT_NE(out.find("tarsadmin publish TestApp.Unpublished FILE.tgz"), std::string::npos) << out;

    EXPECT_EQ(admin({"--no-wait", "start", "TestApp.Unpublished", "node1"}, out, err), 1) << out << err;
    EXPECT_NE(err.find("no package was published for it yet"), std::string::npos) << err;
}

}  // namespace

namespace {

// A version that installs but never reports active (a program that sends no heartbeat):
// the rolling publish waits for node1's instance at most --wait seconds, then stops, names
// node1 and the cause, and leaves node2 alone.
TEST_F(VersionsTest, ARollingPublishGivesUpOnANodeWhoseInstanceDoesNotBecomeActive) {
    std::string out, err;
    ASSERT_EQ(
        admin({"publish", "TestApp.HelloServer", HELLO_SERVER_TGZ, "--patch", patch.object(), "--version", "good"}, out,
              err),
        0)
        << out << err;
    std::string dir = node->process().dir() + "/silent";
    fs::create_directories(dir + "/HelloServer");
    {
        std::ofstream script(dir + "/HelloServer/HelloServer");
        script << "#!/bin/sh\n# never reports to its node\nwhile :; do sleep 1; done\n";
    }
    fs::permissions(dir + "/HelloServer/HelloServer", fs::perms::owner_all, fs::perm_options::add);
    ASSERT_EQ(std::system(("tar -czf " + dir + "/silent.tgz -C " + dir + " HelloServer").c_str()), 0);
    EXPECT_EQ(admin({"--wait=3", "publish", "TestApp.HelloServer", dir + "/silent.tgz", "--patch", patch.object(),
                     "--version", "silent", "--rolling", "--json"},
                    out, err),
              1)
        << out << err;
    EXPECT_NE(err.find("was not taken by: node1, node2"), std::string::npos) << err;
    auto result = nlohmann::json::parse(out);
    ASSERT_EQ(result["nodes"].size(), 2u) << out;
    EXPECT_EQ(result["nodes"][0]["node"], "node1");
    EXPECT_NE(result["nodes"][0]["result"].get<std::string>().find("not reported active again within 3 s"),
              std::string::npos)
        << out;
    EXPECT_NE(result["nodes"][1]["result"].get<std::string>().find("not attempted"), std::string::npos) << out;
    EXPECT_EQ(versionOn("node2"), "good");
    EXPECT_EQ(binOf(*node2), "versions/good/HelloServer");
}

}  // namespace
