#include "PatchService.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <sstream>

#include "util/tc_common.h"
#include "util/tc_config_keys.h"
#include "util/tc_logger.h"
#include "util/tc_md5.h"

namespace tars {

namespace fs = std::filesystem;

namespace {

constexpr size_t kNameMax = 128;
constexpr size_t kListMax = 100000;  // files one listFileInfo answers at most
const char* const kUploadFolder = "tars.upload";
const char* const kPrepareFolder = "TARSBatchPatching";
const char* const kPartialFolder = ".partial";

std::string value(const TC_Config& config, const char* section, const char* name) {
    return declaredValue(config, patchSettingsKeys(), section, name);
}

long long number(const TC_Config& config, const char* section, const char* name, long long min, long long max) {
    return declaredNumber(config, patchSettingsKeys(), section, name, min, max);
}

// A file descriptor closed when it goes.
class Fd {
public:
    explicit Fd(int fd = -1) : _fd(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& other) noexcept : _fd(other._fd) { other._fd = -1; }
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            _fd = other._fd;
            other._fd = -1;
        }
        return *this;
    }
    int get() const { return _fd; }
    void reset() {
        if (_fd >= 0) ::close(_fd);
        _fd = -1;
    }

private:
    int _fd;
};

bool isMd5Text(const std::string& text) {
    if (text.size() != 32) return false;
    for (char c : text) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    }
    return true;
}

