#include "WebPublish.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "DeployFile.h"
#include "PackageOps.h"
#include "WebConsole.h"
#include "servant/Application.h"
#include "util/tc_md5.h"

namespace tars::web {

namespace {

using admin::Instance;
using admin::NodeOutcome;
using nlohmann::json;

constexpr size_t kMaxCommentLength = 1024;  // tarsadmin publish --comment's limit
constexpr size_t kMaxFieldLength = 4096;

std::string dumpedJson(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

HttpResponse reply(int status, const json& value) { return jsonReply(status, dumpedJson(value)); }

std::string lowerHeader(const HttpRequest& request, const char* name) {
    std::string value = request.getHeader(name);
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
    return value;
}

// %XX and '+' of a query string value; false for a broken escape.
bool percentDecode(const std::string& text, std::string& out) {
    out.clear();
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
                !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
                return false;
            }
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += c;
        }
    }
    return true;
}

std::string queryValue(const std::string& query, const std::string& name, bool& ok) {
    size_t pos = 0;
    while (pos <= query.size()) {
        size_t end = query.find('&', pos);
        if (end == std::string::npos) end = query.size();
        std::string part = query.substr(pos, end - pos);
        if (part.starts_with(name + "=")) {
            std::string value;
            ok = percentDecode(part.substr(name.size() + 1), value) && ok;
            return value;
        }
        pos = end + 1;
    }
    return "";
}

// A form value as one line of a deployment file: no line breaks and no '<' '>' that
// would open or close a section.
bool plainValue(const std::string& text) {
    return text.size() <= kMaxFieldLength && std::none_of(text.begin(), text.end(), [](unsigned char c) {
               return c == '\n' || c == '\r' || c == '<' || c == '>' || c == '\0';
           });
}

// A form value as text; false for what a deployment file cannot hold (a fraction, null,
// a list, an object): refused by name rather than left out.
bool scalarText(const json& value, std::string& text) {
    if (value.is_string()) {
        text = value.get<std::string>();
    } else if (value.is_number_integer()) {
        text = value.is_number_unsigned() ? std::to_string(value.get<unsigned long long>())
                                          : std::to_string(value.get<long long>());
    } else if (value.is_boolean()) {
        text = value.get<bool>() ? "1" : "0";
    } else {
        return false;
    }
    return true;
}

json outcomesJson(const std::vector<NodeOutcome>& outcomes, bool& allOk) {
    json nodes = json::array();
    allOk = true;
    for (const auto& o : outcomes) {
        allOk = allOk && o.ok;
        nodes.push_back({{"node", o.node}, {"ok", o.ok}, {"result", o.text}});
    }
    return nodes;
}

std::vector<Instance> instancesOf(adminreg::AdminRegPrx& registry, const std::string& app, const std::string& server) {
    std::vector<Instance> found;
    std::string result;
    for (const auto& row : registry->getAllServerIds(result)) {
        if (row.size() >= 2 && row[0] == app + "." + server) found.push_back({app, server, row[1]});
    }
    return found;
}

std::string currentDir() {
    std::string dir(4096, '\0');
    return ::getcwd(dir.data(), dir.size()) ? std::string(dir.c_str()) : std::string("/");
}

}  // namespace

WebPublish::WebPublish(const WebSettings& settings, CommunicatorPtr communicator)
    : _settings(settings), _communicator(std::move(communicator)) {
    _query = _communicator->stringToProxy<adminreg::AdminRegPrx>(_settings.adminRegObj);
    _query->tars_set_timeout(_settings.queryTimeoutMs);
    _command = _communicator->stringToProxy<adminreg::AdminRegPrx>(_settings.adminRegObj);
    _command->tars_set_timeout(_settings.commandTimeoutMs);
}

PatchPrx WebPublish::patchProxy() {
    // Made per call: tarspatch is needed by publish and rollback only, and a name without a
    // locator to resolve it must not stop the console from starting.
    PatchPrx patch = _communicator->stringToProxy<PatchPrx>(_settings.patchObj);
    patch->tars_set_timeout(_settings.queryTimeoutMs * 3);  // tarsadmin publish's upload timeout
    return patch;
}

bool WebPublish::isPackageUpload(const std::string& method, const std::string& path) {
    return method == "POST" && path.starts_with("/api/servers/") && path.ends_with("/publish");
}

