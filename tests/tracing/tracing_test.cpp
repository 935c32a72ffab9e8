// Tracing end to end (docs/observability.md, "Tracing"): the test is A, a Communicator with
// tracing-endpoint set to a collector stand-in on loopback and sample ratio 1; B and C are
// TraceServer processes with the same collector in their server keys. A calls B with a
// callback, B calls C with co_await; the collector must receive one trace of four spans
// with the parent links of that chain.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "Trace.h"
#include "TestSupport.h"
#include "TraceCollector.h"
#include "servant/Communicator.h"
#include "servant/TraceContext.h"
#include "tup/Tars.h"

namespace tars::test {
namespace {

using Json = nlohmann::json;

// One TraceServer process with both objects on reserved ports, exporting to collectorUrl.
class TraceProcess {
public:
    explicit TraceProcess(const std::string& collectorUrl) : _collectorUrl(collectorUrl) {}

    bool start() {
        AdapterSpec relay;
        relay.name = "Test.TraceServer.RelayObjAdapter";
        relay.servant = "Test.TraceServer.RelayObj";
        relay.port = _relayPort;
        relay.threads = 2;
        AdapterSpec hop = relay;
        hop.name = "Test.TraceServer.HopObjAdapter";
        hop.servant = "Test.TraceServer.HopObj";
        hop.port = _hopPort;
        _process.writeConfig(makeConfig("Test", "TraceServer", 0, {relay, hop},
                                        "tracing-endpoint=" + _collectorUrl + "\ntracing-sample-ratio=1\n"));
        return _process.start({_relayPort, _hopPort});
    }
    int relayPort() const { return _relayPort; }
    std::string relayObj() const { return object("RelayObj", _relayPort.port()); }
    std::string hopObj() const { return object("HopObj", _hopPort.port()); }
    std::string output() const { return _process.output() + _process.log(); }

private:
    static std::string object(const std::string& name, int port) {
        return "Test.TraceServer." + name + "@tcp -h 127.0.0.1 -p " + std::to_string(port) + " -t 60000";
    }
    std::string _collectorUrl;
    ReservedPort _relayPort;
    ReservedPort _hopPort;
    ServerProcess _process{TRACE_SERVER};
};

class RelayCallback : public TraceTest::RelayPrxCallback {
public:
    void callback_relay(Int32 ret, const std::string& seen) override { _done.set_value({ret, seen}); }
    void callback_relay_exception(Int32 ret) override { _done.set_value({ret, ""}); }
    std::future<std::pair<int, std::string>> result() { return _done.get_future(); }

private:
    std::promise<std::pair<int, std::string>> _done;
};

// Every span the collector received.
std::vector<Json> spansOf(const std::vector<std::string>& bodies) {
    std::vector<Json> spans;
    for (const std::string& body : bodies) {
        Json root = Json::parse(body, nullptr, false);
        if (root.is_discarded()) continue;
        for (const Json& resource : root.value("resourceSpans", Json::array())) {
            for (const Json& scope : resource.value("scopeSpans", Json::array())) {
                for (const Json& span : scope.value("spans", Json::array())) spans.push_back(span);
            }
        }
    }
    return spans;
}

int intAttribute(const Json& span, const std::string& key) {
    for (const Json& a : span["attributes"]) {
        if (a["key"] == key) {
            const Json& v = a["value"]["intValue"];
            return v.is_string() ? std::stoi(v.get<std::string>()) : v.get<int>();
        }
    }
    return -12345;
}

class TracingChainTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(b.start()) << b.output();
        ASSERT_TRUE(c.start()) << c.output();
    }

    Collector collector{200};
    std::string url = "http://127.0.0.1:" + std::to_string(collector.port()) + "/v1/traces";
    TraceProcess b{url};
    TraceProcess c{url};
};

