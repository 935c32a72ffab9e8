// The command line of tars2cpp: options, output directory, exit codes.
#include "TestFiles.h"
#include "Tool.h"

#include <gtest/gtest.h>

namespace tars2cpp::test {
namespace {

const char kSimple[] = "module M { struct S { 0 optional int a; }; };\n";

TEST(Tars2CppTool, HelpPrintsUsageAndSucceeds) {
    const ToolRun run = runTool({"--help"});
    EXPECT_EQ(run.exitCode, kExitSuccess);
    EXPECT_EQ(run.out.rfind("Usage: tars2cpp [options] file.tars...", 0), 0u);
    EXPECT_EQ(run.err, "");
}

TEST(Tars2CppTool, VersionPrintsTheVersion) {
    const ToolRun run = runTool({"--version"});
    EXPECT_EQ(run.exitCode, kExitSuccess);
    EXPECT_EQ(run.out.rfind("tars2cpp ", 0), 0u);
}

TEST(Tars2CppTool, NoInputIsAUsageError) {
    const ToolRun run = runTool({"--dir=x"});
    EXPECT_EQ(run.exitCode, kExitUsageError);
    EXPECT_EQ(run.err, "tars2cpp: error: no input file (see tars2cpp --help)\n");
}

TEST(Tars2CppTool, UnknownOptionIsAUsageError) {
    const ToolRun run = runTool({"--frobnicate", "a.tars"});
    EXPECT_EQ(run.exitCode, kExitUsageError);
    EXPECT_EQ(run.err, "tars2cpp: error: unknown option '--frobnicate' (see tars2cpp --help)\n");
}

TEST(Tars2CppTool, OptionWithoutValueIsAUsageError) {
    EXPECT_EQ(runTool({"a.tars", "-I"}).exitCode, kExitUsageError);
    EXPECT_EQ(runTool({"a.tars", "--dir="}).exitCode, kExitUsageError);
    EXPECT_EQ(runTool({"a.tars", "--check-default=maybe"}).exitCode, kExitUsageError);
}

TEST(Tars2CppTool, WritesOneHeaderPerInputIntoANewDirectory) {
    ScratchDir dir;
    dir.write({{"a.tars", kSimple}, {"b.tars", "module N { enum E { X }; };\n"}});
    const ToolRun run =
        runTool({"--dir=" + dir.path() + "/out/deeper", dir.path() + "/a.tars", dir.path() + "/b.tars"});
    EXPECT_EQ(run.exitCode, kExitSuccess) << run.err;
    EXPECT_EQ(run.err, "");
    EXPECT_TRUE(dir.exists("out/deeper/a.h"));
    EXPECT_TRUE(dir.exists("out/deeper/b.h"));
    EXPECT_FALSE(dir.exists("out/deeper/a.h.tmp"));
    const std::string header = readFile(dir.path() + "/out/deeper/a.h");
    EXPECT_NE(header.find("#pragma once"), std::string::npos);
    EXPECT_NE(header.find("namespace M"), std::string::npos);
}

TEST(Tars2CppTool, IncludedFilesGetNoHeaderOfTheirOwn) {
    ScratchDir dir;
    dir.write({{"a.tars", "#include \"b.tars\"\n"}, {"b.tars", kSimple}});
    const ToolRun run = runTool({"--dir", dir.path() + "/out", dir.path() + "/a.tars"});
    EXPECT_EQ(run.exitCode, kExitSuccess) << run.err;
    EXPECT_TRUE(dir.exists("out/a.h"));
    EXPECT_FALSE(dir.exists("out/b.h"));
}

TEST(Tars2CppTool, EveryFormOfIncludeDirectory) {
    ScratchDir dir;
    dir.write({{"src/a.tars",
                "#include \"one.tars\"\n#include \"two.tars\"\n#include \"three.tars\"\n"
                "#include \"four.tars\"\n"},
               {"i1/one.tars", "module One {};\n"},
               {"i2/two.tars", "module Two {};\n"},
               {"i3/three.tars", "module Three {};\n"},
               {"i4/four.tars", "module Four {};\n"}});
    const std::string d = dir.path();
    const ToolRun run = runTool({"--dir=" + d + "/out", "-I", d + "/i1", "-I" + d + "/i2",
                                 "--include=" + d + "/i3;" + d + "/i4", d + "/src/a.tars"});
    EXPECT_EQ(run.exitCode, kExitSuccess) << run.err;
    EXPECT_TRUE(dir.exists("out/a.h"));
}

TEST(Tars2CppTool, CompatibilityOptionsAreAccepted) {
    ScratchDir dir;
    dir.write({{"a.tars", kSimple}});
    const ToolRun run =
        runTool({"--os", "--unknown", "--tarsMaster", "--currentPriority", "--without-trace", "--json", "--sql",
                 "--xml", "--coder=M::I", "--header=x", "--base-package=p", "--with-tars", "--unjson",
                 "--check-default=false", "--dir=" + dir.path() + "/out", dir.path() + "/a.tars"});
    EXPECT_EQ(run.exitCode, kExitSuccess) << run.err;
    const std::string header = readFile(dir.path() + "/out/a.h");
    EXPECT_EQ(header.find("writeToJson"), std::string::npos);
}

TEST(Tars2CppTool, ErrorsGoToStderrWithExitCodeOne) {
    ScratchDir dir;
    dir.write({{"a.tars", "module M { struct S { 0 optional int a }; };\n"}});
    const ToolRun run = runTool({"--dir=" + dir.path() + "/out", dir.path() + "/a.tars"});
    EXPECT_EQ(run.exitCode, kExitCompileError);
    EXPECT_EQ(run.err, dir.path() + "/a.tars:1:39: error: expected ';' before '}'\n");
    EXPECT_FALSE(dir.exists("out"));
}

TEST(Tars2CppTool, ExistingHeaderIsLeftAloneOnError) {
    ScratchDir dir;
    dir.write({{"a.tars", "module M { struct S { 0 optional Nope a; }; };\n"}, {"out/a.h", "old"}});
    const ToolRun run = runTool({"--dir=" + dir.path() + "/out", dir.path() + "/a.tars"});
    EXPECT_EQ(run.exitCode, kExitCompileError);
    EXPECT_EQ(readFile(dir.path() + "/out/a.h"), "old");
}

}  // namespace
}  // namespace tars2cpp::test
