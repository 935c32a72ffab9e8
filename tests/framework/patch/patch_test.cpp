// tarspatch as a process on a reserved loopback port, called through the generated
// PatchPrx: chunked uploads with the MD5 of the whole file, listing, chunked downloads that
// resume from the middle, and every refusal (bad MD5, too large, cut off, bad names), on
// tcp and on a mutual-TLS ssl endpoint.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "Patch.h"
#include "TestSupport.h"
#include "servant/Communicator.h"
#include "util/tc_file.h"
#include "util/tc_md5.h"

namespace tars {
namespace {

using test::ReservedPort;
using test::ServerProcess;

std::string cert(const std::string& name) { return std::string(TLS_CERT_DIR) + "/" + name; }

std::string md5Of(const std::vector<char>& data) { return TC_MD5::hex(std::string_view(data.data(), data.size())); }

std::vector<char> randomBytes(size_t size, unsigned seed) {
    std::mt19937 random(seed);
    std::vector<char> data(size);
    for (auto& c : data) c = static_cast<char>(random());
    return data;
}

// The text of a tarspatch config: PatchObj's adapter (endpoint line and any TLS keys) and
// the /tars/patch keys.
std::string patchConfig(int adminPort, const std::string& adapter, const std::string& patchKeys) {
    return "<tars>\n  <application>\n    <server>\n      app = tars\n      server = tarspatch\n"
           "      localip = 127.0.0.1\n      logpath = @LOG@\n      datapath = @DIR@/data\n      logLevel = DEBUG\n"
           "      local = tcp -h 127.0.0.1 -p " +
           std::to_string(adminPort) + " -t 60000\n      <tars.tarspatch.PatchObjAdapter>\n" + adapter +
           "        servant = tars.tarspatch.PatchObj\n        threads = 2\n"
           "      </tars.tarspatch.PatchObjAdapter>\n    </server>\n  </application>\n  <patch>\n" +
           patchKeys + "  </patch>\n</tars>\n";
}

struct Patch {
    ReservedPort port, admin;
    ServerProcess process{TARSPATCH_PATH};
    Communicator communicator;
    PatchPrx proxy;

