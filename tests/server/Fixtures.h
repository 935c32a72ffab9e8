// Shared set-up of the integration tests: a TestServer or HelloServer process with its
// ports reserved, and short-hands for the usual calls.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "TestSupport.h"

namespace tars::test {

inline const std::string kEcho = "TestApp.TestServer.EchoObj";
inline const std::string kEchoAdapter = "TestApp.TestServer.EchoObjAdapter";
inline const std::string kHttp = "TestApp.TestServer.HttpObj";
inline const std::string kHttpAdapter = "TestApp.TestServer.HttpObjAdapter";
inline const std::string kLine = "TestApp.TestServer.LineObj";
inline const std::string kLineAdapter = "TestApp.TestServer.LineObjAdapter";

// A TestServer with an EchoObj adapter (modifiable before start()) and an admin port.
class TestServerFixture : public ::testing::Test {
protected:
    AdapterSpec echoSpec() {
        AdapterSpec a;
        a.name = kEchoAdapter;
        a.servant = kEcho;
        a.port = echoPort;
        return a;
    }
    void startServer(const std::vector<AdapterSpec>& adapters, const std::string& serverExtra = "",
                     const std::string& tail = "") {
        server.writeConfig(makeConfig("TestApp", "TestServer", adminPort, adapters, serverExtra, tail));
        std::vector<int> ports{adminPort};
        for (const auto& a : adapters) ports.push_back(a.port);
        ASSERT_TRUE(server.start(ports)) << server.output();
    }
    void startEcho(const std::string& serverExtra = "") { startServer({echoSpec()}, serverExtra); }

    std::optional<ResponsePacket> call(RawClient& c, const std::string& func, const std::vector<char>& args, int id = 1,
                                       int timeoutMs = 10000) {
        if (!c.sendAll(encodeRequest(makeRequest(kEcho, func, args, id)))) return std::nullopt;
        return c.readResponse(timeoutMs);
    }
    std::string echo(RawClient& c, const std::string& s, int id = 1) {
        auto rsp = call(c, "echo", stringArg(s), id);
        if (!rsp || rsp->iRet != 0) return "<no answer>";
        return readString(rsp->sBuffer, 0);
    }
    std::string status(const std::string& adapter, const std::string& key) {
        return statusValue(adminNotify(adminPort, "tars.viewstatus"), adapter, key);
    }

    ReservedPort adminPort;
    ReservedPort echoPort;
    ReservedPort otherPort;
    ServerProcess server{TEST_SERVER};
};

}  // namespace tars::test
