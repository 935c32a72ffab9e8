// ConfigLineIndex: where each section and key of a text in the TARS config format
// (util/tc_config.h) is, so that errors about a deployment file can name the line.
//
// It reads the text with TC_Config's rules (sections <name> ... </name>, key = value
// split at the first unescaped '=', '#' comment lines, several tags on a line) but keeps
// what TC_Config merges or forgets: every opening of a section separately (a section
// opened twice is two entries), every key with its line, and the text between a
// section's tags. Values are decoded as TC_Config decodes them (trimmed, escapes
// \\ \r \n \t \= replaced).
//
// The text should have passed TC_Config::parseString first: that reports syntax errors
// with their line. On a malformed text the index is still built, without throwing, as
// far as it goes (an unmatched closing tag is ignored, an unclosed section ends at the
// end of the text).
// A value: copy it freely; reads from several threads are safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tars {

// TC_Config's escapes in a key or value (\\ \r \n \t \=), undone; the one definition
// both parsers use (tc_config.cpp).
std::string tcConfigUnescape(std::string_view s);

class ConfigLineIndex {
public:
    struct Param {
        std::string key;
        std::string value;
        int line = 0;
    };

    struct Section {
        std::string name;         // "" for the root
        int parent = -1;          // index in sections(); -1 for the root
        int openLine = 0;         // 0 for the root
        int closeLine = 0;        // line of </name> (the last line for the root)
        size_t contentBegin = 0;  // the text between <name> and </name>
        size_t contentEnd = 0;
        std::vector<int> children;  // indexes, in file order
        std::vector<Param> params;  // in file order, repeats kept
    };

    explicit ConfigLineIndex(const std::string& text);

    // sections()[0] is the root (the text itself).
    const std::vector<Section>& sections() const { return _sections; }
    const Section& section(int index) const { return _sections.at(static_cast<size_t>(index)); }
    // The text between the section's tags.
    std::string content(int index) const;
    // "<deploy>/<adapters>/<HelloObjAdapter>": the section's place, for messages.
    std::string describe(int index) const;

private:
    void parseLine(const std::string& line, int lineNo, size_t lineOffset, std::vector<int>& stack);

    std::string _text;
    std::vector<Section> _sections;
};

}  // namespace tars
