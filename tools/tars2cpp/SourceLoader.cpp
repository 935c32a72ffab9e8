#include "SourceLoader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace tars2cpp {

namespace fs = std::filesystem;

namespace {

std::string normal(const fs::path& path) {
    const fs::path result = path.lexically_normal();
    return result.empty() ? std::string(".") : result.string();
}

// The include candidates for `name` in the order they are tried.
std::vector<fs::path> candidates(const std::string& name, const std::string& includingPath,
                                 const std::vector<std::string>& includeDirs) {
    const fs::path written(name);
    if (written.is_absolute()) return {written};
    std::vector<fs::path> result;
    result.push_back(fs::path(includingPath).parent_path() / written);
    for (const std::string& dir : includeDirs) result.push_back(fs::path(dir) / written);
    return result;
}

}  // namespace

FileSystemLoader::FileSystemLoader(std::vector<std::string> includeDirs) : _includeDirs(std::move(includeDirs)) {}

SourceName FileSystemLoader::resolveInput(const std::string& path) const {
    std::error_code ignored;
    const fs::path canonical = fs::weakly_canonical(fs::path(path), ignored);
    return {path, canonical.empty() ? normal(path) : canonical.string()};
}

std::optional<SourceName> FileSystemLoader::resolveInclude(const std::string& name,
                                                           const std::string& includingPath) const {
    if (name.empty()) return std::nullopt;
    for (const fs::path& candidate : candidates(name, includingPath, _includeDirs)) {
        std::error_code error;
        if (fs::is_regular_file(candidate, error)) {
            const fs::path canonical = fs::weakly_canonical(candidate, error);
            return SourceName{normal(candidate), error ? normal(candidate) : canonical.string()};
        }
    }
    return std::nullopt;
}

std::optional<std::string> FileSystemLoader::read(const SourceName& file, std::string& error) const {
    std::error_code code;
    if (fs::is_directory(file.path, code)) {
        error = "is a directory";
        return std::nullopt;
    }
    std::ifstream in(file.path, std::ios::binary);
    if (!in) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
        error = "read error";
        return std::nullopt;
    }
    return content.str();
}

MemoryLoader::MemoryLoader(std::map<std::string, std::string> files, std::vector<std::string> includeDirs)
    : _includeDirs(std::move(includeDirs)) {
    for (auto& [path, content] : files) _files.emplace(normal(path), std::move(content));
}

SourceName MemoryLoader::resolveInput(const std::string& path) const { return {path, normal(path)}; }

std::optional<SourceName> MemoryLoader::resolveInclude(const std::string& name,
                                                       const std::string& includingPath) const {
    if (name.empty()) return std::nullopt;
    for (const fs::path& candidate : candidates(name, includingPath, _includeDirs)) {
        const std::string key = normal(candidate);
        if (_files.count(key)) return SourceName{key, key};
    }
    return std::nullopt;
}

std::optional<std::string> MemoryLoader::read(const SourceName& file, std::string& error) const {
    const auto found = _files.find(file.identity);
    if (found == _files.end()) {
        error = "No such file or directory";
        return std::nullopt;
    }
    return found->second;
}

}  // namespace tars2cpp
