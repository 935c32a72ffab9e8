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
#include <vector>

namespace tars {

struct ConfigKeyRule {
    std::string path;            // "/tars/application/server", or ".../*" for each subsection
    std::set<std::string> keys;  // the keys allowed there
};

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
