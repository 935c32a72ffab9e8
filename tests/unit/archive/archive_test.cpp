// TC_Archive::unpack on archives made here with libarchive's writer: what a package may
// hold arrives whole; what would leave the folder (.., absolute paths, symbolic links out,
// hard links, devices), a corrupt or truncated archive, and an existing folder are
// refused with a message naming the entry, and nothing is left behind.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tc_archive.h"
#include "util/tc_file.h"

namespace tars {
namespace {

namespace fs = std::filesystem;

struct Entry {
    std::string path;
    mode_t type = AE_IFREG;
    std::string content;  // a file's bytes
    std::string link;     // a symbolic link's target, or a hard link's
    mode_t perm = 0644;
    bool hardlink = false;
};

Entry file(std::string path, std::string content, mode_t perm = 0644) {
    return {std::move(path), AE_IFREG, std::move(content), "", perm, false};
}
Entry folder(std::string path) { return {std::move(path), AE_IFDIR, "", "", 0755, false}; }
Entry symlink(std::string path, std::string target) {
    return {std::move(path), AE_IFLNK, "", std::move(target), 0777, false};
}
Entry hardlink(std::string path, std::string target) {
    return {std::move(path), AE_IFREG, "", std::move(target), 0644, true};
}
Entry special(std::string path, mode_t type) { return {std::move(path), type, "", "", 0644, false}; }

// A folder of its own for each test, removed after it.
class ArchiveTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "tars_archive_test_XXXXXX").string();
        ASSERT_NE(nullptr, ::mkdtemp(pattern.data()));
        _dir = pattern;
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(_dir, ec);
    }

    // Writes entries as a gzip'd tar (or the format given) and returns its path.
    std::string make(const std::vector<Entry>& entries, const std::string& name = "p.tgz", bool zip = false) {
        std::string file = (_dir / name).string();
        struct archive* a = archive_write_new();
        if (zip) {
            archive_write_set_format_zip(a);
        } else {
            archive_write_add_filter_gzip(a);
            archive_write_set_format_pax_restricted(a);
        }
        EXPECT_EQ(ARCHIVE_OK, archive_write_open_filename(a, file.c_str()));
        for (const auto& e : entries) {
            struct archive_entry* entry = archive_entry_new();
            archive_entry_set_pathname(entry, e.path.c_str());
            if (e.hardlink) {
                archive_entry_set_hardlink(entry, e.link.c_str());
                archive_entry_set_size(entry, 0);
            } else {
                archive_entry_set_filetype(entry, e.type);
                archive_entry_set_perm(entry, e.perm);
                if (e.type == AE_IFLNK) archive_entry_set_symlink(entry, e.link.c_str());
                archive_entry_set_size(entry, e.type == AE_IFREG ? static_cast<la_int64_t>(e.content.size()) : 0);
            }
            archive_entry_set_mtime(entry, 1700000000, 0);
            EXPECT_EQ(ARCHIVE_OK, archive_write_header(a, entry));
            if (!e.hardlink && e.type == AE_IFREG && !e.content.empty()) {
                archive_write_data(a, e.content.data(), e.content.size());
            }
            archive_entry_free(entry);
        }
        archive_write_close(a);
        archive_write_free(a);
        return file;
    }

    std::string dest() const { return (_dir / "version").string(); }

    // unpack throws a message holding `part`, and leaves neither the folder nor anything
    // beside the archive.
    void expectRefused(const std::string& archive, const std::string& part) {
        std::vector<std::string> before;
        for (const auto& e : fs::directory_iterator(_dir)) before.push_back(e.path().filename().string());
        try {
            TC_Archive::unpack(archive, dest());
            ADD_FAILURE() << "unpacked " << archive;
        } catch (const TC_Archive_Exception& e) {
            EXPECT_NE(std::string::npos, std::string(e.what()).find(part)) << e.what();
        }
        std::vector<std::string> after;
        for (const auto& e : fs::directory_iterator(_dir)) after.push_back(e.path().filename().string());
        std::sort(before.begin(), before.end());
        std::sort(after.begin(), after.end());
        EXPECT_EQ(before, after) << "something was left behind";
        EXPECT_FALSE(fs::exists(fs::symlink_status(dest())));
    }

    fs::path _dir;
};

