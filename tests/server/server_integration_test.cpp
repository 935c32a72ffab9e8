// The request path end to end: the hello example and the TestServer answering TARS, TUP and
// JSON requests in kind, framework replies (-4, -3, -1, -99, tars_ping), one-way, async
// replies, contexts, Current::close(), merge mode and several network threads.
#include <gtest/gtest.h>

#include <thread>

#include "BaseF.h"
#include "Fixtures.h"
#include "tup/Tars.h"
#include "tup/TarsJson.h"
#include "tup/TarsUniAttribute.h"
#include "util/tc_file.h"

namespace tars::test {
namespace {

class HelloServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        AdapterSpec a;
        a.name = "TestApp.HelloServer.HelloObjAdapter";
        a.servant = "TestApp.HelloServer.HelloObj";
        a.port = helloPort;
        a.threads = 2;
        server.writeConfig(makeConfig("TestApp", "HelloServer", adminPort, {a}));
        ASSERT_TRUE(server.start({helloPort, adminPort})) << server.output();
    }
    void TearDown() override { EXPECT_EQ(server.stop(), 0) << server.output(); }

    RequestPacket hello(const std::string& s, int id, short version = 1) {
        std::vector<char> args;
        if (version == TUPVERSION || version == TUP_VERSION_COMPLEX) {
            UniAttribute attr;
            attr.setVersion(version);
            attr.put("sReq", s);
            attr.encode(args);
        } else if (version == JSONVERSION) {
            std::string text = "{\"sReq\":\"" + s + "\"}";
            args.assign(text.begin(), text.end());
        } else {
            args = stringArg(s, 1);
        }
        return makeRequest("TestApp.HelloServer.HelloObj", "testHello", args, id, version);
    }

    ReservedPort helloPort;
    ReservedPort adminPort;
    ServerProcess server{HELLO_SERVER};
};

TEST_F(HelloServerTest, TarsRequestIsAnsweredWithResponsePacket) {
    RawClient c(helloPort);
    ASSERT_TRUE(c.sendAll(encodeRequest(hello("hello world", 7))));
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iVersion, 1);
    EXPECT_EQ(rsp->iRequestId, 7);
    EXPECT_EQ(rsp->iRet, 0);
    EXPECT_EQ(readInt(rsp->sBuffer, 0), 0);
    EXPECT_EQ(readString(rsp->sBuffer, 2), "hello world");
}

TEST_F(HelloServerTest, TupV3RequestIsAnsweredInTupWithResultCode) {
    RawClient c(helloPort);
    ASSERT_TRUE(c.sendAll(encodeRequest(hello("tup", 3, TUPVERSION))));
    auto rsp = c.readTupResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iVersion, TUPVERSION);
    EXPECT_EQ(rsp->iRequestId, 3);
    EXPECT_EQ(rsp->sServantName, "TestApp.HelloServer.HelloObj");
    EXPECT_EQ(rsp->sFuncName, "testHello");
    EXPECT_EQ(rsp->iTimeout, 0);
    EXPECT_EQ(rsp->status["STATUS_RESULT_CODE"], "0");
    EXPECT_EQ(rsp->status.count("STATUS_RESULT_DESC"), 1u);
    UniAttribute attr;
    attr.setVersion(TUPVERSION);
    attr.decode(rsp->sBuffer);
    Int32 ret = -1;
    std::string out;
    attr.get("", ret);
    attr.get("sRsp", out);
    EXPECT_EQ(ret, 0);
    EXPECT_EQ(out, "tup");
}

TEST_F(HelloServerTest, TupV2RequestIsAnsweredInTupV2) {
    RawClient c(helloPort);
    ASSERT_TRUE(c.sendAll(encodeRequest(hello("two", 4, TUP_VERSION_COMPLEX))));
    auto rsp = c.readTupResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iVersion, TUP_VERSION_COMPLEX);
    UniAttribute attr;
    attr.setVersion(TUP_VERSION_COMPLEX);
    attr.decode(rsp->sBuffer);
    std::string out;
    attr.get("sRsp", out);
    EXPECT_EQ(out, "two");
}

TEST_F(HelloServerTest, JsonRequestIsAnsweredWithJsonObject) {
    RawClient c(helloPort);
    ASSERT_TRUE(c.sendAll(encodeRequest(hello("json", 5, JSONVERSION))));
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iVersion, JSONVERSION);
    EXPECT_EQ(rsp->iRet, 0);
    JsonValue v = JsonInput::parse(std::string(rsp->sBuffer.begin(), rsp->sBuffer.end()));
    EXPECT_EQ(v["tars_ret"], 0);
    EXPECT_EQ(v["sRsp"], "json");
}

TEST_F(HelloServerTest, OnewayRequestGetsNoReply) {
    RawClient c(helloPort);
    RequestPacket oneway = hello("one", 1);
    oneway.cPacketType = TARSONEWAY;
    ASSERT_TRUE(c.sendAll(encodeRequest(oneway) + encodeRequest(hello("two", 2))));
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iRequestId, 2);  // the one-way request was not answered
    EXPECT_FALSE(c.readPacket(200));
}

