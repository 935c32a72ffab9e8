// TC_Archive: unpacking an archive (a server's .tgz) into a folder with libarchive, safely.
//
// unpack(archive, destDir) reads any format and compression libarchive knows (tar.gz,
// tar, zip ...) and either leaves destDir holding every entry, or throws and leaves
// nothing: the entries are written into a temporary folder beside destDir (a hidden name
// in the same parent), which is renamed to destDir only when the last entry is in, and
// removed on any error. destDir must not exist; its parent must.
//
// Refused (TC_Archive_Exception naming the archive, the entry and the cause): a corrupt,
// truncated or empty archive; an absolute path; a path with a `..` part; a symbolic link whose
// target is absolute, leads out of destDir, or has a `..` after a name; an entry written
// through a symbolic link; hard links, devices, fifos and sockets. Entries keep their permission bits (not their
// owner) and times. `.` parts and a leading `./` are dropped. When the system refuses a
// write (a full disk, permissions) the exception's getErrCode() is its errno and the
// message ends with its reason; for a bad archive getErrCode() is 0. A short write is a
// refusal, never a truncated file.
//
// Limits (TC_ArchiveLimits, defaults 4 GiB and 100000 entries): the bytes of file data
// written and the number of entries are counted while unpacking; an archive that passes
// either (a gzip bomb) is refused with a message naming the limit, and nothing is left.
// Every regular file's data is copied whether or not its header gives a size.
//
// Plain static functions; thread-safe (no shared state). Not part of tars_util: this
// library exists where the framework is built, and is not installed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/tc_ex.h"

namespace tars {

struct TC_Archive_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

struct TC_ArchiveLimits {
    uint64_t maxBytes = 4ULL << 30;  // file data written, in total
    uint64_t maxEntries = 100000;    // entries of any kind
};

class TC_Archive {
public:
    static void unpack(const std::string& archive, const std::string& destDir,
                       const TC_ArchiveLimits& limits = TC_ArchiveLimits{});
    // The entries' paths, as stored (directories end with '/' when the archive says so).
    static std::vector<std::string> list(const std::string& archive);
};

}  // namespace tars
