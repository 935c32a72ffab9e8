#include "servant/PropertyReport.h"

#include <algorithm>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace tars {

namespace {

int64_t initialExtreme(PropertyReport::Policy::Kind kind) {
    return kind == PropertyReport::Policy::Kind::Min ? std::numeric_limits<int64_t>::max()
                                                     : std::numeric_limits<int64_t>::min();
}

}  // namespace

PropertyReport::Policy::Policy(Kind kind, std::vector<int> points)
    : _kind(kind), _points(std::move(points)), _extreme(initialExtreme(kind)) {
    if (_kind == Kind::Distr) {
        _buckets = std::make_unique<std::atomic<int64_t>[]>(_points.size());
        for (size_t i = 0; i < _points.size(); ++i) _buckets[i].store(0);
    }
}

const char* PropertyReport::Policy::name() const {
    switch (_kind) {
        case Kind::Sum: return "Sum";
        case Kind::Avg: return "Avg";
        case Kind::Distr: return "Distr";
        case Kind::Max: return "Max";
        case Kind::Min: return "Min";
        case Kind::Count: return "Count";
    }
    return "";
}

void PropertyReport::Policy::add(int64_t value) {
    switch (_kind) {
        case Kind::Sum: _sum.fetch_add(value, std::memory_order_relaxed); break;
        case Kind::Count: _count.fetch_add(1, std::memory_order_relaxed); break;
        case Kind::Avg:
            _sum.fetch_add(value, std::memory_order_relaxed);
            _count.fetch_add(1, std::memory_order_relaxed);
            break;
        case Kind::Max: {
            int64_t current = _extreme.load(std::memory_order_relaxed);
            while (value > current && !_extreme.compare_exchange_weak(current, value, std::memory_order_relaxed)) {
            }
            break;
        }
        case Kind::Min: {
            int64_t current = _extreme.load(std::memory_order_relaxed);
            while (value < current && !_extreme.compare_exchange_weak(current, value, std::memory_order_relaxed)) {
            }
            break;
        }
        case Kind::Distr: {
            auto it = std::lower_bound(_points.begin(), _points.end(), value,
                                       [](int point, int64_t v) { return static_cast<int64_t>(point) < v; });
            size_t i = it == _points.end() ? _points.size() - 1 : static_cast<size_t>(it - _points.begin());
            _buckets[i].fetch_add(1, std::memory_order_relaxed);
            break;
        }
    }
}

std::string PropertyReport::Policy::take() {
    switch (_kind) {
        case Kind::Sum: return std::to_string(_sum.exchange(0));
        case Kind::Count: return std::to_string(_count.exchange(0));
        case Kind::Avg: {
            int64_t sum = _sum.exchange(0);
            int64_t count = _count.exchange(0);
            if (count == 0) return "0";
            std::ostringstream os;
            os << static_cast<double>(sum) / static_cast<double>(count);
            return os.str();
        }
        case Kind::Max:
        case Kind::Min: {
            int64_t v = _extreme.exchange(initialExtreme(_kind));
            return v == initialExtreme(_kind) ? "0" : std::to_string(v);
        }
        case Kind::Distr: {
            std::string out;
            for (size_t i = 0; i < _points.size(); ++i) {
                if (i > 0) out += ",";
                out += std::to_string(_points[i]) + "|" + std::to_string(_buckets[i].exchange(0));
            }
            return out;
        }
    }
    return "";
}

PropertyReport::PolicyPtr PropertyReport::distr(std::vector<int> points) {
    if (points.empty()) throw std::invalid_argument("PropertyReport::distr: no points");
    if (!std::is_sorted(points.begin(), points.end()) ||
        std::adjacent_find(points.begin(), points.end()) != points.end()) {
        throw std::invalid_argument("PropertyReport::distr: points must be strictly ascending");
    }
    return std::make_shared<Policy>(Policy::Kind::Distr, std::move(points));
}

PropertyReport::PropertyReport(std::string name, std::vector<PolicyPtr> policies)
    : _name(std::move(name)), _policies(std::move(policies)) {}

void PropertyReport::report(int64_t value) {
    _reports.fetch_add(1, std::memory_order_relaxed);
    for (const auto& policy : _policies) policy->add(value);
}

std::vector<std::pair<std::string, std::string>> PropertyReport::take() {
    std::vector<std::pair<std::string, std::string>> out;
    if (_reports.exchange(0) == 0) return out;
    for (const auto& policy : _policies) out.emplace_back(policy->name(), policy->take());
    return out;
}

}  // namespace tars
