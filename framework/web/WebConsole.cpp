#include "WebConsole.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "NotifyF.h"
#include "PasswordHash.h"
#include "servant/Application.h"
#include "util/tc_file.h"
#include "util/tc_timeprovider.h"

namespace tars::web {

namespace {

constexpr const char* kCookieName = "tarsweb_session";
constexpr size_t kMaxUserLength = 64;
constexpr size_t kMaxPasswordLength = 1024;
constexpr size_t kMaxCommandLength = 4096;

using nlohmann::json;

int64_t nowMs() { return TC_TimeProvider::steadyNowMs(); }

void securityHeaders(HttpResponse& reply) {
    reply.setHeader("X-Content-Type-Options", "nosniff");
    reply.setHeader("X-Frame-Options", "DENY");
    reply.setHeader("Referrer-Policy", "no-referrer");
    reply.setHeader("Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'");
    reply.setHeader("Cache-Control", "no-store");
}

json toJson(const std::string& body, bool& ok) {
    json parsed = json::parse(body, nullptr, false);
    ok = !parsed.is_discarded() && parsed.is_object();
    return parsed;
}

std::string stringField(const json& object, const char* name) {
    auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string cookieValue(const std::string& header, const std::string& name) {
    size_t pos = 0;
    while (pos < header.size()) {
        size_t end = header.find(';', pos);
        if (end == std::string::npos) end = header.size();
        std::string part = header.substr(pos, end - pos);
        size_t b = part.find_first_not_of(' ');
        if (b != std::string::npos) part = part.substr(b);
        if (part.size() > name.size() && part.compare(0, name.size(), name) == 0 && part[name.size()] == '=') {
            return part.substr(name.size() + 1);
        }
        pos = end + 1;
    }
    return "";
}

bool equalTokens(const std::string& a, const std::string& b) {
    return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool isJsonBody(const HttpRequest& request) {
    std::string type = request.getHeader("Content-Type");
    std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
    return type.starts_with("application/json");
}

// APP.SERVER names: letters, digits, '_', '-', one dot between two non-empty parts.
bool validName(const std::string& text) {
    if (text.empty() || text.size() > 128) return false;
    return std::all_of(text.begin(), text.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-' || c == '.'; });
}

std::string contentType(const std::string& file) {
    static const std::map<std::string, std::string> types = {{".html", "text/html; charset=utf-8"},
                                                             {".css", "text/css; charset=utf-8"},
                                                             {".js", "text/javascript; charset=utf-8"},
                                                             {".svg", "image/svg+xml"},
                                                             {".png", "image/png"},
                                                             {".ico", "image/x-icon"},
                                                             {".json", "application/json"}};
    size_t dot = file.rfind('.');
    auto it = dot == std::string::npos ? types.end() : types.find(file.substr(dot));
    return it == types.end() ? "application/octet-stream" : it->second;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percentDecode(const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() && hexValue(text[i + 1]) >= 0 && hexValue(text[i + 2]) >= 0) {
            out += static_cast<char>(hexValue(text[i + 1]) * 16 + hexValue(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// name=value&... of a query string, decoded.
std::map<std::string, std::string> parseQuery(const std::string& query) {
    std::map<std::string, std::string> values;
    size_t start = 0;
    while (start <= query.size()) {
        size_t end = query.find('&', start);
        std::string part = query.substr(start, end == std::string::npos ? std::string::npos : end - start);
        size_t eq = part.find('=');
        if (!part.empty()) {
            values[percentDecode(part.substr(0, eq))] =
                eq == std::string::npos ? "" : percentDecode(part.substr(eq + 1));
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return values;
}

// A config file's place: level 1 (the application), 2 (the server), 3 (the server on host).
struct ConfigPlace {
    std::string owner;  // App, or App.Server
    std::string name;
    std::string host;
    int level = 2;
    std::string error;  // why the request does not name one
    int status = 400;   // the answer's status when error is set
};

// tars.tarsweb's tarsweb.passwd holds the console's password hashes: readable and writable
// only through `tarsadmin web-password`, never through the console itself (a session
// would otherwise read every hash, or add an account of its own).
bool isPasswordFile(const std::string& owner, const std::string& name) {
    return owner == "tars.tarsweb" && name == kPasswordFileName;
}

ConfigPlace configPlace(const std::string& app, const std::string& server, const std::string& name,
                        const std::string& levelText, const std::string& host) {
    ConfigPlace place;
    place.name = name;
    place.host = host;
    if (levelText == "1" || levelText == "2" || levelText == "3")
        place.level = levelText[0] - '0';
    else
        place.error = "level must be 1 (application), 2 (server) or 3 (host)";
    place.owner = place.level == 1 ? app : app + "." + server;
    if (place.level != 3) place.host.clear();
    if (place.level == 3 && !validName(place.host)) place.error = "a host-level file needs its host (node)";
    if (name.empty() || name.size() > 128 || name.find('/') != std::string::npos || name[0] == '.') {
        place.error = "a config file is named by a plain file name";
    } else if (isPasswordFile(app + "." + server, name)) {
        place.error = std::string(kPasswordFileName) + " holds the console's password hashes; it is set with " +
                      "tarsadmin web-password, not through the console";
        place.status = 403;
    }
    return place;
}

std::string callFailure(const std::string& target, const std::exception& e) {
    return "calling " + target + " failed: " + e.what();
}

}  // namespace

std::string dumped(const json& value) {
    // Invalid UTF-8 (a server's answer may hold any bytes) becomes U+FFFD instead of an exception.
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

HttpResponse jsonReply(int status, const std::string& body) {
    HttpResponse reply;
    reply.setStatus(status);
    reply.setHeader("Content-Type", "application/json; charset=utf-8");
    securityHeaders(reply);
    reply.setContent(body);
    return reply;
}

HttpResponse jsonError(int status, const std::string& message) {
    return jsonReply(status, dumped(json{{"error", message}}));
}

WebConsole::WebConsole(WebSettings settings, CommunicatorPtr communicator)
    : _settings(std::move(settings)),
      _communicator(std::move(communicator)),
      _sessions(_settings.sessionIdleMs, _settings.sessionLifetimeMs) {
    _query = _communicator->stringToProxy<adminreg::AdminRegPrx>(_settings.adminRegObj);
    _query->tars_set_timeout(_settings.queryTimeoutMs);
    _command = _communicator->stringToProxy<adminreg::AdminRegPrx>(_settings.adminRegObj);
    _command->tars_set_timeout(_settings.commandTimeoutMs);
    _registry = _communicator->stringToProxy<RegistryPrx>(_settings.registryObj);
    _registry->tars_set_timeout(_settings.queryTimeoutMs);
    _publish = std::make_unique<WebPublish>(_settings, _communicator);
}

HttpResponse WebConsole::handle(const WebRequest& request) {
    try {
        const std::string path = request.http.getPath();
        if (path.starts_with("/api/")) return api(request, path);
        const std::string& method = request.http.getMethod();
        if (method != "GET" && method != "HEAD") return jsonError(405, "only GET and HEAD serve the page");
        return staticFile(path);
    } catch (const std::exception& e) {
        TLOGERROR("web: " << request.http.getMethod() << " " << request.http.getPath() << ": " << e.what()
                          << std::endl);
        // The detail stays in the log: the peer may not be logged in.
        return jsonError(500, "internal error; the detail is in tarsweb's log");
    }
}

HttpResponse WebConsole::staticFile(const std::string& path) {
    std::string name = path == "/" ? "index.html" : path.substr(1);
    if (name.starts_with("assets/")) name = name.substr(7);
    // Only plain file names of the assets folder: no '/', no "..", no hidden files.
    bool plain = !name.empty() && name[0] != '.' && std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-';
    });
    const std::string file = _settings.assets + "/" + name;
    // Regular files only: reading a folder or a device would fail or block.
    struct stat st {};
    if (!plain || ::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        HttpResponse reply;
        reply.setStatus(404);
        reply.setHeader("Content-Type", "text/plain; charset=utf-8");
        securityHeaders(reply);
        reply.setContent("not found\n");
        return reply;
    }
    HttpResponse reply;
    reply.setHeader("Content-Type", contentType(name));
    securityHeaders(reply);
    reply.setHeader("Cache-Control", "no-cache");
    reply.setContent(TC_File::load2str(file));
    return reply;
}

std::string WebConsole::storedHash(const std::string& user, std::string& error) {
    std::string text;
    if (!_settings.passwordFile.empty()) {
        if (!TC_File::isFileExist(_settings.passwordFile)) {
            error = "the password file " + _settings.passwordFile + " is missing (tarsadmin web-password --file)";
            return "";
        }
        text = TC_File::load2str(_settings.passwordFile);
    } else {
        std::string result;
        try {
            int ret = _query->getConfigFile("tars.tarsweb", kPasswordFileName, "", 2, text, result);
            if (ret != 0) {
                error = "no console password is set (tarsadmin web-password): " + result;
                return "";
            }
        } catch (const std::exception& e) {
            error = callFailure(_settings.adminRegObj, e);
            return "";
        }
    }
    auto users = parsePasswordFile(text);
    auto it = users.find(user);
    return it == users.end() ? "" : it->second;
}

HttpResponse WebConsole::login(const WebRequest& request) {
    if (!isJsonBody(request.http)) return jsonError(415, "the login needs a JSON body (application/json)");
    bool ok = false;
    json body = toJson(request.http.getContent(), ok);
    if (!ok) return jsonError(400, "the login needs a JSON object {\"user\": ..., \"password\": ...}");
    const std::string user = stringField(body, "user");
    const std::string password = stringField(body, "password");
    // The names tarsadmin web-password accepts; anything else (a line break that would
    // forge a log line, say) is refused before it is logged or looked up.
    const bool userChars = std::all_of(user.begin(), user.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '@';
    });
    if (user.empty() || user.size() > kMaxUserLength || !userChars || password.size() > kMaxPasswordLength) {
        return jsonError(400, "user (1 to 64 letters, digits, _ - . @) and password are required");
    }
    const int64_t now = nowMs();
    if (int64_t wait = _throttle.waitMs(request.clientIp, user, now); wait > 0) {
        const int64_t seconds = (wait + 999) / 1000;
        HttpResponse reply = jsonReply(
            429, dumped(json{{"error", "too many failed logins: try again in " + std::to_string(seconds) + " s"},
                             {"retryAfter", seconds}}));
        reply.setHeader("Retry-After", std::to_string(seconds));
        return reply;
    }
    std::string error;
    const std::string stored = storedHash(user, error);
    if (!error.empty()) {
        TLOGERROR("web: login of " << user << " from " << request.clientIp << ": " << error << std::endl);
        // The reason (a path, the registry's address) stays in the log: the peer is not
        // logged in yet.
        return jsonError(503, "the login cannot be checked now; the reason is in tarsweb's log");
    }
    // An unknown user costs the same hash as a known one.
    static const std::string dummy = hashPassword("tarsweb unknown user");
    const bool matches = verifyPassword(password, stored.empty() ? dummy : stored) && !stored.empty();
    if (!matches) {
        _throttle.failed(request.clientIp, user, now);
        TLOGWARN("web: login of " << user << " from " << request.clientIp << " refused" << std::endl);
        return jsonError(401, "wrong user or password");
    }
    _throttle.succeeded(request.clientIp, user);
    Session session = _sessions.create(user, now);
    TLOGINFO("web: " << user << " logged in from " << request.clientIp << std::endl);
    HttpResponse reply = jsonReply(200, dumped(json{{"user", user}, {"csrf", session.csrf}}));
    reply.setHeader("Set-Cookie",
                    std::string(kCookieName) + "=" + session.token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                        std::to_string(_settings.sessionLifetimeMs / 1000) + (request.tls ? "; Secure" : ""));
    return reply;
}

HttpResponse WebConsole::api(const WebRequest& request, const std::string& path) {
    const std::string& method = request.http.getMethod();
    const bool changes = method != "GET" && method != "HEAD";
    if (path == "/api/login") {
        if (method != "POST") return jsonError(405, "POST /api/login");
        return login(request);
    }
    auto session = _sessions.find(cookieValue(request.http.getHeader("Cookie"), kCookieName), nowMs());
    if (!session) return jsonError(401, "log in first");
    if (changes) {
        if (!equalTokens(request.http.getHeader("X-CSRF-Token"), session->csrf)) {
            TLOGWARN("web: " << method << " " << path << " from " << request.clientIp << " refused: no valid CSRF token"
                             << std::endl);
            return jsonError(403, "missing or wrong X-CSRF-Token");
        }
        if (!isJsonBody(request.http) && !WebPublish::isPackageUpload(method, path)) {
            return jsonError(415, "a JSON body (application/json) is required");
        }
    }
    if (path == "/api/session") {
        if (changes) return jsonError(405, "GET /api/session");
        return jsonReply(200, dumped(json{{"user", session->user}, {"csrf", session->csrf}}));
    }
    if (path == "/api/logout") {
        if (method != "POST") return jsonError(405, "POST /api/logout");
        _sessions.remove(session->token);
        HttpResponse reply = jsonReply(200, "{}");
        reply.setHeader("Set-Cookie", std::string(kCookieName) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
                                          (request.tls ? "; Secure" : ""));
        return reply;
    }
    if (path == "/api/deploy") {
        if (method != "POST") return jsonError(405, "POST /api/deploy");
        return _publish->deploy(request.http.getContent(), session->user);
    }
    if (path == "/api/servers") {
        if (changes) return jsonError(405, "GET /api/servers");
        return listServers();
    }
    if (path == "/api/nodes") {
        if (changes) return jsonError(405, "GET /api/nodes");
        return listNodes();
    }
    // /api/servers/APP.SERVER[/VERB]
    const std::string prefix = "/api/servers/";
    if (path.starts_with(prefix)) {
        std::string rest = path.substr(prefix.size());
        std::string verb;
        if (size_t slash = rest.find('/'); slash != std::string::npos) {
            verb = rest.substr(slash + 1);
            rest = rest.substr(0, slash);
        }
        size_t dot = rest.find('.');
        if (!validName(rest) || dot == std::string::npos || dot == 0 || dot + 1 == rest.size()) {
            return jsonError(400, "a server is named APP.SERVER, got '" + rest + "'");
        }
        const std::string app = rest.substr(0, dot);
        const std::string server = rest.substr(dot + 1);
        if (verb.empty()) {
            if (changes) return jsonError(405, "GET /api/servers/APP.SERVER");
            return serverInstances(app, server);
        }
        if (verb == "configs") {
            if (changes) return jsonError(405, "GET /api/servers/APP.SERVER/configs");
            return listConfigs(app, server);
        }
        if (verb == "events") {
            if (changes) return jsonError(405, "GET /api/servers/APP.SERVER/events");
            return serverEvents(app, server);
        }
        if (verb == "stat" || verb == "properties" || verb == "logs" || verb == "log") {
            if (changes) return jsonError(405, "GET /api/servers/APP.SERVER/" + verb);
            return observe(app, server, verb, request.http.getQuery());
        }
        if (verb == "configfile") {
            return changes ? storeConfig(app, server, request.http.getContent(), session->user)
                           : readConfig(app, server, request.http.getQuery());
        }
        if (verb == "publish" || verb == "versions" || verb == "rollback") {
            return _publish->serverApi(app, server, verb, request.http, session->user);
        }
        if (!changes) return jsonError(405, "POST /api/servers/APP.SERVER/" + verb);
        return serverCommand(app, server, verb, request.http.getContent(), session->user);
    }
    return jsonError(404, "no API " + path);
}

WebConsole::ServerIds WebConsole::allServerIds() {
    ServerIds ids;
    std::string result;
    try {
        ids.rows = _query->getAllServerIds(result);
    } catch (const std::exception& e) {
        ids.failure = jsonError(502, callFailure(_settings.adminRegObj, e));
    }
    for (auto& row : ids.rows) row.resize(7);
    return ids;
}

HttpResponse WebConsole::listServers() {
    ServerIds ids = allServerIds();
    if (ids.failure) return *ids.failure;
    json servers = json::array();
    for (const auto& row : ids.rows) {
        size_t dot = row[0].find('.');
        servers.push_back({{"app", row[0].substr(0, dot)},
                           {"server", dot == std::string::npos ? "" : row[0].substr(dot + 1)},
                           {"node", row[1]},
                           {"setting", row[2]},
                           {"present", row[3]},
                           {"pid", std::atoi(row[4].c_str())},
                           {"version", row[5]},
                           {"set", row[6]}});
    }
    return jsonReply(200, dumped(json{{"servers", servers}}));
}

HttpResponse WebConsole::serverInstances(const std::string& app, const std::string& server) {
    ServerIds ids = allServerIds();
    if (ids.failure) return *ids.failure;
    const std::string fullName = app + "." + server;
    json instances = json::array();
    for (const auto& row : ids.rows) {
        if (row[0] != fullName) continue;
        const std::string& node = row[1];
        json instance = {{"node", node},
                         {"setting", row[2]},
                         {"present", row[3]},
                         {"presentInNode", ""},
                         {"pid", std::atoi(row[4].c_str())},
                         {"version", row[5]},
                         {"set", row[6]},
                         {"endpoints", json::array()}};
        try {
            adminreg::ServerStateDesc state;
            std::string why;
            if (_query->getServerState(app, server, node, state, why) == 0) {
                instance["setting"] = state.settingStateInReg;
                instance["present"] = state.presentStateInReg;
                instance["presentInNode"] = state.presentStateInNode;
                instance["pid"] = state.processId;
                instance["patchTime"] = state.patchTime;
                if (auto it = state.nodeState.find("last_exit"); it != state.nodeState.end()) {
                    instance["lastExit"] = it->second;
                }
            } else {
                instance["stateError"] = why;
            }
        } catch (const std::exception& e) {
            instance["stateError"] = callFailure(_settings.adminRegObj, e);
        }
        try {
            for (const auto& d : _registry->getServers(app, server, node)) {
                for (const auto& [name, adapter] : d.adapters) {
                    instance["endpoints"].push_back({{"adapter", name},
                                                     {"servant", adapter.servant},
                                                     {"endpoint", adapter.endpoint},
                                                     {"protocol", adapter.protocol}});
                }
            }
        } catch (const std::exception& e) {
            instance["endpointsError"] = callFailure(_settings.registryObj, e);
        }
        instances.push_back(std::move(instance));
    }
    if (instances.empty()) return jsonError(404, app + "." + server + " is not deployed");
    return jsonReply(200, dumped(json{{"app", app}, {"server", server}, {"instances", instances}}));
}

HttpResponse WebConsole::listConfigs(const std::string& app, const std::string& server) {
    json files = json::array();
    // The server's own and its hosts' files, then its application's.
    for (const auto& [owner, level] : {std::pair<std::string, int>{app + "." + server, 0}, {app, 1}}) {
        std::vector<adminreg::ConfigFileDesc> found;
        std::string result;
        try {
            int ret = _query->listConfigFiles(owner, "", level, found, result);
            if (ret != 0)
                return jsonReply(409,
                                 dumped(json{{"error", "listConfigFiles " + owner + ": " + result}, {"code", ret}}));
        } catch (const std::exception& e) {
            return jsonError(502, callFailure(_settings.adminRegObj, e));
        }
        for (const auto& f : found) {
            if (isPasswordFile(owner, f.fileName)) continue;
            files.push_back({{"name", f.fileName},
                             {"level", f.level},
                             {"host", f.host},
                             {"size", f.size},
                             {"postTime", f.postTime},
                             {"lastUser", f.lastUser}});
        }
    }
    return jsonReply(200, dumped(json{{"files", files}}));
}

HttpResponse WebConsole::readConfig(const std::string& app, const std::string& server, const std::string& query) {
    auto values = parseQuery(query);
    ConfigPlace place =
        configPlace(app, server, values["name"], values.count("level") ? values["level"] : "2", values["host"]);
    if (!place.error.empty()) return jsonError(place.status, place.error);
    std::string content;
    std::string result;
    try {
        int ret = _query->getConfigFile(place.owner, place.name, place.host, place.level, content, result);
        if (ret != 0)
            return jsonReply(409,
                             dumped(json{{"error", "getConfigFile " + place.name + ": " + result}, {"code", ret}}));
    } catch (const std::exception& e) {
        return jsonError(502, callFailure(_settings.adminRegObj, e));
    }
    return jsonReply(
        200, dumped(json{{"name", place.name}, {"level", place.level}, {"host", place.host}, {"content", content}}));
}

HttpResponse WebConsole::storeConfig(const std::string& app, const std::string& server, const std::string& bodyText,
                                     const std::string& user) {
    bool ok = false;
    json body = toJson(bodyText, ok);
    if (!ok || !body.contains("content") || !body["content"].is_string()) {
        return jsonError(400, "the body must be {\"name\", \"level\", \"host\", \"content\"}");
    }
    std::string levelText = body.contains("level") && body["level"].is_number_integer()
                                ? std::to_string(body["level"].get<int>())
                                : stringField(body, "level");
    ConfigPlace place = configPlace(app, server, stringField(body, "name"), levelText, stringField(body, "host"));
    if (!place.error.empty()) return jsonError(place.status, place.error);
    const std::string content = body["content"].get<std::string>();
    int ret = 0;
    try {
        ret = _query->insertConfigFile(place.owner, place.name, content, place.host, place.level, true);
    } catch (const std::exception& e) {
        return jsonError(502, callFailure(_settings.adminRegObj, e));
    }
    TLOGINFO("web: " << user << ": stored config file " << place.name << " of " << place.owner << " (level "
                     << place.level << ", " << content.size() << " bytes): " << ret << std::endl);
    if (ret != 0) {
        return jsonReply(409, dumped(json{{"error", "storing " + place.name + " refused (" + std::to_string(ret) + ")"},
                                          {"code", ret}}));
    }
    return jsonReply(200, dumped(json{{"result", "stored " + place.name}, {"code", 0}}));
}

HttpResponse WebConsole::serverEvents(const std::string& app, const std::string& server) {
    constexpr size_t kMaxEvents = 50;
    constexpr int kMaxPages = 10;
    std::vector<NotifyItem> items;
    try {
        // By name through the locator, made at the first use: a console without a notify
        // service still serves everything else.
        auto notify = _communicator->stringToProxy<NotifyPrx>(_settings.notifyObj);
        notify->tars_set_timeout(_settings.queryTimeoutMs);
        NotifyKey key;
        key.name = app + "." + server;
        key.page = 0;
        for (int pages = 0; items.size() < kMaxEvents && pages < kMaxPages; ++pages) {
            NotifyInfo info;
            int ret = notify->getNotifyInfo(key, info);
            if (ret != 0) {
                return jsonReply(409, dumped(json{{"error", _settings.notifyObj + " answered " + std::to_string(ret)},
                                                  {"code", ret}}));
            }
            items.insert(items.end(), info.notifyItems.begin(), info.notifyItems.end());
            if (info.nextpage <= key.page || info.notifyItems.empty()) break;
            key.page = info.nextpage;
        }
    } catch (const std::exception& e) {
        return jsonError(502, callFailure(_settings.notifyObj, e));
    }
    if (items.size() > kMaxEvents) items.resize(kMaxEvents);
    static const char* levels[] = {"normal", "warn", "error"};
    json events = json::array();
    for (const auto& item : items) {
        const std::string level =
            item.iLevel >= 0 && item.iLevel <= 2 ? levels[item.iLevel] : std::to_string(item.iLevel);
        events.push_back(
            {{"time", item.sTimeStamp}, {"serverId", item.sServerId}, {"level", level}, {"message", item.sMessage}});
    }
    return jsonReply(200, dumped(json{{"events", events}}));
}

HttpResponse WebConsole::serverCommand(const std::string& app, const std::string& server, const std::string& verb,
                                       const std::string& bodyText, const std::string& user) {
    static const std::vector<std::string> verbs = {"start", "stop", "restart", "undeploy", "notify"};
    if (std::find(verbs.begin(), verbs.end(), verb) == verbs.end()) {
        return jsonError(404, "no command '" + verb + "' (start, stop, restart, undeploy, notify)");
    }
    bool ok = false;
    json body = toJson(bodyText, ok);
    if (!ok) return jsonError(400, "the body must be a JSON object {\"node\": ...}");
    const std::string node = stringField(body, "node");
    if (!validName(node)) return jsonError(400, "\"node\" names the instance's node");
    const std::string command = stringField(body, "command");
    if (verb == "notify" && (command.empty() || command.size() > kMaxCommandLength)) {
        return jsonError(400, "\"command\" is the admin command to send (e.g. tars.viewstatus)");
    }
    const std::string target = app + "." + server + " on " + node;
    std::string result;
    int ret = 0;
    try {
        if (verb == "start") ret = _command->startServer(app, server, node, result);
        if (verb == "stop") ret = _command->stopServer(app, server, node, result);
        if (verb == "restart") ret = _command->restartServer(app, server, node, result);
        if (verb == "undeploy") ret = _command->undeploy(app, server, node, "web:" + user, result);
        if (verb == "notify") ret = _query->notifyServer(app, server, node, command, result);
    } catch (const std::exception& e) {
        TLOGERROR("web: " << user << ": " << verb << " " << target << ": " << e.what() << std::endl);
        return jsonError(502, callFailure(_settings.adminRegObj, e));
    }
    TLOGINFO("web: " << user << ": " << verb << " " << target << ": " << ret << std::endl);
    if (ret != 0) {
        return jsonReply(
            409, dumped(json{{"error", verb + " " + target + " refused (" + std::to_string(ret) + "): " + result},
                             {"code", ret}}));
    }
    return jsonReply(200, dumped(json{{"result", result}, {"code", 0}}));
}

}  // namespace tars::web
