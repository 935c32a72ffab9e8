// tarsadmin web-password: sets a user's password of the web console (tarsweb). The
// password is read from stdin (its first line; not echoed when stdin is a terminal),
// never from the command line where `ps` shows it, and stored only as a salted PBKDF2
// hash (framework/web/PasswordHash.h): in tars.tarsweb's config file tarsweb.passwd,
// kept by the registry, where a tarsweb on any host reads it, or in a local file
// (--file, tarsweb's passwordfile key), written with mode 0600.
#include <fcntl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>
#include <iostream>

#include "AdminSupport.h"
#include "AdminTool.h"
#include "PasswordHash.h"
#include "util/tc_file.h"

namespace tars::admin {

namespace {

constexpr size_t kMinPasswordLength = 8;
constexpr size_t kMaxPasswordLength = 1024;

// Turns the terminal's echo off while it lives (when stdin is a terminal).
class NoEcho {
public:
    NoEcho() {
        if (::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &_saved) == 0) {
            termios quiet = _saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            _active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }
    ~NoEcho() {
        if (_active) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &_saved);
    }
    NoEcho(const NoEcho&) = delete;
    NoEcho& operator=(const NoEcho&) = delete;
    bool active() const { return _active; }

private:
    termios _saved{};
    bool _active = false;
};

bool validUser(const std::string& user) {
    if (user.empty() || user.size() > 64) return false;
    for (unsigned char c : user) {
        if (!std::isalnum(c) && c != '_' && c != '-' && c != '.' && c != '@') return false;
    }
    return true;
}

// PATH itself a symbolic link: writing through it would put the hashes wherever it points.
void refuseSymlink(const std::string& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
        throw std::runtime_error(path + " is a symbolic link: refusing to write the password file through it");
    }
}

// Writes text to path with mode 0600: a new temporary file beside it (a unique name,
// created exclusively, never through a link another user planted), synced, then renamed
// over path. On failure the temporary file is removed and path is unchanged.
void writePrivateFile(const std::string& path, const std::string& text) {
    refuseSymlink(path);
    std::string temporary;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temporary = path + ".tmp." + web::randomToken(6);
        fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) throw std::runtime_error("cannot create a temporary file beside " + path + ": " + std::strerror(errno));
    auto fail = [&](const std::string& what, int error) {
        if (fd >= 0) ::close(fd);
        ::unlink(temporary.c_str());
        throw std::runtime_error(what + ": " + std::strerror(error));
    };
    if (::fchmod(fd, 0600) != 0) fail("cannot set the mode of " + temporary, errno);
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) fail("cannot write " + temporary, n < 0 ? errno : EIO);
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0) fail("cannot write " + temporary, errno);
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0) fail("cannot write " + temporary, errno);
    // rename replaces a link planted at path meanwhile; it never writes through one.
    if (::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot rename " + temporary + " to " + path, errno);
}

}  // namespace

int AdminTool::webPassword(const std::vector<std::string>& args) {
    std::string user = "admin";
    std::string file;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--user" || arg == "--file") {
            if (i + 1 == args.size()) throw UsageError(arg + " needs a value");
            (arg == "--user" ? user : file) = args[++i];
        } else if (arg.starts_with("--user=")) {
            user = arg.substr(std::strlen("--user="));
        } else if (arg.starts_with("--file=")) {
            file = arg.substr(std::strlen("--file="));
        } else {
            throw UsageError("usage: web-password [--user USER] [--file FILE] (the password comes from stdin)");
        }
    }
    if (!validUser(user)) throw UsageError("web-password: a user name is 1 to 64 letters, digits, _ - . @");

    std::string password;
    {
        NoEcho noEcho;
        if (noEcho.active()) _err << "password for " << user << ": " << std::flush;
        std::getline(std::cin, password);
        if (noEcho.active()) _err << "\n";
    }
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.size() < kMinPasswordLength || password.size() > kMaxPasswordLength) {
        throw UsageError("web-password: the password (first line of stdin) must have 8 to 1024 characters");
    }
    const std::string hash = web::hashPassword(password);

    if (!file.empty()) {
        refuseSymlink(file);
        std::string text = TC_File::isFileExist(file) ? TC_File::load2str(file) : "";
        writePrivateFile(file, web::setPasswordLine(text, user, hash));
        _out << "web-password: set the password of " << user << " in " << file << "\n";
        return kOk;
    }
    std::string text;
    std::string result;
    auto& prx = registry(kQueryTimeoutMs);
    // AdminReg's "not found" (-2): no user yet. Any other failure leaves the file alone:
    // writing only this user over it would delete the other users' passwords.
    constexpr int kNotFound = -2;
    if (int got = prx->getConfigFile("tars.tarsweb", web::kPasswordFileName, "", 2, text, result); got == kNotFound) {
        text.clear();
    } else if (got != 0) {
        return failed("web-password (reading tars.tarsweb's tarsweb.passwd)", got, result + "; nothing was changed");
    }
    int ret = prx->insertConfigFile("tars.tarsweb", web::kPasswordFileName, web::setPasswordLine(text, user, hash), "",
                                    2, true);
    if (ret != 0) return failed("web-password (storing tars.tarsweb's tarsweb.passwd)", ret, "the registry refused it");
    _out << "web-password: set the password of " << user << " (tars.tarsweb's config file " << web::kPasswordFileName
         << ")\n";
    return kOk;
}

}  // namespace tars::admin
