// tarsadmin publish, versions and rollback. publish uploads a package to tarspatch in
// chunks, records the version in the registry (AdminReg.addServerPatch) and has the node of
// each instance install it (AdminReg.batchPatch -> Node.patchPro), followed until every
// node is done; rollback installs a recorded version again through the same path;
// versions lists the recorded versions and the version each instance runs (what the
// nodes reported: getAllServerIds' patch version).

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "AdminSupport.h"
#include "AdminTool.h"
#include "Patch.h"
#include "ProgressLine.h"
#include "util/tc_common.h"
#include "util/tc_md5.h"
#include "util/tc_timeprovider.h"

namespace tars::admin {

namespace {

// "12.3 MB", "850 B"
std::string byteText(int64_t bytes) {
    char text[32];
    if (bytes >= 1024 * 1024) {
        std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024 * 1024));
    } else if (bytes >= 1024) {
        std::snprintf(text, sizeof text, "%.1f KB", static_cast<double>(bytes) / 1024);
    } else {
        std::snprintf(text, sizeof text, "%lld B", static_cast<long long>(bytes));
    }
    return text;
}

// The outcomes of an install as JSON and as text; the exit status.
int reportOutcomes(std::ostream& out, std::ostream& err, const std::string& fullName, const std::string& version,
                   const std::vector<AdminTool::NodeOutcome>& outcomes, nlohmann::json summary, bool json,
                   const std::string& doneText) {
    std::vector<std::string> failedNodes;
    summary["nodes"] = nlohmann::json::array();
    for (const auto& o : outcomes) {
        if (!o.ok) failedNodes.push_back(o.node);
        summary["nodes"].push_back({{"node", o.node}, {"ok", o.ok}, {"result", o.text}});
        if (!json) (o.ok ? out : err) << o.node << ": " << o.text << "\n";
    }
    summary["ok"] = failedNodes.empty();
    if (json) out << summary.dump(2) << "\n";
    if (!failedNodes.empty()) {
        err << "tarsadmin: version " << version << " of " << fullName
            << " was not taken by: " << joinedNames(failedNodes) << "\n";
        return kFailed;
    }
    if (!json) out << doneText << "\n";
    return kOk;
}

}  // namespace

std::vector<AdminTool::Instance> AdminTool::targetsOf(const std::string& fullName,
                                                      const std::vector<std::string>& nodes) {
    if (nodes.empty()) return instances(fullName, "");
    std::vector<Instance> targets;
    for (const auto& node : nodes) {
        auto found = instances(fullName, node);
        targets.insert(targets.end(), found.begin(), found.end());
    }
    return targets;
}

std::vector<AdminTool::NodeOutcome> AdminTool::install(const std::vector<Instance>& targets,
                                                       const adminreg::PatchRequest& request, bool rolling,
                                                       bool quiet) {
    ProgressLine line(_err, _terminal, quiet);
    PackageInstaller installer(registry(kQueryTimeoutMs), _waitSeconds, [&line](const std::string& text) {
        if (text.empty()) {
            line.finish();
        } else {
            line.update(text);
        }
    });
    return installer.install(targets, request, rolling);
}

PatchPrx AdminTool::patchProxy(const std::string& patchObj, int timeoutMs) {
    PatchPrx patch;
    try {
        patch = communicator().stringToProxy<PatchPrx>(patchObj);
    } catch (const std::exception& e) {
        throw UsageError("bad --patch '" + patchObj + "': " + e.what());
    }
    patch->tars_set_timeout(_timeoutMs > 0 ? _timeoutMs : timeoutMs);
    return patch;
}