    explicit Patch(const std::string& patchKeys = "") {
        process.writeConfig(patchConfig(
            admin, "        endpoint = tcp -h 127.0.0.1 -p " + std::to_string(port.port()) + " -t 60000\n", patchKeys));
        started = process.start({port, admin});
        proxy = communicator.stringToProxy<PatchPrx>(object());
        proxy->tars_set_timeout(10000);
    }
    std::string object() const { return "tars.tarspatch.PatchObj@tcp -h 127.0.0.1 -p " + std::to_string(port.port()); }
    std::string root() const { return process.dir() + "/data/patchs"; }
    bool started = false;
};

// Uploads data in chunks of chunkSize with md5 announced; the result of the last call and
// its message.
int upload(PatchPrx& proxy, const std::string& name, const std::vector<char>& data, const std::string& md5,
           size_t chunkSize, std::string& result, bool finish = true) {
    size_t offset = 0;
    int ret = 0;
    do {
        FileContent chunk;
        chunk.md5 = md5;
        chunk.name = name;
        chunk.firstChunk = offset == 0;
        size_t n = std::min(chunkSize, data.size() - offset);
        chunk.content.assign(data.begin() + static_cast<long>(offset), data.begin() + static_cast<long>(offset + n));
        offset += n;
        chunk.lastChunk = offset == data.size();
        if (chunk.lastChunk && !finish) break;
        result.clear();
        ret = proxy->uploadChunk("TestApp", "HelloServer", chunk, result);
    } while (ret == 0 && offset < data.size());
    return ret;
}

// Downloads file from offset to its end in chunks of chunkSize.
std::vector<char> download(PatchPrx& proxy, const std::string& file, int64_t offset, int chunkSize) {
    std::vector<char> data;
    for (int calls = 0; calls < 100000; ++calls) {
        std::vector<char> chunk;
        std::string result;
        int ret = proxy->downloadChunk(file, offset, chunkSize, chunk, result);
        if (ret == 1) break;
        EXPECT_EQ(0, ret) << result;
        if (ret != 0) break;
        EXPECT_FALSE(chunk.empty());
        data.insert(data.end(), chunk.begin(), chunk.end());
        offset += static_cast<int64_t>(chunk.size());
    }
    return data;
}

std::vector<FileInfo> listing(PatchPrx& proxy, const std::string& path, int* ret = nullptr) {
    std::vector<FileInfo> files;
    int r = proxy->listFileInfo(path, files);
    if (ret) *ret = r;
    return files;
}

const std::string kVersions = "tars.upload/TestApp.HelloServer";

TEST(Patch, UploadListAndDownloadWithResumeKeepTheBytes) {
    Patch patch;
    ASSERT_TRUE(patch.started) << patch.process.output();
    const auto data = randomBytes(3 * 1048576 + 12345, 1);
    const std::string md5 = md5Of(data);
    std::string result;
    ASSERT_EQ(0, upload(patch.proxy, "HelloServer_1.tgz", data, md5, 256 * 1024, result)) << result;

    auto files = listing(patch.proxy, kVersions);
    ASSERT_EQ(1u, files.size());
    EXPECT_EQ("HelloServer_1.tgz", files[0].path);
    EXPECT_EQ(static_cast<int>(data.size()), files[0].size);
    EXPECT_EQ(md5, files[0].md5);
    int ret = 0;
    files = listing(patch.proxy, kVersions + "/HelloServer_1.tgz", &ret);
    EXPECT_EQ(1, ret);
    ASSERT_EQ(1u, files.size());
    EXPECT_EQ(md5, files[0].md5);

    // A node reads the first half, loses its connection, and resumes from where it was
    // with a new communicator.
    const std::string file = kVersions + "/HelloServer_1.tgz";
    std::vector<char> first;
    for (int64_t offset = 0; offset < static_cast<int64_t>(data.size() / 2);) {
        std::vector<char> chunk;
        ASSERT_EQ(0, patch.proxy->downloadChunk(file, offset, 300000, chunk, result)) << result;
        first.insert(first.end(), chunk.begin(), chunk.end());
        offset += static_cast<int64_t>(chunk.size());
    }
    Communicator other;
    auto resumed = other.stringToProxy<PatchPrx>(patch.object());
    auto rest = download(resumed, file, static_cast<int64_t>(first.size()), 700000);
    first.insert(first.end(), rest.begin(), rest.end());
    EXPECT_EQ(md5, md5Of(first));
    EXPECT_EQ(data.size(), first.size());

    // TARS's download(file, pos): the server's chunk size (1 MiB), 1 at the end.
    std::vector<char> tars;
    for (int calls = 0; calls < 100; ++calls) {
        std::vector<char> chunk;
        int r = patch.proxy->download(file, static_cast<int>(tars.size()), chunk);
        if (r == 1) break;
        ASSERT_EQ(0, r);
        EXPECT_LE(chunk.size(), 1048576u);
        tars.insert(tars.end(), chunk.begin(), chunk.end());
    }
    EXPECT_EQ(md5, md5Of(tars));

    // preparePatchFile copies it where TARS's nodes fetch it.
    ASSERT_EQ(0, patch.proxy->preparePatchFile("TestApp", "HelloServer", "HelloServer_1.tgz", result)) << result;
    EXPECT_EQ("TARSBatchPatching/TestApp/HelloServer/TestApp.HelloServer.tgz", result);
    EXPECT_EQ(md5, md5Of(download(patch.proxy, result, 0, 1048576)));

    // The same name again with the same bytes is taken; with other bytes it is refused.
    EXPECT_EQ(0, upload(patch.proxy, "HelloServer_1.tgz", data, md5, 1048576, result)) << result;
    auto changed = randomBytes(1000, 2);
    EXPECT_EQ(-6, upload(patch.proxy, "HelloServer_1.tgz", changed, md5Of(changed), 1048576, result));
    EXPECT_NE(std::string::npos, result.find("never changes")) << result;

    // deletePatchFile removes the version.
    EXPECT_EQ(0, patch.proxy->deletePatchFile("TestApp", "HelloServer", "HelloServer_1.tgz"));
    EXPECT_TRUE(listing(patch.proxy, kVersions).empty());
}

TEST(Patch, TarsUploadTakesChunksWithoutAMessage) {
    Patch patch;
    ASSERT_TRUE(patch.started) << patch.process.output();
    const auto data = randomBytes(100000, 3);
    FileContent chunk;
    chunk.md5 = md5Of(data);
    chunk.name = "tars.tgz";
    chunk.firstChunk = true;
    chunk.lastChunk = false;
    chunk.content.assign(data.begin(), data.begin() + 50000);
    ASSERT_EQ(0, patch.proxy->upload("TestApp", "HelloServer", chunk));
    chunk.firstChunk = false;
    chunk.lastChunk = true;
    chunk.content.assign(data.begin() + 50000, data.end());
    ASSERT_EQ(0, patch.proxy->upload("TestApp", "HelloServer", chunk));
    ASSERT_EQ(1u, listing(patch.proxy, kVersions).size());
}

TEST(Patch, AnUploadWhoseMd5DiffersIsRefusedAndNotStored) {
    Patch patch;
    ASSERT_TRUE(patch.started) << patch.process.output();
    const auto data = randomBytes(2 * 1048576, 4);
    std::string wrong = md5Of(data);
    wrong[0] = wrong[0] == '0' ? '1' : '0';
    std::string result;
    EXPECT_EQ(-2, upload(patch.proxy, "bad.tgz", data, wrong, 512 * 1024, result));
    EXPECT_NE(std::string::npos, result.find("MD5 mismatch")) << result;
    EXPECT_NE(std::string::npos, result.find(md5Of(data))) << result;
    EXPECT_TRUE(listing(patch.proxy, kVersions).empty());
    // MD5 text that is not 32 hex digits.
    EXPECT_EQ(-1, upload(patch.proxy, "bad.tgz", data, "not-an-md5", 1048576, result));
    EXPECT_NE(std::string::npos, result.find("bad MD5")) << result;
    EXPECT_NE(std::string::npos, test::adminNotify(patch.admin, "patch.status").find("refused_uploads=2"));
}

TEST(Patch, AnUploadAboveMaxuploadsizeIsRefused) {
    Patch patch("    maxuploadsize = 1048576\n");
    ASSERT_TRUE(patch.started) << patch.process.output();
    const auto data = randomBytes(2 * 1048576, 5);
    std::string result;
    EXPECT_EQ(-3, upload(patch.proxy, "big.tgz", data, md5Of(data), 256 * 1024, result));
    EXPECT_NE(std::string::npos, result.find("maxuploadsize (1048576 bytes)")) << result;
    EXPECT_TRUE(listing(patch.proxy, kVersions).empty());
    // The rest of it is refused as well: the upload was dropped.
    FileContent more;
    more.md5 = md5Of(data);
    more.name = "big.tgz";
    more.firstChunk = false;
    more.lastChunk = true;
    more.content.assign(10, 'x');
    EXPECT_EQ(-4, patch.proxy->uploadChunk("TestApp", "HelloServer", more, result));
    EXPECT_NE(std::string::npos, result.find("no upload of TestApp.HelloServer/big.tgz")) << result;
    // One just below the limit is taken.
    const auto fits = randomBytes(1048576, 6);
    EXPECT_EQ(0, upload(patch.proxy, "fits.tgz", fits, md5Of(fits), 300000, result)) << result;
}

TEST(Patch, AnUploadCutOffBeforeItsLastChunkIsNeverAVersion) {
    Patch patch;
    ASSERT_TRUE(patch.started) << patch.process.output();
    const auto data = randomBytes(1048576, 7);
    std::string result;
    ASSERT_EQ(0, upload(patch.proxy, "cut.tgz", data, md5Of(data), 100000, result, false)) << result;
    EXPECT_NE(std::string::npos, test::adminNotify(patch.admin, "patch.status").find("uploads_in_progress=1"));
    EXPECT_TRUE(listing(patch.proxy, kVersions).empty());
    // Nothing of it is listed or served, not even by its partial path.
    int ret = 0;
    for (const auto& f : listing(patch.proxy, "", &ret)) EXPECT_EQ(std::string::npos, f.path.find("cut.tgz"));
    EXPECT_EQ(0, ret);
    std::vector<char> chunk;
    EXPECT_LT(patch.proxy->downloadChunk(".partial/TestApp.HelloServer/cut.tgz", 0, 100, chunk, result), 0);
    EXPECT_TRUE(chunk.empty());
    EXPECT_EQ(-1, patch.proxy->preparePatchFile("TestApp", "HelloServer", "cut.tgz", result));

    // After a restart the partial upload is gone: its uploader starts again.
    EXPECT_EQ(0, patch.process.stop());
    ASSERT_TRUE(patch.process.start({patch.port, patch.admin})) << patch.process.output();
    EXPECT_FALSE(std::filesystem::exists(patch.root() + "/.partial/TestApp.HelloServer/cut.tgz"));
    ASSERT_EQ(0, upload(patch.proxy, "cut.tgz", data, md5Of(data), 300000, result)) << result;
    EXPECT_EQ(1u, listing(patch.proxy, kVersions).size());
}

// An uploader that sends some chunks and vanishes (its communicator gone, no last chunk):
// its upload is never a version, holds the only slot (maxuploads = 1) until uploadtimeout,
// then the sweep deletes the partial file and frees the slot without any further upload
// call, and the next upload is taken.
TEST(Patch, AVanishedUploaderNeverLeavesAVersionAndItsSlotAndPartialFileAreFreed) {
    Patch patch("    maxuploads = 1\n    uploadtimeout = 1\n");
    ASSERT_TRUE(patch.started) << patch.process.output();
    const auto data = randomBytes(1048576, 9);
    const std::string partial = patch.root() + "/.partial/TestApp.HelloServer/vanished.tgz";
    {
        Communicator gone;
        auto proxy = gone.stringToProxy<PatchPrx>(patch.object());
        proxy->tars_set_timeout(10000);
        std::string result;
        std::vector<char> half(data.begin(), data.begin() + static_cast<long>(data.size() / 2));
        ASSERT_EQ(0, upload(proxy, "vanished.tgz", half, md5Of(data), 100000, result, false)) << result;
        ASSERT_TRUE(std::filesystem::exists(partial));
    }
    // The slot is taken: another upload is refused, naming maxuploads.
    std::string result;
    const auto other = randomBytes(1000, 10);
    int ret = upload(patch.proxy, "other.tgz", other, md5Of(other), 1000, result);
    // It may already have expired if this host is very slow; then the upload was taken.
    if (ret != 0) {
        EXPECT_EQ(-8, ret) << result;
        EXPECT_NE(std::string::npos, result.find("maxuploads")) << result;
    }
    for (const auto& f : listing(patch.proxy, kVersions)) EXPECT_EQ("other.tgz", f.path);

    // No call to tarspatch from here: the sweep alone drops it.
    bool expired = false;
    for (int i = 0; i < 400 && !expired; ++i) {  // 20 s at most
        expired = !std::filesystem::exists(partial);
        if (!expired) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(expired) << "the partial file of the vanished upload is still there";
    EXPECT_NE(std::string::npos, test::adminNotify(patch.admin, "patch.status").find("uploads_in_progress=0"));
    // Its rest is refused (the upload is gone), and a whole new upload is taken.
    FileContent rest;
    rest.md5 = md5Of(data);
    rest.name = "vanished.tgz";
    rest.lastChunk = true;
    rest.content.assign(data.begin() + static_cast<long>(data.size() / 2), data.end());
    EXPECT_EQ(-4, patch.proxy->uploadChunk("TestApp", "HelloServer", rest, result));
    EXPECT_NE(std::string::npos, result.find("dropped after 1 s idle")) << result;
    ASSERT_EQ(0, upload(patch.proxy, "whole.tgz", data, md5Of(data), 300000, result)) << result;
    bool found = false;
    for (const auto& f : listing(patch.proxy, kVersions)) {
        EXPECT_NE("vanished.tgz", f.path);
        found = found || f.path == "whole.tgz";
    }
    EXPECT_TRUE(found);
    // Nothing left in .partial.
    EXPECT_TRUE(std::filesystem::is_empty(patch.root() + "/.partial/TestApp.HelloServer"));
}

TEST(Patch, NamesAndPathsOutsideTheStoreAreRefused) {
    Patch patch;
    ASSERT_TRUE(patch.started) << patch.process.output();
    const auto data = randomBytes(1000, 8);
    const std::string md5 = md5Of(data);
    std::string result;
    for (const std::string name : {"../escape.tgz", "/abs.tgz", ".hidden.tgz", "a/b.tgz", "", "x y.tgz"}) {
        EXPECT_EQ(-1, upload(patch.proxy, name, data, md5, 1000, result)) << name;
        EXPECT_NE(std::string::npos, result.find("bad file name")) << result;
    }
    FileContent chunk;
    chunk.md5 = md5;
    chunk.name = "ok.tgz";
    chunk.firstChunk = chunk.lastChunk = true;
    chunk.content = data;
    EXPECT_EQ(-1, patch.proxy->uploadChunk("..", "HelloServer", chunk, result));
    EXPECT_EQ(-1, patch.proxy->uploadChunk("TestApp", "Hello/Server", chunk, result));
    EXPECT_NE(std::string::npos, result.find("bad application or server name")) << result;
    EXPECT_FALSE(std::filesystem::exists(patch.process.dir() + "/data/escape.tgz"));

    // A symbolic link inside the store is not followed.
    ASSERT_EQ(0, ::symlink("/etc", (patch.root() + "/tars.upload/etc").c_str()));
    std::vector<char> bytes;
    for (const std::string path : {"../../server.conf", "tars.upload/../../server.conf", "/etc/passwd",
                                   "tars.upload/etc/passwd", "tars.upload//x", ".partial"}) {
        EXPECT_LT(patch.proxy->downloadChunk(path, 0, 100, bytes, result), 0) << path;
        EXPECT_TRUE(bytes.empty()) << path;
        int ret = 0;
        EXPECT_TRUE(listing(patch.proxy, path, &ret).empty()) << path;
        EXPECT_EQ(-1, ret) << path;
    }
    EXPECT_LT(patch.proxy->downloadChunk("tars.upload/etc/passwd", 0, 100, bytes, result), 0);
    EXPECT_NE(std::string::npos, result.find("symbolic link")) << result;
    EXPECT_LT(patch.proxy->downloadChunk("tars.upload", -1, 100, bytes, result), 0);
    EXPECT_LT(patch.proxy->download("../../server.conf", 0, bytes), 0);
    // The server keeps serving.
    EXPECT_EQ(0, upload(patch.proxy, "ok.tgz", data, md5, 1000, result)) << result;
}

TEST(Patch, OnAnOpenAddressWithoutAuthenticationItRefusesToStart) {
    ReservedPort port, admin;
    ServerProcess process(TARSPATCH_PATH);
    process.writeConfig(
        patchConfig(admin, "        endpoint = tcp -h 0.0.0.0 -p " + std::to_string(port.port()) + " -t 60000\n", ""));
    EXPECT_NE(0, process.runToExit({"--config=" + process.dir() + "/server.conf"}, 20000));
    EXPECT_NE(std::string::npos, process.output().find("tars.tarspatch.PatchObj")) << process.output();
    EXPECT_NE(std::string::npos, process.output().find("mutual TLS")) << process.output();
}

TEST(Patch, OverMutualTlsTheListedClientUploadsAndOthersAreRefused) {
    ReservedPort port, admin;
    ServerProcess process(TARSPATCH_PATH);
    process.writeConfig(patchConfig(admin,
                                    "        endpoint = ssl -h 127.0.0.1 -p " + std::to_string(port.port()) +
                                        " -t 60000\n        cert = " + cert("server.pem") +
                                        "\n        key = " + cert("server.key") + "\n        ca = " + cert("ca.pem") +
                                        "\n        verifyclient = 1\n"
                                        "        allowsubjects = CN=tars-test-client,O=tars-tests\n",
                                    ""));
    ASSERT_TRUE(process.start({port, admin})) << process.output();
    const std::string object = "tars.tarspatch.PatchObj@ssl -h 127.0.0.1 -p " + std::to_string(port.port());
    const auto data = randomBytes(2 * 1048576 + 7, 9);
    const std::string md5 = md5Of(data);

    Communicator listed;
    listed.setProperty("ca", cert("ca.pem"));
    listed.setProperty("cert", cert("client.pem"));
    listed.setProperty("key", cert("client.key"));
    auto proxy = listed.stringToProxy<PatchPrx>(object);
    std::string result;
    ASSERT_EQ(0, upload(proxy, "tls.tgz", data, md5, 512 * 1024, result)) << result;
    EXPECT_EQ(md5, md5Of(download(proxy, kVersions + "/tls.tgz", 0, 1048576)));

    Communicator other;
    other.setProperty("ca", cert("ca.pem"));
    other.setProperty("cert", cert("client2.pem"));
    other.setProperty("key", cert("client2.key"));
    auto refused = other.stringToProxy<PatchPrx>(object);
    EXPECT_THROW(upload(refused, "other.tgz", data, md5, 1048576, result), TarsException);

    Communicator plain;
    auto tcp = plain.stringToProxy<PatchPrx>("tars.tarspatch.PatchObj@tcp -h 127.0.0.1 -p " +
                                             std::to_string(port.port()) + " -t 3000");
    tcp->tars_set_timeout(3000);
    EXPECT_THROW(upload(tcp, "plain.tgz", data, md5, 1048576, result), TarsException);
    EXPECT_EQ(1u, listing(proxy, kVersions).size());
}

}  // namespace
}  // namespace tars
