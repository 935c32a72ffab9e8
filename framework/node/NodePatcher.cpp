#include "NodePatcher.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "Patch.h"
#include "tc_archive.h"
#include "util/tc_common.h"
#include "util/tc_file.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"
#include "util/tc_md5.h"

namespace tars {

namespace fs = std::filesystem;

namespace {

constexpr int kChunkBytes = 1024 * 1024;
constexpr int kPatchTimeoutMs = 30000;

// A failure of one step: its text is the cause.
struct PatchFailure {
    std::string cause;
};

// Version names become folder names: letters, digits, '.', '_', '-', not starting with '.'.
bool isVersionName(const std::string& v) {
    if (v.empty() || v.size() > 128 || v.front() == '.') return false;
    return std::all_of(v.begin(), v.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
}

std::string md5OfFile(const std::string& path) {
    try {
        return TC_MD5::fileHex(path);
    } catch (const TC_Exception& e) {
        throw PatchFailure{e.what()};
    }
}

// Appends data to fd; throws with the system's reason (a full disk: "No space left on device").
// The file is deleted first: a disk that refused bytes keeps no partial download (only a
// download cut by the network is kept, to resume).
void writeAll(int fd, const std::vector<char>& data, const std::string& path) {
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            std::error_code ec;
            fs::remove(path, ec);
            throw PatchFailure{"cannot write " + path + ": " + std::strerror(error)};
        }
        done += static_cast<size_t>(n);
    }
}

// Inside each version folder, beside <Server>/: the MD5 of the package it was unpacked from.
constexpr const char* kMd5Record = ".tars-package-md5";

// The MD5 recorded in versionDir ("" when none).
std::string recordedMd5(const std::string& versionDir) {
    std::error_code ec;
    const std::string file = versionDir + "/" + kMd5Record;
    if (!fs::is_regular_file(file, ec)) return "";
    return TC_Common::lower(TC_Common::trim(TC_File::load2str(file)));
}

bool isExecutableFile(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// A failed patch leaves nothing of its own: the version folder it unpacked (when it was
// not switched to) and its staging folder.
void discard(const std::string& unpacked, const std::string& staging) {
    std::error_code ec;
    if (!unpacked.empty()) fs::remove_all(unpacked, ec);
    fs::remove_all(staging, ec);
}

}  // namespace

NodePatcher::NodePatcher(std::string nodeName, std::string defaultPatchObj, int keepVersions,
                         CommunicatorPtr communicator, Hooks hooks)
    : _nodeName(std::move(nodeName)),
      _defaultPatchObj(std::move(defaultPatchObj)),
      _keepVersions(keepVersions),
      _communicator(std::move(communicator)),
      _hooks(std::move(hooks)) {}

NodePatcher::~NodePatcher() { stop(); }

void NodePatcher::stop() {
    _stopping.store(true);
    std::map<std::string, Job> jobs;
    {
        std::lock_guard lock(_mutex);
        for (auto& [key, job] : _jobs) {
            if (job.thread.joinable()) jobs[key].thread = std::move(job.thread);
        }
    }
    for (auto& [key, job] : jobs) job.thread.join();
}

int NodePatcher::patch(const PatchRequest& request, std::string& result) {
    const std::string key = request.appname + "." + request.servername;
    const std::string who = "node " + _nodeName + ": " + key + " version '" + request.version + "'";
    if (_stopping.load()) {
        result = who + ": not patched: the node is stopping";
        return -1;
    }
    if (!isVersionName(request.version)) {
        result = who + ": not patched: a version is letters, digits, '.', '_' and '-', not starting with '.'";
        return -1;
    }
    if (request.md5.size() != 32) {
        result = who + ": not patched: the MD5 '" + request.md5 + "' is not 32 hex digits";
        return -1;
    }
    ServerLayout layout;
    std::string why;
    if (!_hooks.layout(request.appname, request.servername, layout, why)) {
        result = who + ": not patched: " + why;
        return -1;
    }
    if (!layout.exe.starts_with(layout.binDir)) {
        result = who + ": not patched: its deployment runs " + layout.exe +
                 "; a published server's deployment leaves out the executable path (or names one in bin/)";
        return -1;
    }
    std::lock_guard lock(_mutex);
    auto& job = _jobs[key];
    if (job.info.bPatching) {
        result = who + ": not patched: version '" + job.info.sVersion + "' is being installed";
        return -1;
    }
    if (job.thread.joinable()) job.thread.join();  // the last patch, finished
    job.info = PatchInfo();
    job.info.bPatching = true;
    job.info.sVersion = request.version;
    job.info.iModifyTime = static_cast<int>(TNOW);
    job.info.sResult = "started";
    job.thread = std::thread([this, key, request, layout] { run(key, request, layout); });
    result = who + ": patch started";
    TLOGINFO("[node] " << result << " (md5 " << request.md5 << ")" << std::endl);
    return 0;
}

int NodePatcher::percent(const std::string& app, const std::string& server, PatchInfo& info) const {
    std::lock_guard lock(_mutex);
    auto it = _jobs.find(app + "." + server);
    if (it == _jobs.end()) {
        info = PatchInfo();
        info.sResult = "node " + _nodeName + ": " + app + "." + server + " was not patched since the node started";
        return -1;
    }
    info = it->second.info;
    return 0;
}

void NodePatcher::progress(const std::string& key, int percent, const std::string& text) {
    std::lock_guard lock(_mutex);
    auto& info = _jobs[key].info;
    info.iPercent = percent;
    info.sResult = text;
    info.iModifyTime = static_cast<int>(TNOW);
}

void NodePatcher::finish(const std::string& key, bool ok, const std::string& text) {
    {
        std::lock_guard lock(_mutex);
        auto& info = _jobs[key].info;
        info.bPatching = false;
        info.bSucc = ok;
        if (ok) info.iPercent = 100;
        info.sResult = text;
        info.iModifyTime = static_cast<int>(TNOW);
    }
    if (ok) {
        TLOGINFO("[node] " << text << std::endl);
    } else {
        TLOGERROR("[node] " << text << std::endl);
    }
}

std::vector<std::string> NodePatcher::recoverVersions(const std::string& serverDir) {
    std::vector<std::string> done;
    const fs::path versions = fs::path(serverDir) / "versions";
    const size_t replacedSuffix = std::strlen(kReplacedSuffix);
    std::error_code ec;
    std::vector<fs::path> leftovers;
    fs::directory_iterator it(versions, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() < 2 || name.front() != '.') continue;
        if (name.ends_with(kNewSuffix) || name.find(".unpacking.") != std::string::npos ||
            (name.ends_with(kReplacedSuffix) && name.size() > replacedSuffix + 1)) {
            leftovers.push_back(it->path());
        }
    }
    for (const fs::path& path : leftovers) {
        const std::string name = path.filename().string();
        if (!name.ends_with(kReplacedSuffix)) {  // a staging folder, never switched to
            fs::remove_all(path, ec);
            done.push_back("removed the unfinished " + path.string());
            continue;
        }
        const fs::path version = versions / name.substr(1, name.size() - 1 - replacedSuffix);
        if (!fs::exists(version, ec)) {  // the swap stopped halfway: the old folder comes back
            fs::rename(path, version, ec);
            done.push_back(ec ? "cannot put back " + path.string() + ": " + ec.message()
                              : "put back " + version.string() + " (a replacement was cut off)");
        } else {  // the swap was done, only the old folder was left
            fs::remove_all(path, ec);
            done.push_back("removed the replaced " + path.string());
        }
    }
    return done;
}

