// DeployRules: what a deployable server instance must look like, checked in one place
// by both ends of a deployment: the registry's AdminRegObj (the authority: it refuses
// anything else) and tarsadmin (which checks a deployment file before it sends anything,
// so that the operator gets the file and line).
//
// Every check returns the problem as text ("" when the value is fine), phrased to follow
// the name of the thing checked: "application 'a b': only letters, digits, '_' and '-'".
// Pure functions over their arguments: thread-safe, no state.
#pragma once

#include <string>
#include <vector>

#include "util/tc_endpoint.h"

namespace tars::deploy {

// The template a server without one gets, and the one a node without one gets.
inline constexpr const char* kDefaultServerTemplate = "tars.default";
inline constexpr const char* kDefaultNodeTemplate = "tars.tarsnode";

// An application or server name: letters, digits, '_' and '-' (no '.': App.Server.Obj
// is split at the dots).
std::string checkName(const std::string& what, const std::string& name);
// A node name: a host name or an IP address (letters, digits, '.', ':', '_' and '-').
std::string checkNodeName(const std::string& name);
// An adapter name (a config section name): non-empty, no blanks, '/', '<' or '>'.
std::string checkAdapterName(const std::string& name);
// A servant of application.server: "<application>.<server>.<Name>", Name a name as above.
std::string checkServant(const std::string& application, const std::string& server, const std::string& servant);
// setting_state: active | inactive.
std::string checkSettingState(const std::string& state);
// server_type: tars_cpp, tars_java, tars_nodejs, tars_php, tars_go or not_tars.
std::string checkServerType(const std::string& type);
const std::vector<std::string>& serverTypes();
// An adapter protocol: a word of letters, digits, '_' and '-' (tars, not_tars, http ...).
std::string checkProtocol(const std::string& protocol);

// Endpoints. A host of "localip" or "${localip}" stands for the IP of the node the
// instance runs on; the registry replaces it when it stores the adapter.
bool isLocalipHost(const std::string& host);
bool isIpAddress(const std::string& text);
// The value of the -h option ("" when there is none).
std::string endpointHost(const std::string& endpoint);
// endpoint with the value of -h replaced by host, everything else as written.
std::string replaceEndpointHost(const std::string& endpoint, const std::string& host);
// A listen endpoint: parses with TC_Endpoint, has a host and a port in 1..65535. A
// localip host is accepted (checked as if it were an IP). On success *parsed (when not
// null) holds the endpoint.
std::string checkEndpoint(const std::string& endpoint, TC_Endpoint* parsed = nullptr);

}  // namespace tars::deploy
