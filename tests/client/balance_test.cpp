// Load spread over three servers under each balancing policy, through the whole client.
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "Hello.h"
#include "TestServer.h"
#include "servant/Communicator.h"

using namespace tars;
using namespace tars::test;
using TestApp::HelloPrx;

namespace {

class BalanceTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (int i = 0; i < 3; ++i) {
            servers.push_back(std::make_unique<TestServer>(i + 1, "s" + std::to_string(i + 1)));
            servers.back()->start();
        }
    }
    std::string objectString(const std::vector<std::string>& extra = {"", "", ""}) {
        std::string s = "A.B.Obj@";
        for (size_t i = 0; i < servers.size(); ++i) {
            if (i) s += ":";
            s += servers[i]->endpoint() + extra[i];
        }
        return s;
    }

    std::vector<std::unique_ptr<TestServer>> servers;
};

}  // namespace

TEST_F(BalanceTest, RoundRobinSpreadsCallsEvenly) {
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>(objectString());
    std::map<int, int> hits;
    std::string rsp;
    for (int i = 0; i < 300; ++i) ++hits[prx->testHello("x", rsp)];
    EXPECT_EQ(hits[1], 100);
    EXPECT_EQ(hits[2], 100);
    EXPECT_EQ(hits[3], 100);
}

TEST_F(BalanceTest, RoundRobinSpreadsEvenlyOverSeveralNetworkThreads) {
    Communicator comm;
    comm.setProperty("netthread", "3");
    auto prx = comm.stringToProxy<HelloPrx>(objectString());
    std::map<int, int> hits;
    std::string rsp;
    for (int i = 0; i < 900; ++i) ++hits[prx->testHello("x", rsp)];
    // Each network thread runs its own round robin over the same list.
    EXPECT_EQ(hits[1], 300);
    EXPECT_EQ(hits[2], 300);
    EXPECT_EQ(hits[3], 300);
}

TEST_F(BalanceTest, HashSendsACodeToTheSameServerEveryTime) {
    Communicator comm;
    comm.setProperty("netthread", "2");
    auto prx = comm.stringToProxy<HelloPrx>(objectString());
    std::map<int64_t, int> owner;
    std::map<int, int> spread;
    std::string rsp;
    for (int round = 0; round < 3; ++round) {
        for (int64_t code = 0; code < 60; ++code) {
            int server = prx->tars_hash(code)->testHello("x", rsp);
            if (round == 0) {
                owner[code] = server;
                ++spread[server];
            } else {
                EXPECT_EQ(server, owner[code]) << "code " << code;
            }
        }
    }
    EXPECT_EQ(spread.size(), 3u);
}

TEST_F(BalanceTest, ConsistentHashKeepsCodesWhenOneServerGoes) {
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>(objectString());
    CheckTimeoutInfo info;
    info.tryTimeInterval = 60000;
    info.minReconnectMs = 60000;  // the stopped server stays out for the whole test
    info.maxReconnectMs = 60000;
    prx->tars_set_check_timeout(info);
    std::map<int64_t, int> owner;
    std::map<int, int> spread;
    std::string rsp;
    for (int64_t code = 0; code < 300; ++code) {
        owner[code] = prx->tars_consistent_hash(code)->testHello("x", rsp);
        ++spread[owner[code]];
    }
    EXPECT_EQ(spread.size(), 3u);

    servers[1]->stop();  // server 2 dies
    // Its calls fail until the client has seen it go; then they move to the others.
    ASSERT_TRUE(waitUntil([&] {
        try {
            for (int64_t code = 0; code < 300; ++code) {
                if (owner[code] == 2) prx->tars_consistent_hash(code)->testHello("x", rsp);
            }
            return true;
        } catch (const TarsCallException&) {
            return false;
        }
    }));
    for (int64_t code = 0; code < 300; ++code) {
        int server = prx->tars_consistent_hash(code)->testHello("x", rsp);
        if (owner[code] != 2)
            EXPECT_EQ(server, owner[code]) << "code " << code << " moved";
        else
            EXPECT_NE(server, 2);
    }
}

TEST_F(BalanceTest, WeightedSpreadsInProportionToWeights) {
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>(objectString({" -w 1 -v 1", " -w 2 -v 1", " -w 3 -v 1"}));
    std::map<int, int> hits;
    std::string rsp;
    for (int i = 0; i < 600; ++i) ++hits[prx->testHello("x", rsp)];
    EXPECT_EQ(hits[1], 100);
    EXPECT_EQ(hits[2], 200);
    EXPECT_EQ(hits[3], 300);
}

TEST_F(BalanceTest, AnEndpointThatCannotConnectIsSkipped) {
    servers[2]->stop();
    Communicator comm;
    auto prx = comm.stringToProxy<HelloPrx>(objectString());
    std::map<int, int> hits;
    std::string rsp;
    int failures = 0;
    for (int i = 0; i < 60; ++i) {
        try {
            ++hits[prx->testHello("x", rsp)];
        } catch (const TarsServerConnectionException&) {
            ++failures;
        }
    }
    // The calls routed to the dead endpoint before its first connect failed are re-routed;
    // afterwards it backs off and takes no calls.
    EXPECT_EQ(failures, 0);
    EXPECT_EQ(hits[3], 0);
    EXPECT_EQ(hits[1] + hits[2], 60);
}