int AdminTool::publish(const std::vector<std::string>& args) {
    const std::string usageText =
        "usage: publish APP.SERVER FILE.tgz [--node NODE]... [--rolling] [--comment TEXT] [--patch OBJ] "
        "[--version ID] [--json]";
    std::vector<std::string> positional, nodes;
    std::string patchObj = kDefaultPatchObj, version, comment;
    bool json = false, rolling = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        auto value = [&](const char* name) {
            if (i + 1 >= args.size()) throw UsageError(std::string(name) + " needs a value; " + usageText);
            return args[++i];
        };
        if (arg == "--node") {
            nodes.push_back(value("--node"));
        } else if (arg == "--patch") {
            patchObj = value("--patch");
        } else if (arg == "--version") {
            version = value("--version");
        } else if (arg == "--comment") {
            comment = value("--comment");
        } else if (arg == "--rolling") {
            rolling = true;
        } else if (arg == "--json") {
            json = true;
        } else if (arg.starts_with("--")) {
            throw UsageError("unknown option '" + arg + "'; " + usageText);
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() != 2) throw UsageError(usageText);
    if (comment.size() > 1024) throw UsageError("--comment: at most 1024 bytes");
    const std::string& fullName = positional[0];
    auto [app, server] = splitServer(fullName);
    const std::string& file = positional[1];
    std::ifstream in(file, std::ios::binary);
    if (!in) throw UsageError("cannot read '" + file + "'");
    std::vector<char> data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (data.empty()) throw UsageError("'" + file + "' is empty");
    const std::string md5 = TC_MD5::hex(std::string_view(data.data(), data.size()));
    if (version.empty()) version = packageVersionId(md5);

    std::vector<Instance> targets = targetsOf(fullName, nodes);
    if (targets.empty()) return failed("publish", -1, fullName + " has no instance to publish to");

    // 0. A version is one package: another one under a recorded version would replace its
    // file on tarspatch while the nodes keep what they unpacked under that name. The
    // registry refuses it too (step 2); asked here, nothing is uploaded.
    {
        std::vector<adminreg::ServerPatchDesc> recorded;
        std::string result;
        if (registry(kQueryTimeoutMs)->listServerPatches(app, server, recorded, result) == 0) {
            for (const auto& v : recorded) {
                if (v.version != version || TC_Common::lower(v.md5) == TC_Common::lower(md5)) continue;
                return failed("publish " + fullName, -3,
                              "version " + version + " is recorded already with MD5 " + v.md5 + " (uploaded " +
                                  v.uploadTime + " UTC); " + file + " has MD5 " + md5 +
                                  ": publish it under another --version (nothing was uploaded)");
            }
        }
    }

    // 1. upload
    PatchPrx patch = patchProxy(patchObj, kQueryTimeoutMs * 3);
    const std::string name = version + ".tgz";
    {
        ProgressLine line(_err, _terminal, json);
        std::string why =
            uploadPackage(patch, app, server, name, std::string_view(data.data(), data.size()), md5, [&](size_t sent) {
                // Plain lines: one per tenth, not one per chunk.
                size_t percent = sent * 100 / data.size();
                line.update("upload " + file + ": " + (_terminal ? byteText(static_cast<int64_t>(sent)) + "/" : "") +
                            byteText(static_cast<int64_t>(data.size())) + " (" +
                            std::to_string(_terminal ? percent : percent / 10 * 10) + "%)");
            });
        if (!why.empty()) {
            line.finish();
            std::vector<std::string> names;
            for (const auto& t : targets) names.push_back(t.node);
            failed("upload of " + file + " to " + patchObj, -1, why + "; no node was asked to install it");
            _err << "tarsadmin: version " << version << " of " << fullName
                 << " was not taken by: " << joinedNames(names) << "\n";
            return kFailed;
        }
    }

    // 2. record the version (before any node installs it: a failed install is still a
    // version that rollback and versions know)
    adminreg::ServerPatchDesc record;
    record.application = app;
    record.serverName = server;
    record.version = version;
    record.tgz = packagePath(app, server, name);
    record.md5 = md5;
    record.size = static_cast<int64_t>(data.size());
    record.comment = comment;
    if (const char* user = std::getenv("USER"); user && *user && std::strlen(user) <= 64) record.uploadUser = user;
    std::string recorded;
    int ret = registry(kQueryTimeoutMs)->addServerPatch(record, recorded);
    if (ret != 0) {
        return failed(
            "recording version " + version + " in the registry", ret,
            recorded + " (the package is on tarspatch as " + record.tgz + "; no node was asked to install it)");
    }

    // 3. each node installs it
    adminreg::PatchRequest req;
    req.version = version;
    req.md5 = md5;
    req.patchobj = patchObj;
    req.filepath = record.tgz;
    auto outcomes = install(targets, req, rolling, json);

    nlohmann::json out;
    out["app"] = app;
    out["server"] = server;
    out["version"] = version;
    out["md5"] = md5;
    out["size"] = data.size();
    out["comment"] = comment;
    out["rolling"] = rolling;
    return reportOutcomes(_out, _err, fullName, version, outcomes, std::move(out), json,
                          fullName + " version " + version + " (md5 " + md5 + ") runs on " +
                              std::to_string(outcomes.size()) + " node(s)");
}

