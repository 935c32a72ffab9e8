// StatusReport: what tars.viewstatus shows, as sections of key=value lines, rendered as
// the admin command's text or as the ops endpoint's /status JSON.
//
// Text: the first (unnamed) section's lines after a blank line, then "[kind name]" and
// the lines of each other section. JSON: one object; the first section's keys at the top,
// a section without a name as an object under its kind, sections with a name in an array
// under "<kind>s" (each with "name" first). A value that is a whole number is a JSON
// number, anything else a string.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace tars {

struct StatusReport {
    struct Section {
        std::string kind;  // "" for the first section
        std::string name;
        std::vector<std::pair<std::string, std::string>> values;

        template <typename T>
        Section& add(std::string key, const T& value) {
            if constexpr (std::is_convertible_v<const T&, std::string>) {
                values.emplace_back(std::move(key), std::string(value));
            } else if constexpr (std::is_same_v<T, bool>) {
                values.emplace_back(std::move(key), value ? "1" : "0");
            } else {
                values.emplace_back(std::move(key), std::to_string(value));
            }
            return *this;
        }
    };

    std::vector<Section> sections;

    Section& section(std::string kind, std::string name = "") {
        sections.push_back(Section{std::move(kind), std::move(name), {}});
        return sections.back();
    }
    std::string text() const;
    std::string json() const;
};

}  // namespace tars
