#include "internal/StatusReport.h"

#include <charconv>

#include "tup/TarsJson.h"

namespace tars {

namespace {

JsonValue jsonValue(const std::string& value) {
    int64_t number = 0;
    const char* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, number);
    bool whole = !value.empty() && ec == std::errc() && ptr == end && (value == "0" || value[0] != '0') &&
                 !(value.size() > 1 && value[0] == '-' && value[1] == '0');
    return whole ? JsonValue(number) : JsonValue(value);
}

}  // namespace

std::string StatusReport::text() const {
    std::string out;
    for (const Section& s : sections) {
        if (s.kind.empty()) {
            out += "\n";
        } else {
            out += "[" + s.kind + (s.name.empty() ? "" : " " + s.name) + "]\n";
        }
        for (const auto& [key, value] : s.values) out += key + "=" + value + "\n";
    }
    return out;
}

std::string StatusReport::json() const {
    JsonValue root = JsonValue::object();
    for (const Section& s : sections) {
        JsonValue object = JsonValue::object();
        if (!s.name.empty()) object["name"] = s.name;
        for (const auto& [key, value] : s.values) object[key] = jsonValue(value);
        if (s.kind.empty()) {
            for (auto& [key, value] : object.items()) root[key] = value;
        } else if (s.name.empty()) {
            root[s.kind] = std::move(object);
        } else {
            JsonValue& list = root[s.kind + "s"];
            if (!list.is_array()) list = JsonValue::array();
            list.push_back(std::move(object));
        }
    }
    return root.dump(-1, ' ', false, JsonValue::error_handler_t::replace);
}

}  // namespace tars