int AdminTool::versions(const std::vector<std::string>& args) {
    const std::string usageText = "usage: versions APP.SERVER [--json]";
    std::vector<std::string> positional;
    bool json = false;
    for (const auto& arg : args) {
        if (arg == "--json") {
            json = true;
        } else if (arg.starts_with("--")) {
            throw UsageError("unknown option '" + arg + "'; " + usageText);
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() != 1) throw UsageError(usageText);
    const std::string& fullName = positional[0];
    auto [app, server] = splitServer(fullName);

    std::vector<adminreg::ServerPatchDesc> recorded;
    std::string result;
    int ret = registry(kQueryTimeoutMs)->listServerPatches(app, server, recorded, result);
    if (ret != 0) return failed("listServerPatches " + fullName, ret, result);
    std::map<std::string, std::vector<std::string>> nodesOf = nodesByVersion(registry(kQueryTimeoutMs), fullName);
    std::set<std::string> known;
    for (const auto& v : recorded) known.insert(v.version);

    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& v : recorded) {
            list.push_back({{"version", v.version},
                            {"recorded", true},
                            {"md5", v.md5},
                            {"size", v.size},
                            {"time", v.uploadTime.empty() ? "" : v.uploadTime + " UTC"},
                            {"comment", v.comment},
                            {"user", v.uploadUser},
                            {"tgz", v.tgz},
                            {"nodes", nodesOf[v.version]}});
        }
        for (const auto& [version, nodes] : nodesOf) {
            if (known.count(version)) continue;
            list.push_back({{"version", version}, {"recorded", false}, {"nodes", nodes}});
        }
        _out << list.dump(2) << "\n";
        return kOk;
    }

    std::vector<std::vector<std::string>> table = {{"VERSION", "UPLOADED (UTC)", "SIZE", "MD5", "NODES", "COMMENT"}};
    for (const auto& v : recorded) {
        table.push_back({v.version, v.uploadTime, byteText(v.size), v.md5.substr(0, 8), joinedNames(nodesOf[v.version]),
                         v.comment});
    }
    for (const auto& [version, nodes] : nodesOf) {
        if (known.count(version)) continue;
        table.push_back({version.empty() ? "(none)" : version, "not recorded", "", "", joinedNames(nodes), ""});
    }
    std::vector<size_t> widths(table[0].size(), 0);
    for (const auto& row : table) {
        for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
    }
    for (const auto& row : table) {
        std::string text;
        for (size_t i = 0; i < row.size(); ++i) {
            text += row[i];
            if (i + 1 < row.size()) text += std::string(widths[i] - row[i].size() + 2, ' ');
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        _out << text << "\n";
    }
    if (recorded.empty()) _out << "(no version of " << fullName << " was recorded: tarsadmin publish records them)\n";
    return kOk;
}

int AdminTool::rollback(const std::vector<std::string>& args) {
    const std::string usageText =
        "usage: rollback APP.SERVER [--to VERSION] [--node NODE]... [--rolling] [--patch OBJ] [--json]";
    std::vector<std::string> positional, nodes;
    std::string patchObj = kDefaultPatchObj, to;
    bool json = false, rolling = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        auto value = [&](const char* name) {
            if (i + 1 >= args.size()) throw UsageError(std::string(name) + " needs a value; " + usageText);
            return args[++i];
        };
        if (arg == "--to") {
            to = value("--to");
        } else if (arg == "--node") {
            nodes.push_back(value("--node"));
        } else if (arg == "--patch") {
            patchObj = value("--patch");
        } else if (arg == "--rolling") {
            rolling = true;
        } else if (arg == "--json") {
            json = true;
        } else if (arg.starts_with("--")) {
            throw UsageError("unknown option '" + arg + "'; " + usageText);
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() != 1) throw UsageError(usageText);
    const std::string& fullName = positional[0];
    auto [app, server] = splitServer(fullName);

    std::vector<adminreg::ServerPatchDesc> recorded;
    std::string result;
    int ret = registry(kQueryTimeoutMs)->listServerPatches(app, server, recorded, result);
    if (ret != 0) return failed("listServerPatches " + fullName, ret, result);
    std::vector<Instance> targets = targetsOf(fullName, nodes);
    if (!recorded.empty() && targets.empty()) {
        return failed("rollback of " + fullName, -1, fullName + " has no instance");
    }
    std::string why;
    const adminreg::ServerPatchDesc* chosen =
        chooseRollback(recorded, nodesByVersion(registry(kQueryTimeoutMs), fullName), to, why);
    if (!chosen) return failed("rollback of " + fullName, -1, why);

    // The package must still be on tarspatch (a node that kept the version would not
    // need it, but every node might).
    PatchPrx patch = patchProxy(patchObj, kQueryTimeoutMs);
    why = packageStillStored(patch, patchObj, *chosen);
    if (!why.empty()) return failed("rollback of " + fullName + " to " + chosen->version, -1, why);

    if (!json)
        _err << "rollback " << fullName << " to " << chosen->version << " (" << chosen->uploadTime << " UTC"
             << (chosen->comment.empty() ? "" : ", \"" + chosen->comment + "\"") << ")\n";
    adminreg::PatchRequest req;
    req.version = chosen->version;
    req.md5 = chosen->md5;
    req.patchobj = patchObj;
    req.filepath = chosen->tgz;
    auto outcomes = install(targets, req, rolling, json);

    nlohmann::json out;
    out["app"] = app;
    out["server"] = server;
    out["version"] = chosen->version;
    out["md5"] = chosen->md5;
    out["rolling"] = rolling;
    return reportOutcomes(_out, _err, fullName, chosen->version, outcomes, std::move(out), json,
                          fullName + " rolled back to version " + chosen->version + " on " +
                              std::to_string(outcomes.size()) + " node(s)");
}

}  // namespace tars::admin
