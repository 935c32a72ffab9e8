// tarsadmin publish: a package uploaded to tarspatch in chunks, then installed by the node
// of each instance (AdminReg.batchPatch -> Node.patchPro), followed until every node is done.

#include <chrono>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "AdminSupport.h"
#include "AdminTool.h"
#include "Patch.h"
#include "util/tc_common.h"
#include "util/tc_md5.h"

namespace tars::admin {

namespace {

constexpr size_t kUploadChunk = 1024 * 1024;

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

}  // namespace

int AdminTool::publish(const std::vector<std::string>& args) {
    const std::string usageText =
        "usage: publish APP.SERVER FILE.tgz [--node NODE]... [--patch OBJ] [--version ID] [--json]";
    std::vector<std::string> positional, nodes;
    std::string patchObj = "tars.tarspatch.PatchObj", version;
    bool json = false;
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
        } else if (arg == "--json") {
            json = true;
        } else if (arg.starts_with("--")) {
            throw UsageError("unknown option '" + arg + "'; " + usageText);
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() != 2) throw UsageError(usageText);
    auto [app, server] = splitServer(positional[0]);
    const std::string& file = positional[1];
    std::ifstream in(file, std::ios::binary);
    if (!in) throw UsageError("cannot read '" + file + "'");
    std::vector<char> data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (data.empty()) throw UsageError("'" + file + "' is empty");
    const std::string md5 = md5Hex(data);
    if (version.empty()) version = versionId(md5);

    // The instances to patch: every node of the server, or those named.
    std::vector<Instance> targets;
    if (nodes.empty()) {
        targets = instances(positional[0], "");
    } else {
        for (const auto& node : nodes) {
            auto found = instances(positional[0], node);
            targets.insert(targets.end(), found.begin(), found.end());
        }
    }
    if (targets.empty()) return failed("publish", -1, positional[0] + " has no instance to publish to");

    // 1. upload
    PatchPrx patch;
    try {
        patch = communicator().stringToProxy<PatchPrx>(patchObj);
    } catch (const std::exception& e) {
        throw UsageError("bad --patch '" + patchObj + "': " + e.what());
    }
    patch->tars_set_timeout(_timeoutMs > 0 ? _timeoutMs : kQueryTimeoutMs * 3);
    const std::string name = version + ".tgz";
    for (size_t offset = 0; offset < data.size();) {
        FileContent chunk;
        chunk.md5 = md5;
        chunk.name = name;
        chunk.firstChunk = offset == 0;
        size_t n = std::min(kUploadChunk, data.size() - offset);
        chunk.content.assign(data.begin() + static_cast<long>(offset), data.begin() + static_cast<long>(offset + n));
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
            std::vector<std::string> names;
            for (const auto& t : targets) names.push_back(t.node);
            failed("upload of " + file + " to " + patchObj, ret,
                   result + " (at byte " + std::to_string(offset - n) + " of " + std::to_string(data.size()) +
                       "); no node was asked to install it");
            _err << "tarsadmin: version " << version << " of " << positional[0]
                 << " was not taken by: " << joined(names) << "\n";
            return kFailed;
        }
        if (!json) {
            _err << "\rupload " << file << ": " << offset << "/" << data.size() << " bytes ("
                 << offset * 100 / data.size() << "%)" << std::flush;
        }
    }
    if (!json) _err << "\n";

    // 2. each node installs it
    struct Progress {
        Instance t;
        bool started = false;
        bool done = false;
        bool ok = false;
        int percent = 0;
        std::string text;
    };
    std::vector<Progress> progress;
    for (const auto& t : targets) {
        Progress p;
        p.t = t;
        adminreg::PatchRequest req;
        req.appname = app;
        req.servername = server;
        req.nodename = t.node;
        req.version = version;
        req.md5 = md5;
        req.patchobj = patchObj;
        req.filepath = "tars.upload/" + app + "." + server + "/" + name;
        int ret = registry(kQueryTimeoutMs)->batchPatch(req, p.text);
        p.started = ret == 0;
        p.done = ret != 0;
        progress.push_back(std::move(p));
    }
    const int waitSeconds = std::max(_waitSeconds, 1);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(waitSeconds);
    for (;;) {
        bool pending = false;
        for (auto& p : progress) {
            if (p.done) continue;
            adminreg::PatchInfo info;
            int ret = registry(kQueryTimeoutMs)->getPatchPercent(app, server, p.t.node, info);
            if (ret == 0 && info.sVersion == version && !info.bPatching) {
                p.done = true;
                p.ok = info.bSucc;
                p.percent = info.iPercent;
                p.text = info.sResult;
            } else {
                if (ret == 0) p.percent = info.iPercent;
                p.text = info.sResult;
                pending = true;
            }
        }
        if (!json) {
            _err << "\rinstall " << version << ":";
            for (const auto& p : progress)
                _err << " " << p.t.node << " " << (p.done && !p.ok ? "failed" : std::to_string(p.percent) + "%");
            _err << std::flush;
        }
        if (!pending || std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(kWaitPollMs * 2));
    }
    if (!json) _err << "\n";

    std::vector<std::string> failedNodes;
    nlohmann::json out;
    out["app"] = app;
    out["server"] = server;
    out["version"] = version;
    out["md5"] = md5;
    out["size"] = data.size();
    out["nodes"] = nlohmann::json::array();
    for (const auto& p : progress) {
        bool ok = p.done && p.ok;
        if (!ok) failedNodes.push_back(p.t.node);
        std::string text = p.done ? p.text : "no result within " + std::to_string(waitSeconds) + " s: " + p.text;
        out["nodes"].push_back({{"node", p.t.node}, {"ok", ok}, {"result", text}});
        if (!json) (ok ? _out : _err) << p.t.node << ": " << text << "\n";
    }
    if (json) _out << out.dump(2) << "\n";
    if (!failedNodes.empty()) {
        _err << "tarsadmin: version " << version << " of " << positional[0]
             << " was not taken by: " << joined(failedNodes) << "\n";
        return kFailed;
    }
    if (!json)
        _out << positional[0] << " version " << version << " (md5 " << md5 << ") runs on " << progress.size()
             << " node(s)\n";
    return kOk;
}

}  // namespace tars::admin
