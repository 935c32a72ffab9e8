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

constexpr size_t kUploadChunk = 1024 * 1024;
constexpr const char* kDefaultPatchObj = "tars.tarspatch.PatchObj";

std::string md5Hex(const std::vector<char>& data) { return TC_MD5::hex(std::string_view(data.data(), data.size())); }

// A version id: the UTC time of the publish and the package's MD5 prefix.
std::string versionId(const std::string& md5) {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof(text), "%Y%m%d-%H%M%S", &utc);
    return std::string(text) + "-" + md5.substr(0, 8);
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
    return text;
}

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
        err << "tarsadmin: version " << version << " of " << fullName << " was not taken by: " << joined(failedNodes)
            << "\n";
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

std::string AdminTool::waitActiveAgain(const Instance& t) {
    const int64_t deadline = TC_TimeProvider::steadyNowMs() + static_cast<int64_t>(std::max(_waitSeconds, 1)) * 1000;
    const int maxPolls = std::max(_waitSeconds, 1) * 1000 / kWaitPollMs + 2;  // the deadline ends it first
    adminreg::ServerStateDesc state;
    std::string why;
    std::pair<std::string, int> inRegistry;
    for (int poll = 0; poll < maxPolls; ++poll) {
        bool answered = queryState(t, state, why);
        if (answered && state.presentStateInNode == "active" && state.processId > 0) {
            inRegistry = registryRow(t);
            if (inRegistry.first == "active" && inRegistry.second == state.processId) return "";
        }
        if (TC_TimeProvider::steadyNowMs() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(kWaitPollMs));
    }
    return "installed, but not reported active again within " + std::to_string(std::max(_waitSeconds, 1)) +
           " s (node: " + (state.presentStateInNode.empty() ? "?" : state.presentStateInNode) + ", pid " +
           std::to_string(state.processId) +
           "; registry: " + (inRegistry.first.empty() ? state.presentStateInReg : inRegistry.first) + ")" +
           (why.empty() ? "" : ": " + why);
}

std::vector<AdminTool::NodeOutcome> AdminTool::install(const std::vector<Instance>& targets,
                                                       const adminreg::PatchRequest& request, bool rolling,
                                                       bool quiet) {
    struct Progress {
        Instance t;
        bool started = false;
        bool done = false;
        bool ok = false;
        int percent = 0;
        std::string text;
    };
    ProgressLine line(_err, _terminal, quiet);
    const int waitSeconds = std::max(_waitSeconds, 1);

    // Asks the node of p to install it (batchPatch).
    auto start = [&](Progress& p) {
        adminreg::PatchRequest req = request;
        req.appname = p.t.application;
        req.servername = p.t.server;
        req.nodename = p.t.node;
        try {
            int ret = registry(kQueryTimeoutMs)->batchPatch(req, p.text);
            if (ret != 0) p.text = "batchPatch answered " + std::to_string(ret) + ": " + p.text;
            p.started = ret == 0;
        } catch (const std::exception& e) {
            p.text = std::string("batchPatch failed: ") + e.what();
        }
        p.done = !p.started;
    };
    // Polls getPatchPercent for the started, unfinished entries of group until each is
    // done or the deadline passed.
    auto follow = [&](std::vector<Progress*> group, const std::string& label) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(waitSeconds);
        const int maxPolls = waitSeconds * 1000 / (kWaitPollMs * 2) + 2;  // the deadline ends it first
        for (int poll = 0; poll < maxPolls; ++poll) {
            bool pending = false;
            for (auto* p : group) {
                if (p->done) continue;
                adminreg::PatchInfo info;
                int ret = -1;
                try {
                    ret = registry(kQueryTimeoutMs)->getPatchPercent(p->t.application, p->t.server, p->t.node, info);
                } catch (const std::exception& e) {
                    info.sResult = std::string("getPatchPercent failed: ") + e.what();
                }
                if (ret == 0 && info.sVersion == request.version && !info.bPatching) {
                    p->done = true;
                    p->ok = info.bSucc;
                    p->percent = info.iPercent;
                    p->text = info.sResult;
                } else {
                    if (ret == 0) p->percent = info.iPercent;
                    p->text = info.sResult;
                    pending = true;
                }
            }
            std::string text = label;
            for (auto* p : group) {
                text += " " + p->t.node + " " + (p->done && !p->ok ? "failed" : std::to_string(p->percent) + "%");
            }
            line.update(text);
            if (!pending || std::chrono::steady_clock::now() >= deadline) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(kWaitPollMs * 2));
        }
        for (auto* p : group) {
            if (!p->done) p->text = "no result within " + std::to_string(waitSeconds) + " s: " + p->text;
        }
    };

    std::vector<Progress> progress;
    for (const auto& t : targets) {
        Progress p;
        p.t = t;
        progress.push_back(std::move(p));
    }
    const std::string label = "install " + request.version + ":";
    if (!rolling) {
        std::vector<Progress*> group;
        for (auto& p : progress) {
            start(p);
            group.push_back(&p);
        }
        follow(group, label);
        line.finish();
    } else {
        bool stopped = false;
        for (size_t i = 0; i < progress.size(); ++i) {
            auto& p = progress[i];
            if (stopped) {
                p.text = "not attempted: the rolling publish stopped at an earlier node";
                continue;
            }
            start(p);
            follow({&p}, label + " node " + std::to_string(i + 1) + "/" + std::to_string(progress.size()) + ":");
            if (p.done && p.ok) {
                line.update(label + " node " + std::to_string(i + 1) + "/" + std::to_string(progress.size()) + ": " +
                            p.t.node + " waiting until active again");
                std::string why = waitActiveAgain(p.t);
                if (!why.empty()) {
                    p.ok = false;
                    p.text += "; " + why;
                }
            }
            line.finish();
            if (!(p.done && p.ok)) stopped = true;
        }
    }
    std::vector<NodeOutcome> outcomes;
    for (const auto& p : progress) outcomes.push_back({p.t.node, p.done && p.ok, p.text});
    return outcomes;
}

