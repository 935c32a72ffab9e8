#include "internal/RemoteConfig.h"

#include <cerrno>
#include <cstdio>
#include <exception>

#include "ConfigF.h"
#include "util/tc_file.h"
#include "util/tc_logger.h"

namespace tars {

namespace {

constexpr int kFetchAttempts = 2;

std::string backupPath(const std::string& path, int n) { return path + "." + std::to_string(n) + ".bak"; }

}  // namespace

RemoteConfig::RemoteConfig(CommunicatorPtr communicator, Options options)
    : _communicator(std::move(communicator)), _options(std::move(options)) {}

RemoteConfig::~RemoteConfig() = default;

void RemoteConfig::checkFileName(const std::string& fileName) {
    if (fileName.empty() || fileName == "." || fileName == ".." || fileName.find('/') != std::string::npos ||
        fileName.find('\0') != std::string::npos) {
        throw RemoteConfig_Exception("config file name '" + fileName +
                                     "' is not a plain file name (not empty, no '/', not . or ..)");
    }
}

std::string RemoteConfig::localPath(const std::string& fileName) const {
    const std::string& base = _options.basePath;
    return base.empty() || base.back() == '/' ? base + fileName : base + "/" + fileName;
}

std::string RemoteConfig::describeFile(const std::string& fileName, bool appOnly) const {
    return "config file " + fileName + " (app " + _options.application +
           (appOnly ? std::string(", application file") : ", server " + _options.serverName) + ")";
}

RemoteConfig::Fetched RemoteConfig::fetch(const std::string& fileName, bool appOnly) {
    Fetched result;
    if (!_proxy) {
        try {
            _proxy = _communicator->stringToProxy<ConfigPrx>(_options.configObj);
        } catch (const std::exception& e) {
            result.error = std::string("no proxy: ") + e.what();
            return result;
        }
    }
    ConfigInfo info;
    info.appname = _options.application;
    info.servername = appOnly ? std::string() : _options.serverName;
    info.filename = fileName;
    info.bAppOnly = appOnly;
    info.host = _options.host;
    info.setdivision = _options.setDivision;
    for (int attempt = 1; attempt <= kFetchAttempts; ++attempt) {
        try {
            std::string content;
            int ret = _proxy->loadConfigByInfo(info, content);
            // Anything but 0 is a refusal (429: too many loads), its text an explanation,
            // never the file: the local copy must not be overwritten with it.
            if (ret != 0) {
                result.error = "the config service answered " + std::to_string(ret) +
                               (content.empty() ? std::string() : ": " + content);
                return result;
            }
            result.content = std::move(content);
            return result;
        } catch (const TarsCallException& e) {
            result.error = "call failed (" + std::to_string(e.getErrCode()) + "): " + e.what();
        } catch (const std::exception& e) {
            result.error = std::string("call failed: ") + e.what();
        }
    }
    return result;
}

std::string RemoteConfig::install(const std::string& fileName, const std::string& content, const std::string& origin) {
    const std::string path = localPath(fileName);
    TC_File::makeDirRecursive(_options.basePath);
    if (TC_File::isFileExist(path)) {
        std::string old = TC_File::load2str(path);
        if (old == content)
            return path + " unchanged (" + std::to_string(content.size()) + " bytes from " + origin + ")";
        // path.5.bak is dropped; .4 -> .5 ... .1 -> .2; the current content becomes .1.
        for (int n = kMaxBackups - 1; n >= 1; --n) {
            std::string from = backupPath(path, n);
            if (TC_File::isFileExist(from) && std::rename(from.c_str(), backupPath(path, n + 1).c_str()) != 0) {
                throw TC_File_Exception("rename '" + from + "' to '" + backupPath(path, n + 1) + "'", errno);
            }
        }
        TC_File::save2file(backupPath(path, 1), old, true);
    }
    TC_File::save2file(path, content, true);
    return path + " written (" + std::to_string(content.size()) + " bytes from " + origin + ")";
}

std::string RemoteConfig::add(const std::string& fileName, bool appOnly) {
    checkFileName(fileName);
    std::lock_guard lock(_mutex);
    const std::string path = localPath(fileName);
    if (_options.configObj.empty()) {
        if (!TC_File::isFileExist(path)) {
            throw RemoteConfig_Exception(describeFile(fileName, appOnly) +
                                         ": no config servant configured (/tars/application/server<config>) and no "
                                         "local copy at " +
                                         path);
        }
        return path + " used as it is (no config servant configured)";
    }
    if (appOnly) {
        _appFiles.insert(fileName);
    } else {
        _appFiles.erase(fileName);
    }
    Fetched fetched = fetch(fileName, appOnly);
    if (fetched.content) {
        try {
            return install(fileName, *fetched.content, _options.configObj);
        } catch (const std::exception& e) {
            fetched.error = std::string("writing it failed: ") + e.what();
        }
    }
    std::string error =
        "cannot fetch " + describeFile(fileName, appOnly) + " from " + _options.configObj + ": " + fetched.error;
    if (TC_File::isFileExist(path)) {
        TLOGWARN("[config] " << error << "; using the local copy " << path << std::endl);
        return path + " kept (local copy; " + error + ")";
    }
    throw RemoteConfig_Exception(error + "; no local copy at " + path);
}

std::string RemoteConfig::reload(const std::string& fileName) {
    checkFileName(fileName);
    std::lock_guard lock(_mutex);
    const std::string path = localPath(fileName);
    if (_options.configObj.empty()) {
        if (!TC_File::isFileExist(path)) {
            throw RemoteConfig_Exception(
                "no config servant configured (/tars/application/server<config>) and no "
                "local copy at " +
                path);
        }
        return path + " used as it is (no config servant configured)";
    }
    bool appOnly = _appFiles.count(fileName) > 0;
    Fetched fetched = fetch(fileName, appOnly);
    if (!fetched.content) {
        throw RemoteConfig_Exception(
            "cannot fetch " + describeFile(fileName, appOnly) + " from " + _options.configObj + ": " + fetched.error +
            (TC_File::isFileExist(path) ? "; the local copy " + path + " is kept" : std::string()));
    }
    return install(fileName, *fetched.content, _options.configObj);
}

}  // namespace tars