TEST_F(ArchiveTest, UnpacksFilesFoldersModesAndLinksInside) {
    std::string big(3 * 1048576 + 17, 'x');
    for (size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>(i / 4096);
    auto archive = make({folder("./HelloServer/"), file("./HelloServer/HelloServer", "#!/bin/sh\necho hi\n", 0755),
                         file("HelloServer/conf/HelloServer.conf", "a = 1\n"), file("HelloServer/data.bin", big),
                         file("HelloServer/empty", ""), symlink("HelloServer/current.conf", "conf/HelloServer.conf"),
                         symlink("HelloServer/conf/up", "../data.bin")});
    TC_Archive::unpack(archive, dest());
    const fs::path root = fs::path(dest()) / "HelloServer";
    EXPECT_EQ("#!/bin/sh\necho hi\n", TC_File::load2str((root / "HelloServer").string()));
    EXPECT_NE(fs::perms::none, fs::status(root / "HelloServer").permissions() & fs::perms::owner_exec);
    EXPECT_EQ(fs::perms::none, fs::status(root / "conf/HelloServer.conf").permissions() & fs::perms::owner_exec);
    EXPECT_EQ(big, TC_File::load2str((root / "data.bin").string()));
    EXPECT_EQ(0u, fs::file_size(root / "empty"));
    EXPECT_EQ("a = 1\n", TC_File::load2str((root / "current.conf").string()));
    EXPECT_TRUE(fs::is_symlink(root / "current.conf"));
    EXPECT_EQ(big.size(), fs::file_size(root / "conf/up"));
    // Nothing beside it: the temporary folder was renamed.
    size_t count = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(_dir)) ++count;
    EXPECT_EQ(2u, count);  // p.tgz and version
}

TEST_F(ArchiveTest, ReadsZipToo) {
    auto archive = make({file("S/S", "bin", 0755)}, "p.zip", true);
    TC_Archive::unpack(archive, dest());
    EXPECT_EQ("bin", TC_File::load2str(dest() + "/S/S"));
}

TEST_F(ArchiveTest, RefusesDotDotAnywhereInAPath) {
    expectRefused(make({file("S/ok", "1"), file("../evil", "x")}), "'../evil' has a '..' part");
    expectRefused(make({file("S/../../evil", "x")}), "'..' part");
    expectRefused(make({folder("S/..")}), "'..' part");
    EXPECT_FALSE(fs::exists(_dir.parent_path() / "evil"));
    EXPECT_FALSE(fs::exists(_dir / "evil"));
}

TEST_F(ArchiveTest, RefusesAbsolutePaths) {
    const std::string outside = (_dir / "outside").string();
    expectRefused(make({file(outside, "x")}), "absolute path");
    EXPECT_FALSE(fs::exists(outside));
}

TEST_F(ArchiveTest, RefusesSymbolicLinksLeadingOutside) {
    expectRefused(make({symlink("S/etc", "/etc")}), "symbolic link to '/etc'");
    expectRefused(make({symlink("S/up", "../../x")}), "outside the folder");
    expectRefused(make({symlink("up", "..")}), "outside the folder");
    // `s -> .` then `t -> s/..`: counting says inside, the kernel would say outside.
    expectRefused(make({symlink("s", "."), symlink("t", "s/..")}), "'s/..'");
    // A link inside, then a file written through it.
    expectRefused(make({folder("S/"), symlink("S/inner", "."), file("S/inner/x", "x")}), "'S/inner/x'");
}

TEST_F(ArchiveTest, RefusesHardLinksAndSpecialFiles) {
    expectRefused(make({file("S/a", "x"), hardlink("S/b", "S/a")}), "hard link");
    expectRefused(make({special("S/fifo", AE_IFIFO)}), "not a file, folder or symbolic link");
    expectRefused(make({special("S/dev", AE_IFCHR)}), "not a file, folder or symbolic link");
}

