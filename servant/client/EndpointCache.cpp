#include "internal/EndpointCache.h"

#include <ctime>
#include <map>

#include "util/tc_file.h"
#include "util/tc_logger.h"

#ifndef TARS_VERSION
#define TARS_VERSION "unknown"
#endif

namespace tars {

namespace {

constexpr const char* kRoot = "/cache";

std::string nowText() {
    std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
    return text;
}

}  // namespace

bool EndpointCache::storableLocked(const std::string& domain, const std::string& key) {
    // TC_Config splits section paths at '/': a locator such as "...@unix -h /run/x.sock"
    // would be written under sections it is never found in again. Such entries are skipped.
    if (domain.find('/') == std::string::npos && key.find('/') == std::string::npos) return true;
    if (_notices.insert("unstorable " + domain).second) {
        TLOGWARN("[client] endpoint cache " << _path << ": locator " << domain
                                            << " contains '/' (a unix socket path?), its endpoints are not cached"
                                            << std::endl);
    }
    return false;
}

void EndpointCache::loadLocked() {
    if (_loaded) return;
    _loaded = true;
    if (!TC_File::isFileExist(_path)) return;
    try {
        TC_Config parsed;
        parsed.parseFile(_path);
        if (parsed.get(std::string(kRoot) + "<tarsversion>").empty()) {
            TLOGWARN("[client] endpoint cache " << _path << " has no " << kRoot
                                                << "<tarsversion> (an old or foreign file): ignored" << std::endl);
            return;
        }
        _config = std::move(parsed);
        TLOGINFO("[client] endpoint cache " << _path << " loaded" << std::endl);
    } catch (const std::exception& e) {
        TLOGERROR("[client] endpoint cache " << _path << " cannot be used, ignored (it is rewritten at the next "
                                             << "registry answer): " << e.what() << std::endl);
    }
}

std::string EndpointCache::get(const std::string& domain, const std::string& key) {
    std::lock_guard lock(_mutex);
    if (!storableLocked(domain, key)) return "";
    loadLocked();
    return _config.get(std::string(kRoot) + "/" + domain + "<" + key + ">");
}

bool EndpointCache::firstNotice(const std::string& notice) {
    std::lock_guard lock(_mutex);
    return _notices.insert(notice).second;
}

void EndpointCache::set(const std::string& domain, const std::string& key, const std::string& value) {
    std::lock_guard lock(_mutex);
    if (!storableLocked(domain, key)) return;
    loadLocked();
    std::string section = std::string(kRoot) + "/" + domain;
    if (_config.hasDomainVector(section) && _config.get(section + "<" + key + ">", "\x01") == value) return;
    try {
        _config.insertDomainParam(section, {{key, value}}, true);
        _config.insertDomainParam(kRoot, {{"tarsversion", TARS_VERSION}, {"modify", nowText()}}, true);
        std::string dir = TC_File::extractFilePath(_path);
        if (!dir.empty()) TC_File::makeDirRecursive(dir);
        TC_File::save2file(_path, _config.tostr(), true);
    } catch (const std::exception& e) {
        TLOGERROR("[client] cannot write the endpoint cache " << _path << ": " << e.what() << std::endl);
    }
}

}  // namespace tars
