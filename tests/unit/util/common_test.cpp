#include <gtest/gtest.h>

#include "test_util.h"
#include "util/tc_common.h"
#include "util/tc_ex.h"
#include "util/tc_md5.h"
#include "util/tc_file.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

using namespace tars;

TEST(TC_Common, TrimRemovesBlanksOnBothSides) {
    EXPECT_EQ(TC_Common::trim("  a b \t\r\n"), "a b");
    EXPECT_EQ(TC_Common::trim("   "), "");
    EXPECT_EQ(TC_Common::trimleft("  a "), "a ");
    EXPECT_EQ(TC_Common::trimright("  a "), "  a");
    EXPECT_EQ(TC_Common::trim("xxaxx", "x"), "a");
}

TEST(TC_Common, LowerUpper) {
    EXPECT_EQ(TC_Common::lower("AbC-1"), "abc-1");
    EXPECT_EQ(TC_Common::upper("AbC-1"), "ABC-1");
}

TEST(TC_Common, SepstrDropsOrKeepsEmptyPieces) {
    EXPECT_EQ(TC_Common::sepstr("a,,b;c", ",;"), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(TC_Common::sepstr("a,,b", ",", true), (std::vector<std::string>{"a", "", "b"}));
    EXPECT_EQ(TC_Common::sepstr(",a,", ",", true), (std::vector<std::string>{"", "a", ""}));
    EXPECT_TRUE(TC_Common::sepstr("", ",").empty());
}

TEST(TC_Common, ReplaceAllOccurrences) {
    EXPECT_EQ(TC_Common::replace("a.b.c", ".", "::"), "a::b::c");
    EXPECT_EQ(TC_Common::replace("aaa", "aa", "b"), "ba");
    EXPECT_EQ(TC_Common::replace("abc", "", "x"), "abc");
}

TEST(TC_Common, StrtoParsesNumbersStrictly) {
    EXPECT_EQ(TC_Common::strto<int>(" 42 "), 42);
    EXPECT_EQ(TC_Common::strto<int>("+7"), 7);
    EXPECT_EQ(TC_Common::strto<int64_t>("-9000000000"), -9000000000LL);
    EXPECT_EQ(TC_Common::strto<uint16_t>("65535"), 65535);
    EXPECT_DOUBLE_EQ(TC_Common::strto<double>("2.5"), 2.5);
    EXPECT_TRUE(TC_Common::strto<bool>("yes"));
    EXPECT_FALSE(TC_Common::strto<bool>("0"));
    EXPECT_EQ(TC_Common::strto<std::string>("x"), "x");
}

TEST(TC_Common, StrtoRejectsGarbageAndOverflowNamingTheText) {
    EXPECT_FALSE(TC_Common::tryStrto<int>("12abc"));
    EXPECT_FALSE(TC_Common::tryStrto<int>(""));
    EXPECT_FALSE(TC_Common::tryStrto<uint16_t>("65536"));
    EXPECT_FALSE(TC_Common::tryStrto<unsigned>("-1"));
    EXPECT_FALSE(TC_Common::tryStrto<int>("+-1"));
    try {
        TC_Common::strto<int>("12abc");
        FAIL() << "no exception";
    } catch (const TC_Common_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("'12abc'"), std::string::npos) << e.what();
    }
}

TEST(TC_Common, TostrFormatsValues) {
    EXPECT_EQ(TC_Common::tostr(12), "12");
    EXPECT_EQ(TC_Common::tostr(true), "1");
    EXPECT_EQ(TC_Common::tostr(std::string("s")), "s");
}

TEST(TC_Common, HexRoundTrip) {
    std::string bytes("\x00\x01\xab\xff", 4);
    EXPECT_EQ(TC_Common::bin2str(bytes), "0001abff");
    EXPECT_EQ(TC_Common::str2bin("0001ABff"), bytes);
    EXPECT_THROW(TC_Common::str2bin("abc"), TC_Common_Exception);
    EXPECT_THROW(TC_Common::str2bin("zz"), TC_Common_Exception);
}

TEST(TC_Common, TimeFormatting) {
    time_t t = 86400 * 365;
    std::string s = TC_Common::tm2str(t);
    EXPECT_EQ(s.size(), 19u);
    EXPECT_EQ(TC_Common::tm2date(t).size(), 8u);
    std::string ms = TC_Common::now2msstr();
    ASSERT_EQ(ms.size(), 23u);
    EXPECT_EQ(ms[19], '.');
}

TEST(TC_Common, ToSizeUnderstandsSuffixes) {
    EXPECT_EQ(TC_Common::toSize("50M"), 50ULL * 1024 * 1024);
    EXPECT_EQ(TC_Common::toSize("4k"), 4096u);
    EXPECT_EQ(TC_Common::toSize("1G"), 1024ULL * 1024 * 1024);
    EXPECT_EQ(TC_Common::toSize("123"), 123u);
    EXPECT_THROW(TC_Common::toSize("M"), TC_Common_Exception);
    EXPECT_THROW(TC_Common::toSize("12X"), TC_Common_Exception);
}

