#include "ConfigTestSupport.h"

#include <sstream>

#ifndef TARS_CONFIG_PATH
#error "TARS_CONFIG_PATH must name the tarsconfig executable"
#endif

namespace tars::test {

std::string testServerConfig(const TestServerSpec& spec) {
    std::ostringstream os;
    os << "<tars>\n  <application>\n    <server>\n"
       << "      app = " << kTestApp << "\n      server = " << kTestServer << "\n      localip = 127.0.0.1\n"
       << "      logpath = @LOG@\n      basepath = " << spec.basePath << "\n      datapath = " << spec.dataPath
       << "\n      logLevel = DEBUG\n";
    if (spec.adminPort > 0) os << "      local = tcp -h 127.0.0.1 -p " << spec.adminPort << " -t 60000\n";
    os << spec.serverKeys << "\n"
       << "      <" << kProbeAdapter << ">\n"
       << "        endpoint = tcp -h 127.0.0.1 -p " << spec.probePort << " -t 60000\n"
       << "        servant = " << kProbeObj << "\n"
       << "        threads = " << spec.probeThreads << "\n"
       << "      </" << kProbeAdapter << ">\n"
       << "    </server>\n"
       << "    <client>\n      sync-invoke-timeout = 3000\n      async-invoke-timeout = 3000\n"
       << spec.clientKeys << "\n    </client>\n"
       << "    <test>\n"
       << spec.testKeys << "\n    </test>\n"
       << "  </application>\n</tars>\n";
    return os.str();
}

ProbeClient::ProbeClient(int port) : _communicator(std::make_shared<Communicator>()) {
    _probe = _communicator->stringToProxy<ConfigTest::ProbePrx>(std::string(kProbeObj) + "@tcp -h 127.0.0.1 -p " +
                                                                std::to_string(port) + " -t 60000");
}

std::optional<std::string> ProbeClient::readFile(const std::string& name) {
    try {
        std::string content;
        if (_probe->readFile(name, content) != 0) return std::nullopt;
        return content;
    } catch (const TarsCallException&) {
        return std::nullopt;
    }
}

ConfigServiceProcess::ConfigServiceProcess(const TestDatabase& db, const std::string& limit, const std::string& tls)
    : _db(db), _limit(limit), _tls(tls), _process(TARS_CONFIG_PATH) {}

bool ConfigServiceProcess::start(int timeoutMs) {
    std::ostringstream os;
    os << "<tars>\n  <application>\n    <server>\n"
       << "      app = tars\n      server = tarsconfig\n      localip = 127.0.0.1\n"
       << "      local = tcp -h 127.0.0.1 -p " << _admin.port() << " -t 10000\n"
       << "      logpath = @LOG@\n      datapath = @DIR@\n      logLevel = DEBUG\n"
       << "      <tars.tarsconfig.ConfigObjAdapter>\n"
       << "        endpoint = " << (_tls.empty() ? "tcp" : "ssl") << " -h 127.0.0.1 -p " << _config.port()
       << " -t 60000\n"
       << "        servant = tars.tarsconfig.ConfigObj\n        threads = 2\n"
       << _tls << "\n"
       << "      </tars.tarsconfig.ConfigObjAdapter>\n"
       << "    </server>\n  </application>\n"
       << _db.configSection() << "  <limit>\n"
       << _limit << "\n  </limit>\n</tars>\n";
    _process.writeConfig(os.str());
    // An ssl port is probed through the admin port only (a plain probe would be a TLS failure).
    return _tls.empty() ? _process.start({_config.port(), _admin.port()}, timeoutMs)
                        : _process.start({_admin.port()}, timeoutMs);
}

std::string ConfigServiceProcess::objectString() const {
    return std::string("tars.tarsconfig.ConfigObj@") + (_tls.empty() ? "tcp" : "ssl") + " -h 127.0.0.1 -p " +
           std::to_string(_config.port()) + " -t 60000";
}

}  // namespace tars::test
