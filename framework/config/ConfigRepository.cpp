#include "ConfigRepository.h"

#include <algorithm>
#include <exception>

#include "util/tc_common.h"

namespace tars {

namespace {

constexpr const char* kSeparator = "\r\n\r\n";

void append(std::string& text, const std::string& part) {
    if (part.empty()) return;
    if (!text.empty()) text += kSeparator;
    text += part;
}

bool inSet(const ConfigFile& row, const ConfigRepository::SetDivision& set) {
    return row.setName == set.name && row.setArea == set.area && row.setGroup == set.group;
}

bool isEmpty(const ConfigRepository::SetDivision& set) {
    return set.name.empty() && set.area.empty() && set.group.empty();
}

std::string describeSet(const std::string& setDivision) {
    return setDivision.empty() ? std::string() : ", set " + setDivision;
}

std::string badSet(const std::string& setDivision) {
    return "malformed setdivision '" + setDivision + "' (expected name.area.group)";
}

}  // namespace

std::optional<ConfigRepository::SetDivision> ConfigRepository::parseSetDivision(const std::string& text) {
    if (text.empty()) return SetDivision{};
    std::vector<std::string> parts = TC_Common::sepstr(text, ".", true);
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) return std::nullopt;
    return SetDivision{parts[0], parts[1], parts[2]};
}

std::optional<ConfigFile> ConfigRepository::findRow(const std::string& serverName, const std::string& file, int level,
                                                    const std::string& host, const SetDivision& set) {
    ConfigFileFilter filter;
    filter.serverName = serverName;
    filter.filename = file;
    filter.level = level;
    if (level == 3) filter.host = host;
    std::optional<ConfigFile> found;
    for (ConfigFile& row : _store.listConfigFiles(filter)) {
        if (row.serverName != serverName || row.filename != file || !inSet(row, set)) continue;
        if (level == 3 && row.host != host) continue;
        // Levels 1 and 2 belong to no host; should a row carry one anyway, the one without wins.
        if (!found || (found->host != "" && row.host == "")) found = std::move(row);
    }
    return found;
}

std::string ConfigRepository::referencedText(const ConfigFile& row, const SetDivision& set) {
    std::string text;
    for (int64_t id : _store.listConfigReferences(row.id)) {
        std::optional<ConfigFile> referenced = _store.getConfigFile(id);
        if (!referenced) continue;  // a dangling reference: nothing to add
        append(text, referenced->config);
        if (!isEmpty(set)) {
            if (auto setRow =
                    findRow(referenced->serverName, referenced->filename, referenced->level, referenced->host, set)) {
                append(text, setRow->config);
            }
        }
    }
    return text;
}

ConfigRepository::Content ConfigRepository::appFile(const std::string& app, const std::string& file,
                                                    const std::string& setDivision) {
    auto set = parseSetDivision(setDivision);
    if (!set) return {-1, badSet(setDivision)};
    try {
        std::optional<ConfigFile> base = findRow(app, file, 1, "", SetDivision{});
        std::optional<ConfigFile> ofSet;
        if (!isEmpty(*set)) ofSet = findRow(app, file, 1, "", *set);
        if (!base && !ofSet) {
            return {-1, "no config file '" + file + "' for application " + app + describeSet(setDivision)};
        }
        std::string text;
        if (base) append(text, base->config);
        if (ofSet) append(text, ofSet->config);
        return {0, text};
    } catch (const std::exception& e) {
        return {-1, std::string("reading config file '") + file + "' of " + app + " failed: " + e.what()};
    }
}

ConfigRepository::Content ConfigRepository::serverFile(const std::string& app, const std::string& server,
                                                       const std::string& file, const std::string& host,
                                                       const std::string& setDivision) {
    auto set = parseSetDivision(setDivision);
    if (!set) return {-1, badSet(setDivision)};
    const std::string serverName = app + "." + server;
    try {
        std::optional<ConfigFile> ofServer = findRow(serverName, file, 2, "", *set);
        std::optional<ConfigFile> ofHost = findRow(serverName, file, 3, host, *set);
        if (!ofServer && !ofHost) {
            return {-1, "no config file '" + file + "' for app " + app + ", server " + server + " (host " + host +
                            describeSet(setDivision) + ")"};
        }
        std::string text;
        if (ofServer) {
            append(text, referencedText(*ofServer, *set));
            append(text, ofServer->config);
        }
        if (ofHost) {
            append(text, referencedText(*ofHost, *set));
            append(text, ofHost->config);
        }
        return {0, text};
    } catch (const std::exception& e) {
        return {-1, "reading config file '" + file + "' of " + serverName + " failed: " + e.what()};
    }
}

ConfigRepository::Names ConfigRepository::names(const ConfigFileFilter& filter, const std::optional<SetDivision>& set,
                                                bool anyHost) {
    Names result;
    try {
        for (const ConfigFile& row : _store.listConfigFiles(filter)) {
            if (row.serverName != filter.serverName) continue;
            if (!anyHost && row.host != filter.host) continue;
            if (set && !inSet(row, *set)) continue;
            if (filter.level == 0 && row.level != 2 && row.level != 3) continue;
            result.names.push_back(row.filename);
        }
    } catch (const std::exception& e) {
        return {-1, {}, "listing the config files of " + filter.serverName + " failed: " + e.what()};
    }
    std::sort(result.names.begin(), result.names.end());
    result.names.erase(std::unique(result.names.begin(), result.names.end()), result.names.end());
    return result;
}

ConfigRepository::Names ConfigRepository::appFileNames(const std::string& app, const std::string& setDivision) {
    if (!parseSetDivision(setDivision)) return {-1, {}, badSet(setDivision)};
    ConfigFileFilter filter;
    filter.serverName = app;
    filter.level = 1;
    return names(filter, std::nullopt, true);  // every set's files
}

ConfigRepository::Names ConfigRepository::hostFileNames(const std::string& app, const std::string& server,
                                                        const std::string& host, const std::string& setDivision) {
    auto set = parseSetDivision(setDivision);
    if (!set) return {-1, {}, badSet(setDivision)};
    ConfigFileFilter filter;
    filter.serverName = app + "." + server;
    filter.host = host;
    filter.level = 3;
    return names(filter, set, false);
}

ConfigRepository::Names ConfigRepository::serverFileNames(const std::string& app, const std::string& server,
                                                          const std::string& host, const std::string& setDivision) {
    if (!host.empty()) return hostFileNames(app, server, host, setDivision);
    auto set = parseSetDivision(setDivision);
    if (!set) return {-1, {}, badSet(setDivision)};
    ConfigFileFilter filter;
    filter.serverName = app + "." + server;
    return names(filter, set, true);  // levels 2 and 3
}

}  // namespace tars
