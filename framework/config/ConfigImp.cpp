#include "ConfigImp.h"

#include "util/tc_config.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {

constexpr int kTooManyLoads = 429;

// "App.Server" -> {App, Server}; false when there is no '.' or a part is empty.
bool splitAppServer(const std::string& appServerName, std::string& app, std::string& server) {
    auto dot = appServerName.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == appServerName.size()) return false;
    app = appServerName.substr(0, dot);
    server = appServerName.substr(dot + 1);
    return true;
}

std::string badAppServer(const std::string& appServerName) {
    return "appServerName '" + appServerName + "' is not App.Server";
}

}  // namespace

std::string configRequestHost(const Current& current, const std::string& given) {
    const auto& context = current.getContext();
    auto it = context.find("node_name");
    if (it != context.end() && !it->second.empty()) return it->second;
    if (!given.empty()) return given;
    return current.getIp();
}

int ConfigImp::checkLimit(const std::string& app, const std::string& server, const std::string& host,
                          const std::string& file, std::string& text) {
    if (_service->limiter().allow({app, server, host, file}, TC_TimeProvider::steadyNowMs())) return 0;
    text = "too many loads of '" + file + "' for app " + app + ", server " + server + " from host " + host +
           ": more than " + std::to_string(_service->limitLoads()) + " in " + std::to_string(_service->limitMinutes()) +
           " minute(s)";
    TLOGWARN("[config] " << text << ": answered 429" << std::endl);
    return kTooManyLoads;
}

ConfigRepository::Content ConfigImp::load(const std::string& app, const std::string& server, const std::string& file,
                                          const std::string& host, const std::string& setDivision) {
    if (app.empty() || file.empty()) {
        return {-1, "a config file needs an application and a file name (app '" + app + "', file '" + file + "')"};
    }
    ConfigRepository::Content content = server.empty()
                                            ? _service->repository().appFile(app, file, setDivision)
                                            : _service->repository().serverFile(app, server, file, host, setDivision);
    if (content.ret < 0) {
        TLOGWARN("[config] load " << app << "." << server << " " << file << " for " << host << ": " << content.text
                                  << std::endl);
    } else {
        TLOGDEBUG("[config] load " << app << "." << server << " " << file << " for " << host << ": "
                                   << content.text.size() << " bytes" << std::endl);
    }
    return content;
}

int ConfigImp::checkSyntax(ConfigRepository::Content content, std::string& result) {
    if (content.ret < 0) {
        result = std::move(content.text);
        return content.ret;
    }
    try {
        TC_Config parsed;
        parsed.parseString(content.text);
    } catch (const std::exception& e) {
        result = std::string("not a valid TARS config file: ") + e.what();
        return -1;
    }
    result = std::move(content.text);
    return 0;
}

Int32 ConfigImp::ListConfig(const std::string& app, const std::string& server, std::vector<std::string>& vf,
                            CurrentPtr current) {
    std::string host = configRequestHost(*current, "");
    auto names = _service->repository().hostFileNames(app, server, host, "");
    if (names.ret < 0) TLOGWARN("[config] ListConfig " << app << "." << server << ": " << names.error << std::endl);
    vf = std::move(names.names);
    return names.ret;
}

Int32 ConfigImp::loadConfig(const std::string& app, const std::string& server, const std::string& filename,
                            std::string& config, CurrentPtr current) {
    std::string host = configRequestHost(*current, "");
    if (int limited = checkLimit(app, server, host, filename, config)) return limited;
    auto content = load(app, server, filename, host, "");
    config = std::move(content.text);
    return content.ret;
}

Int32 ConfigImp::loadConfigByHost(const std::string& appServerName, const std::string& filename,
                                  const std::string& host, std::string& config, CurrentPtr current) {
    std::string app, server;
    if (!splitAppServer(appServerName, app, server)) {
        config = badAppServer(appServerName);
        return -1;
    }
    // An operator's call (TarsWeb uses it to show a host's file): not rate limited.
    auto content = load(app, server, filename, configRequestHost(*current, host), "");
    config = std::move(content.text);
    return content.ret;
}

Int32 ConfigImp::checkConfig(const std::string& appServerName, const std::string& filename, const std::string& host,
                             std::string& result, CurrentPtr current) {
    std::string app, server;
    if (!splitAppServer(appServerName, app, server)) {
        result = badAppServer(appServerName);
        return -1;
    }
    return checkSyntax(load(app, server, filename, configRequestHost(*current, host), ""), result);
}

Int32 ConfigImp::ListConfigByInfo(const ConfigInfo& info, std::vector<std::string>& vf, CurrentPtr current) {
    auto names = info.bAppOnly || info.servername.empty()
                     ? _service->repository().appFileNames(info.appname, info.setdivision)
                     : _service->repository().hostFileNames(info.appname, info.servername,
                                                            configRequestHost(*current, info.host), info.setdivision);
    if (names.ret < 0) {
        TLOGWARN("[config] ListConfigByInfo " << info.appname << "." << info.servername << ": " << names.error
                                              << std::endl);
    }
    vf = std::move(names.names);
    return names.ret;
}

Int32 ConfigImp::loadConfigByInfo(const ConfigInfo& info, std::string& config, CurrentPtr current) {
    std::string host = configRequestHost(*current, info.host);
    std::string server = info.bAppOnly ? std::string() : info.servername;
    if (int limited = checkLimit(info.appname, info.servername, host, info.filename, config)) return limited;
    auto content = load(info.appname, server, info.filename, host, info.setdivision);
    config = std::move(content.text);
    return content.ret;
}

Int32 ConfigImp::checkConfigByInfo(const ConfigInfo& info, std::string& result, CurrentPtr current) {
    std::string server = info.bAppOnly ? std::string() : info.servername;
    return checkSyntax(
        load(info.appname, server, info.filename, configRequestHost(*current, info.host), info.setdivision), result);
}

Int32 ConfigImp::ListAllConfigByInfo(const GetConfigListInfo& info, std::vector<std::string>& vf, CurrentPtr current) {
    std::string limitText;
    if (int limited =
            checkLimit(info.appname, info.servername, configRequestHost(*current, info.host), "", limitText)) {
        return limited;
    }
    auto names =
        info.bAppOnly || info.servername.empty()
            ? _service->repository().appFileNames(info.appname, info.setdivision)
            : _service->repository().serverFileNames(info.appname, info.servername, info.host, info.setdivision);
    if (names.ret < 0) {
        TLOGWARN("[config] ListAllConfigByInfo " << info.appname << "." << info.servername << ": " << names.error
                                                 << std::endl);
    }
    vf = std::move(names.names);
    return names.ret;
}

}  // namespace tars
