#include "DeployRules.h"

#include <arpa/inet.h>

#include <algorithm>

#include "util/tc_common.h"

namespace tars::deploy {

namespace {

bool isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool isWord(const std::string& text) { return !text.empty() && std::all_of(text.begin(), text.end(), isWordChar); }

std::string quoted(const std::string& text) { return "'" + text + "'"; }

// The index of the token holding the value of -h, or npos.
size_t hostTokenIndex(const std::vector<std::string>& tokens) {
    for (size_t i = 1; i + 1 < tokens.size(); ++i) {
        if (tokens[i] == "-h") return i + 1;
    }
    return std::string::npos;
}

}  // namespace

std::string checkName(const std::string& what, const std::string& name) {
    if (name.empty()) return what + " is empty";
    if (!isWord(name)) return what + " " + quoted(name) + ": only letters, digits, '_' and '-' are allowed";
    return "";
}

std::string checkNodeName(const std::string& name) {
    if (name.empty()) return "node name is empty";
    bool ok = std::all_of(name.begin(), name.end(), [](char c) { return isWordChar(c) || c == '.' || c == ':'; });
    if (!ok) return "node name " + quoted(name) + ": only letters, digits, '.', ':', '_' and '-' are allowed";
    return "";
}

std::string checkAdapterName(const std::string& name) {
    if (name.empty()) return "adapter name is empty";
    if (name.find_first_of(" \t\r\n/<>") != std::string::npos) {
        return "adapter name " + quoted(name) + ": no blanks, '/', '<' or '>' allowed";
    }
    return "";
}

std::string checkServant(const std::string& application, const std::string& server, const std::string& servant) {
    const std::string prefix = application + "." + server + ".";
    if (servant.empty()) return "servant is empty";
    if (!servant.starts_with(prefix)) {
        return "servant " + quoted(servant) + " must start with " + quoted(prefix) + " (its server's name)";
    }
    std::string object = servant.substr(prefix.size());
    if (!isWord(object)) {
        return "servant " + quoted(servant) + ": the object name after " + quoted(prefix) +
               " must be letters, digits, '_' or '-'";
    }
    return "";
}

std::string checkSettingState(const std::string& state) {
    if (state == "active" || state == "inactive") return "";
    return "setting state " + quoted(state) + ": must be active or inactive";
}

const std::vector<std::string>& serverTypes() {
    static const std::vector<std::string> types = {"tars_cpp", "tars_java", "tars_nodejs",
                                                   "tars_php", "tars_go",   "not_tars"};
    return types;
}

std::string checkServerType(const std::string& type) {
    const auto& types = serverTypes();
    if (std::find(types.begin(), types.end(), type) != types.end()) return "";
    std::string list;
    for (const auto& t : types) list += (list.empty() ? "" : ", ") + t;
    return "server type " + quoted(type) + ": must be one of " + list;
}

std::string checkProtocol(const std::string& protocol) {
    if (isWord(protocol)) return "";
    return "protocol " + quoted(protocol) + ": must be a word such as tars, not_tars or http";
}

bool isLocalipHost(const std::string& host) { return host == "localip" || host == "${localip}"; }

bool isIpAddress(const std::string& text) {
    unsigned char buffer[sizeof(struct in6_addr)];
    return ::inet_pton(AF_INET, text.c_str(), buffer) == 1 || ::inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

std::string endpointHost(const std::string& endpoint) {
    auto tokens = TC_Common::sepstr(endpoint, " \t\r\n");
    size_t at = hostTokenIndex(tokens);
    return at == std::string::npos ? "" : tokens[at];
}

std::string replaceEndpointHost(const std::string& endpoint, const std::string& host) {
    auto tokens = TC_Common::sepstr(endpoint, " \t\r\n");
    size_t at = hostTokenIndex(tokens);
    if (at == std::string::npos) return endpoint;
    tokens[at] = host;
    std::string out;
    for (const auto& token : tokens) out += (out.empty() ? "" : " ") + token;
    return out;
}

std::string checkEndpoint(const std::string& endpoint, TC_Endpoint* parsed) {
    const std::string text = TC_Common::trim(endpoint);
    if (text.empty()) return "endpoint is empty";
    if (TC_Endpoint::sepEndpoint(text).size() > 1) {
        return "endpoint " + quoted(text) + ": one endpoint per adapter (no ':' lists)";
    }
    // A localip host is a placeholder for the node's IP: check the rest as if it were one.
    std::string checked = isLocalipHost(endpointHost(text)) ? replaceEndpointHost(text, "127.0.0.1") : text;
    TC_Endpoint ep;
    try {
        ep.parse(checked);
    } catch (const TC_Endpoint_Exception& e) {
        return "bad endpoint " + quoted(text) + ": " + e.what();
    }
    if (ep.isUnix()) {
        return "endpoint " + quoted(text) +
               ": a unix socket serves callers on its own host and the registry cannot publish it (unix endpoints "
               "belong in a server's own config file, not in a deployment)";
    }
    if (ep.getPort() <= 0) return "endpoint " + quoted(text) + ": port must be in 1..65535";
    if (parsed) {
        if (checked != text) ep.setHost(endpointHost(text));
        *parsed = ep;
    }
    return "";
}

}  // namespace tars::deploy