std::string shown(std::string_view text) {
    // Names in messages, cut and without control bytes: they come from the network.
    std::string out = "'";
    for (char c : text.substr(0, 200)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    if (text.size() > 200) out += "...";
    return out + "'";
}

bool writeAll(int fd, const char* data, size_t size) {
    while (size > 0) {
        ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

}  // namespace

const std::vector<PatchSettingsKey>& patchSettingsKeys() {
    static const std::vector<PatchSettingsKey> keys = {
        {"/tars/patch", "root", "", "The store's folder (versions, prepared packages); default <datapath>/patchs."},
        {"/tars/patch", "maxuploadsize", "1073741824",
         "Largest upload in bytes (at most 2147483647); a larger one is refused at the chunk that passes it."},
        {"/tars/patch", "chunksize", "1048576", "The most bytes one download call returns (TARS: 1 MiB)."},
        {"/tars/patch", "uploadtimeout", "600",
         "Seconds an unfinished upload may stay idle before it is dropped (it never becomes a version)."},
        {"/tars/patch", "maxuploads", "16",
         "Uploads in progress at once; a first chunk past it is refused (code -8) until one finishes or idles out."},
        {"/tars/patch", "maxpartialbytes", "0",
         "Bytes all uploads in progress may hold; a chunk past it is refused (code -8). 0: maxuploadsize x "
         "maxuploads."},
    };
    return keys;
}

PatchSettings PatchSettings::fromConfig(const TC_Config& config, const std::string& dataPath) {
    PatchSettings settings;
    settings.root = value(config, "/tars/patch", "root");
    if (settings.root.empty()) {
        std::string dir = dataPath.empty() ? "." : dataPath;
        if (!dir.ends_with('/')) dir += '/';
        settings.root = dir + "patchs";
    }
    settings.maxUploadBytes = static_cast<uint64_t>(number(config, "/tars/patch", "maxuploadsize", 1, INT_MAX));
    settings.chunkBytes = static_cast<size_t>(number(config, "/tars/patch", "chunksize", 1024, 64 * 1048576));
    settings.uploadTimeoutSeconds = static_cast<int>(number(config, "/tars/patch", "uploadtimeout", 1, 86400));
    settings.maxUploads = static_cast<size_t>(number(config, "/tars/patch", "maxuploads", 1, 4096));
    settings.maxPartialBytes = static_cast<uint64_t>(number(config, "/tars/patch", "maxpartialbytes", 0, 1LL << 50));
    return settings;
}

struct PatchService::Upload {
    std::string md5;  // announced, lower case
    fs::path partial;
    uint64_t size = 0;  // bytes written, or being written by the busy thread
    std::unique_ptr<TC_MD5> digest;
    std::chrono::steady_clock::time_point lastChunk;
    bool busy = false;  // a thread writes it outside the lock: nobody else touches it
};

namespace {

// The hidden file beside `file` holding its MD5.
fs::path sidecarOf(const fs::path& file) { return file.parent_path() / ("." + file.filename().string() + ".md5"); }

std::string sidecarText(const std::string& md5, const struct stat& st) {
    return md5 + " " + std::to_string(st.st_ino) + " " + std::to_string(st.st_size) + " " +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "\n";
}

// Replaces the sidecar of `file` (best effort: a sidecar only saves hashing).
void writeSidecar(const fs::path& file, const std::string& md5, const struct stat& st) {
    const fs::path sidecar = sidecarOf(file);
    std::string pattern = (file.parent_path() / ("." + file.filename().string() + ".md5.XXXXXX")).string();
    Fd fd(::mkstemp(pattern.data()));
    if (fd.get() < 0) return;
    const std::string text = sidecarText(md5, st);
    ::fchmod(fd.get(), 0644);
    bool ok = writeAll(fd.get(), text.data(), text.size());
    fd.reset();
    std::error_code ec;
    if (ok) fs::rename(pattern, sidecar, ec);
    if (!ok || ec) fs::remove(pattern, ec);
}

std::string readSmall(const fs::path& file) {
    Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) return {};
    char buffer[256];
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : std::string();
}

}  // namespace

PatchService::PatchService(PatchSettings settings) : _settings(std::move(settings)), _root(_settings.root) {
    std::error_code ec;
    fs::create_directories(_root / kUploadFolder, ec);
    if (ec)
        throw TC_Exception("cannot make the patch folder " + (_root / kUploadFolder).string() + ": " + ec.message());
    // Uploads cut off before a restart never finish: their uploader starts again.
    fs::remove_all(_root / kPartialFolder, ec);
    fs::create_directories(_root / kPartialFolder, ec);
    if (ec) throw TC_Exception("cannot make " + (_root / kPartialFolder).string() + ": " + ec.message());
}

PatchService::~PatchService() {
    std::lock_guard lock(_mutex);
    for (auto& [key, upload] : _uploads) {
        std::error_code ec;
        fs::remove(upload->partial, ec);
    }
}

bool PatchService::isServerName(std::string_view name) {
    if (name.empty() || name.size() > kNameMax) return false;
    for (char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
    }
    return true;
}

bool PatchService::isFileName(std::string_view name) {
    if (name.empty() || name.size() > kNameMax || name.front() == '.') return false;
    for (char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
    }
    return true;
}

std::string PatchService::fileMd5(const fs::path& file) {
    Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) throw TC_Exception("cannot open " + file.string() + ": " + std::strerror(errno));
    return TC_MD5::fdHex(fd.get(), file);
}

std::string PatchService::storedMd5(const fs::path& file) {
    Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) {
        throw TC_Exception("cannot open " + file.string() + ": " + std::strerror(errno));
    }
    const std::string cached = readSmall(sidecarOf(file));
    if (cached.size() > 32 && isMd5Text(cached.substr(0, 32)) && sidecarText(cached.substr(0, 32), st) == cached) {
        return cached.substr(0, 32);
    }
    std::string md5 = TC_MD5::fdHex(fd.get(), file);
    writeSidecar(file, md5, st);
    return md5;
}