HttpResponse WebPublish::serverApi(const std::string& app, const std::string& server, const std::string& verb,
                                   const HttpRequest& request, const std::string& user) {
    const bool changes = request.getMethod() != "GET" && request.getMethod() != "HEAD";
    if (verb == "versions") {
        if (changes) return jsonError(405, "GET /api/servers/APP.SERVER/versions");
        return versions(app, server);
    }
    if (!changes || request.getMethod() != "POST") return jsonError(405, "POST /api/servers/APP.SERVER/" + verb);
    if (verb == "publish") return publish(app, server, request, user);
    return rollback(app, server, request.getContent(), user);
}

HttpResponse WebPublish::deploy(const std::string& bodyText, const std::string& user) {
    json body = json::parse(bodyText, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("deploy") || !body["deploy"].is_object()) {
        return jsonError(400,
                         "the body must be {\"deploy\": {KEY: VALUE}, \"adapters\": [{\"name\": ..., KEY: VALUE}]}");
    }
    // The form becomes the deployment file tarsadmin deploy would read, checked by the same
    // code (DeployFile::parse), so that a refusal says what tarsadmin says.
    std::string text = "<deploy>\n";
    for (const auto& [key, value] : body["deploy"].items()) {
        std::string v;
        if (!scalarText(value, v)) {
            return jsonError(400,
                             "deploy<" + key + ">: a string, a whole number or true/false, got " + value.type_name());
        }
        if (!plainValue(key) || !plainValue(v)) return jsonError(400, "deploy<" + key + ">: one line without < or >");
        // An empty field is a key left out (its default, or DeployFile's "missing" message).
        if (v.empty()) continue;
        text += "  " + key + " = " + v + "\n";
    }
    if (body.contains("adapters") && body["adapters"].is_array() && !body["adapters"].empty()) {
        text += "  <adapters>\n";
        for (const auto& adapter : body["adapters"]) {
            if (!adapter.is_object()) return jsonError(400, "each adapter is an object {\"name\": ..., KEY: VALUE}");
            std::string name;
            if (adapter.contains("name") && !scalarText(adapter["name"], name)) name.clear();
            if (!plainValue(name) || name.find_first_of(" \t/") != std::string::npos) {
                return jsonError(400, "adapter name '" + name + "': one word without < > / or spaces");
            }
            text += "    <" + name + ">\n";
            for (const auto& [key, value] : adapter.items()) {
                if (key == "name") continue;
                std::string v;
                if (!scalarText(value, v)) {
                    return jsonError(400, "adapter " + name + " <" + key +
                                              ">: a string, a whole number or true/false, got " + value.type_name());
                }
                if (!plainValue(key) || !plainValue(v)) {
                    return jsonError(400, "adapter " + name + " <" + key + ">: one line without < or >");
                }
                if (v.empty()) continue;
                text += "      " + key + " = " + v + "\n";
            }
            text += "    </" + name + ">\n";
        }
        text += "  </adapters>\n";
    }
    text += "</deploy>\n";

    std::vector<admin::ServerSpec> specs;
    try {
        specs = admin::DeployFile::parse(text, "deploy form", currentDir());
    } catch (const admin::DeployFileError& e) {
        return reply(400, {{"error", std::string(e.what()) + "\nnothing was deployed"},
                           {"problems", e.problems()},
                           {"deployFile", text}});
    }
    json results = json::array();
    bool allOk = true;
    for (const auto& spec : specs) {
        auto adapters = admin::adapterConfs(spec);
        for (const auto& node : spec.nodes) {
            std::string result;
            int ret = -1;
            try {
                ret = _command->deployServer(admin::serverConf(spec, node), adapters, result);
            } catch (const std::exception& e) {
                result = "calling " + _settings.adminRegObj + " failed: " + e.what();
            }
            TLOGINFO("web: " << user << ": deploy " << spec.fullName() << " on " << node << ": " << ret << std::endl);
            const bool ok = ret == 0;
            allOk = allOk && ok;
            if (ok && spec.executable.empty() && result.find("; node " + node + " loaded it") != std::string::npos) {
                result += "; no package was published for it yet unless one was: it starts once one is";
            }
            results.push_back({{"app", spec.app},
                               {"server", spec.server},
                               {"node", node},
                               {"ok", ok},
                               {"code", ret},
                               {"result", ok ? result
                                             : "deploy " + spec.fullName() + " on " + node + " failed (" +
                                                   std::to_string(ret) + "): " + result}});
        }
    }
    if (allOk) return reply(200, {{"ok", true}, {"results", results}, {"deployFile", text}});
    // The page shows "error": every node's failure, not just the status.
    std::string failures;
    for (const auto& r : results) {
        if (r["ok"].get<bool>()) continue;
        if (!failures.empty()) failures += "\n";
        failures += r["result"].get<std::string>();
    }
    return reply(409, {{"ok", false}, {"error", failures}, {"results", results}, {"deployFile", text}});
}