std::map<std::string, std::vector<std::string>> AdminTool::nodesByVersion(const std::string& fullName) {
    std::map<std::string, std::vector<std::string>> nodesOf;
    std::string result;
    for (const auto& row : registry(kQueryTimeoutMs)->getAllServerIds(result)) {
        if (row.size() < 2 || row[0] != fullName) continue;
        nodesOf[row.size() > 5 ? row[5] : ""].push_back(row[1]);
    }
    return nodesOf;
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
    const std::string md5 = md5Hex(data);
    if (version.empty()) version = versionId(md5);

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
        for (size_t offset = 0; offset < data.size();) {
            FileContent chunk;
            chunk.md5 = md5;
            chunk.name = name;
            chunk.firstChunk = offset == 0;
            size_t n = std::min(kUploadChunk, data.size() - offset);
            chunk.content.assign(data.begin() + static_cast<long>(offset),
                                 data.begin() + static_cast<long>(offset + n));
            offset += n;
            chunk.lastChunk = offset == data.size();
            std::string result;
            int ret = -1;
            try {
                ret = patch->uploadChunk(app, server, chunk, result);
            } catch (const std::exception& e) {
                result = std::string("tarspatch did not answer: ") + e.what();
            }
            if (ret != 0) {
                line.finish();
                std::vector<std::string> names;
                for (const auto& t : targets) names.push_back(t.node);
                failed("upload of " + file + " to " + patchObj, ret,
                       result + " (at byte " + std::to_string(offset - n) + " of " + std::to_string(data.size()) +
                           "); no node was asked to install it");
                _err << "tarsadmin: version " << version << " of " << fullName << " was not taken by: " << joined(names)
                     << "\n";
                return kFailed;
            }
            // Plain lines: one per tenth, not one per chunk.
            size_t percent = offset * 100 / data.size();
            line.update("upload " + file + ": " + (_terminal ? byteText(static_cast<int64_t>(offset)) + "/" : "") +
                        byteText(static_cast<int64_t>(data.size())) + " (" +
                        std::to_string(_terminal ? percent : percent / 10 * 10) + "%)");
        }
    }

    // 2. record the version (before any node installs it: a failed install is still a
    // version that rollback and versions know)
    adminreg::ServerPatchDesc record;
    record.application = app;
    record.serverName = server;
    record.version = version;
    record.tgz = "tars.upload/" + app + "." + server + "/" + name;
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
    std::map<std::string, std::vector<std::string>> nodesOf = nodesByVersion(fullName);
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
        table.push_back(
            {v.version, v.uploadTime, byteText(v.size), v.md5.substr(0, 8), joined(nodesOf[v.version]), v.comment});
    }
    for (const auto& [version, nodes] : nodesOf) {
        if (known.count(version)) continue;
        table.push_back({version.empty() ? "(none)" : version, "not recorded", "", "", joined(nodes), ""});
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
    if (recorded.empty()) {
        return failed("rollback of " + fullName, -1, "no version of it was recorded (tarsadmin publish records them)");
    }
    std::vector<Instance> targets = targetsOf(fullName, nodes);
    if (targets.empty()) return failed("rollback of " + fullName, -1, fullName + " has no instance");

    // The version to install: --to, or the recorded version before the newest one that
    // an instance runs now.
    const adminreg::ServerPatchDesc* chosen = nullptr;
    if (!to.empty()) {
        for (const auto& v : recorded) {
            if (v.version == to) chosen = &v;
        }
        if (!chosen) {
            std::vector<std::string> names;
            for (const auto& v : recorded) names.push_back(v.version);
            return failed("rollback of " + fullName, -1,
                          "version '" + to + "' was not recorded; recorded (newest first): " + joined(names));
        }
    } else {
        const auto runningNow = nodesByVersion(fullName);
        size_t current = recorded.size();
        for (size_t i = 0; i < recorded.size() && current == recorded.size(); ++i) {
            if (runningNow.count(recorded[i].version)) current = i;
        }
        if (current == recorded.size()) {
            std::vector<std::string> running;
            for (const auto& [version, nodes] : runningNow) running.push_back(version);
            return failed(
                "rollback of " + fullName, -1,
                "no instance runs a recorded version (running: " + joined(running) + "); name one with --to VERSION");
        }
        if (current + 1 == recorded.size()) {
            return failed("rollback of " + fullName, -1,
                          "version " + recorded[current].version +
                              " runs now and no version was recorded before it; name one with --to VERSION");
        }
        chosen = &recorded[current + 1];
    }

    // The package must still be on tarspatch (a node that kept the version would not
    // need it, but every node might).
    PatchPrx patch = patchProxy(patchObj, kQueryTimeoutMs);
    std::vector<FileInfo> files;
    int listed = -1;
    std::string why;
    try {
        listed = patch->listFileInfo(chosen->tgz, files);
    } catch (const std::exception& e) {
        why = e.what();
    }
    if (listed != 1 || files.size() != 1) {
        return failed("rollback of " + fullName + " to " + chosen->version, -1,
                      "its package " + chosen->tgz + " is no longer on tarspatch " + patchObj +
                          (why.empty() ? " (listFileInfo answered " + std::to_string(listed) + ")" : ": " + why) +
                          "; publish the package again");
    }

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
