// Accumulates generated C++ text with the indentation of the current block.
#pragma once

#include <string>

namespace tars2cpp {

class CodeWriter {
public:
    // Adds one line at the current indentation (an empty line stays empty).
    void line(const std::string& text = std::string()) {
        if (!text.empty()) _text.append(static_cast<std::size_t>(_depth) * 4, ' ');
        _text += text;
        _text += '\n';
    }

    // "{" then one level deeper; close() goes back and writes "}" plus `suffix`.
    void open() {
        line("{");
        ++_depth;
    }
    void close(const std::string& suffix = std::string()) {
        --_depth;
        line("}" + suffix);
    }

    void indent() { ++_depth; }
    void dedent() { --_depth; }

    const std::string& text() const { return _text; }

private:
    std::string _text;
    int _depth = 0;
};

}  // namespace tars2cpp
