#include "internal/PrometheusText.h"

#include <charconv>
#include <cmath>

namespace tars {

std::string PrometheusText::escapeLabel(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '"': out += "\\\""; break;
            case '\n': out += "\\n"; break;
            default: out += c;
        }
    }
    return out;
}

std::string PrometheusText::formatValue(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buffer[64];
    if (value == std::trunc(value) && std::fabs(value) < 1e15) {
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), static_cast<int64_t>(value));
        return std::string(buffer, end);
    }
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);  // shortest round-trip form
    return std::string(buffer, end);
}

void PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
    _out.append("# HELP ").append(name).append(" ");
    for (char c : help) {  // HELP text escapes backslash and newline only
        if (c == '\\') {
            _out += "\\\\";
        } else if (c == '\n') {
            _out += "\\n";
        } else {
            _out += c;
        }
    }
    _out.append("\n# TYPE ").append(name).append(" ").append(type).append("\n");
}

void PrometheusText::labels(const Labels& labels, std::string_view extraName, std::string_view extraValue) {
    if (labels.empty() && extraName.empty()) return;
    _out += '{';
    bool first = true;
    auto add = [&](std::string_view name, std::string_view value) {
        if (!first) _out += ',';
        first = false;
        _out.append(name).append("=\"").append(escapeLabel(value)).append("\"");
    };
    for (const auto& [name, value] : labels) add(name, value);
    if (!extraName.empty()) add(extraName, extraValue);
    _out += '}';
}

void PrometheusText::sample(std::string_view name, const Labels& l, double value) {
    _out.append(name);
    labels(l);
    _out.append(" ").append(formatValue(value)).append("\n");
}

void PrometheusText::sample(std::string_view name, const Labels& l, uint64_t value) {
    _out.append(name);
    labels(l);
    _out.append(" ").append(std::to_string(value)).append("\n");
}

void PrometheusText::histogram(std::string_view name, const Labels& l, const std::vector<double>& bounds,
                               const std::vector<uint64_t>& counts, uint64_t count, double sum) {
    const std::string bucket = std::string(name) + "_bucket";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds.size(); ++i) {
        cumulative += i < counts.size() ? counts[i] : 0;
        _out.append(bucket);
        labels(l, "le", formatValue(bounds[i]));
        _out.append(" ").append(std::to_string(cumulative)).append("\n");
    }
    _out.append(bucket);
    labels(l, "le", "+Inf");
    _out.append(" ").append(std::to_string(count)).append("\n");
    sample(std::string(name) + "_sum", l, sum);
    sample(std::string(name) + "_count", l, count);
}

}  // namespace tars
