// PropertyReport: one custom metric of a process, reported to the property service
// (PropertyF.reportPropMsg, client key `property`) every `report-interval`.
//
//   auto p = Application::getCommunicator()->getStatReport()->createPropertyReport(
//       "orders", PropertyReport::sum(), PropertyReport::avg(),
//       PropertyReport::distr({10, 100, 1000}), PropertyReport::max());
//   p->report(42);
//
// Policies and the value each sends for an interval (TARS's names and formats):
//   Sum    the sum of the values                 Count  how many values
//   Avg    sum / count ("0" with no value)        Max    the largest value (0 with none)
//   Min    the smallest value (0 with none)
//   Distr  "p1|n1,p2|n2,...": a value counts at the first point >= it; values above the
//          last point count at the last point
// An interval in which report() was never called sends nothing for the property.
// Thread-safety: report() from any thread, lock-free (a few atomic operations per
// policy); an interval's figures are taken with atomic exchanges, so a value reported
// at that moment may count in the next interval for one policy and this one for another.
// Ownership: the StatReport keeps every property it made; the handle is shared.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace tars {

class PropertyReport {
public:
    class Policy {
    public:
        enum class Kind { Sum, Avg, Distr, Max, Min, Count };
        explicit Policy(Kind kind, std::vector<int> points = {});
        Kind kind() const { return _kind; }
        // TARS's policy name: Sum, Avg, Distr, Max, Min, Count.
        const char* name() const;
        void add(int64_t value);
        // The interval's value as TARS formats it, and a fresh interval.
        std::string take();

    private:
        Kind _kind;
        std::vector<int> _points;
        std::atomic<int64_t> _sum{0};
        std::atomic<int64_t> _count{0};
        std::atomic<int64_t> _extreme;
        std::unique_ptr<std::atomic<int64_t>[]> _buckets;
    };
    using PolicyPtr = std::shared_ptr<Policy>;

    static PolicyPtr sum() { return std::make_shared<Policy>(Policy::Kind::Sum); }
    static PolicyPtr avg() { return std::make_shared<Policy>(Policy::Kind::Avg); }
    static PolicyPtr count() { return std::make_shared<Policy>(Policy::Kind::Count); }
    static PolicyPtr max() { return std::make_shared<Policy>(Policy::Kind::Max); }
    static PolicyPtr min() { return std::make_shared<Policy>(Policy::Kind::Min); }
    // points: ascending bucket bounds; empty or unsorted throws std::invalid_argument.
    static PolicyPtr distr(std::vector<int> points);

    PropertyReport(std::string name, std::vector<PolicyPtr> policies);
    const std::string& name() const { return _name; }
    void report(int64_t value);
    // (policy name, value) of each policy for the interval; empty when nothing was reported.
    std::vector<std::pair<std::string, std::string>> take();

private:
    std::string _name;
    std::vector<PolicyPtr> _policies;
    std::atomic<int64_t> _reports{0};
};

using PropertyReportPtr = std::shared_ptr<PropertyReport>;

}  // namespace tars
