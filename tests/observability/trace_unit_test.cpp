// W3C Trace Context and TarsCpp trace keys (TraceContext), what a call and a request do
// with them (Tracing), and the OTLP/HTTP exporter (SpanExporter) against a collector
// stand-in on loopback.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "BaseF.h"
#include "TraceCollector.h"
#include "internal/SpanExporter.h"
#include "internal/Tracing.h"
#include "servant/TraceContext.h"

namespace tars {
namespace {

using test::Collector;

const char* kValid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(TraceContext, ParsesAValidTraceparentAndWritesItBackTheSame) {
    auto c = TraceContext::parseTraceparent(kValid);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->traceIdHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
    EXPECT_EQ(c->spanIdHex(), "00f067aa0ba902b7");
    EXPECT_TRUE(c->sampled());
    EXPECT_EQ(c->traceparent(), kValid);
    auto unsampled = TraceContext::parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
    ASSERT_TRUE(unsampled);
    EXPECT_FALSE(unsampled->sampled());
    // A later version may carry more fields after the four it shares with 00.
    auto future = TraceContext::parseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra");
    ASSERT_TRUE(future);
    EXPECT_EQ(future->traceparent(), kValid);
}

TEST(TraceContext, RefusesEveryMalformedTraceparent) {
    for (const char* bad : {
             "",
             "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",       // no flags
             "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",  // version 00 with more
             "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // version ff
             "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",    // uppercase
             "00-00000000000000000000000000000000-00f067aa0ba902b7-01",    // zero trace id
             "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",    // zero span id
             "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",    // dash misplaced
             "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // wrong separator
             "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",    // flags not hex
             "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",    // version not hex
             "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",   // later version, no dash
         }) {
        EXPECT_FALSE(TraceContext::parseTraceparent(bad)) << bad;
    }
}

TEST(TraceContext, ChildrenKeepTheTraceAndGetTheirOwnSpan) {
    TraceContext root = TraceContext::newRoot(true);
    EXPECT_TRUE(root.sampled());
    EXPECT_EQ(root.traceparent().size(), 55u);
    TraceContext child = root.child();
    EXPECT_EQ(child.traceId, root.traceId);
    EXPECT_NE(child.spanId, root.spanId);
    EXPECT_TRUE(child.sampled());
    EXPECT_NE(TraceContext::newRoot(false).traceId, root.traceId);
    EXPECT_FALSE(TraceContext::newRoot(false).sampled());
}

TEST(Tracing, ACallUnderATracedRequestIsAChildSpanAndCarriesBothKeys) {
    CallContext serving;
    serving.trace = *TraceContext::parseTraceparent(kValid);
    serving.traced = true;
    RequestPacket req;
    req.sFuncName = "hello";
    TraceSpanPtr span = Tracing::startClientCall(nullptr, &serving, req, "App.Server.Obj");
    EXPECT_EQ(span, nullptr);  // nothing exports it: passed on only
    auto sent = TraceContext::parseTraceparent(req.status["traceparent"]);
    ASSERT_TRUE(sent);
    EXPECT_EQ(sent->traceId, serving.trace.traceId);
    EXPECT_NE(sent->spanId, serving.trace.spanId);
    EXPECT_TRUE(sent->sampled());
    EXPECT_NE(req.iMessageType & TARSMESSAGETYPETRACE, 0);
    const std::string& key = req.status["STATUS_TRACE_KEY"];
    EXPECT_EQ(key, "0-" + sent->traceIdHex() + "|" + sent->spanIdHex() + "|" + serving.trace.spanIdHex());
    auto tars = TraceContext::parseTarsTraceKey(key);
    ASSERT_TRUE(tars);
    EXPECT_EQ(tars->traceId, serving.trace.traceId);
}

TEST(Tracing, ANotSampledTraceIsPassedOnWithFlagsZeroAndNoTarsKey) {
    CallContext serving;
    serving.trace = TraceContext::newRoot(false);
    serving.traced = true;
    RequestPacket req;
    Tracing tracing(Tracing::Settings{"", 1.0, "test"});
    EXPECT_EQ(Tracing::startClientCall(&tracing, &serving, req, "App.Server.Obj"), nullptr);
    ASSERT_EQ(req.status.count("traceparent"), 1u);
    EXPECT_EQ(req.status["traceparent"].substr(53), "00");
    EXPECT_EQ(req.status.count("STATUS_TRACE_KEY"), 0u);
    EXPECT_EQ(req.iMessageType & TARSMESSAGETYPETRACE, 0);
}

TEST(Tracing, WithoutTraceOrTracingACallCarriesNothing) {
    RequestPacket req;
    CallContext deadlineOnly;
    deadlineOnly.deadlineUs = 1;
    EXPECT_EQ(Tracing::startClientCall(nullptr, &deadlineOnly, req, "A.B.C"), nullptr);
    EXPECT_TRUE(req.status.empty());
    EXPECT_EQ(req.iMessageType, 0);
}

TEST(Tracing, TheEdgeSamplesRootsByTheRatio) {
    Tracing all(Tracing::Settings{"", 1.0, "test"});
    Tracing none(Tracing::Settings{"", 0.0, "test"});
    RequestPacket a, b;
    Tracing::startClientCall(&all, nullptr, a, "A.B.C");
    Tracing::startClientCall(&none, nullptr, b, "A.B.C");
    EXPECT_TRUE(TraceContext::parseTraceparent(a.status["traceparent"])->sampled());
    EXPECT_EQ(a.status.count("STATUS_TRACE_KEY"), 1u);
    // A call the ratio does not sample starts no trace: nothing is written.
    EXPECT_TRUE(b.status.empty());
    EXPECT_EQ(b.iMessageType & TARSMESSAGETYPETRACE, 0);
}

TEST(Tracing, TheSampledShareFollowsTheRatio) {
    // 200,000 draws: the standard deviation of the share at 0.25 is about 0.001, so the
    // bounds below are far outside chance and catch a wrong threshold or a stuck generator.
    for (double ratio : {0.01, 0.25, 0.9}) {
        Tracing tracing(Tracing::Settings{"", ratio, "test"});
        int sampled = 0;
        for (int i = 0; i < 200'000; ++i) sampled += tracing.sample() ? 1 : 0;
        EXPECT_NEAR(sampled / 200'000.0, ratio, 0.01) << ratio;
    }
}

TEST(Tracing, AServerContinuesTraceparentElseTheTarsKey) {
    TraceContext trace;
    std::array<uint8_t, 8> parent{};
    bool hasParent = false;
    RequestPacket req;
    req.status["traceparent"] = kValid;
    req.status["tracestate"] = "k=v";
    ASSERT_TRUE(Tracing::continueServerCall(nullptr, req, trace, parent, hasParent));
    auto incoming = *TraceContext::parseTraceparent(kValid);
    EXPECT_EQ(trace.traceId, incoming.traceId);
    EXPECT_NE(trace.spanId, incoming.spanId);
    EXPECT_EQ(parent, incoming.spanId);
    EXPECT_TRUE(hasParent);
    EXPECT_EQ(trace.traceState, "k=v");

    RequestPacket tars;
    tars.iMessageType = TARSMESSAGETYPETRACE;
    tars.status["STATUS_TRACE_KEY"] = "0-4bf92f3577b34da6a3ce929d0e0e4736|00f067aa0ba902b7|00f067aa0ba902b7";
    ASSERT_TRUE(Tracing::continueServerCall(nullptr, tars, trace, parent, hasParent));
    EXPECT_EQ(trace.traceId, incoming.traceId);
    EXPECT_EQ(parent, incoming.spanId);
}

TEST(Tracing, AMalformedTraceparentIsIgnoredAndAFreshTraceStartsWhenSampled) {
    TraceContext trace;
    std::array<uint8_t, 8> parent{};
    bool hasParent = true;
    RequestPacket req;
    req.status["traceparent"] = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01";  // uppercase
    EXPECT_FALSE(Tracing::continueServerCall(nullptr, req, trace, parent, hasParent));
    Tracing tracing(Tracing::Settings{"", 1.0, "test"});
    ASSERT_TRUE(Tracing::continueServerCall(&tracing, req, trace, parent, hasParent));
    EXPECT_FALSE(hasParent);
    EXPECT_TRUE(trace.sampled());
    EXPECT_NE(trace.traceIdHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(Tracing, SettingsComeFromKeysThenEnvironmentAndRefuseBadRatios) {
    Tracing::Settings settings;
    ::unsetenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    ::unsetenv("OTEL_TRACES_SAMPLER_ARG");
    EXPECT_FALSE(Tracing::settingsFrom("", "", settings));
    ASSERT_TRUE(Tracing::settingsFrom("http://127.0.0.1:1/v1/traces", "", settings));
    EXPECT_EQ(settings.sampleRatio, 1.0);
    ASSERT_TRUE(Tracing::settingsFrom("", "0.25", settings));
    EXPECT_TRUE(settings.endpoint.empty());
    EXPECT_EQ(settings.sampleRatio, 0.25);
    EXPECT_THROW(Tracing::settingsFrom("", "2", settings), std::invalid_argument);
    EXPECT_THROW(Tracing::settingsFrom("", "half", settings), std::invalid_argument);
    ::setenv("OTEL_TRACES_SAMPLER_ARG", "0.5", 1);
    ASSERT_TRUE(Tracing::settingsFrom("", "", settings));
    EXPECT_EQ(settings.sampleRatio, 0.5);
    ::unsetenv("OTEL_TRACES_SAMPLER_ARG");
}

TEST(TraceContext, TarsCppTraceKeysRoundTripAndForeignIdsHashStably) {
    TraceContext c = *TraceContext::parseTraceparent(kValid);
    std::string key = c.tarsTraceKey("1111111111111111");
    EXPECT_EQ(key, "0-4bf92f3577b34da6a3ce929d0e0e4736|00f067aa0ba902b7|1111111111111111");
    // The parent as bytes, and a root (its own span id as parent, as TarsCpp writes one).
    EXPECT_EQ(c.tarsTraceKey(std::array<uint8_t, 8>{0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11}), key);
    EXPECT_EQ(c.tarsTraceKey(c.spanId), "0-4bf92f3577b34da6a3ce929d0e0e4736|00f067aa0ba902b7|00f067aa0ba902b7");
    EXPECT_EQ(c.tarsTraceKey(std::string()), c.tarsTraceKey(c.spanId));
    EXPECT_EQ(c.traceparent(), kValid);
    auto back = TraceContext::parseTarsTraceKey(key);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->traceId, c.traceId);
    EXPECT_EQ(back->spanId, c.spanId);
    EXPECT_TRUE(back->sampled());
    // TarsCpp's own ids (any text): the same text gives the same ids.
    auto a = TraceContext::parseTarsTraceKey("f.1-abcdef-HelloServer-17|5f3c|5f3c");
    auto b = TraceContext::parseTarsTraceKey("3-abcdef-HelloServer-17|5f3c|9");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->traceId, b->traceId);
    EXPECT_EQ(a->spanId, b->spanId);
    for (const char* bad : {"", "no dash here", "0-only|two", "0-|span|parent", "0-trace||parent"}) {
        EXPECT_FALSE(TraceContext::parseTarsTraceKey(bad)) << bad;
    }
}

SpanExporter::Settings exporterSettings(const std::string& url, size_t maxBatch, int flushIntervalMs,
                                        size_t maxQueue = 2048) {
    SpanExporter::Settings settings;
    settings.url = url;
    settings.serviceName = "App.Server";
    settings.maxBatch = maxBatch;
    settings.flushIntervalMs = flushIntervalMs;
    settings.maxQueue = maxQueue;
    return settings;
}

SpanRecord span(const std::string& method, int code) {
    SpanRecord s;
    s.context = TraceContext::newRoot(true);
    s.parentSpanId = TraceContext::newRoot(true).spanId;
    s.hasParent = true;
    s.kind = SpanRecord::Kind::Client;
    s.startUnixNs = 1'700'000'000'000'000'000;
    s.endUnixNs = s.startUnixNs + 2'500'000;
    s.code = code;
    s.servant = "App.Server.Obj";
    s.method = method;
    s.peerHost = "127.0.0.1";
    s.peerPort = 1;
    return s;
}

TEST(SpanExporter, ThePeerIsHostColonPortIPv6InBracketsAndEmptyWhenNoneWasReached) {
    SpanRecord v4 = span("a", 0);
    SpanRecord v6 = span("b", 0);
    v6.peerHost = "::1";
    v6.peerPort = 20001;
    SpanRecord none = span("c", -10000);
    none.peerHost.clear();
    none.peerPort = 0;
    auto json = nlohmann::json::parse(SpanExporter::toOtlpJson("App.Server", {v4, v6, none}));
    const auto& spans = json["resourceSpans"][0]["scopeSpans"][0]["spans"];
    ASSERT_EQ(spans.size(), 3u);
    auto peer = [](const nlohmann::json& s) {
        for (const auto& a : s["attributes"]) {
            if (a["key"] == "net.peer.name") return a["value"]["stringValue"].get<std::string>();
        }
        return std::string("(none)");
    };
    EXPECT_EQ(peer(spans[0]), "127.0.0.1:1");
    EXPECT_EQ(peer(spans[1]), "[::1]:20001");
    EXPECT_EQ(peer(spans[2]), "");
}

TEST(SpanExporter, OtlpJsonHasTheIdsTimesKindStatusAndAttributes) {
    SpanRecord ok = span("ping", 0);
    SpanRecord failed = span("pong", -7);
    auto json = nlohmann::json::parse(SpanExporter::toOtlpJson("App.Server", {ok, failed}));
    const auto& rs = json["resourceSpans"][0];
    EXPECT_EQ(rs["resource"]["attributes"][0]["key"], "service.name");
    EXPECT_EQ(rs["resource"]["attributes"][0]["value"]["stringValue"], "App.Server");
    const auto& spans = rs["scopeSpans"][0]["spans"];
    ASSERT_EQ(spans.size(), 2u);
    EXPECT_EQ(spans[0]["traceId"], ok.context.traceIdHex());
    EXPECT_EQ(spans[0]["spanId"], ok.context.spanIdHex());
    EXPECT_EQ(spans[0]["name"], "App.Server.Obj/ping");
    EXPECT_EQ(spans[0]["kind"], 3);
    EXPECT_EQ(spans[0]["startTimeUnixNano"], "1700000000000000000");
    EXPECT_EQ(spans[0]["endTimeUnixNano"], "1700000000002500000");
    EXPECT_EQ(spans[0]["status"]["code"], 1);
    EXPECT_EQ(spans[1]["status"]["code"], 2);
    EXPECT_EQ(spans[0]["parentSpanId"].get<std::string>().size(), 16u);
    bool sawCode = false;
    for (const auto& a : spans[1]["attributes"]) {
        if (a["key"] == "tars.return_code") {
            sawCode = true;
            EXPECT_EQ(a["value"]["intValue"], "-7");
        }
    }
    EXPECT_TRUE(sawCode);
}

TEST(SpanExporter, OtlpJsonStaysValidForAnyNameAPeerSends) {
    // Names come from the wire: quotes, backslashes, control bytes and bytes that are not
    // UTF-8 must still give JSON a collector parses; well-formed UTF-8 passes unchanged.
    SpanRecord s = span("m\"e\\t\x01h", 0);
    s.servant = "App.\xff\xc3(Obj\xe2\x82\xac\xf0\x9f\x98\x80";
    s.context.traceState = "k=v\n";
    auto json = nlohmann::json::parse(SpanExporter::toOtlpJson("Svc\"", {s}));
    const auto& out = json["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
    EXPECT_EQ(out["name"], "App.\xef\xbf\xbd\xef\xbf\xbd(Obj\xe2\x82\xac\xf0\x9f\x98\x80/m\"e\\t\x01h");
    EXPECT_EQ(out["traceState"], "k=v\n");
    EXPECT_EQ(json["resourceSpans"][0]["resource"]["attributes"][0]["value"]["stringValue"], "Svc\"");
    EXPECT_EQ(out["parentSpanId"].get<std::string>().size(), 16u);
}

TEST(SpanExporter, RefusesUrlsItCannotPostTo) {
    for (const char* bad : {"https://collector:4318/v1/traces", "collector:4318", "http://", "http://host:0/x",
                            "http://host:99999/x", "http://host:12ab/x"}) {
        EXPECT_THROW(SpanExporter(exporterSettings(bad, 10, 100)), std::invalid_argument) << bad;
    }
}

TEST(SpanExporter, SendsBatchesToTheCollectorAndCountsThem) {
    Collector collector(200);
    {
        SpanExporter exporter(
            exporterSettings("http://127.0.0.1:" + std::to_string(collector.port()) + "/v1/traces", 3, 100));
        for (int i = 0; i < 7; ++i) exporter.add(span("m" + std::to_string(i), 0));
        size_t spans = 0;
        for (const auto& body : collector.waitBodies(3)) {
            spans += nlohmann::json::parse(body)["resourceSpans"][0]["scopeSpans"][0]["spans"].size();
        }
        EXPECT_EQ(spans, 7u);
        for (int i = 0; i < 100 && exporter.counters().exported < 7; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        EXPECT_EQ(exporter.counters().exported, 7u);
        EXPECT_EQ(exporter.counters().dropped, 0u);
    }
}

TEST(SpanExporter, KeepsOneConnectionToACollectorThatKeepsItOpen) {
    Collector collector(200, true);
    SpanExporter exporter(
        exporterSettings("http://127.0.0.1:" + std::to_string(collector.port()) + "/v1/traces", 2, 60000));
    // One batch at a time: each is a POST of its own on the same connection.
    for (size_t batch = 1; batch <= 4; ++batch) {
        exporter.add(span("a", 0));
        exporter.add(span("b", 0));
        ASSERT_EQ(collector.waitBodies(batch).size(), batch);
    }
    for (int i = 0; i < 100 && exporter.counters().exported < 8; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(exporter.counters().exported, 8u);
    EXPECT_EQ(collector.connections(), 1);
}

TEST(SpanExporter, ACollectorThatClosesEachConnectionStillGetsEveryBatch) {
    // Collector(200) closes the connection after each answer without saying so: the
    // exporter finds the kept connection closed (or its request unanswered) and sends the
    // batch again on a new one, once.
    Collector collector(200);
    SpanExporter exporter(
        exporterSettings("http://127.0.0.1:" + std::to_string(collector.port()) + "/v1/traces", 2, 60000));
    for (size_t batch = 1; batch <= 3; ++batch) {
        exporter.add(span("a", 0));
        exporter.add(span("b", 0));
        ASSERT_EQ(collector.waitBodies(batch).size(), batch);
    }
    for (int i = 0; i < 100 && exporter.counters().exported < 6; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(exporter.counters().exported, 6u);
    EXPECT_EQ(exporter.counters().failedPosts, 0u);
    EXPECT_EQ(collector.connections(), 3);
}

TEST(SpanExporter, ACollectorThatRefusesOrIsDownCostsTheCallerNothingAndIsCounted) {
    Collector refusing(503);
    SpanExporter refused(exporterSettings("http://127.0.0.1:" + std::to_string(refusing.port()), 512, 50));
    refused.add(span("a", 0));
    refusing.waitBodies(1);
    for (int i = 0; i < 100 && refused.counters().failedPosts < 1; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(refused.counters().failedPosts, 1u);
    EXPECT_EQ(refused.counters().dropped, 1u);

    // Nothing listens: add() returns at once, and a full queue drops and counts.
    int port;
    {
        Collector gone(200);
        port = gone.port();
    }
    SpanExporter down(exporterSettings("http://127.0.0.1:" + std::to_string(port), 512, 60000, 10));
    auto begin = std::chrono::steady_clock::now();
    for (int i = 0; i < 1000; ++i) down.add(span("b", 0));
    EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(1));
    EXPECT_EQ(down.counters().dropped, 990u);
}

}  // namespace
}  // namespace tars
