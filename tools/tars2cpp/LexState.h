// What the scanner of one file keeps between tokens. One LexState per parse,
// owned by parseText(); the scanner reaches it through its "extra" pointer, so
// no scanner state is global and parses may run one after another or in
// different threads.
#pragma once

#include "Parser.hpp"

#include <string>

namespace tars2cpp::grammar {

// Deepest nesting of '<' accepted in a type; deeper input is an error, which
// also keeps hostile input from growing the parser stack without bound.
inline constexpr int kMaxTypeNesting = 64;

struct LexState {
    void* scanner = nullptr;
    Parser::location_type location;          // of the token being scanned
    Parser::location_type previousTokenEnd;  // just after the token before the last one
    Parser::location_type lastTokenEnd;      // just after the last token
    Parser::location_type commentStart;
    std::string lastTokenText;  // shortened for messages
    int angleDepth = 0;

    // Records a token about to be returned: its text for messages and where it ends.
    void noteToken(const char* text, std::size_t length) {
        constexpr std::size_t kShown = 40;
        lastTokenText.assign(text, length < kShown ? length : kShown);
        if (length > kShown) lastTokenText += "...";
        previousTokenEnd = lastTokenEnd;
        lastTokenEnd = location;
        lastTokenEnd.step();
    }

    // Moves the location over the text of a match.
    void advance(const char* text, std::size_t length) {
        for (std::size_t i = 0; i < length; ++i) {
            if (text[i] == '\n')
                location.lines(1);
            else
                location.columns(1);
        }
    }
};

// Parses `text` (the content of builder's file). Returns false when parsing
// stopped at a syntax error; every error is reported through the builder.
bool parseText(const std::string& text, FileBuilder& builder);

}  // namespace tars2cpp::grammar
