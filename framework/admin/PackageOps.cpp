#include "PackageOps.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>

#include "util/tc_common.h"
#include "util/tc_timeprovider.h"

namespace tars::admin {

namespace {

constexpr size_t kUploadChunk = 1024 * 1024;

}  // namespace

adminreg::ServerConf serverConf(const ServerSpec& spec, const std::string& node) {
    adminreg::ServerConf conf;
    conf.application = spec.app;
    conf.serverName = spec.server;
    conf.nodeName = node;
    conf.basePath = spec.basepath;
    conf.exePath = spec.executable;
    conf.settingState = spec.setting;
    conf.profile = spec.profile;
    conf.serverType = spec.serverType;
    conf.asyncThreadNum = spec.asyncThreads;
    conf.templateName = spec.templateName;
    conf.enableSet = spec.setName.empty() ? "N" : "Y";
    conf.setName = spec.setName;
    conf.setArea = spec.setArea;
    conf.setGroup = spec.setGroup;
    return conf;
}

std::vector<adminreg::AdapterConf> adapterConfs(const ServerSpec& spec) {
    std::vector<adminreg::AdapterConf> adapters;
    for (const auto& a : spec.adapters) {
        adminreg::AdapterConf conf;
        conf.adapterName = a.name;
        conf.threadNum = a.threads;
        conf.endpoint = a.endpoint;
        conf.maxConnections = a.maxconns;
        conf.allowIp = a.allow;
        conf.servant = a.servant;
        conf.queuecap = a.queuecap;
        conf.queuetimeout = a.queuetimeout;
        conf.protocol = a.protocol;
        adapters.push_back(std::move(conf));
    }
    return adapters;
}

std::string packageVersionId(const std::string& md5) {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof(text), "%Y%m%d-%H%M%S", &utc);
    return std::string(text) + "-" + md5.substr(0, 8);
}

std::string packagePath(const std::string& app, const std::string& server, const std::string& name) {
    return "tars.upload/" + app + "." + server + "/" + name;
}

std::string uploadPackage(PatchPrx& patch, const std::string& app, const std::string& server, const std::string& name,
                          std::string_view data, const std::string& md5,
                          const std::function<void(size_t sent)>& progress) {
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
            return "uploadChunk answered " + std::to_string(ret) + ": " + result + " (at byte " +
                   std::to_string(offset - n) + " of " + std::to_string(data.size()) + ")";
        }
        if (progress) progress(offset);
    }
    return "";
}

std::map<std::string, std::vector<std::string>> nodesByVersion(adminreg::AdminRegPrx& registry,
                                                               const std::string& fullName) {
    std::map<std::string, std::vector<std::string>> nodesOf;
    std::string result;
    for (const auto& row : registry->getAllServerIds(result)) {
        if (row.size() < 2 || row[0] != fullName) continue;
        nodesOf[row.size() > 5 ? row[5] : ""].push_back(row[1]);
    }
    return nodesOf;
}

std::string joinedNames(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
    return text;
}

const adminreg::ServerPatchDesc* chooseRollback(const std::vector<adminreg::ServerPatchDesc>& recorded,
                                                const std::map<std::string, std::vector<std::string>>& runningNow,
                                                const std::string& to, std::string& why) {
    if (recorded.empty()) {
        why = "no version of it was recorded (tarsadmin publish records them)";
        return nullptr;
    }
    if (!to.empty()) {
        for (const auto& v : recorded) {
            if (v.version == to) return &v;
        }
        std::vector<std::string> names;
        for (const auto& v : recorded) names.push_back(v.version);
        why = "version '" + to + "' was not recorded; recorded (newest first): " + joinedNames(names);
        return nullptr;
    }
    size_t current = recorded.size();
    for (size_t i = 0; i < recorded.size() && current == recorded.size(); ++i) {
        if (runningNow.count(recorded[i].version)) current = i;
    }
    if (current == recorded.size()) {
        std::vector<std::string> running;
        for (const auto& [version, nodes] : runningNow) running.push_back(version);
        why = "no instance runs a recorded version (running: " + joinedNames(running) + "); name one with --to VERSION";
        return nullptr;
    }
    if (current + 1 == recorded.size()) {
        why = "version " + recorded[current].version +
              " runs now and no version was recorded before it; name one with --to VERSION";
        return nullptr;
    }
    return &recorded[current + 1];
}

std::string packageStillStored(PatchPrx& patch, const std::string& patchObj, const adminreg::ServerPatchDesc& record) {
    std::vector<FileInfo> files;
    int listed = -1;
    std::string why;
    try {
        listed = patch->listFileInfo(record.tgz, files);
    } catch (const std::exception& e) {
        why = e.what();
    }
    if (listed == 1 && files.size() == 1) return "";
    return "its package " + record.tgz + " is no longer on tarspatch " + patchObj +
           (why.empty() ? " (listFileInfo answered " + std::to_string(listed) + ")" : ": " + why) +
           "; publish the package again";
}