fs::path PatchService::resolve(const std::string& path, std::string& why) const {
    std::string_view rest = path;
    if (rest.starts_with('/')) rest.remove_prefix(1);
    fs::path current = _root;
    if (rest.empty()) return current;
    for (const auto& part : TC_Common::sepstr(std::string(rest), "/", true)) {
        if (!isFileName(part)) {
            why = "path " + shown(path) + " is not allowed: its parts must be names of letters, digits, '.', '_' " +
                  "and '-' that do not start with '.'";
            return {};
        }
        current /= part;
        std::error_code ec;
        auto status = fs::symlink_status(current, ec);
        if (ec || !fs::exists(status)) {
            why = "no file or folder " + shown(path);
            return {};
        }
        if (fs::is_symlink(status)) {
            why = "path " + shown(path) + " passes a symbolic link, which is not served";
            return {};
        }
    }
    return current;
}

int PatchService::list(const std::string& path, std::vector<FileInfo>& files, std::string& why) {
    files.clear();
    fs::path target = resolve(path, why);
    if (target.empty()) return kPatchBadName;
    auto info = [](const fs::path& file, const std::string& name) {
        FileInfo fi;
        fi.path = name;
        fi.size = static_cast<Int32>(std::min<uintmax_t>(fs::file_size(file), INT_MAX));
        fi.canExec = (fs::status(file).permissions() & fs::perms::owner_exec) != fs::perms::none;
        fi.md5 = storedMd5(file);
        return fi;
    };
    try {
        if (fs::is_regular_file(fs::symlink_status(target))) {
            files.push_back(info(target, target.filename().string()));
            return 1;
        }
        if (!fs::is_directory(fs::symlink_status(target))) {
            why = shown(path) + " is neither a file nor a folder";
            return kPatchBadName;
        }
        for (auto it = fs::recursive_directory_iterator(target); it != fs::recursive_directory_iterator(); ++it) {
            const std::string name = it->path().filename().string();
            if (name.starts_with('.')) {  // partial uploads and temporary copies
                it.disable_recursion_pending();
                continue;
            }
            if (!it->is_regular_file() || it->is_symlink()) continue;
            if (files.size() >= kListMax) {
                why = shown(path) + " holds more than " + std::to_string(kListMax) + " files";
                files.clear();
                return kPatchBadName;
            }
            files.push_back(info(it->path(), fs::relative(it->path(), target).string()));
        }
        return 0;
    } catch (const std::exception& e) {
        why = "cannot list " + shown(path) + ": " + e.what();
        files.clear();
        return kPatchIoError;
    }
}

