// ObservabilitySink: a test server standing in for tarsstat, tarsproperty, tarsnotify and
// tarslog. It serves Test.Sink.StatObj (StatF), Test.Sink.PropertyObj (PropertyF),
// Test.Sink.NotifyObj (Notify) and Test.Sink.LogObj (Log), records every report it gets
// as one text line, and answers the admin command `sink.dump` with those lines (and
// `sink.clear` by forgetting them), so a test reads back exactly what arrived:
//   stat client=<0|1> batch=<n> master=.. masterip=.. slave=.. iface=.. slaveip=.. port=..
//        ret=.. count=.. timeout=.. exec=.. total=.. min=.. max=.. buckets=5:n,10:n,...
//   batch=<n> rows=<r> client=<0|1>                        (one per reportMicMsg call)
//   prop module=.. ip=.. name=.. <policy>=<value> ...
//   notify type=<0|1> level=<n> app=.. server=.. node=.. thread=.. msg=<text>
//   log app=.. server=.. file=.. format=.. set=.. line=<text>
// `sink.writelog <name|-> <n>` writes n day-log lines "line <i>" with FDLOG(name) (DLOG
// for "-"), for the day-log tests (the sink's own `log` key says where they go).
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "LogF.h"
#include "NotifyF.h"
#include "PropertyF.h"
#include "StatF.h"
#include "servant/Application.h"

namespace {

std::mutex g_mutex;
std::vector<std::string> g_lines;
int g_batches = 0;

void add(std::string line) {
    std::lock_guard lock(g_mutex);
    g_lines.push_back(std::move(line));
}

class StatImp : public tars::StatF {
public:
    void initialize() override {}
    void destroy() override {}
    tars::Int32 reportMicMsg(const std::map<tars::StatMicMsgHead, tars::StatMicMsgBody>& msg, tars::Bool bFromClient,
                             tars::CurrentPtr) override {
        std::lock_guard lock(g_mutex);
        int batch = ++g_batches;
        g_lines.push_back("batch=" + std::to_string(batch) + " rows=" + std::to_string(msg.size()) +
                          " client=" + std::to_string(bFromClient ? 1 : 0));
        for (const auto& [h, b] : msg) {
            std::ostringstream os;
            os << "stat client=" << (bFromClient ? 1 : 0) << " batch=" << batch << " master=" << h.masterName
               << " masterip=" << h.masterIp << " slave=" << h.slaveName << " iface=" << h.interfaceName
               << " slaveip=" << h.slaveIp << " port=" << h.slavePort << " ret=" << h.returnValue
               << " count=" << b.count << " timeout=" << b.timeoutCount << " exec=" << b.execCount
               << " total=" << b.totalRspTime << " min=" << b.minRspTime << " max=" << b.maxRspTime << " buckets=";
            bool first = true;
            for (const auto& [point, n] : b.intervalCount) {
                os << (first ? "" : ",") << point << ":" << n;
                first = false;
            }
            g_lines.push_back(os.str());
        }
        return 0;
    }
    tars::Int32 reportSampleMsg(const std::vector<tars::StatSampleMsg>&, tars::CurrentPtr) override { return 0; }
};

class PropertyImp : public tars::PropertyF {
public:
    void initialize() override {}
    void destroy() override {}
    tars::Int32 reportPropMsg(const std::map<tars::StatPropMsgHead, tars::StatPropMsgBody>& msg,
                              tars::CurrentPtr) override {
        for (const auto& [h, b] : msg) {
            std::ostringstream os;
            os << "prop module=" << h.moduleName << " ip=" << h.ip << " name=" << h.propertyName;
            for (const auto& info : b.vInfo) os << " " << info.policy << "=" << info.value;
            add(os.str());
        }
        return 0;
    }
};

class NotifyImp : public tars::Notify {
public:
    void initialize() override {}
    void destroy() override {}
    void reportServer(const std::string& server, const std::string&, const std::string& message,
                      tars::CurrentPtr) override {
        add("notify-server server=" + server + " msg=" + message);
    }
    void notifyServer(const std::string& server, tars::NOTIFYLEVEL, const std::string& message,
                      tars::CurrentPtr) override {
        add("notify-server server=" + server + " msg=" + message);
    }
    tars::Int32 getNotifyInfo(const tars::NotifyKey&, tars::NotifyInfo&, tars::CurrentPtr) override { return 0; }
    void reportNotifyInfo(const tars::ReportInfo& info, tars::CurrentPtr) override {
        std::ostringstream os;
        os << "notify type=" << static_cast<int>(info.eType) << " level=" << static_cast<int>(info.eLevel)
           << " app=" << info.sApp << " server=" << info.sServer << " node=" << info.sNodeName
           << " thread=" << info.sThreadId << " msg=" << info.sMessage;
        add(os.str());
    }
};

class LogImp : public tars::Log {
public:
    void initialize() override {}
    void destroy() override {}
    void logger(const std::string& app, const std::string& server, const std::string& file, const std::string& format,
                const std::vector<std::string>& buffer, tars::CurrentPtr) override {
        for (const auto& line : buffer) {
            add("log app=" + app + " server=" + server + " file=" + file + " format=" + format + " set= line=" + line);
        }
    }
    void loggerbyInfo(const tars::LogInfo& info, const std::vector<std::string>& buffer, tars::CurrentPtr) override {
        for (const auto& line : buffer) {
            add("log app=" + info.appname + " server=" + info.servername + " file=" + info.sFilename +
                " format=" + info.sFormat + " set=" + info.setdivision + " line=" + line);
        }
    }
};

class SinkServer : public tars::Application {
protected:
    void initialize() override {
        const std::string prefix = tars::ServerConfig::Application + "." + tars::ServerConfig::ServerName + ".";
        // Each object its config has an adapter for (the benchmark runs a stat sink only).
        auto served = [&](const std::string& name) {
            return getEpollServer()->getAdapterByServant(prefix + name) != nullptr;
        };
        if (served("StatObj")) addServant<StatImp>(prefix + "StatObj");
        if (served("PropertyObj")) addServant<PropertyImp>(prefix + "PropertyObj");
        if (served("NotifyObj")) addServant<NotifyImp>(prefix + "NotifyObj");
        if (served("LogObj")) addServant<LogImp>(prefix + "LogObj");
        addAdminCommandNormal("sink.dump", [](const std::string&, const std::string&, std::string& result) {
            std::lock_guard lock(g_mutex);
            result.clear();
            for (const auto& line : g_lines) result += line + "\n";
            return true;
        });
        addAdminCommandNormal("sink.writelog", [](const std::string&, const std::string& params, std::string& result) {
            std::istringstream in(params);
            std::string name;
            int n = 0;
            if (!(in >> name >> n) || n < 0) {
                result = "usage: sink.writelog <name|-> <n>";
                return true;
            }
            for (int i = 0; i < n; ++i) {
                if (name == "-") {
                    DLOG << "line " << i << std::endl;
                } else {
                    FDLOG(name) << "line " << i;
                }
            }
            result = "wrote " + std::to_string(n);
            return true;
        });
        addAdminCommandNormal("sink.clear", [](const std::string&, const std::string&, std::string& result) {
            std::lock_guard lock(g_mutex);
            g_lines.clear();
            result = "cleared";
            return true;
        });
    }
    void destroyApp() override {}
};

}  // namespace

int main(int argc, char* argv[]) {
    SinkServer app;
    app.main(argc, argv);
    app.waitForShutdown();
    return 0;
}
