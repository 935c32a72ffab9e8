// Checking the keys of a config file against the keys a program declares, so that a
// typo (`logLevle`, `thread`) is reported with its file, line and the closest known key
// instead of being silently ignored.
//
// A ConfigKeyRule names a section by its path ("/tars/application/server") or every
// direct subsection of one ("/tars/application/server/*") and lists the keys allowed in
// it. checkConfigKeys() reads the text with ConfigLineIndex and reports each key of a
// section some rule covers that no covering rule allows, as
//   FILE:LINE: unknown key 'logLevle' in /tars/application/server (did you mean 'logLevel'?)
// Sections no rule covers (the program's own) are not checked. An exact rule wins over
// a "/*" rule for the same section.
//
// Plain functions and values; thread-safe. Nothing throws for a malformed text (the
// caller parses it with TC_Config first, which reports syntax errors).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/tc_common.h"
#include "util/tc_config.h"
#include "util/tc_ex.h"

namespace tars {

struct ConfigKeyRule {
    std::string path;            // "/tars/application/server", or ".../*" for each subsection
    std::set<std::string> keys;  // the keys allowed there
};

// The value of the declared key section<name> in config, trimmed, else the key's declared
// default (Key has `section`, `name` and `defaultValue`). A key keys does not declare is a
// programming error: TC_Exception naming it.
template <typename Key>
std::string declaredValue(const TC_Config& config, const std::vector<Key>& keys, std::string_view section,
                          std::string_view name) {
    const std::string path = std::string(section) + "<" + std::string(name) + ">";
    for (const Key& key : keys) {
        if (section == key.section && name == key.name) return TC_Common::trim(config.get(path, key.defaultValue));
    }
    throw TC_Exception("undeclared key " + path);
}

// The same as a whole number from min to max; anything else is a TC_Exception naming the
// value, the key and the range.
template <typename Key>
long long declaredNumber(const TC_Config& config, const std::vector<Key>& keys, std::string_view section,
                         std::string_view name, long long min, long long max) {
    std::string text = declaredValue(config, keys, section, name);
    auto parsed = TC_Common::tryStrto<long long>(text);
    if (!parsed || *parsed < min || *parsed > max) {
        throw TC_Exception("bad value '" + text + "' for " + std::string(section) + "<" + std::string(name) +
                           ">: a number from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return *parsed;
}

// One rule per section of a table of declared keys (Key has `section` and `name`).
template <typename Key>
std::vector<ConfigKeyRule> configKeyRulesOf(const std::vector<Key>& keys) {
    std::vector<ConfigKeyRule> rules;
    for (const Key& key : keys) {
        ConfigKeyRule* rule = nullptr;
        for (auto& r : rules) {
            if (r.path == key.section) rule = &r;
        }
        if (!rule) rule = &rules.emplace_back(ConfigKeyRule{key.section, {}});
        rule->keys.insert(key.name);
    }
    return rules;
}

// One problem per unknown key, in file order.
std::vector<std::string> checkConfigKeys(const std::string& fileName, const std::string& text,
                                         const std::vector<ConfigKeyRule>& rules);

// The known name closest to word (at most two edits, case-insensitive, and not more than
// a third of the longer name), or "" when none is close.
std::string closestName(const std::string& word, const std::vector<std::string>& names);

}  // namespace tars
