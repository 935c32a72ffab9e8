#include "util/tc_config_line_index.h"

#include "util/tc_common.h"

namespace tars {

ConfigLineIndex::ConfigLineIndex(const std::string& text) : _text(text) {
    _sections.emplace_back();
    std::vector<int> stack{0};
    size_t lineStart = 0;
    int lineNo = 0;
    while (lineStart <= _text.size()) {
        size_t lineEnd = _text.find('\n', lineStart);
        if (lineEnd == std::string::npos) lineEnd = _text.size();
        ++lineNo;
        parseLine(_text.substr(lineStart, lineEnd - lineStart), lineNo, lineStart, stack);
        lineStart = lineEnd + 1;
    }
    // Unclosed sections (a malformed text) end with it.
    for (int open : stack) {
        _sections[static_cast<size_t>(open)].closeLine = lineNo;
        _sections[static_cast<size_t>(open)].contentEnd = _text.size();
    }
}

void ConfigLineIndex::parseLine(const std::string& line, int lineNo, size_t lineOffset, std::vector<int>& stack) {
    size_t pos = 0;
    while (true) {
        pos = line.find_first_not_of(TC_Common::kSpaces, pos);
        if (pos == std::string::npos || line[pos] == '#') return;
        if (line[pos] == '<') {
            size_t close = line.find('>', pos);
            if (close == std::string::npos) return;
            std::string inner = line.substr(pos + 1, close - pos - 1);
            bool closing = !inner.empty() && inner.front() == '/';
            bool selfClosing = !closing && !inner.empty() && inner.back() == '/';
            if (closing) inner.erase(0, 1);
            if (selfClosing) inner.pop_back();
            std::string name = TC_Common::trim(inner);
            if (closing) {
                if (stack.size() > 1 && _sections[static_cast<size_t>(stack.back())].name == name) {
                    Section& section = _sections[static_cast<size_t>(stack.back())];
                    section.closeLine = lineNo;
                    section.contentEnd = lineOffset + pos;
                    stack.pop_back();
                }
            } else {
                Section section;
                section.name = name;
                section.parent = stack.back();
                section.openLine = lineNo;
                section.closeLine = lineNo;
                section.contentBegin = lineOffset + close + 1;
                section.contentEnd = section.contentBegin;
                int index = static_cast<int>(_sections.size());
                _sections.push_back(std::move(section));
                _sections[static_cast<size_t>(stack.back())].children.push_back(index);
                if (!selfClosing) stack.push_back(index);
            }
            pos = close + 1;
            continue;
        }
        size_t end = line.find('<', pos);
        if (end == std::string::npos) end = line.size();
        std::string text = line.substr(pos, end - pos);
        size_t eq = std::string::npos;
        for (size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\\') {
                ++i;
            } else if (text[i] == '=') {
                eq = i;
                break;
            }
        }
        Param param;
        param.key = tcConfigUnescape(TC_Common::trim(text.substr(0, eq)));
        param.value = eq == std::string::npos ? std::string() : tcConfigUnescape(TC_Common::trim(text.substr(eq + 1)));
        param.line = lineNo;
        if (!param.key.empty()) _sections[static_cast<size_t>(stack.back())].params.push_back(std::move(param));
        pos = end;
    }
}

std::string ConfigLineIndex::content(int index) const {
    const Section& s = section(index);
    if (s.parent < 0) return _text;
    return _text.substr(s.contentBegin, s.contentEnd > s.contentBegin ? s.contentEnd - s.contentBegin : 0);
}

std::string ConfigLineIndex::describe(int index) const {
    std::string out;
    for (int at = index; at > 0; at = section(at).parent)
        out = "<" + section(at).name + ">" + (out.empty() ? "" : "/") + out;
    return out.empty() ? "the top level" : out;
}

}  // namespace tars
