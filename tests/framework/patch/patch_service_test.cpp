// PatchService in-process: concurrent prepares each leave one whole version, the uploads
// in progress and the bytes they hold are capped, and a version's MD5 comes from its
// sidecar (hashed again only when the sidecar no longer matches the file).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "PatchService.h"
#include "util/tc_file.h"
#include "util/tc_md5.h"

namespace tars {
namespace {

namespace fs = std::filesystem;

std::string md5Of(const std::vector<char>& data) { return TC_MD5::hex(std::string_view(data.data(), data.size())); }

std::vector<char> bytesOf(size_t size, char seed) {
    std::vector<char> data(size);
    for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>(seed + static_cast<char>(i * 7));
    return data;
}

FileContent chunkOf(const std::string& name, const std::vector<char>& data, const std::string& md5, bool first,
                    bool last) {
    FileContent chunk;
    chunk.name = name;
    chunk.md5 = md5;
    chunk.firstChunk = first;
    chunk.lastChunk = last;
    chunk.content = data;
    return chunk;
}

class PatchServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "tars_patch_service_XXXXXX").string();
        ASSERT_NE(nullptr, ::mkdtemp(pattern.data()));
        _dir = pattern;
        _settings.root = (_dir / "store").string();
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(_dir, ec);
    }
    // A whole upload in one chunk.
    void store(PatchService& service, const std::string& name, const std::vector<char>& data) {
        std::string why;
        ASSERT_EQ(kPatchOk, service.upload("App", "Srv", chunkOf(name, data, md5Of(data), true, true), why)) << why;
    }

    fs::path _dir;
    PatchSettings _settings;
};

TEST_F(PatchServiceTest, ConcurrentPreparesEachLeaveOneWholeVersion) {
    PatchService service(_settings);
    const auto a = bytesOf(4 * 1048576, 'a');
    const auto b = bytesOf(4 * 1048576 + 3, 'b');
    store(service, "a.tgz", a);
    store(service, "b.tgz", b);
    std::atomic<int> failures{0};
    std::string firstFailure;
    std::mutex failureMutex;
    auto preparer = [&](const std::string& name) {
        for (int i = 0; i < 20; ++i) {
            std::string why;
            if (service.prepare("App", "Srv", name, why) != kPatchOk) {
                std::lock_guard lock(failureMutex);
                if (failures++ == 0) firstFailure = why;
            }
        }
    };
    std::thread first(preparer, "a.tgz");
    std::thread second(preparer, "b.tgz");
    first.join();
    second.join();
    EXPECT_EQ(0, failures.load()) << firstFailure;
    const std::string text =
        TC_File::load2str((fs::path(_settings.root) / "TARSBatchPatching/App/Srv/App.Srv.tgz").string());
    const std::vector<char> prepared(text.begin(), text.end());
    EXPECT_TRUE(prepared == a || prepared == b) << "a mix of two versions, " << prepared.size() << " bytes";
    std::vector<FileInfo> files;
    std::string why;
    ASSERT_EQ(1, service.list("TARSBatchPatching/App/Srv/App.Srv.tgz", files, why)) << why;
    EXPECT_EQ(md5Of(prepared), files.at(0).md5);
    // Only the package and its sidecar: no temporary copy was left.
    size_t count = 0;
    for ([[maybe_unused]] const auto& e :
         fs::directory_iterator(fs::path(_settings.root) / "TARSBatchPatching/App/Srv"))
        ++count;
    EXPECT_EQ(2u, count);
}

TEST_F(PatchServiceTest, UploadsInProgressAreCappedInCountAndBytes) {
    _settings.maxUploads = 2;
    _settings.maxPartialBytes = 100;
    PatchService service(_settings);
    const auto part = bytesOf(40, 'x');
    auto whole = part;
    whole.insert(whole.end(), part.begin(), part.end());
    std::string why;
    ASSERT_EQ(kPatchOk, service.upload("App", "Srv", chunkOf("one", part, md5Of(whole), true, false), why)) << why;
    ASSERT_EQ(kPatchOk, service.upload("App", "Srv", chunkOf("two", part, md5Of(whole), true, false), why)) << why;
    EXPECT_EQ(kPatchTooMany, service.upload("App", "Srv", chunkOf("three", part, md5Of(whole), true, false), why));
    EXPECT_NE(std::string::npos, why.find("maxuploads")) << why;
    // 80 bytes held: 40 more would pass 100.
    EXPECT_EQ(kPatchTooMany, service.upload("App", "Srv", chunkOf("one", part, md5Of(whole), false, true), why));
    EXPECT_NE(std::string::npos, why.find("maxpartialbytes")) << why;
    EXPECT_NE(std::string::npos, service.status().find("uploads_in_progress=1\npartial_bytes=40\n"))
        << service.status();
    // "one" was dropped: "two" finishes, then "three" may start.
    ASSERT_EQ(kPatchOk, service.upload("App", "Srv", chunkOf("two", part, md5Of(whole), false, true), why)) << why;
    ASSERT_EQ(kPatchOk, service.upload("App", "Srv", chunkOf("three", part, md5Of(whole), true, false), why)) << why;
    EXPECT_NE(std::string::npos, service.status().find("partial_bytes=40\n")) << service.status();
    std::vector<FileInfo> files;
    ASSERT_EQ(1, service.list("tars.upload/App.Srv/two", files, why)) << why;
    EXPECT_EQ(md5Of(whole), files.at(0).md5);
}

TEST_F(PatchServiceTest, ListingTakesTheMd5FromTheSidecarWhileItMatchesTheFile) {
    PatchService service(_settings);
    const auto data = bytesOf(1000, 'v');
    store(service, "v1.tgz", data);
    const fs::path file = fs::path(_settings.root) / "tars.upload/App.Srv/v1.tgz";
    const fs::path sidecar = fs::path(_settings.root) / "tars.upload/App.Srv/.v1.tgz.md5";
    ASSERT_TRUE(fs::exists(sidecar));
    std::vector<FileInfo> files;
    std::string why;
    ASSERT_EQ(0, service.list("tars.upload/App.Srv", files, why)) << why;
    ASSERT_EQ(1u, files.size());  // the sidecar is not listed
    EXPECT_EQ(md5Of(data), files[0].md5);
    std::vector<char> got;
    EXPECT_EQ(kPatchBadName, service.read("tars.upload/App.Srv/.v1.tgz.md5", 0, 100, got, why));

    // A sidecar that matches the file's inode, size and mtime is believed: no hashing.
    std::string text = TC_File::load2str(sidecar.string());
    const std::string fake(32, 'f');
    std::ofstream(sidecar, std::ios::trunc) << fake << text.substr(32);
    ASSERT_EQ(1, service.list("tars.upload/App.Srv/v1.tgz", files, why)) << why;
    EXPECT_EQ(fake, files.at(0).md5);

    // The file changed (mtime): hashed again, and the sidecar rewritten.
    fs::last_write_time(file, fs::last_write_time(file) + std::chrono::seconds(5));
    ASSERT_EQ(1, service.list("tars.upload/App.Srv/v1.tgz", files, why)) << why;
    EXPECT_EQ(md5Of(data), files.at(0).md5);
    EXPECT_EQ(md5Of(data), TC_File::load2str(sidecar.string()).substr(0, 32));

    ASSERT_EQ(kPatchOk, service.remove("App", "Srv", "v1.tgz", why)) << why;
    EXPECT_FALSE(fs::exists(sidecar));
}

}  // namespace
}  // namespace tars