TEST_F(ArchiveTest, RefusesCorruptAndTruncatedArchivesLeavingNothing) {
    const std::string garbage = (_dir / "garbage.tgz").string();
    TC_File::save2file(garbage, std::string(5000, 'g'));
    expectRefused(garbage, "garbage.tgz");

    std::string content(2 * 1048576, 'a');
    for (size_t i = 0; i < content.size(); i += 7) content[i] = static_cast<char>(i * 31);
    auto whole = make({file("S/first", "complete"), file("S/big", content)});
    std::string bytes = TC_File::load2str(whole);
    const std::string cut = (_dir / "cut.tgz").string();
    TC_File::save2file(cut, bytes.substr(0, bytes.size() / 2));
    // S/first is written before the cut is met: it must not stay.
    expectRefused(cut, "cut.tgz");

    const std::string empty = (_dir / "empty.tgz").string();
    TC_File::save2file(empty, "");
    expectRefused(empty, "empty.tgz");
    expectRefused((_dir / "missing.tgz").string(), "missing.tgz");
}

TEST_F(ArchiveTest, RefusesAFolderThatExists) {
    auto archive = make({file("S/S", "x")});
    fs::create_directory(dest());
    EXPECT_THROW(TC_Archive::unpack(archive, dest()), TC_Archive_Exception);
    EXPECT_TRUE(fs::is_empty(dest()));
    EXPECT_THROW(TC_Archive::unpack(archive, (_dir / "no/such/parent").string()), TC_Archive_Exception);
}

TEST_F(ArchiveTest, TarsPackageOfHelloServerUnpacksToItsExecutable) {
    // The package examples/hello builds with tars_package().
    TC_Archive::unpack(HELLO_SERVER_TGZ, dest());
    const fs::path exe = fs::path(dest()) / "HelloServer" / "HelloServer";
    ASSERT_TRUE(fs::is_regular_file(exe));
    EXPECT_NE(fs::perms::none, fs::status(exe).permissions() & fs::perms::owner_exec);
    EXPECT_TRUE(fs::is_regular_file(fs::path(dest()) / "HelloServer" / "HelloServer.conf"));
    auto names = TC_Archive::list(HELLO_SERVER_TGZ);
    EXPECT_EQ(3u, names.size());
}

TEST_F(ArchiveTest, RefusesAnArchiveUnpackingToMoreThanTheByteLimitLeavingNothing) {
    // 3 MiB of zeros compress to a few KiB: a small bomb.
    auto archive = make({file("a", std::string(1048576, '\0')), file("b", std::string(2 * 1048576, '\0'))});
    TC_ArchiveLimits limits;
    limits.maxBytes = 2 * 1048576;
    std::vector<std::string> before;
    try {
        TC_Archive::unpack(archive, dest(), limits);
        ADD_FAILURE() << "unpacked past the byte limit";
    } catch (const TC_Archive_Exception& e) {
        EXPECT_NE(std::string::npos, std::string(e.what()).find("more than 2097152 bytes")) << e.what();
    }
    size_t count = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(_dir)) ++count;
    EXPECT_EQ(1u, count);           // only p.tgz
    limits.maxBytes = 3 * 1048576;  // exactly its size: taken
    TC_Archive::unpack(archive, dest(), limits);
    EXPECT_EQ(2u * 1048576, fs::file_size(fs::path(dest()) / "b"));
}

