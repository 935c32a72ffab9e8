// The framework is never open: a control object (RegistryObj, AdminRegObj, ConfigObj,
// NodeObj, ServerObj, any server's admin object) bound where other hosts can reach it
// must authenticate its peers (mutual TLS with allowsubjects, or -e 1), or its server
// refuses to start. 0.0.0.0 stands for "another address" here: every host can reach it.
#include <gtest/gtest.h>

#include <string>

#include "../server/TestSupport.h"
#include "servant/Communicator.h"

namespace tars {
namespace {

using test::ReservedPort;
using test::ServerProcess;

std::string cert(const std::string& name) { return std::string(TLS_CERT_DIR) + "/" + name; }

const std::string kMutualTls = "        cert = " + cert("server.pem") + "\n        key = " + cert("server.key") +
                               "\n        ca = " + cert("ca.pem") +
                               "\n        verifyclient = 1\n        allowsubjects = CN=tars-test-client,O=tars-tests\n";

struct Registry {
    ReservedPort query, registry, adminReg;
    ServerProcess process{TARS_REGISTRY};

    // registryAdapter: the endpoint line and any TLS keys of RegistryObj's adapter.
    void write(const std::string& registryAdapter) {
        std::string conf =
            "<tars>\n  <application>\n    <server>\n      app = tars\n      server = tarsregistry\n"
            "      localip = 127.0.0.1\n      logpath = @LOG@\n      datapath = @DIR@\n"
            "      <tars.tarsregistry.QueryObjAdapter>\n        endpoint = tcp -h 127.0.0.1 -p " +
            std::to_string(query.port()) +
            " -t 60000\n        servant = tars.tarsregistry.QueryObj\n      </tars.tarsregistry.QueryObjAdapter>\n"
            "      <tars.tarsregistry.RegistryObjAdapter>\n" +
            registryAdapter +
            "        servant = tars.tarsregistry.RegistryObj\n      </tars.tarsregistry.RegistryObjAdapter>\n"
            "      <tars.tarsregistry.AdminRegObjAdapter>\n        endpoint = tcp -h 127.0.0.1 -p " +
            std::to_string(adminReg.port()) +
            " -t 60000\n        servant = tars.tarsregistry.AdminRegObj\n      "
            "</tars.tarsregistry.AdminRegObjAdapter>\n"
            "    </server>\n  </application>\n</tars>\n";
        process.writeConfig(conf);
    }
};

TEST(FrameworkNeverOpen, ControlObjectOnAnOpenAddressWithoutAuthenticationRefusesToStart) {
    Registry r;
    r.write("        endpoint = tcp -h 0.0.0.0 -p " + std::to_string(r.registry.port()) + " -t 60000\n");
    int status = r.process.runToExit({"--config=" + r.process.dir() + "/server.conf"}, 20000);
    EXPECT_NE(0, status);
    EXPECT_NE(std::string::npos, r.process.output().find("tars.tarsregistry.RegistryObj")) << r.process.output();
    EXPECT_NE(std::string::npos, r.process.output().find("mutual TLS")) << r.process.output();

    // Mutual TLS without an allow-list is not enough: any certificate of the CA would do.
    Registry noList;
    noList.write("        endpoint = ssl -h 0.0.0.0 -p " + std::to_string(noList.registry.port()) +
                 " -t 60000\n        cert = " + cert("server.pem") + "\n        key = " + cert("server.key") +
                 "\n        ca = " + cert("ca.pem") + "\n        verifyclient = 1\n");
    EXPECT_NE(0, noList.process.runToExit({"--config=" + noList.process.dir() + "/server.conf"}, 20000));
    EXPECT_NE(std::string::npos, noList.process.output().find("allowsubjects")) << noList.process.output();
}

TEST(FrameworkNeverOpen, MutualTlsWithAnAllowListOpensItToTheListedClientsOnly) {
    Registry r;
    r.write("        endpoint = ssl -h 0.0.0.0 -p " + std::to_string(r.registry.port()) + " -t 60000\n" + kMutualTls);
    ASSERT_TRUE(r.process.start({r.query.port(), r.adminReg.port()})) << r.process.output();
    const std::string obj = "tars.tarsregistry.RegistryObj@ssl -h 127.0.0.1 -p " + std::to_string(r.registry.port());

    Communicator listed;
    listed.setProperty("ca", cert("ca.pem"));
    listed.setProperty("cert", cert("client.pem"));
    listed.setProperty("key", cert("client.key"));
    EXPECT_NO_THROW(listed.stringToProxy<ServantProxy>(obj)->tars_ping());

    Communicator other;
    other.setProperty("ca", cert("ca.pem"));
    other.setProperty("cert", cert("client2.pem"));
    other.setProperty("key", cert("client2.key"));
    EXPECT_THROW(other.stringToProxy<ServantProxy>(obj)->tars_ping(), TarsException);

    Communicator anonymous;
    anonymous.setProperty("ca", cert("ca.pem"));
    EXPECT_THROW(anonymous.stringToProxy<ServantProxy>(obj)->tars_ping(), TarsException);
}

TEST(FrameworkNeverOpen, AnAdminObjectOnAnOpenAddressRefusesToStart) {
    ReservedPort port, admin;
    ServerProcess server(HELLO_SERVER);
    test::AdapterSpec a;
    a.name = "TestApp.HelloServer.HelloObjAdapter";
    a.servant = "TestApp.HelloServer.HelloObj";
    a.port = port;
    server.writeConfig(test::makeConfig("TestApp", "HelloServer", 0, {a},
                                        "      local=tcp -h 0.0.0.0 -p " + std::to_string(admin.port()) + "\n"));
    EXPECT_NE(0, server.runToExit({"--config=" + server.dir() + "/server.conf"}, 15000));
    EXPECT_NE(std::string::npos, server.output().find("AdminObj")) << server.output();
}

}  // namespace
}  // namespace tars
