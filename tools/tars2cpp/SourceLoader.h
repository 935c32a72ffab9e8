// Where .tars sources come from: the file system for the command-line tool,
// a map in memory for tests and the fuzzer.
//
// A loader resolves the name in an `#include "name"` to a file and reads it.
// Every file has a path (shown in messages) and an identity (equal for two
// paths naming the same file, so a file included twice is parsed once).
// Loaders hold no mutable state and may be shared by several Programs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tars2cpp {

struct SourceName {
    std::string path;
    std::string identity;
};

class SourceLoader {
public:
    virtual ~SourceLoader() = default;

    // A file named on the command line (or by a test).
    virtual SourceName resolveInput(const std::string& path) const = 0;
    // `#include "name"` written in `includingPath`: relative to the including
    // file's directory first, then each include directory in order.
    virtual std::optional<SourceName> resolveInclude(const std::string& name,
                                                     const std::string& includingPath) const = 0;
    // The file's bytes, or nullopt with `error` saying why not.
    virtual std::optional<std::string> read(const SourceName& file, std::string& error) const = 0;
};

class FileSystemLoader : public SourceLoader {
public:
    explicit FileSystemLoader(std::vector<std::string> includeDirs);

    SourceName resolveInput(const std::string& path) const override;
    std::optional<SourceName> resolveInclude(const std::string& name, const std::string& includingPath) const override;
    std::optional<std::string> read(const SourceName& file, std::string& error) const override;

private:
    std::vector<std::string> _includeDirs;
};

// Files kept in memory, keyed by path ("dir/a.tars"). Include names resolve the
// same way as on disk, against the including file's directory and the include
// directories, with paths normalised lexically.
class MemoryLoader : public SourceLoader {
public:
    explicit MemoryLoader(std::map<std::string, std::string> files, std::vector<std::string> includeDirs = {});

    SourceName resolveInput(const std::string& path) const override;
    std::optional<SourceName> resolveInclude(const std::string& name, const std::string& includingPath) const override;
    std::optional<std::string> read(const SourceName& file, std::string& error) const override;

private:
    std::map<std::string, std::string> _files;
    std::vector<std::string> _includeDirs;
};

}  // namespace tars2cpp