TEST_F(HelloServerTest, PingAnswersZeroWithEmptyBody) {
    RawClient c(helloPort);
    ASSERT_TRUE(c.sendAll(encodeRequest(makeRequest("TestApp.HelloServer.HelloObj", "tars_ping", {}, 9))));
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iRet, 0);
    EXPECT_TRUE(rsp->sBuffer.empty());
}

// TarsCpp clients' keep-alive (keep-alive-interval) sends tars_ping one-way: no reply, and
// the connection keeps serving.
TEST_F(HelloServerTest, OnewayPingAsTarsCppKeepAliveSendsGetsNoReply) {
    RawClient c(helloPort);
    RequestPacket ping = makeRequest("TestApp.HelloServer.HelloObj", "tars_ping", {}, 7);
    ping.cPacketType = TARSONEWAY;
    ASSERT_TRUE(c.sendAll(encodeRequest(ping) + encodeRequest(hello("after", 8))));
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iRequestId, 8);
    EXPECT_EQ(rsp->iRet, 0);
    EXPECT_FALSE(c.readPacket(200));
}

TEST_F(HelloServerTest, UnknownServantAnswersMinusFour) {
    RawClient c(helloPort);
    ASSERT_TRUE(c.sendAll(encodeRequest(makeRequest("TestApp.HelloServer.OtherObj", "testHello", stringArg("x"), 1))));
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iRet, TARSSERVERNOSERVANTERR);
}

TEST_F(HelloServerTest, UnknownFunctionAnswersMinusThree) {
    RawClient c(helloPort);
    ASSERT_TRUE(c.sendAll(encodeRequest(makeRequest("TestApp.HelloServer.HelloObj", "nope", {}, 1))));
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iRet, TARSSERVERNOFUNCERR);
}

TEST_F(HelloServerTest, UnknownFunctionInTupAnswersMinusThreeInStatus) {
    RawClient c(helloPort);
    ASSERT_TRUE(
        c.sendAll(encodeRequest(makeRequest("TestApp.HelloServer.HelloObj", "nope", {0x08, 0x0c}, 1, TUPVERSION))));
    auto rsp = c.readTupResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->status["STATUS_RESULT_CODE"], "-3");
    EXPECT_EQ(rsp->sBuffer, (std::vector<char>{0x08, 0x0c}));
}

TEST_F(HelloServerTest, UndecodableArgumentsAnswerMinusOne) {
    RawClient c(helloPort);
    // tag 1 holds an int where a string is expected
    ASSERT_TRUE(c.sendAll(encodeRequest(makeRequest("TestApp.HelloServer.HelloObj", "testHello", intArg(5, 1), 1))));
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iRet, TARSSERVERDECODEERR);
    EXPECT_FALSE(rsp->sResultDesc.empty());
    // The connection stays usable.
    ASSERT_TRUE(c.sendAll(encodeRequest(hello("after", 2))));
    auto next = c.readResponse();
    ASSERT_TRUE(next);
    EXPECT_EQ(next->iRet, 0);
}

TEST_F(HelloServerTest, AdminViewStatusCountsTheRequests) {
    RawClient c(helloPort);
    for (int i = 1; i <= 3; ++i) {
        ASSERT_TRUE(c.sendAll(encodeRequest(hello("x", i))));
        ASSERT_TRUE(c.readResponse());
    }
    std::string status = adminNotify(adminPort, "tars.viewstatus");
    EXPECT_EQ(statusValue(status, "TestApp.HelloServer.HelloObjAdapter", "ret.0"), "3") << status;
    EXPECT_EQ(statusValue(status, "TestApp.HelloServer.HelloObjAdapter", "conn.current"), "1") << status;
}

TEST_F(HelloServerTest, LogFileIsWrittenUnderLogpathAppServer) {
    RawClient c(helloPort);
    ASSERT_TRUE(c.sendAll(encodeRequest(hello("logged", 1))));
    ASSERT_TRUE(c.readResponse());
    EXPECT_EQ(server.stop(), 0);
    std::string log = TC_File::load2str(server.dir() + "/log/TestApp/HelloServer/TestApp.HelloServer.log");
    EXPECT_NE(log.find("testHello from 127.0.0.1"), std::string::npos);
    EXPECT_NE(log.find("stopped"), std::string::npos);
}

// ------------------------------------------------------------------ TestServer

class EchoTest : public TestServerFixture {};

TEST_F(EchoTest, ServantExceptionAnswersMinus99WithItsText) {
    startEcho();
    RawClient c(echoPort);
    auto rsp = call(c, "throwStd", stringArg("boom"));
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iRet, TARSSERVERUNKNOWNERR);
    EXPECT_EQ(rsp->sResultDesc, "boom");
}

TEST_F(EchoTest, AsyncResponseArrivesFromAnotherThread) {
    startEcho();
    RawClient c(echoPort);
    auto rsp = call(c, "asyncEcho", stringArg("later"), 42);
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iRequestId, 42);
    EXPECT_EQ(rsp->iRet, 0);
    EXPECT_EQ(readString(rsp->sBuffer), "later");
}