void NodePatcher::run(const std::string& key, PatchRequest request, ServerLayout layout) {
    const std::string who = "node " + _nodeName + ": " + key + " version '" + request.version + "'";
    const std::string serverDir = layout.dir + "/";
    const std::string versions = serverDir + "versions/";
    const std::string versionDir = versions + request.version;
    // A new package is unpacked here first, beside the running version, and renamed to
    // versionDir once it is whole and checked (for a kept folder it replaces: once the
    // server stopped when that folder is the running one).
    const std::string staging = versions + "." + request.version + kNewSuffix;
    const std::string replaced = versions + "." + request.version + kReplacedSuffix;
    const std::string relativeExe = layout.exe.substr(layout.binDir.size());
    const std::string newExe = versionDir + "/" + request.servername + "/" + relativeExe;
    const std::string linkTarget = "versions/" + request.version + "/" + request.servername;
    const std::string wantedMd5 = TC_Common::lower(request.md5);
    bool unpackedHere = false;  // versionDir is this patch's own, not yet the running version
    bool swapped = false;       // versionDir holds the new package, the kept one is in `replaced`
    // Swaps staging in for the kept versionDir; the kept one stays in `replaced` until the
    // switch succeeded. A node that dies in between is put right by recoverVersions when
    // it starts again.
    auto swapIn = [&] {
        std::error_code ec;
        fs::remove_all(replaced, ec);
        fs::rename(versionDir, replaced, ec);
        if (ec) throw PatchFailure{"cannot move aside the kept " + versionDir + ": " + ec.message()};
        fs::rename(staging, versionDir, ec);
        if (ec) {
            recoverVersions(serverDir);  // puts the kept folder back
            throw PatchFailure{"cannot rename " + staging + " to " + versionDir + ": " + ec.message()};
        }
        swapped = true;
    };
    // A failed patch after swapIn: the kept folder comes back.
    auto swapBack = [&] {
        if (!swapped) return;
        std::error_code ec;
        fs::remove_all(versionDir, ec);
        recoverVersions(serverDir);
        swapped = false;
    };
    try {
        std::error_code ec;
        for (const std::string& line : recoverVersions(serverDir)) {
            TLOGWARN("[node] " << key << ": " << line << std::endl);
        }
        fs::create_directories(versions, ec);
        if (ec) throw PatchFailure{"cannot create " + versions + ": " + ec.message()};

        // A kept folder of this version is reused only when it holds this very package: a
        // version published again with other content must not leave the old one running.
        // A folder unpacked before MD5s were recorded has none; when it is the running one
        // it stays (it was checked when it was unpacked), so a rollback to it, or the same
        // version sent again, neither replaces the live folder nor restarts the server.
        const bool keptHere = fs::is_directory(versionDir, ec);
        const std::string keptMd5 = keptHere ? recordedMd5(versionDir) : "";
        const bool running =
            fs::is_symlink(serverDir + "bin", ec) && fs::read_symlink(serverDir + "bin", ec).string() == linkTarget;
        const bool replacing = keptHere && keptMd5 != wantedMd5 && !(keptMd5.empty() && running);
        if (replacing) {
            TLOGINFO("[node] " << who << ": the kept folder holds "
                               << (keptMd5.empty() ? std::string("a package of unknown MD5") : "MD5 " + keptMd5)
                               << ", the request says " << wantedMd5 << ": downloading it again" << std::endl);
        }
        // Already installed here (a rollback): the folder was checked when it was unpacked.
        if (keptHere && !replacing && running) {
            finish(key, true, who + ": already the running version");
            return;
        }
        if (!keptHere || replacing) {
            // 1. download (resumable)
            std::string file = request.filepath.empty() ? "/TARSBatchPatching/" + request.appname + "/" +
                                                              request.servername + "/" + key + ".tgz"
                                                        : request.filepath;
            std::string object = request.patchobj.empty() ? _defaultPatchObj : request.patchobj;
            auto prx = _communicator->stringToProxy<PatchPrx>(object);
            prx->tars_set_timeout(kPatchTimeoutMs);
            std::vector<FileInfo> files;
            int listed = -1;
            try {
                listed = prx->listFileInfo(file, files);
            } catch (const std::exception& e) {
                throw PatchFailure{"tarspatch " + object + " did not answer: " + e.what()};
            }
            if (listed != 1 || files.size() != 1) {
                throw PatchFailure{"tarspatch has no file '" + file + "' (listFileInfo answered " +
                                   std::to_string(listed) + ")"};
            }
            const int64_t size = files[0].size;
            const std::string part = versions + "." + request.version + ".tgz.part";
            int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
            if (fd < 0) throw PatchFailure{"cannot create " + part + ": " + std::strerror(errno)};
            struct FdClose {
                int fd;
                ~FdClose() { ::close(fd); }
            } closer{fd};
            int64_t offset = static_cast<int64_t>(::lseek(fd, 0, SEEK_END));
            if (offset > size) {  // not a prefix of this file: start again
                if (::ftruncate(fd, 0) != 0)
                    throw PatchFailure{"cannot truncate " + part + ": " + std::strerror(errno)};
                offset = 0;
            }
            if (offset > 0) TLOGINFO("[node] " << who << ": download resumes at byte " << offset << std::endl);
            while (offset < size) {
                if (_stopping.load()) throw PatchFailure{"the node is stopping"};
                std::vector<char> chunk;
                std::string why;
                int ret = -1;
                try {
                    ret = prx->downloadChunk(file, offset, kChunkBytes, chunk, why);
                } catch (const std::exception& e) {
                    throw PatchFailure{"download of '" + file + "' cut at byte " + std::to_string(offset) + ": " +
                                       e.what() + " (the next patch resumes there)"};
                }
                if (ret < 0) throw PatchFailure{"tarspatch refused the download of '" + file + "': " + why};
                if (!chunk.empty()) writeAll(fd, chunk, part);
                offset += static_cast<int64_t>(chunk.size());
                progress(key, size > 0 ? static_cast<int>(offset * 90 / size) : 90,
                         "downloading " + std::to_string(offset) + "/" + std::to_string(size) + " bytes");
                if (ret == 1 || chunk.empty()) break;
            }
            if (::fsync(fd) != 0) {
                const int error = errno;
                fs::remove(part, ec);
                throw PatchFailure{"cannot write " + part + ": " + std::strerror(error)};
            }
            // 2. verify
            std::string md5 = md5OfFile(part);
            if (md5 != TC_Common::lower(request.md5)) {
                fs::remove(part, ec);
                throw PatchFailure{"MD5 mismatch: the " + std::to_string(offset) + " bytes downloaded have MD5 " + md5 +
                                   ", the request says " + request.md5};
            }
            // 3. unpack (all or nothing), into the staging folder
            progress(key, 92, "unpacking");
            fs::remove_all(staging, ec);
            try {
                TC_Archive::unpack(part, staging);
            } catch (const TC_Archive_Exception& e) {
                fs::remove(part, ec);
                // A system error (a full disk) is this node's; anything else is the package's.
                throw PatchFailure{std::string(e.getErrCode() != 0 ? "cannot unpack on this node: " : "bad package: ") +
                                   e.what()};
            } catch (const std::exception& e) {
                fs::remove(part, ec);
                throw PatchFailure{std::string("bad package: ") + e.what()};
            }
            fs::remove(part, ec);
            // 4. check
            if (!isExecutableFile(staging + "/" + request.servername + "/" + relativeExe)) {
                throw PatchFailure{"the package has no executable " + request.servername + "/" + relativeExe};
            }
            try {
                TC_File::save2file(staging + "/" + kMd5Record, wantedMd5 + "\n");
            } catch (const std::exception& e) {
                throw PatchFailure{"cannot record the MD5 in " + staging + ": " + e.what()};
            }
            if (!keptHere) {
                fs::rename(staging, versionDir, ec);
                if (ec) throw PatchFailure{"cannot rename " + staging + " to " + versionDir + ": " + ec.message()};
                unpackedHere = true;
            } else if (!running) {
                swapIn();
            }  // else: the running folder is replaced once the server stopped (below)
        } else if (!isExecutableFile(newExe)) {
            throw PatchFailure{"the kept version has no executable " + request.servername + "/" + relativeExe};
        }
        fs::last_write_time(versionDir, fs::file_time_type::clock::now(), ec);  // newest kept version

        // 5. stop
        progress(key, 95, "stopping the running version");
        std::string stopped;
        if (_hooks.stop(request.appname, request.servername, stopped) != 0) {
            throw PatchFailure{"the running version did not stop: " + stopped};
        }
        if (replacing && running) {
            try {
                swapIn();
            } catch (const PatchFailure&) {
                std::string started;
                _hooks.start(request.appname, request.servername, started);
                throw;
            }
        }
        // 6. switch
        const std::string bin = serverDir + "bin";
        if (!fs::is_symlink(bin) && fs::is_directory(bin)) {
            if (!fs::is_empty(bin)) {
                swapBack();
                std::string started;
                _hooks.start(request.appname, request.servername, started);
                throw PatchFailure{bin +
                                   " is a folder holding files: the server runs from its deployment, not a "
                                   "published version"};
            }
            fs::remove(bin, ec);
        }
        const std::string next = serverDir + ".bin.next";
        fs::remove(next, ec);
        fs::create_symlink(linkTarget, next, ec);
        if (!ec) fs::rename(next, bin, ec);
        if (ec) {
            swapBack();
            std::string started;
            _hooks.start(request.appname, request.servername, started);
            throw PatchFailure{"cannot switch " + bin + " to " + linkTarget + ": " + ec.message()};
        }
        unpackedHere = false;  // the running version now
        if (swapped) fs::remove_all(replaced, ec);
        swapped = false;
        // 7. start, report, keep
        progress(key, 98, "starting the new version");
        std::string started;
        int ret = _hooks.start(request.appname, request.servername, started);
        PatchResult patched;
        patched.sApplication = request.appname;
        patched.sServerName = request.servername;
        patched.sNodeName = _nodeName;
        patched.sVersion = request.version;
        patched.sUserName = request.user;
        bool reported = _hooks.report(patched);

        std::vector<std::pair<fs::file_time_type, fs::path>> kept;
        for (const auto& entry : fs::directory_iterator(versions, ec)) {
            auto name = entry.path().filename().string();
            if (name.starts_with('.') || !entry.is_directory() || name == request.version) continue;
            kept.emplace_back(fs::last_write_time(entry.path(), ec), entry.path());
        }
        std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        for (size_t i = static_cast<size_t>(std::max(_keepVersions - 1, 0)); i < kept.size(); ++i) {
            fs::remove_all(kept[i].second, ec);
        }
        if (ret != 0) {
            finish(key, false, who + ": installed, but the server did not start: " + started);
            return;
        }
        finish(key, true,
               who + ": installed and started" + (reported ? "" : " (the registry was not told yet: unreachable)"));
    } catch (const PatchFailure& f) {
        swapBack();
        discard(unpackedHere ? versionDir : "", staging);
        finish(key, false, who + ": not installed: " + f.cause + "; the running version keeps running");
    } catch (const std::exception& e) {
        swapBack();
        discard(unpackedHere ? versionDir : "", staging);
        finish(key, false, who + ": not installed: " + e.what() + "; the running version keeps running");
    }
}

}  // namespace tars
