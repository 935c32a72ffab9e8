#include "tc_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>

namespace tars {

namespace fs = std::filesystem;

namespace {

struct ReadFree {
    void operator()(struct archive* a) const { archive_read_free(a); }
};
struct WriteFree {
    void operator()(struct archive* a) const { archive_write_free(a); }
};
using Reader = std::unique_ptr<struct archive, ReadFree>;
using Writer = std::unique_ptr<struct archive, WriteFree>;

Reader openReader(const std::string& archive) {
    Reader reader(archive_read_new());
    if (!reader) throw TC_Archive_Exception("archive " + archive + ": out of memory");
    archive_read_support_filter_all(reader.get());
    archive_read_support_format_all(reader.get());
    if (archive_read_open_filename(reader.get(), archive.c_str(), 64 * 1024) != ARCHIVE_OK) {
        throw TC_Archive_Exception("archive " + archive + ": " + archive_error_string(reader.get()));
    }
    return reader;
}

std::string shown(const char* path) {
    std::string out;
    for (const char* p = path ? path : ""; *p && out.size() < 300; ++p) {
        out += (static_cast<unsigned char>(*p) < 0x20 || *p == 0x7f) ? '?' : *p;
    }
    return "'" + out + "'";
}

// The entry's path relative to the destination: no leading "./", no "." parts; empty for
// the destination itself. Throws for an absolute path or a ".." part.
fs::path relativePath(const std::string& archive, const char* name) {
    std::string text = name ? name : "";
    if (text.empty()) throw TC_Archive_Exception("archive " + archive + ": an entry without a name");
    if (text.front() == '/') {
        throw TC_Archive_Exception("archive " + archive + ": entry " + shown(name) +
                                   " has an absolute path; entries must stay inside the folder");
    }
    fs::path relative;
    for (const auto& part : fs::path(text)) {
        if (part == "..") {
            throw TC_Archive_Exception("archive " + archive + ": entry " + shown(name) +
                                       " has a '..' part; entries must stay inside the folder");
        }
        if (part.empty() || part == ".") continue;
        relative /= part;
    }
    return relative;
}

// A symbolic link at `relative` pointing to `target` stays inside the destination. The
// target must be `..` parts first, then names: a `..` after a name could climb out of a
// folder another link points to (`s -> .`, then `t -> s/..`), which counting cannot see.
bool linkStaysInside(const fs::path& relative, const char* target) {
    if (!target || !*target || target[0] == '/') return false;
    int depth = 0;  // the link's folder's depth below the destination
    for (const auto& part : relative.parent_path()) {
        if (!part.empty() && part != ".") ++depth;
    }
    bool named = false;
    for (const auto& part : fs::path(target)) {
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            if (named || --depth < 0) return false;
        } else {
            named = true;
        }
    }
    return true;
}

// Removes the temporary folder unless released.
class TemporaryFolder {
public:
    explicit TemporaryFolder(fs::path path) : _path(std::move(path)) {}
    ~TemporaryFolder() {
        if (_path.empty()) return;
        std::error_code ec;
        fs::remove_all(_path, ec);
    }
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    const fs::path& path() const { return _path; }
    void release() { _path.clear(); }

private:
    fs::path _path;
};

// Throws text + the writer's error; when the system refused (a full disk) the exception
// carries its errno (getErrCode) and its reason ("Write failed: No space left on device").
[[noreturn]] void throwWriteError(const std::string& text, struct archive* writer) {
    const char* error = archive_error_string(writer);
    const std::string message = text + ": " + (error ? error : "unknown error");
    const int code = archive_errno(writer);
    if (code > 0) throw TC_Archive_Exception(message, code);
    throw TC_Archive_Exception(message);
}

// Copies the entry's data, adding its bytes to `written`; throws past limits.maxBytes.
void copyData(const std::string& archive, const char* name, struct archive* reader, struct archive* writer,
              const TC_ArchiveLimits& limits, uint64_t& written) {
    for (;;) {
        const void* block = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        int r = archive_read_data_block(reader, &block, &size, &offset);
        if (r == ARCHIVE_EOF) return;
        if (r < ARCHIVE_WARN) {
            throw TC_Archive_Exception("archive " + archive + ": entry " + shown(name) + ": " +
                                       archive_error_string(reader));
        }
        written += size;
        if (written > limits.maxBytes) {
            throw TC_Archive_Exception("archive " + archive + " unpacks to more than " +
                                       std::to_string(limits.maxBytes) + " bytes (at entry " + shown(name) +
                                       "): refused");
        }
        // libarchive answers a failed or short write (a full disk) with ARCHIVE_WARN and a
        // truncated file: anything but ARCHIVE_OK is a refusal.
        if (archive_write_data_block(writer, block, size, offset) != ARCHIVE_OK) {
            throwWriteError("archive " + archive + ": cannot write entry " + shown(name), writer);
        }
    }
}

}  // namespace