HttpResponse WebPublish::publish(const std::string& app, const std::string& server, const HttpRequest& request,
                                 const std::string& user) {
    const std::string type = lowerHeader(request, "Content-Type");
    if (!type.starts_with("application/octet-stream") && !type.starts_with("application/gzip") &&
        !type.starts_with("application/x-gzip")) {
        return jsonError(415, "the package is the body (application/octet-stream or application/gzip)");
    }
    const std::string& data = request.getContent();
    if (data.size() > _settings.maxUpload) {
        return jsonError(413, "the package is " + std::to_string(data.size()) + " bytes; tarsweb takes at most " +
                                  std::to_string(_settings.maxUpload) + " (/tars/web<maxupload>)");
    }
    if (data.empty()) return jsonError(400, "the package is empty");
    bool ok = true;
    const std::string comment = queryValue(request.getQuery(), "comment", ok);
    const bool rolling = queryValue(request.getQuery(), "rolling", ok) == "1";
    if (!ok) return jsonError(400, "a broken %-escape in the query");
    if (comment.size() > kMaxCommentLength) return jsonError(400, "comment: at most 1024 bytes");
    const std::string fullName = app + "." + server;

    std::vector<Instance> targets;
    try {
        targets = instancesOf(_query, app, server);
    } catch (const std::exception& e) {
        return jsonError(502, "calling " + _settings.adminRegObj + " failed: " + e.what());
    }
    if (targets.empty()) return jsonError(404, fullName + " has no instance to publish to");

    const std::string md5 = TC_MD5::hex(std::string_view(data));
    const std::string version = admin::packageVersionId(md5);
    const std::string name = version + ".tgz";
    PatchPrx patch;
    try {
        patch = patchProxy();
    } catch (const std::exception& e) {
        return jsonError(502,
                         "tarspatch " + _settings.patchObj + ": " + e.what() + "; no node was asked to install it");
    }
    std::string why = admin::uploadPackage(patch, app, server, name, data, md5);
    if (!why.empty()) {
        TLOGERROR("web: " << user << ": publish " << fullName << ": upload failed: " << why << std::endl);
        return jsonError(502,
                         "upload to " + _settings.patchObj + " failed: " + why + "; no node was asked to install it");
    }

    adminreg::ServerPatchDesc record;
    record.application = app;
    record.serverName = server;
    record.version = version;
    record.tgz = admin::packagePath(app, server, name);
    record.md5 = md5;
    record.size = static_cast<int64_t>(data.size());
    record.comment = comment;
    record.uploadUser = "web:" + user;
    std::string recorded;
    int ret = -1;
    try {
        ret = _query->addServerPatch(record, recorded);
    } catch (const std::exception& e) {
        recorded = e.what();
    }
    if (ret != 0) {
        return jsonError(502, "recording version " + version + " in the registry failed (" + std::to_string(ret) +
                                  "): " + recorded + " (the package is on tarspatch as " + record.tgz +
                                  "; no node was asked to install it)");
    }

    adminreg::PatchRequest req;
    req.version = version;
    req.md5 = md5;
    req.patchobj = _settings.patchObj;
    req.filepath = record.tgz;
    admin::PackageInstaller installer(_query, _settings.publishWaitSeconds);
    auto outcomes = installer.install(targets, req, rolling);
    bool allOk = true;
    json nodes = outcomesJson(outcomes, allOk);
    TLOGINFO("web: " << user << ": publish " << fullName << " version " << version << " (" << data.size()
                     << " bytes): " << (allOk ? "taken by every node" : "not taken by every node") << std::endl);
    return reply(200, {{"ok", allOk},
                       {"app", app},
                       {"server", server},
                       {"version", version},
                       {"md5", md5},
                       {"size", data.size()},
                       {"comment", comment},
                       {"rolling", rolling},
                       {"nodes", nodes}});
}

