// Every prefix of the rich IDL, fed to the in-process compiler: each one either
// compiles or is reported as an error; none crashes, hangs or takes long. The
// same Program-free API runs thousands of times in one process, which also
// shows that the parser keeps no global state.
#include "Compiler.h"
#include "SourceLoader.h"
#include "TestFiles.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>

namespace tars2cpp::test {
namespace {

using Clock = std::chrono::steady_clock;

std::map<std::string, std::string> richFiles() {
    const std::string dir = TARS2CPP_TEST_IDL_DIR;
    return {{"idl/Rich.tars", readFile(dir + "/Rich.tars")},
            {"idl/Common.tars", readFile(dir + "/Common.tars")},
            {"idl/extra/Units.tars", readFile(dir + "/extra/Units.tars")}};
}

// Compiles the rich set with `path` replaced by each of its prefixes.
void compileEveryPrefixOf(const std::string& path) {
    const std::map<std::string, std::string> files = richFiles();
    const std::string full = files.at(path);
    const auto start = Clock::now();
    std::size_t compiled = 0;
    for (std::size_t length = 0; length <= full.size(); ++length) {
        std::map<std::string, std::string> truncated = files;
        truncated[path] = full.substr(0, length);
        const MemoryLoader loader(truncated, {"idl/extra"});
        const auto before = Clock::now();
        const CompileResult result = compile(loader, {"idl/Rich.tars"}, CompileOptions(), GenerateOptions());
        const auto took = Clock::now() - before;

        ASSERT_LT(took, std::chrono::seconds(1)) << "prefix of " << length << " bytes";
        if (result.ok()) {
            ++compiled;
            ASSERT_EQ(result.headers.size(), 1u);
        } else {
            ASSERT_TRUE(result.headers.empty()) << "prefix of " << length << " bytes";
            ASSERT_NE(result.errors.find(": error: "), std::string::npos) << result.errors;
        }
    }
    // The whole file compiles, and so do the prefixes that end between definitions.
    EXPECT_GE(compiled, 2u);
    EXPECT_LT(Clock::now() - start, std::chrono::seconds(60));
}

TEST(Tars2CppTruncation, EveryPrefixOfRichFileCompilesOrFails) { compileEveryPrefixOf("idl/Rich.tars"); }

TEST(Tars2CppTruncation, EveryPrefixOfIncludedFileCompilesOrFails) { compileEveryPrefixOf("idl/Common.tars"); }

TEST(Tars2CppTruncation, EverySingleByteDeletionCompilesOrFails) {
    const std::map<std::string, std::string> files = richFiles();
    const std::string full = files.at("idl/Rich.tars");
    for (std::size_t at = 0; at < full.size(); ++at) {
        std::map<std::string, std::string> changed = files;
        changed["idl/Rich.tars"] = full.substr(0, at) + full.substr(at + 1);
        const MemoryLoader loader(changed, {"idl/extra"});
        const CompileResult result = compile(loader, {"idl/Rich.tars"}, CompileOptions(), GenerateOptions());
        ASSERT_EQ(result.ok(), result.headers.size() == 1u) << "byte " << at << " deleted";
    }
}

}  // namespace
}  // namespace tars2cpp::test
