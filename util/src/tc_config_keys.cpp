#include "util/tc_config_keys.h"

#include <algorithm>
#include <cctype>

#include "util/tc_config_line_index.h"

namespace tars {

namespace {

// "/tars/application/server" for a section of the index.
std::string sectionPath(const ConfigLineIndex& index, int section) {
    std::vector<std::string> names;
    for (int s = section; s > 0; s = index.section(s).parent) names.push_back(index.section(s).name);
    std::string path;
    for (auto name = names.rbegin(); name != names.rend(); ++name) path += "/" + *name;
    return path;
}

// The rule for the section at path: an exact one, else the "/*" one of its parent.
const ConfigKeyRule* ruleFor(const std::string& path, const std::vector<ConfigKeyRule>& rules) {
    for (const auto& rule : rules) {
        if (rule.path == path) return &rule;
    }
    size_t slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0) return nullptr;
    std::string wildcard = path.substr(0, slash) + "/*";
    for (const auto& rule : rules) {
        if (rule.path == wildcard) return &rule;
    }
    return nullptr;
}

}  // namespace

std::vector<std::string> checkConfigKeys(const std::string& fileName, const std::string& text,
                                         const std::vector<ConfigKeyRule>& rules) {
    std::vector<std::string> problems;
    ConfigLineIndex index(text);
    struct Found {
        int line;
        std::string message;
    };
    std::vector<Found> found;
    for (size_t s = 1; s < index.sections().size(); ++s) {
        std::string path = sectionPath(index, static_cast<int>(s));
        const ConfigKeyRule* rule = ruleFor(path, rules);
        if (!rule) continue;
        std::vector<std::string> known(rule->keys.begin(), rule->keys.end());
        for (const auto& param : index.section(static_cast<int>(s)).params) {
            if (rule->keys.count(param.key)) continue;
            std::string closest = closestName(param.key, known);
            found.push_back({param.line, fileName + ":" + std::to_string(param.line) + ": unknown key '" + param.key +
                                             "' in " + path +
                                             (closest.empty() ? "" : " (did you mean '" + closest + "'?)")});
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.line < b.line; });
    for (auto& f : found) problems.push_back(std::move(f.message));
    return problems;
}

std::string closestName(const std::string& word, const std::vector<std::string>& names) {
    auto distance = [](const std::string& a, const std::string& b) {
        std::vector<size_t> row(b.size() + 1);
        for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
        for (size_t i = 1; i <= a.size(); ++i) {
            size_t diagonal = row[0];
            row[0] = i;
            for (size_t j = 1; j <= b.size(); ++j) {
                size_t up = row[j];
                bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                            std::tolower(static_cast<unsigned char>(b[j - 1]));
                row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
                diagonal = up;
            }
        }
        return row[b.size()];
    };
    std::string best;
    size_t bestDistance = 3;
    for (const auto& name : names) {
        size_t d = distance(word, name);
        if (d < bestDistance && d * 3 <= std::max(word.size(), name.size())) {
            best = name;
            bestDistance = d;
        }
    }
    return best;
}

}  // namespace tars