int PatchService::read(const std::string& file, int64_t offset, int64_t length, std::vector<char>& data,
                       std::string& why) {
    data.clear();
    if (offset < 0 || length <= 0) {
        why = "bad range: offset " + std::to_string(offset) + ", length " + std::to_string(length);
        return kPatchBadName;
    }
    fs::path target = resolve(file, why);
    if (target.empty()) return kPatchBadName;
    Fd fd(::open(target.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) {
        why = "cannot open " + shown(file) + ": " + std::strerror(errno);
        return kPatchIoError;
    }
    if (!S_ISREG(st.st_mode)) {
        why = shown(file) + " is not a file";
        return kPatchBadName;
    }
    if (offset >= st.st_size) return kPatchEndOfFile;
    size_t want = static_cast<size_t>(
        std::min<int64_t>({length, static_cast<int64_t>(_settings.chunkBytes), st.st_size - offset}));
    data.resize(want);
    size_t got = 0;
    while (got < want) {
        ssize_t n = ::pread(fd.get(), data.data() + got, want - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            why = "cannot read " + shown(file) + ": " + std::strerror(errno);
            data.clear();
            return kPatchIoError;
        }
        if (n == 0) break;  // the file shrank
        got += static_cast<size_t>(n);
    }
    data.resize(got);
    return got == 0 ? kPatchEndOfFile : kPatchOk;
}

uint64_t PatchService::partialLimit() const {
    return _settings.maxPartialBytes ? _settings.maxPartialBytes
                                     : _settings.maxUploadBytes * static_cast<uint64_t>(_settings.maxUploads);
}

// Under _mutex; never for a busy upload but by the thread that made it busy.
void PatchService::abandon(const std::string& key) {
    auto it = _uploads.find(key);
    if (it == _uploads.end()) return;
    std::error_code ec;
    fs::remove(it->second->partial, ec);
    _partialBytes -= std::min(_partialBytes, it->second->size);
    _uploads.erase(it);
}

void PatchService::expireIdleUploads() {
    std::lock_guard lock(_mutex);
    dropIdleUploads();
}

void PatchService::dropIdleUploads() {
    auto now = std::chrono::steady_clock::now();
    for (auto it = _uploads.begin(); it != _uploads.end();) {
        auto& upload = *it->second;
        if (!upload.busy && now - upload.lastChunk > std::chrono::seconds(_settings.uploadTimeoutSeconds)) {
            TLOGWARN("patch: dropped the unfinished upload " << it->first << " (" << upload.size << " bytes, idle for "
                                                             << _settings.uploadTimeoutSeconds << " s)" << std::endl);
            std::error_code ec;
            fs::remove(upload.partial, ec);
            _partialBytes -= std::min(_partialBytes, upload.size);
            it = _uploads.erase(it);
        } else {
            ++it;
        }
    }
}

int PatchService::upload(const std::string& app, const std::string& server, const FileContent& chunk,
                         std::string& why) {
    std::unique_lock lock(_mutex);
    dropIdleUploads();
    auto refuse = [&](int code, std::string text) {  // with the lock held
        ++_refused;
        why = std::move(text);
        _lastRefusal = why;
        return code;
    };
    if (!isServerName(app) || !isServerName(server)) {
        return refuse(kPatchBadName, "bad application or server name " + shown(app) + "." + shown(server) +
                                         ": letters, digits, '_' and '-' only");
    }
    if (!isFileName(chunk.name)) {
        return refuse(kPatchBadName, "bad file name " + shown(chunk.name) +
                                         ": letters, digits, '.', '_' and '-', not starting with '.', at most 128");
    }
    if (!isMd5Text(chunk.md5)) {
        return refuse(kPatchBadName, "bad MD5 " + shown(chunk.md5) + " for " + chunk.name + ": 32 hex digits");
    }
    const std::string md5 = TC_Common::lower(chunk.md5);
    const std::string owner = app + "." + server;
    const std::string key = owner + "/" + chunk.name;
    const fs::path final = _root / kUploadFolder / owner / chunk.name;
    const uint64_t bytes = chunk.content.size();
    auto busyRefusal = [&] {
        return refuse(kPatchBusy, "another chunk of " + key + " is being written: send this one again after it");
    };

    Upload* upload = nullptr;
    if (chunk.firstChunk) {
        auto old = _uploads.find(key);
        if (old != _uploads.end() && old->second->busy) return busyRefusal();
        abandon(key);  // a new first chunk starts the file again (the uploader retries)
        if (_uploads.size() >= _settings.maxUploads) {
            return refuse(kPatchTooMany, "cannot start " + key + ": " + std::to_string(_uploads.size()) +
                                             " uploads are in progress (maxuploads); try again when one finishes");
        }
        auto fresh = std::make_unique<Upload>();
        fresh->md5 = md5;
        fresh->partial = _root / kPartialFolder / owner / chunk.name;
        fresh->digest = std::make_unique<TC_MD5>();
        fresh->busy = true;
        fresh->lastChunk = std::chrono::steady_clock::now();
        upload = fresh.get();
        _uploads[key] = std::move(fresh);
    } else {
        auto it = _uploads.find(key);
        if (it == _uploads.end()) {
            return refuse(kPatchOutOfOrder, "no upload of " + key +
                                                " is in progress: its first chunk (firstChunk) did not come, or it "
                                                "was refused, or dropped after " +
                                                std::to_string(_settings.uploadTimeoutSeconds) + " s idle");
        }
        upload = it->second.get();
        if (upload->busy) return busyRefusal();
        if (upload->md5 != md5) {
            abandon(key);
            return refuse(kPatchOutOfOrder, "a chunk of " + key + " announces MD5 " + md5 + ", its first chunk " +
                                                "announced another: the upload is dropped");
        }
        upload->busy = true;
    }
    // Busy from here: only this thread touches *upload until it is unmarked or abandoned.
    auto fail = [&](int code, std::string text) {
        lock.lock();
        abandon(key);
        return refuse(code, std::move(text));
    };
    const uint64_t offset = upload->size;
    if (offset + bytes > _settings.maxUploadBytes) {
        lock.unlock();
        return fail(kPatchTooLarge, "upload " + key + " is larger than maxuploadsize (" +
                                        std::to_string(_settings.maxUploadBytes) + " bytes): refused at " +
                                        std::to_string(offset + bytes) + " bytes");
    }
    if (_partialBytes + bytes > partialLimit()) {
        std::string text = "upload " + key + " refused at " + std::to_string(offset + bytes) +
                           " bytes: uploads in progress hold " + std::to_string(_partialBytes) +
                           " bytes, maxpartialbytes is " + std::to_string(partialLimit());
        lock.unlock();
        return fail(kPatchTooMany, std::move(text));
    }
    _partialBytes += bytes;
    upload->size = offset + bytes;
    lock.unlock();

    std::error_code ec;
    if (chunk.firstChunk && fs::exists(final, ec)) {
        std::string stored;
        try {
            stored = storedMd5(final);
        } catch (const std::exception&) {
        }
        if (stored != md5) {
            return fail(kPatchExists, "version " + key + " is stored already with MD5 " + stored +
                                          ": a version's content never changes; upload under another name");
        }
    }
    if (chunk.firstChunk) fs::create_directories(upload->partial.parent_path(), ec);
    Fd fd(::open(upload->partial.c_str(),
                 O_WRONLY | O_CLOEXEC | O_NOFOLLOW | (chunk.firstChunk ? O_CREAT | O_TRUNC : 0), 0644));
    if (ec || fd.get() < 0) {
        return fail(kPatchIoError, "cannot store " + key + ": " + (ec ? ec.message() : std::strerror(errno)));
    }
    const char* data = chunk.content.data();
    for (uint64_t done = 0; done < bytes;) {
        ssize_t n = ::pwrite(fd.get(), data + done, bytes - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            return fail(kPatchIoError, "cannot store " + key + " at " + std::to_string(offset + done) +
                                           " bytes: " + (n < 0 ? std::strerror(errno) : "nothing written"));
        }
        done += static_cast<uint64_t>(n);
    }
    upload->digest->update(data, bytes);
    if (!chunk.lastChunk) {
        lock.lock();
        upload->lastChunk = std::chrono::steady_clock::now();
        upload->busy = false;
        return kPatchOk;
    }

    const std::string received = upload->digest->final();
    if (received != upload->md5) {
        return fail(kPatchBadMd5, "MD5 mismatch for " + key + ": the " + std::to_string(offset + bytes) +
                                      " bytes received have MD5 " + received + ", the uploader announced " +
                                      upload->md5 + "; nothing is stored");
    }
    struct stat st {};
    if (::fsync(fd.get()) != 0 || ::fstat(fd.get(), &st) != 0) {
        return fail(kPatchIoError, "cannot store " + key + ": " + std::strerror(errno));
    }
    fd.reset();
    {
        std::lock_guard store(_storeMutex);
        fs::create_directories(final.parent_path(), ec);
        if (!ec) fs::rename(upload->partial, final, ec);
        if (!ec) writeSidecar(final, md5, st);  // rename keeps the inode and mtime
    }
    if (ec) return fail(kPatchIoError, "cannot store " + key + ": " + ec.message());
    TLOGINFO("patch: stored " << key << ", " << offset + bytes << " bytes, MD5 " << md5 << std::endl);
    lock.lock();
    _partialBytes -= std::min(_partialBytes, upload->size);
    _uploads.erase(key);
    ++_versions;
    return kPatchOk;
}

int PatchService::prepare(const std::string& app, const std::string& server, const std::string& patchFile,
                          std::string& why) {
    if (!isServerName(app) || !isServerName(server) || !isFileName(patchFile)) {
        why = "bad application, server or file name " + shown(app) + ", " + shown(server) + ", " + shown(patchFile);
        return kPatchBadName;
    }
    const std::string owner = app + "." + server;
    const fs::path source = _root / kUploadFolder / owner / patchFile;
    // One prepare, remove or upload rename at a time: the copy is of one whole version, and
    // the version cannot go while it is copied.
    std::lock_guard store(_storeMutex);
    std::error_code ec;
    if (!fs::is_regular_file(fs::symlink_status(source, ec))) {
        why = "no upload " + owner + "/" + patchFile;
        return kPatchBadName;
    }
    const fs::path folder = _root / kPrepareFolder / app / server;
    const fs::path target = folder / (owner + ".tgz");
    fs::create_directories(folder, ec);
    std::string temporary = (folder / ("." + owner + ".tgz.XXXXXX")).string();
    bool made = false;  // a name of its own, in the same folder
    if (!ec) {
        Fd fd(::mkstemp(temporary.data()));
        made = fd.get() >= 0;
        if (!made) ec = std::error_code(errno, std::generic_category());
    }
    std::string md5;
    try {
        if (!ec) md5 = storedMd5(source);
    } catch (const std::exception&) {
    }
    if (!ec) fs::copy_file(source, temporary, fs::copy_options::overwrite_existing, ec);
    struct stat st {};
    if (!ec && ::stat(temporary.c_str(), &st) != 0) ec = std::error_code(errno, std::generic_category());
    if (!ec) fs::rename(temporary, target, ec);
    if (ec) {
        std::error_code ignored;
        if (made) fs::remove(temporary, ignored);
        why = "cannot copy " + owner + "/" + patchFile + " to " + kPrepareFolder + ": " + ec.message();
        return kPatchIoError;
    }
    if (!md5.empty()) writeSidecar(target, md5, st);
    why = std::string(kPrepareFolder) + "/" + app + "/" + server + "/" + owner + ".tgz";
    return kPatchOk;
}

int PatchService::remove(const std::string& app, const std::string& server, const std::string& patchFile,
                         std::string& why) {
    if (!isServerName(app) || !isServerName(server) || !isFileName(patchFile)) {
        why = "bad application, server or file name " + shown(app) + ", " + shown(server) + ", " + shown(patchFile);
        return kPatchBadName;
    }
    const fs::path file = _root / kUploadFolder / (app + "." + server) / patchFile;
    std::lock_guard store(_storeMutex);
    std::error_code ec;
    if (!fs::remove(file, ec)) {
        why = "no upload " + app + "." + server + "/" + patchFile + (ec ? ": " + ec.message() : "");
        return ec ? kPatchIoError : kPatchBadName;
    }
    fs::remove(sidecarOf(file), ec);
    return kPatchOk;
}

std::string PatchService::status() const {
    std::lock_guard lock(_mutex);
    std::ostringstream os;
    os << "root=" << _root.string() << "\n"
       << "uploads_in_progress=" << _uploads.size() << "\n"
       << "partial_bytes=" << _partialBytes << "\n";
    for (const auto& [key, upload] : _uploads) os << "upload=" << key << " " << upload->size << " bytes\n";
    os << "versions_stored=" << _versions << "\n"
       << "refused_uploads=" << _refused << "\n"
       << "last_refusal=" << _lastRefusal << "\n"
       << "maxuploadsize=" << _settings.maxUploadBytes << "\n";
    return os.str();
}

}  // namespace tars
