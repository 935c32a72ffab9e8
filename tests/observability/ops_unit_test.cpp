// The parts of the ops endpoint that need no process: the Prometheus text writer, the
// status report's text and JSON, and the call totals the metrics read.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cmath>
#include <limits>
#include <thread>

#include "internal/PrometheusText.h"
#include "internal/StatCollector.h"
#include "internal/StatusReport.h"

namespace tars {
namespace {

TEST(PrometheusText, EscapesLabelValuesAndFormatsNumbersAsTheFormatSpellsThem) {
    EXPECT_EQ(PrometheusText::escapeLabel("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    EXPECT_EQ(PrometheusText::formatValue(3), "3");
    EXPECT_EQ(PrometheusText::formatValue(0.005), "0.005");
    EXPECT_EQ(PrometheusText::formatValue(-2.5), "-2.5");
    EXPECT_EQ(PrometheusText::formatValue(std::nan("")), "NaN");
    EXPECT_EQ(PrometheusText::formatValue(std::numeric_limits<double>::infinity()), "+Inf");
    EXPECT_EQ(PrometheusText::formatValue(-std::numeric_limits<double>::infinity()), "-Inf");

    PrometheusText out;
    out.family("x_total", "counter", "Help with a \\ and a\nnewline.");
    out.sample("x_total", {{"name", "we\"ird"}}, uint64_t{7});
    out.sample("x_total", {}, 1.5);
    EXPECT_EQ(out.text(),
              "# HELP x_total Help with a \\\\ and a\\nnewline.\n# TYPE x_total counter\n"
              "x_total{name=\"we\\\"ird\"} 7\nx_total 1.5\n");
}

TEST(PrometheusText, HistogramBucketsAreCumulativeAndEndWithInf) {
    PrometheusText out;
    out.histogram("d_seconds", {{"m", "f"}}, {0.1, 1}, {2, 3}, 6, 4.25);
    EXPECT_EQ(out.text(),
              "d_seconds_bucket{m=\"f\",le=\"0.1\"} 2\n"
              "d_seconds_bucket{m=\"f\",le=\"1\"} 5\n"
              "d_seconds_bucket{m=\"f\",le=\"+Inf\"} 6\n"
              "d_seconds_sum{m=\"f\"} 4.25\n"
              "d_seconds_count{m=\"f\"} 6\n");
}

TEST(StatusReport, TextKeepsTheViewstatusLayoutAndJsonTypesWholeNumbers) {
    StatusReport r;
    r.section("").add("app", "A").add("pid", int64_t{42}).add("uptime", "5s");
    r.section("stat").add("stat.rows.sent", uint64_t{3});
    r.section("adapter", "A.S.X").add("port", 1234).add("merge", false).add("code", "0123").add("neg", "-5");
    r.section("adapter", "A.S.Y").add("port", 1235);
    EXPECT_EQ(r.text(),
              "\napp=A\npid=42\nuptime=5s\n[stat]\nstat.rows.sent=3\n[adapter A.S.X]\nport=1234\nmerge=0\n"
              "code=0123\nneg=-5\n[adapter A.S.Y]\nport=1235\n");
    auto json = nlohmann::json::parse(r.json());
    EXPECT_EQ(json["app"], "A");
    EXPECT_EQ(json["pid"], 42);
    EXPECT_EQ(json["uptime"], "5s");
    EXPECT_EQ(json["stat"]["stat.rows.sent"], 3);
    ASSERT_EQ(json["adapters"].size(), 2u);
    EXPECT_EQ(json["adapters"][0]["name"], "A.S.X");
    EXPECT_EQ(json["adapters"][0]["port"], 1234);
    EXPECT_EQ(json["adapters"][0]["code"], "0123");
    EXPECT_EQ(json["adapters"][0]["neg"], -5);
    EXPECT_EQ(json["adapters"][1]["port"], 1235);
}

using Outcome = StatCollector::Outcome;

TEST(StatCollectorTotals, KeepEveryCallThroughTakesAndMergeCallersWhenAsked) {
    StatCollector c;
    EXPECT_TRUE(c.totals().empty()) << "not kept until asked";
    c.keepTotals(false);
    c.record("1.1.1.1", "f", "ip", 1, 0, Outcome::Success, 4);
    c.record("2.2.2.2", "f", "ip", 1, 0, Outcome::Success, 4000);
    c.record("2.2.2.2", "f", "ip", 1, -7, Outcome::Timeout, 0);
    EXPECT_EQ(c.take().size(), 3u) << "the reporter still sees callers apart";
    c.record("3.3.3.3", "f", "ip", 1, 0, Outcome::Success, 6);
    auto totals = c.totals();
    ASSERT_EQ(totals.size(), 2u);
    const StatRowBody& ok = totals.at(StatRowKey{"", "f", "ip", 1, 0});
    EXPECT_EQ(ok.count, 3);
    EXPECT_EQ(ok.slow, 1);
    EXPECT_EQ(ok.buckets[0], 1);
    EXPECT_EQ(ok.buckets[8], 1);
    EXPECT_EQ(totals.at(StatRowKey{"", "f", "ip", 1, -7}).timeouts, 1);
    c.take();
    EXPECT_EQ(c.totals().at(StatRowKey{"", "f", "ip", 1, 0}).count, 3) << "a take moves rows, it does not lose them";
}

// A scrape never sees a total go down, whatever the reporter takes meanwhile.
TEST(StatCollectorTotals, NeverGoDownWhileTheReporterTakes) {
    StatCollector c;
    c.keepTotals(true);
    std::atomic<bool> done{false};
    std::thread reporter([&] {
        while (!done.load()) c.take();
    });
    std::thread caller([&] {
        for (int i = 0; i < 50000; ++i) c.record("A.B", "f", "ip", 1, 0, Outcome::Success, 1);
    });
    int64_t last = 0;
    bool decreased = false;
    for (int i = 0; i < 2000 && !decreased; ++i) {
        auto totals = c.totals();
        int64_t n = totals.empty() ? 0 : totals.begin()->second.count;
        decreased = n < last;
        last = n;
    }
    caller.join();
    done = true;
    reporter.join();
    EXPECT_FALSE(decreased);
    EXPECT_EQ(c.totals().at(StatRowKey{"A.B", "f", "ip", 1, 0}).count, 50000);
}

}  // namespace
}  // namespace tars