TEST_F(TracingChainTest, ThreeHopsCallbackThenCoAwaitMakeOneTraceWithParentLinks) {
    std::vector<std::string> bodies;
    std::string seenByC;
    {
        Communicator a;
        a.setProperty("tracing-endpoint", url);
        a.setProperty("tracing-sample-ratio", "1");
        a.setProperty("modulename", "Test.A");
        auto relay = a.stringToProxy<TraceTest::RelayPrx>(b.relayObj());
        auto callback = std::make_shared<RelayCallback>();
        auto result = callback->result();
        relay->async_relay(callback, c.hopObj());
        ASSERT_EQ(result.wait_for(std::chrono::seconds(10)), std::future_status::ready);
        auto [ret, seen] = result.get();
        ASSERT_EQ(ret, 0);
        seenByC = seen;
        // A's span is sent when its Communicator goes (the exporter's last batch); B's and
        // C's within a flush interval.
    }
    bodies = collector.waitUntil([](const std::vector<std::string>& got) { return spansOf(got).size() >= 4; });
    std::vector<Json> spans = spansOf(bodies);
    ASSERT_EQ(spans.size(), 4u) << b.output() << c.output();

    std::map<std::string, Json> byName;  // "<kind>:<name>"
    for (const Json& s : spans) byName[std::to_string(s["kind"].get<int>()) + ":" + s["name"].get<std::string>()] = s;
    const Json& aClient = byName["3:Test.TraceServer.RelayObj/relay"];
    const Json& bServer = byName["2:Test.TraceServer.RelayObj/relay"];
    const Json& bClient = byName["3:Test.TraceServer.HopObj/hop"];
    const Json& cServer = byName["2:Test.TraceServer.HopObj/hop"];
    ASSERT_FALSE(aClient.is_null() || bServer.is_null() || bClient.is_null() || cServer.is_null())
        << Json(spans).dump();

    const std::string traceId = aClient["traceId"];
    for (const Json& s : spans) EXPECT_EQ(s["traceId"], traceId) << s.dump();
    EXPECT_FALSE(aClient.contains("parentSpanId"));  // A started the trace
    EXPECT_EQ(bServer["parentSpanId"], aClient["spanId"]);
    EXPECT_EQ(bClient["parentSpanId"], bServer["spanId"]);
    EXPECT_EQ(cServer["parentSpanId"], bClient["spanId"]);
    for (const Json& s : spans) {
        EXPECT_EQ(intAttribute(s, "tars.return_code"), 0) << s.dump();
        EXPECT_EQ(s["status"]["code"], 1) << s.dump();
    }
    // What C received is B's client span, in W3C form.
    auto sent = TraceContext::parseTraceparent(seenByC);
    ASSERT_TRUE(sent) << seenByC;
    EXPECT_EQ(sent->traceIdHex(), traceId);
    EXPECT_EQ(sent->spanIdHex(), bClient["spanId"].get<std::string>());
    EXPECT_TRUE(sent->sampled());
}

TEST_F(TracingChainTest, AMalformedTraceparentIsNotPassedOnAndAFreshTraceStarts) {
    const std::string malformedId = "4bf92f3577b34da6a3ce929d0e0e4736";
    // Uppercase hex: not a valid traceparent.
    const std::string malformed = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01";
    TarsOutputStream<BufferWriterVector> os;
    os.write(c.hopObj(), 1);
    RequestPacket packet = makeRequest("Test.TraceServer.RelayObj", "relay", os.takeByteBuffer(), 7);
    packet.status["traceparent"] = malformed;
    RawClient client(b.relayPort());
    ASSERT_TRUE(client.sendAll(encodeRequest(packet)));
    auto rsp = client.readResponse(10000);
    ASSERT_TRUE(rsp);
    ASSERT_EQ(rsp->iRet, 0);
    std::string seenByC = readString(rsp->sBuffer, 2);
    auto sent = TraceContext::parseTraceparent(seenByC);
    ASSERT_TRUE(sent) << seenByC;  // B sampled a new root (ratio 1)
    EXPECT_NE(sent->traceIdHex(), malformedId);
    EXPECT_NE(seenByC, malformed);
}

TEST_F(TracingChainTest, ACollectorThatIsDownCostsTheCallerNothingAndDropsAreCounted) {
    std::string deadUrl;
    {
        Collector gone(200);
        deadUrl = "http://127.0.0.1:" + std::to_string(gone.port()) + "/v1/traces";
    }  // closed: nothing listens there now
    Communicator a;
    a.setProperty("tracing-endpoint", deadUrl);
    a.setProperty("tracing-sample-ratio", "1");
    auto relay = a.stringToProxy<TraceTest::RelayPrx>(b.relayObj());
    constexpr int kCalls = 5;
    for (int i = 0; i < kCalls; ++i) {
        std::string seen;
        auto start = std::chrono::steady_clock::now();
        EXPECT_EQ(relay->relay(c.hopObj(), seen), 0);
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
        EXPECT_TRUE(TraceContext::parseTraceparent(seen)) << seen;
    }
    // The exporter tries within its flush interval (1 s); the refused batch is counted.
    Communicator::TraceCounters counters;
    for (int i = 0; i < 250 && counters.dropped < kCalls; ++i) {
        counters = a.traceCounters();
        if (counters.dropped < kCalls) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(counters.dropped, static_cast<uint64_t>(kCalls));
    EXPECT_EQ(counters.exported, 0u);
    EXPECT_GE(counters.failedPosts, 1u);
}

}  // namespace
}  // namespace tars::test
