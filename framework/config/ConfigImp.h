// ConfigImp: the servant tars.tarsconfig.ConfigObj (interface Config, protocol/ConfigF.tars).
// One instance per handle thread, all sharing one ConfigService.
//
// The host a server file is built for: the request context's "node_name" when present,
// else the host given in the call (ConfigInfo.host, loadConfigByHost's host), else the
// caller's IP. loadConfig, loadConfigByInfo and ListAllConfigByInfo count against the
// rate limit of (app, server, host, file) (file "" for ListAllConfigByInfo); past it they
// answer 429. Errors are answered with a negative return and, where the method has a
// string out parameter, a message naming app, server, host and file.
#pragma once

#include <memory>

#include "ConfigF.h"
#include "ConfigService.h"

namespace tars {

class ConfigImp : public Config {
public:
    explicit ConfigImp(std::shared_ptr<ConfigService> service) : _service(std::move(service)) {}

    Int32 ListConfig(const std::string& app, const std::string& server, std::vector<std::string>& vf,
                     CurrentPtr current) override;
    Int32 loadConfig(const std::string& app, const std::string& server, const std::string& filename,
                     std::string& config, CurrentPtr current) override;
    Int32 loadConfigByHost(const std::string& appServerName, const std::string& filename, const std::string& host,
                           std::string& config, CurrentPtr current) override;
    Int32 checkConfig(const std::string& appServerName, const std::string& filename, const std::string& host,
                      std::string& result, CurrentPtr current) override;
    Int32 ListConfigByInfo(const ConfigInfo& configInfo, std::vector<std::string>& vf, CurrentPtr current) override;
    Int32 loadConfigByInfo(const ConfigInfo& configInfo, std::string& config, CurrentPtr current) override;
    Int32 checkConfigByInfo(const ConfigInfo& configInfo, std::string& result, CurrentPtr current) override;
    Int32 ListAllConfigByInfo(const GetConfigListInfo& configInfo, std::vector<std::string>& vf,
                              CurrentPtr current) override;

private:
    // The file of app (server empty) or of app.server on host, as the rules say.
    ConfigRepository::Content load(const std::string& app, const std::string& server, const std::string& file,
                                   const std::string& host, const std::string& setDivision);
    // 429 with a message in text when the key is over its limit; 0 otherwise.
    int checkLimit(const std::string& app, const std::string& server, const std::string& host, const std::string& file,
                   std::string& text);
    // Parses text as a TARS config file: 0, or -1 with the parse error in text.
    static int checkSyntax(ConfigRepository::Content content, std::string& result);

    std::shared_ptr<ConfigService> _service;
};

// The host a request is for (see above).
std::string configRequestHost(const Current& current, const std::string& given);

}  // namespace tars
