#include "TestFiles.h"

#include "Tool.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace tars2cpp::test {

namespace fs = std::filesystem;

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

void writeFile(const std::string& path, const std::string& content) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path);
}

ScratchDir::ScratchDir() {
    const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "scratch";
    for (char& c : name)
        if (c == '/') c = '_';
    _path = std::string(TARS2CPP_TEST_TMP_DIR) + "/" + name + "." + std::to_string(::getpid());
    fs::remove_all(_path);
    fs::create_directories(_path);
}

ScratchDir::~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(_path, ignored);
}

void ScratchDir::write(const std::map<std::string, std::string>& files) const {
    for (const auto& [relative, content] : files) writeFile(_path + "/" + relative, content);
}

bool ScratchDir::exists(const std::string& relative) const { return fs::exists(_path + "/" + relative); }

ToolRun runTool(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    ToolRun run;
    run.exitCode = tars2cpp::runTool(args, out, err);
    run.out = out.str();
    run.err = err.str();
    return run;
}

std::string expand(std::string text, const std::string& dir) {
    for (std::size_t at = text.find("{dir}"); at != std::string::npos; at = text.find("{dir}", at + dir.size()))
        text.replace(at, 5, dir);
    return text;
}

}  // namespace tars2cpp::test
