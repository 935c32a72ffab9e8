#include "util/tc_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>

namespace tars {

namespace fs = std::filesystem;

bool TC_File::isFileExist(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

bool TC_File::isDirectory(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

int64_t TC_File::getFileSize(const std::string& path) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return -1;
    return static_cast<int64_t>(st.st_size);
}

std::string TC_File::load2str(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw TC_File_Exception("open '" + path + "'", errno);
    std::string out;
    char buf[64 * 1024];
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof(buf));
        if (n > 0) {
            out.append(buf, static_cast<size_t>(n));
        } else if (n == 0) {
            break;
        } else if (errno != EINTR) {
            int err = errno;
            ::close(fd);
            throw TC_File_Exception("read '" + path + "'", err);
        }
    }
    ::close(fd);
    return out;
}

namespace {
// Writes all of content to fd and closes it (also on error).
void writeFd(int fd, const std::string& path, const std::string& content) {
    size_t done = 0;
    while (done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            ::close(fd);
            throw TC_File_Exception("write '" + path + "'", err);
        }
        done += static_cast<size_t>(n);
    }
    if (::close(fd) != 0) throw TC_File_Exception("close '" + path + "'", errno);
}

void writeAll(const std::string& path, const std::string& content, int flags) {
    int fd = ::open(path.c_str(), flags | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) throw TC_File_Exception("open '" + path + "' for writing", errno);
    writeFd(fd, path, content);
}
}  // namespace

void TC_File::save2file(const std::string& path, const std::string& content, bool atomic) {
    if (!atomic) {
        writeAll(path, content, O_CREAT | O_TRUNC);
        return;
    }
    // A temporary of its own in the same folder (so rename stays atomic): writers in one
    // process or several never share a temporary name.
    std::string tmp = path + ".tmp.XXXXXX";
    int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0) throw TC_File_Exception("create a temporary file beside '" + path + "'", errno);
    ::fchmod(fd, 0644);  // mkstemp makes it 0600; the file replaced is an ordinary 0644 one
    try {
        writeFd(fd, tmp, content);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw TC_File_Exception("rename '" + tmp + "' to '" + path + "'", err);
    }
}

void TC_File::append2file(const std::string& path, const std::string& content) {
    writeAll(path, content, O_CREAT | O_APPEND);
}

void TC_File::makeDirRecursive(const std::string& path) {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec && !isDirectory(path)) {
        throw TC_File_Exception("mkdir -p '" + path + "'", ec.value());
    }
}

bool TC_File::removeFile(const std::string& path, bool recursive) {
    std::error_code ec;
    if (recursive) {
        auto n = fs::remove_all(path, ec);
        if (ec) throw TC_File_Exception("remove tree '" + path + "'", ec.value());
        return n > 0;
    }
    bool removed = fs::remove(path, ec);
    if (ec) throw TC_File_Exception("remove '" + path + "'", ec.value());
    return removed;
}

std::string TC_File::extractFileName(const std::string& path) {
    size_t pos = path.rfind('/');
    return pos == std::string::npos ? path : path.substr(pos + 1);
}

std::string TC_File::extractFilePath(const std::string& path) {
    size_t pos = path.rfind('/');
    return pos == std::string::npos ? std::string("./") : path.substr(0, pos + 1);
}

std::string TC_File::extractFileExt(const std::string& path) {
    std::string name = extractFileName(path);
    size_t pos = name.rfind('.');
    return pos == std::string::npos ? std::string() : name.substr(pos + 1);
}

std::vector<std::string> TC_File::listDirectory(const std::string& path, bool recursive) {
    std::vector<std::string> out;
    std::error_code ec;
    std::string base = path;
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    auto add = [&](const fs::directory_entry& e) { out.push_back(e.path().string()); };
    if (recursive) {
        fs::recursive_directory_iterator it(base, ec), end;
        if (ec) throw TC_File_Exception("list directory '" + path + "'", ec.value());
        for (; it != end; it.increment(ec)) {
            if (ec) throw TC_File_Exception("list directory '" + path + "'", ec.value());
            add(*it);
        }
    } else {
        fs::directory_iterator it(base, ec), end;
        if (ec) throw TC_File_Exception("list directory '" + path + "'", ec.value());
        for (; it != end; it.increment(ec)) {
            if (ec) throw TC_File_Exception("list directory '" + path + "'", ec.value());
            add(*it);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace tars
