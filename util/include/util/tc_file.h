// TC_File: the few file-system helpers the runtime, the framework services and the
// tools need (config and cache files, log and data directories).
//
// All functions are static and thread-safe (they share no state; concurrent writers of
// one file race as with any file). Functions that produce data throw TC_File_Exception
// naming the path and the system error; predicates (isFileExist ...) never throw.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/tc_ex.h"

namespace tars {

struct TC_File_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

class TC_File {
public:
    TC_File() = delete;

    static bool isFileExist(const std::string& path);  // any kind of file
    static bool isDirectory(const std::string& path);
    static int64_t getFileSize(const std::string& path);  // -1 if missing

    // Whole file as bytes; throws if it cannot be opened or read.
    static std::string load2str(const std::string& path);
    // Writes content (truncating), or appends; throws on failure. With atomic=true the
    // content goes to "<path>.tmp.<pid>" first and is renamed over path (readers see
    // either the old or the new file, never a half-written one).
    static void save2file(const std::string& path, const std::string& content, bool atomic = false);
    static void append2file(const std::string& path, const std::string& content);

    // mkdir -p; existing directories are fine; throws on failure.
    static void makeDirRecursive(const std::string& path);
    // Removes a file or an empty directory, or a whole tree with recursive=true;
    // returns false if nothing existed; throws on failure.
    static bool removeFile(const std::string& path, bool recursive = false);

    // "/a/b/c.txt" -> "c.txt"; "/a/b/" -> "".
    static std::string extractFileName(const std::string& path);
    // "/a/b/c.txt" -> "/a/b/"; "c.txt" -> "./".
    static std::string extractFilePath(const std::string& path);
    // "c.tar.gz" -> "gz"; "c" -> "".
    static std::string extractFileExt(const std::string& path);

    // Entry paths (dir + "/" + name) of a directory, sorted; recursive descends into
    // sub-directories (and lists them too). Throws if path is not a readable directory.
    static std::vector<std::string> listDirectory(const std::string& path, bool recursive = false);
};

}  // namespace tars