HttpResponse WebPublish::versions(const std::string& app, const std::string& server) {
    const std::string fullName = app + "." + server;
    std::vector<adminreg::ServerPatchDesc> recorded;
    std::map<std::string, std::vector<std::string>> nodesOf;
    std::string result;
    try {
        int ret = _query->listServerPatches(app, server, recorded, result);
        if (ret != 0) {
            return jsonError(409, "listServerPatches " + fullName + " failed (" + std::to_string(ret) + "): " + result);
        }
        nodesOf = admin::nodesByVersion(_query, fullName);
    } catch (const std::exception& e) {
        return jsonError(502, "calling " + _settings.adminRegObj + " failed: " + e.what());
    }
    json list = json::array();
    std::set<std::string> known;
    for (const auto& v : recorded) {
        known.insert(v.version);
        list.push_back({{"version", v.version},
                        {"recorded", true},
                        {"md5", v.md5},
                        {"size", v.size},
                        {"time", v.uploadTime.empty() ? "" : v.uploadTime + " UTC"},
                        {"comment", v.comment},
                        {"user", v.uploadUser},
                        {"nodes", nodesOf[v.version]}});
    }
    for (const auto& [version, nodes] : nodesOf) {
        if (!known.count(version)) list.push_back({{"version", version}, {"recorded", false}, {"nodes", nodes}});
    }
    return reply(200, {{"app", app}, {"server", server}, {"versions", list}, {"maxUpload", _settings.maxUpload}});
}

HttpResponse WebPublish::rollback(const std::string& app, const std::string& server, const std::string& bodyText,
                                  const std::string& user) {
    json body = json::parse(bodyText, nullptr, false);
    if (body.is_discarded() || !body.is_object() || (body.contains("to") && !body["to"].is_string())) {
        return jsonError(400, "the body must be {\"to\": VERSION, \"rolling\": false}");
    }
    const std::string to = body.value("to", std::string());
    const bool rolling = body.contains("rolling") && body["rolling"].is_boolean() && body["rolling"].get<bool>();
    const std::string fullName = app + "." + server;
    std::vector<adminreg::ServerPatchDesc> recorded;
    std::vector<Instance> targets;
    const adminreg::ServerPatchDesc* chosen = nullptr;
    std::string why;
    try {
        std::string result;
        int ret = _query->listServerPatches(app, server, recorded, result);
        if (ret != 0) {
            return jsonError(409, "listServerPatches " + fullName + " failed (" + std::to_string(ret) + "): " + result);
        }
        targets = instancesOf(_query, app, server);
        if (!recorded.empty() && targets.empty()) return jsonError(404, fullName + " has no instance");
        chosen = admin::chooseRollback(recorded, admin::nodesByVersion(_query, fullName), to, why);
    } catch (const std::exception& e) {
        return jsonError(502, "calling " + _settings.adminRegObj + " failed: " + e.what());
    }
    if (!chosen) return jsonError(409, "rollback of " + fullName + ": " + why);
    PatchPrx patch;
    try {
        patch = patchProxy();
    } catch (const std::exception& e) {
        return jsonError(502, "tarspatch " + _settings.patchObj + ": " + e.what());
    }
    why = admin::packageStillStored(patch, _settings.patchObj, *chosen);
    if (!why.empty()) return jsonError(409, "rollback of " + fullName + " to " + chosen->version + ": " + why);

    adminreg::PatchRequest req;
    req.version = chosen->version;
    req.md5 = chosen->md5;
    req.patchobj = _settings.patchObj;
    req.filepath = chosen->tgz;
    admin::PackageInstaller installer(_query, _settings.publishWaitSeconds);
    auto outcomes = installer.install(targets, req, rolling);
    bool allOk = true;
    json nodes = outcomesJson(outcomes, allOk);
    TLOGINFO("web: " << user << ": rollback " << fullName << " to " << chosen->version << ": "
                     << (allOk ? "taken by every node" : "not taken by every node") << std::endl);
    return reply(200, {{"ok", allOk},
                       {"app", app},
                       {"server", server},
                       {"version", chosen->version},
                       {"md5", chosen->md5},
                       {"rolling", rolling},
                       {"nodes", nodes}});
}

}  // namespace tars::web
