// PatchService: the running tarspatch's package store, shared by its servants (one
// PatchImp per handle thread).
//
// Layout under the root folder (`/tars/patch<root>`, default <datapath>/patchs):
//   tars.upload/<App>.<Server>/<name>              a finished upload (a version)
//   TARSBatchPatching/<App>/<Server>/<App>.<Server>.tgz   what preparePatchFile copies
//   .partial/<App>.<Server>/<name>                 uploads in progress, never listed or served
// An upload is written to .partial and renamed into tars.upload only after its last chunk,
// when the MD5 of the bytes received equals the MD5 the uploader announced: a cut-off or
// corrupt upload never appears as a version. Partial uploads idle for longer than
// uploadtimeout are dropped (expireIdleUploads, on tarspatch's timer, and at the next
// upload call), and all of them at start.
//
// Names: application and server names are letters, digits, '_' and '-'; a file name adds
// '.', does not start with '.', and is at most 128 bytes. A path (listFileInfo, download)
// is such names joined by '/', optionally with a leading '/'; anything else (.., empty
// parts, hidden names, a symlink leading out of the root) is refused.
//
// Threads: every member is thread-safe. One mutex guards the map of uploads in progress
// and the counters, and is held for map look-ups only: a chunk's write, its fsync and the
// hash of an existing version run outside it, with the upload marked busy (a chunk of a
// busy upload is refused with kPatchBusy; the uploader sends it again). Another mutex
// serialises prepare, remove and an upload's final rename, so a prepared package is always
// one whole version. Downloads and listings take no lock. At most maxuploads uploads are in
// progress, holding at most maxpartialbytes bytes; a partial file is opened per chunk, so
// uploads in progress hold no descriptor. A version's MD5 is kept beside it in a hidden
// sidecar `.<name>.md5` (MD5, inode, size, mtime), so listings hash a file only when the
// sidecar is missing or no longer matches it. Errors come back as a negative code and a
// message naming the cause; nothing throws out of the public methods but the constructor
// (a root folder that cannot be made).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "Patch.h"
#include "util/tc_config.h"

namespace tars {

struct PatchSettings {
    std::string root;                      // the store's folder
    uint64_t maxUploadBytes = 1073741824;  // larger uploads are refused
    size_t chunkBytes = 1048576;           // the most a download call returns
    int uploadTimeoutSeconds = 600;        // a partial upload idle this long is dropped
    size_t maxUploads = 16;                // uploads in progress at once
    uint64_t maxPartialBytes = 0;          // bytes of uploads in progress; 0: maxUploadBytes x maxUploads

    // Throws TC_Exception naming the key of a value that does not parse.
    static PatchSettings fromConfig(const TC_Config& config, const std::string& dataPath);
};

struct PatchSettingsKey {
    const char* section;
    const char* name;
    const char* defaultValue;
    const char* description;
};
const std::vector<PatchSettingsKey>& patchSettingsKeys();

// The codes the methods return (TARS only says < 0 for an error).
enum PatchCode : int {
    kPatchOk = 0,
    kPatchEndOfFile = 1,    // download at or past the end
    kPatchBadName = -1,     // a name or path that is not allowed, or does not exist
    kPatchBadMd5 = -2,      // the received bytes do not have the announced MD5
    kPatchTooLarge = -3,    // above maxuploadsize
    kPatchOutOfOrder = -4,  // a chunk of no upload in progress, or of another MD5
    kPatchIoError = -5,     // the disk refused (full, permissions)
    kPatchExists = -6,      // a version of that name with other content is stored
    kPatchBusy = -7,        // another chunk of that upload is being written: send it again
    kPatchTooMany = -8,     // maxuploads uploads in progress, or maxpartialbytes reached
};

class PatchService {
public:
    explicit PatchService(PatchSettings settings);
    ~PatchService();
    PatchService(const PatchService&) = delete;
    PatchService& operator=(const PatchService&) = delete;

    // One chunk of an upload of App.Server. kPatchOk, or a negative PatchCode and why.
    int upload(const std::string& app, const std::string& server, const FileContent& chunk, std::string& why);
    // listFileInfo: 0 (a folder: every file under it, paths relative to it), 1 (a file), or
    // kPatchBadName.
    int list(const std::string& path, std::vector<FileInfo>& files, std::string& why);
    // At most min(length, chunkBytes) bytes of file from offset: kPatchOk with data,
    // kPatchEndOfFile, or a negative PatchCode.
    int read(const std::string& file, int64_t offset, int64_t length, std::vector<char>& data, std::string& why);
    // Copies tars.upload/<App>.<Server>/<patchFile> to TARSBatchPatching/<App>/<Server>/<App>.<Server>.tgz.
    int prepare(const std::string& app, const std::string& server, const std::string& patchFile, std::string& why);
    // Deletes tars.upload/<App>.<Server>/<patchFile>.
    int remove(const std::string& app, const std::string& server, const std::string& patchFile, std::string& why);

    // Drops the uploads idle for longer than uploadtimeout and deletes their partial files
    // (tarspatch calls it on a timer, so a vanished uploader's slot and bytes come back
    // without another upload call).
    void expireIdleUploads();

    size_t chunkBytes() const { return _settings.chunkBytes; }
    const PatchSettings& settings() const { return _settings; }
    // patch.status: uploads in progress, versions taken and refused.
    std::string status() const;

    // The lower-case hex MD5 of a file's content; throws TC_Exception when it cannot be read.
    static std::string fileMd5(const std::filesystem::path& file);
    // The MD5 of a file under the store, from its sidecar when that still matches the file
    // (inode, size, mtime), else hashed and the sidecar rewritten. Throws like fileMd5.
    static std::string storedMd5(const std::filesystem::path& file);
    static bool isServerName(std::string_view name);
    static bool isFileName(std::string_view name);

private:
    struct Upload;

    // The file under the root that path names, or empty (why says why).
    std::filesystem::path resolve(const std::string& path, std::string& why) const;
    void dropIdleUploads();
    void abandon(const std::string& key);
    uint64_t partialLimit() const;

    const PatchSettings _settings;
    const std::filesystem::path _root;
    mutable std::mutex _mutex;                                // _uploads and the counters
    std::map<std::string, std::unique_ptr<Upload>> _uploads;  // by App.Server/name
    uint64_t _partialBytes = 0;                               // sum of the uploads' sizes
    std::mutex _storeMutex;                                   // prepare, remove and an upload's rename into tars.upload
    uint64_t _versions = 0;
    uint64_t _refused = 0;
    std::string _lastRefusal;
};

}  // namespace tars