// A write the system refuses part-way (here RLIMIT_FSIZE: EFBIG) is a refusal carrying the
// errno, and nothing is left. (A full disk's short write, which libarchive reports as a
// mere warning, is covered by the node's disk-full test on a small tmpfs.)
TEST_F(ArchiveTest, RefusesWhenTheSystemRefusesAWriteLeavingNothing) {
    std::string content(1048576, '\0');
    for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>((i * 7919) >> 3);
    auto archive = make({folder("S"), file("S/S", content, 0755)});
    struct rlimit old {};
    ASSERT_EQ(0, ::getrlimit(RLIMIT_FSIZE, &old));
    struct sigaction ignore {
    }, previous{};
    ignore.sa_handler = SIG_IGN;
    ASSERT_EQ(0, ::sigaction(SIGXFSZ, &ignore, &previous));
    struct rlimit small = old;
    small.rlim_cur = 256 * 1024;
    ASSERT_EQ(0, ::setrlimit(RLIMIT_FSIZE, &small));
    int code = 0;
    std::string message;
    try {
        TC_Archive::unpack(archive, dest());
    } catch (const TC_Archive_Exception& e) {
        code = e.getErrCode();
        message = e.what();
    }
    ::setrlimit(RLIMIT_FSIZE, &old);
    ::sigaction(SIGXFSZ, &previous, nullptr);
    EXPECT_EQ(EFBIG, code) << message;
    EXPECT_NE(std::string::npos, message.find("cannot write entry 'S/S'")) << message;
    EXPECT_NE(std::string::npos, message.find(std::strerror(EFBIG))) << message;
    EXPECT_FALSE(fs::exists(fs::symlink_status(dest())));
    size_t count = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(_dir)) ++count;
    EXPECT_EQ(1u, count);  // only p.tgz
    // A bad archive's refusal carries no errno.
    std::ofstream(_dir / "junk.tgz") << "not an archive";
    try {
        TC_Archive::unpack((_dir / "junk.tgz").string(), dest());
        ADD_FAILURE() << "unpacked junk";
    } catch (const TC_Archive_Exception& e) {
        EXPECT_EQ(0, e.getErrCode()) << e.what();
    }
}

TEST_F(ArchiveTest, RefusesAnArchiveWithMoreEntriesThanTheLimit) {
    std::vector<Entry> entries;
    for (int i = 0; i < 5; ++i) entries.push_back(file("f" + std::to_string(i), "x"));
    auto archive = make(entries);
    TC_ArchiveLimits limits;
    limits.maxEntries = 4;
    try {
        TC_Archive::unpack(archive, dest(), limits);
        ADD_FAILURE() << "unpacked past the entry limit";
    } catch (const TC_Archive_Exception& e) {
        EXPECT_NE(std::string::npos, std::string(e.what()).find("more than 4 entries")) << e.what();
    }
    EXPECT_FALSE(fs::exists(fs::symlink_status(dest())));
    limits.maxEntries = 5;
    TC_Archive::unpack(archive, dest(), limits);
    EXPECT_EQ("x", TC_File::load2str((fs::path(dest()) / "f4").string()));
}

// A zip written without sizes (data descriptors after the data) and read through a pipe:
// the streaming reader's header has no size, and the data must still arrive.
TEST_F(ArchiveTest, CopiesAFileWhoseHeaderHasNoSize) {
    const std::string content = "written without a size in the header\n";
    std::vector<char> bytes(65536);
    size_t used = 0;
    {
        struct archive* a = archive_write_new();
        archive_write_set_format_zip(a);
        ASSERT_EQ(ARCHIVE_OK, archive_write_open_memory(a, bytes.data(), bytes.size(), &used));
        struct archive_entry* entry = archive_entry_new();
        archive_entry_set_pathname(entry, "streamed.txt");
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        archive_entry_unset_size(entry);
        ASSERT_EQ(ARCHIVE_OK, archive_write_header(a, entry));
        archive_write_data(a, content.data(), content.size());
        archive_entry_free(entry);
        archive_write_close(a);
        archive_write_free(a);
    }
    bytes.resize(used);
    const std::string pipe = (_dir / "p.zip").string();
    ASSERT_EQ(0, ::mkfifo(pipe.c_str(), 0600));
    ::signal(SIGPIPE, SIG_IGN);
    std::thread writer([&] {
        int fd = ::open(pipe.c_str(), O_WRONLY);  // waits for unpack to open it
        if (fd < 0) return;
        size_t done = 0;
        while (done < bytes.size()) {
            ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
            if (n <= 0) break;
            done += static_cast<size_t>(n);
        }
        ::close(fd);
    });
    std::string error;
    try {
        TC_Archive::unpack(pipe, dest());
    } catch (const std::exception& e) {
        error = e.what();
    }
    int unblock = ::open(pipe.c_str(), O_RDONLY | O_NONBLOCK);  // frees the writer if unpack never opened it
    writer.join();
    if (unblock >= 0) ::close(unblock);
    ASSERT_EQ("", error);
    EXPECT_EQ(content, TC_File::load2str((fs::path(dest()) / "streamed.txt").string()));
}

}  // namespace
}  // namespace tars