TEST_F(EchoTest, ContextIsReadAndResponseContextSent) {
    startEcho();
    RawClient c(echoPort);
    RequestPacket req = makeRequest(kEcho, "getContext", stringArg("k1"), 6);
    req.context["k1"] = "v1";
    ASSERT_TRUE(c.sendAll(encodeRequest(req)));
    auto rsp = c.readResponse();
    ASSERT_TRUE(rsp);
    EXPECT_EQ(readString(rsp->sBuffer), "v1");
    EXPECT_EQ(rsp->context["srv-echo-key"], "k1");
}

TEST_F(EchoTest, CurrentCloseClosesAfterTheReply) {
    startEcho();
    RawClient c(echoPort);
    auto rsp = call(c, "closeMe", {});
    ASSERT_TRUE(rsp);
    EXPECT_EQ(rsp->iRet, 0);
    EXPECT_TRUE(c.waitClosed(5000));
}

TEST_F(EchoTest, MergeModeAnswersInTheNetThread) {
    AdapterSpec a = echoSpec();
    a.extra = "mergenetimp=1";
    startServer({a});
    RawClient c(echoPort);
    std::string batch;
    for (int i = 1; i <= 100; ++i) batch += encodeRequest(makeRequest(kEcho, "echo", stringArg(std::to_string(i)), i));
    ASSERT_TRUE(c.sendAll(batch));
    for (int i = 1; i <= 100; ++i) {
        auto rsp = c.readResponse();
        ASSERT_TRUE(rsp);
        EXPECT_EQ(rsp->iRequestId, i);
        EXPECT_EQ(readString(rsp->sBuffer), std::to_string(i));
    }
    EXPECT_EQ(status(kEchoAdapter, "merge"), "1");
}

TEST_F(EchoTest, ConnectionsAreSpreadOverNetThreads) {
    startEcho("netthread=3");
    std::vector<RawClient> clients(6);
    for (size_t i = 0; i < clients.size(); ++i) {
        ASSERT_TRUE(clients[i].connect(echoPort));
        EXPECT_EQ(echo(clients[i], "n" + std::to_string(i)), "n" + std::to_string(i));
    }
    std::string connections = adminNotify(adminPort, "tars.connection");
    for (int t = 0; t < 3; ++t) {
        EXPECT_NE(connections.find("thread " + std::to_string(t) + " uid"), std::string::npos) << connections;
    }
}

TEST_F(EchoTest, SeveralHandleThreadsServeConcurrently) {
    AdapterSpec a = echoSpec();
    a.threads = 4;
    startServer({a});
    RawClient c(echoPort);
    std::string batch;
    for (int i = 1; i <= 4; ++i) batch += encodeRequest(makeRequest(kEcho, "sleepMs", intArg(300), i));
    int64_t begin = nowMs();
    ASSERT_TRUE(c.sendAll(batch));
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(c.readResponse());
    EXPECT_LT(nowMs() - begin, 1100);  // 4 x 300 ms in sequence would be 1200
}

// Several handles answer one connection's pipelined requests, with replies of many sizes,
// through the network thread's inbox: every reply must arrive whole, once, with its own id,
// and the connection must keep serving.
TEST_F(EchoTest, PipelinedRepliesFromSeveralHandlesArriveWhole) {
    AdapterSpec a = echoSpec();
    a.threads = 4;
    a.queuecap = 10000;  // the client does not read until it sent everything
    startServer({a});
    RawClient c(echoPort);
    constexpr int kCalls = 1000;
    // Sizes up to 100 KB, so that replies copied into the inbox and replies moved into it
    // (64 KB and more) both occur; about 50 MB in all, well under backpacketlimit (100 MB),
    // since nothing is read before everything was sent.
    auto size = [](int id) { return (id * 7919) % 100000; };
    std::string batch;
    for (int id = 1; id <= kCalls; ++id) {
        batch += encodeRequest(makeRequest(kEcho, "bigReply", intArg(size(id)), id));
        if (id % 100 == 0) {  // in bursts, so that batches of one and of many both occur
            ASSERT_TRUE(c.sendAll(batch, 20000));
            batch.clear();
        }
    }
    std::vector<int> seen(kCalls + 1, 0);
    for (int i = 0; i < kCalls; ++i) {
        auto rsp = c.readResponse(10000);
        ASSERT_TRUE(rsp) << "reply " << i << " of " << kCalls << " missing or undecodable";
        ASSERT_GE(rsp->iRequestId, 1);
        ASSERT_LE(rsp->iRequestId, kCalls);
        int id = rsp->iRequestId;
        ++seen[id];
        ASSERT_EQ(rsp->iRet, 0) << "id " << id;
        ASSERT_EQ(readString(rsp->sBuffer, 0), std::string(static_cast<size_t>(size(id)), 'x')) << "id " << id;
    }
    for (int id = 1; id <= kCalls; ++id) EXPECT_EQ(seen[id], 1) << "id " << id;
    // The connection still serves.
    EXPECT_EQ(echo(c, "after"), "after");
}

}  // namespace
}  // namespace tars::test