PackageInstaller::PackageInstaller(adminreg::AdminRegPrx registry, int waitSeconds,
                                   std::function<void(const std::string&)> progress)
    : _registry(std::move(registry)), _waitSeconds(std::max(waitSeconds, 1)), _progress(std::move(progress)) {}

bool PackageInstaller::queryState(const Instance& t, adminreg::ServerStateDesc& state, std::string& why) {
    try {
        int ret = _registry->getServerState(t.application, t.server, t.node, state, why);
        if (ret != 0) {
            why = "getServerState answered " + std::to_string(ret) + ": " + why;
            return false;
        }
        return true;
    } catch (const std::exception& e) {
        why = std::string("getServerState failed: ") + e.what();
        return false;
    }
}

std::pair<std::string, int> PackageInstaller::registryRow(const Instance& t) {
    std::string result;
    try {
        for (const auto& row : _registry->getAllServerIds(result)) {
            if (row.size() >= 5 && row[0] == t.application + "." + t.server && row[1] == t.node) {
                return {row[3], TC_Common::tryStrto<int>(row[4]).value_or(0)};
            }
        }
    } catch (const std::exception&) {
        // not listed now: the caller polls again
    }
    return {"", 0};
}

std::string PackageInstaller::waitActiveAgain(const Instance& t) {
    const int64_t deadline = TC_TimeProvider::steadyNowMs() + static_cast<int64_t>(_waitSeconds) * 1000;
    const int maxPolls = _waitSeconds * 1000 / kPackagePollMs + 2;  // the deadline ends it first
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
        std::this_thread::sleep_for(std::chrono::milliseconds(kPackagePollMs));
    }
    return "installed, but not reported active again within " + std::to_string(_waitSeconds) +
           " s (node: " + (state.presentStateInNode.empty() ? "?" : state.presentStateInNode) + ", pid " +
           std::to_string(state.processId) +
           "; registry: " + (inRegistry.first.empty() ? state.presentStateInReg : inRegistry.first) + ")" +
           (why.empty() ? "" : ": " + why);
}

std::vector<NodeOutcome> PackageInstaller::install(const std::vector<Instance>& targets,
                                                   const adminreg::PatchRequest& request, bool rolling) {
    struct Progress {
        Instance t;
        bool started = false;
        bool done = false;
        bool ok = false;
        int percent = 0;
        std::string text;
    };

    // Asks the node of p to install it (batchPatch).
    auto start = [&](Progress& p) {
        adminreg::PatchRequest req = request;
        req.appname = p.t.application;
        req.servername = p.t.server;
        req.nodename = p.t.node;
        try {
            int ret = _registry->batchPatch(req, p.text);
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
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(_waitSeconds);
        const int maxPolls = _waitSeconds * 1000 / (kPackagePollMs * 2) + 2;  // the deadline ends it first
        for (int poll = 0; poll < maxPolls; ++poll) {
            bool pending = false;
            for (auto* p : group) {
                if (p->done) continue;
                adminreg::PatchInfo info;
                int ret = -1;
                try {
                    ret = _registry->getPatchPercent(p->t.application, p->t.server, p->t.node, info);
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
            show(text);
            if (!pending || std::chrono::steady_clock::now() >= deadline) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(kPackagePollMs * 2));
        }
        for (auto* p : group) {
            if (!p->done) p->text = "no result within " + std::to_string(_waitSeconds) + " s: " + p->text;
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
        show("");
    } else {
        bool stopped = false;
        for (size_t i = 0; i < progress.size(); ++i) {
            auto& p = progress[i];
            if (stopped) {
                p.text = "not attempted: the rolling publish stopped at an earlier node";
                continue;
            }
            const std::string step = label + " node " + std::to_string(i + 1) + "/" + std::to_string(progress.size());
            start(p);
            follow({&p}, step + ":");
            if (p.done && p.ok) {
                show(step + ": " + p.t.node + " waiting until active again");
                std::string why = waitActiveAgain(p.t);
                if (!why.empty()) {
                    p.ok = false;
                    p.text += "; " + why;
                }
            }
            show("");
            if (!(p.done && p.ok)) stopped = true;
        }
    }
    std::vector<NodeOutcome> outcomes;
    for (const auto& p : progress) outcomes.push_back({p.t.node, p.done && p.ok, p.text});
    return outcomes;
}

}  // namespace tars::admin