TEST(TC_File, SaveLoadAppendAndSize) {
    test::TempDir dir;
    std::string f = dir.file("a.txt");
    EXPECT_FALSE(TC_File::isFileExist(f));
    EXPECT_EQ(TC_File::getFileSize(f), -1);
    TC_File::save2file(f, "hello");
    TC_File::append2file(f, " world");
    EXPECT_EQ(TC_File::load2str(f), "hello world");
    EXPECT_EQ(TC_File::getFileSize(f), 11);
    TC_File::save2file(f, "new", true);
    EXPECT_EQ(TC_File::load2str(f), "new");
}

TEST(TC_File, LoadOfMissingFileNamesPathAndError) {
    try {
        TC_File::load2str("/nonexistent/dir/file");
        FAIL();
    } catch (const TC_File_Exception& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/file"), std::string::npos);
        EXPECT_EQ(e.getErrCode(), ENOENT);
    }
}

TEST(TC_File, MakeDirListAndRemove) {
    test::TempDir dir;
    std::string deep = dir.file("x/y/z");
    TC_File::makeDirRecursive(deep);
    TC_File::makeDirRecursive(deep);  // existing is fine
    EXPECT_TRUE(TC_File::isDirectory(deep));
    TC_File::save2file(dir.file("x/b.txt"), "1");
    TC_File::save2file(dir.file("x/a.txt"), "1");
    auto flat = TC_File::listDirectory(dir.file("x"));
    EXPECT_EQ(flat, (std::vector<std::string>{dir.file("x/a.txt"), dir.file("x/b.txt"), dir.file("x/y")}));
    auto all = TC_File::listDirectory(dir.file("x"), true);
    EXPECT_EQ(all.size(), 4u);
    EXPECT_THROW(TC_File::listDirectory(dir.file("missing")), TC_File_Exception);
    EXPECT_TRUE(TC_File::removeFile(dir.file("x"), true));
    EXPECT_FALSE(TC_File::isFileExist(dir.file("x")));
    EXPECT_FALSE(TC_File::removeFile(dir.file("x")));
}

TEST(TC_File, PathPieces) {
    EXPECT_EQ(TC_File::extractFileName("/a/b/c.txt"), "c.txt");
    EXPECT_EQ(TC_File::extractFileName("c.txt"), "c.txt");
    EXPECT_EQ(TC_File::extractFilePath("/a/b/c.txt"), "/a/b/");
    EXPECT_EQ(TC_File::extractFilePath("c.txt"), "./");
    EXPECT_EQ(TC_File::extractFileExt("/a/c.tar.gz"), "gz");
    EXPECT_EQ(TC_File::extractFileExt("/a.b/c"), "");
}

// Atomic writes from several threads of one process to one path: each writer has its own
// temporary, so the file always holds one whole content and no temporary is left behind.
TEST(TC_File, AtomicSaveFromManyThreadsNeverMixesContents) {
    const std::string dir = testing::TempDir() + "atomic_save_" + std::to_string(::getpid());
    TC_File::removeFile(dir, true);
    TC_File::makeDirRecursive(dir);
    const std::string path = dir + "/cache.dat";
    std::vector<std::string> contents;
    for (int t = 0; t < 4; ++t) contents.push_back(std::string(200000, static_cast<char>('a' + t)));
    std::vector<std::thread> writers;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        writers.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                try {
                    TC_File::save2file(path, contents[static_cast<size_t>(t)], true);
                } catch (const std::exception&) {
                    ++failures;
                }
            }
        });
    }
    for (auto& w : writers) w.join();
    EXPECT_EQ(failures.load(), 0);
    std::string text = TC_File::load2str(path);
    EXPECT_NE(std::find(contents.begin(), contents.end(), text), contents.end()) << "mixed or truncated content";
    size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
    EXPECT_EQ(files, 1u) << "a temporary file was left behind";
    TC_File::removeFile(dir, true);
}

namespace tars {
namespace {

TEST(TC_MD5, KnownDigestsPiecewiseAndFiles) {
    // RFC 1321's test suite.
    EXPECT_EQ(TC_MD5::hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(TC_MD5::hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(TC_MD5::hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
    TC_MD5 md5;
    md5.update("message ");
    md5.update("digest");
    EXPECT_EQ(md5.final(), "f96b697d7cb7938d525a2f31aaf161d0");
    md5.update("abc");  // starts over after final()
    EXPECT_EQ(md5.final(), "900150983cd24fb0d6963f7d28e17f72");

    std::string path = ::testing::TempDir() + "/tc_md5_test_" + std::to_string(::getpid());
    std::string big(200 * 1024, 'x');  // more than one read
    for (size_t i = 0; i < big.size(); i += 97) big[i] = static_cast<char>(i);
    TC_File::save2file(path, big);
    EXPECT_EQ(TC_MD5::fileHex(path), TC_MD5::hex(big));
    ::unlink(path.c_str());
    try {
        TC_MD5::fileHex(path);
        ADD_FAILURE() << "a missing file must throw";
    } catch (const TC_Exception& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tars