std::vector<std::string> TC_Archive::list(const std::string& archive) {
    Reader reader = openReader(archive);
    std::vector<std::string> names;
    struct archive_entry* entry = nullptr;
    for (;;) {
        int r = archive_read_next_header(reader.get(), &entry);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN)
            throw TC_Archive_Exception("archive " + archive + ": " + archive_error_string(reader.get()));
        const char* name = archive_entry_pathname(entry);
        names.emplace_back(name ? name : "");
        archive_read_data_skip(reader.get());
    }
    return names;
}

void TC_Archive::unpack(const std::string& archive, const std::string& destDir, const TC_ArchiveLimits& limits) {
    const fs::path dest = fs::path(destDir).lexically_normal();
    std::error_code ec;
    if (fs::exists(fs::symlink_status(dest, ec))) {
        throw TC_Archive_Exception("cannot unpack " + archive + " into " + destDir + ": it exists already");
    }
    fs::path parent = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
    if (!fs::is_directory(parent, ec)) {
        throw TC_Archive_Exception("cannot unpack " + archive + " into " + destDir + ": no folder " + parent.string());
    }
    std::string pattern = (parent / ("." + dest.filename().string() + ".unpacking.XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw TC_Archive_Exception("cannot unpack " + archive + ": cannot make a folder in " + parent.string(), errno);
    }
    TemporaryFolder temporary{fs::path(pattern)};
    ::chmod(pattern.c_str(), 0755);  // mkdtemp makes it 0700; the version folder is read by others

    Reader reader = openReader(archive);
    Writer writer(archive_write_disk_new());
    if (!writer) throw TC_Archive_Exception("archive " + archive + ": out of memory");
    // Paths are checked here before they reach the writer; the writer also refuses to
    // write through a symbolic link an earlier entry made.
    archive_write_disk_set_options(writer.get(), ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_PERM |
                                                     ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT);

    struct archive_entry* entry = nullptr;
    uint64_t entries = 0;
    uint64_t written = 0;
    for (;; ++entries) {
        int r = archive_read_next_header(reader.get(), &entry);
        if (r == ARCHIVE_EOF) break;
        if (r < ARCHIVE_WARN) {
            throw TC_Archive_Exception("archive " + archive + " is corrupt: " + archive_error_string(reader.get()));
        }
        if (entries >= limits.maxEntries) {
            throw TC_Archive_Exception("archive " + archive + " holds more than " + std::to_string(limits.maxEntries) +
                                       " entries: refused");
        }
        // A copy: setting the pathname below frees the entry's own.
        const std::string entryName = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
        const char* name = entryName.c_str();
        fs::path relative = relativePath(archive, name);
        if (archive_entry_hardlink(entry)) {
            throw TC_Archive_Exception("archive " + archive + ": entry " + shown(name) +
                                       " is a hard link, which packages may not hold");
        }
        const mode_t type = archive_entry_filetype(entry);
        if (type == AE_IFLNK) {
            const char* target = archive_entry_symlink(entry);
            if (!linkStaysInside(relative, target)) {
                throw TC_Archive_Exception("archive " + archive + ": entry " + shown(name) + " is a symbolic link to " +
                                           shown(target) + ", outside the folder");
            }
        } else if (type != AE_IFREG && type != AE_IFDIR) {
            throw TC_Archive_Exception("archive " + archive + ": entry " + shown(name) +
                                       " is not a file, folder or symbolic link");
        }
        if (relative.empty()) {  // "./": the folder itself
            archive_read_data_skip(reader.get());
            continue;
        }
        const std::string target = (temporary.path() / relative).string();
        archive_entry_set_pathname(entry, target.c_str());
        archive_entry_set_perm(entry, archive_entry_perm(entry) & 07777 & ~(S_ISUID | S_ISGID));
        if (archive_write_header(writer.get(), entry) < ARCHIVE_WARN) {
            throwWriteError("archive " + archive + ": cannot write entry " + shown(name), writer.get());
        }
        // Every regular file: a format may give no size in its header (zip's streamed entries).
        if (type == AE_IFREG) copyData(archive, name, reader.get(), writer.get(), limits, written);
        if (archive_write_finish_entry(writer.get()) < ARCHIVE_WARN) {
            throwWriteError("archive " + archive + ": cannot write entry " + shown(name), writer.get());
        }
    }
    if (archive_write_close(writer.get()) < ARCHIVE_WARN) {
        throwWriteError("archive " + archive + ": cannot finish writing", writer.get());
    }
    if (entries == 0) throw TC_Archive_Exception("archive " + archive + " holds no entries");
    fs::rename(temporary.path(), dest, ec);
    if (ec) throw TC_Archive_Exception("cannot unpack " + archive + " into " + destDir, ec.value());
    temporary.release();
}

}  // namespace tars
