#include "ObservabilityTestSupport.h"

#include <chrono>
#include <sstream>
#include <thread>

namespace tars::test {

ServiceProcess::ServiceProcess(ServiceSpec spec) : _spec(std::move(spec)), _process(_spec.exe) {}

bool ServiceProcess::start(int timeoutMs) {
    std::ostringstream os;
    const std::string obj = "tars." + _spec.server + "." + _spec.obj;
    os << "<tars>\n  <application>\n    <server>\n"
       << "      app = tars\n      server = " << _spec.server << "\n      localip = 127.0.0.1\n"
       << "      local = tcp -h 127.0.0.1 -p " << _admin.port() << " -t 10000\n"
       << "      logpath = @LOG@\n      datapath = @DIR@/data\n      logLevel = DEBUG\n"
       << _spec.serverExtra << "\n"
       << "      <" << obj << "Adapter>\n"
       << "        endpoint = " << (_spec.ssl ? "ssl" : "tcp") << " -h 127.0.0.1 -p " << _port.port() << " -t 60000\n"
       << "        servant = " << obj << "\n        threads = 2\n"
       << _spec.adapterExtra << "\n"
       << "      </" << obj << "Adapter>\n"
       << "    </server>\n  </application>\n"
       << _spec.sections << "</tars>\n";
    _process.writeConfig(os.str());
    // An ssl port is probed through the admin port only (a plain probe would be a TLS failure).
    return _spec.ssl ? _process.start({_admin.port()}, timeoutMs)
                     : _process.start({_port.port(), _admin.port()}, timeoutMs);
}

std::string ServiceProcess::objectString() const {
    return "tars." + _spec.server + "." + _spec.obj + "@" + (_spec.ssl ? "ssl" : "tcp") + " -h 127.0.0.1 -p " +
           std::to_string(_port.port()) + " -t 60000";
}

std::string lineValue(const std::string& text, const std::string& key) {
    std::istringstream is(text);
    std::string line;
    while (std::getline(is, line)) {
        // Admin answers prefix each handler's result with "[i]:".
        size_t colon = line.find("]:");
        if (line.starts_with("[") && colon != std::string::npos) line = line.substr(colon + 2);
        if (line.starts_with(key + "=")) return line.substr(key.size() + 1);
    }
    return "";
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    int64_t deadline = nowMs() + timeoutMs;
    while (true) {
        if (done()) return true;
        if (nowMs() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // poll interval, bounded by deadline
    }
}

std::string waitForAdmin(int adminPort, const std::string& command, const std::function<bool(const std::string&)>& done,
                         int timeoutMs) {
    std::string answer;
    waitUntil(
        [&] {
            answer = adminNotify(adminPort, command);
            return done(answer);
        },
        timeoutMs);
    return answer;
}

}  // namespace tars::test
