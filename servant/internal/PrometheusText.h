// PrometheusText: writes the Prometheus text exposition format (version 0.0.4).
//
// A family is opened with its HELP and TYPE lines, then its samples follow; label values
// are escaped (backslash, double quote, newline) and metric and label names are checked
// against the format's grammar by the caller's constants (they are never user input).
// Values print as integers when they are whole, else with enough digits to round-trip;
// NaN and the infinities as the format spells them.
//
// A plain value, used by one thread.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tars {

class PrometheusText {
public:
    using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

    // HELP and TYPE (counter, gauge, histogram, summary, untyped) of the family `name`.
    void family(std::string_view name, std::string_view type, std::string_view help);
    // One sample: name{labels} value.
    void sample(std::string_view name, const Labels& labels, double value);
    void sample(std::string_view name, const Labels& labels, uint64_t value);

    // A histogram's samples (the family opened with type histogram): cumulative buckets for
    // `bounds` (ascending, in the family's unit) from per-bucket counts (counts.size() ==
    // bounds.size(), each bucket the observations above the previous bound and at most its
    // own), then +Inf (= count), _sum and _count.
    void histogram(std::string_view name, const Labels& labels, const std::vector<double>& bounds,
                   const std::vector<uint64_t>& counts, uint64_t count, double sum);

    const std::string& text() const { return _out; }
    std::string take() { return std::move(_out); }

    static std::string escapeLabel(std::string_view value);
    static std::string formatValue(double value);

private:
    void labels(const Labels& labels, std::string_view extraName = {}, std::string_view extraValue = {});

    std::string _out;
};

}  // namespace tars
