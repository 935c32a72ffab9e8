// Helpers of the tars2cpp compiler tests: scratch directories, files, and
// running the command-line tool in-process.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tars2cpp::test {

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& content);

// A fresh directory for one test, removed with everything in it at the end.
// Unique per test and process, so tests may run in parallel.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::string& path() const { return _path; }
    // Writes `files` (relative path -> content) below path().
    void write(const std::map<std::string, std::string>& files) const;
    // Whether `relative` exists below path().
    bool exists(const std::string& relative) const;

private:
    std::string _path;
};

struct ToolRun {
    int exitCode = -1;
    std::string out;
    std::string err;
};

ToolRun runTool(const std::vector<std::string>& args);

// Replaces every "{dir}" in `text` with `dir`.
std::string expand(std::string text, const std::string& dir);

}  // namespace tars2cpp::test
