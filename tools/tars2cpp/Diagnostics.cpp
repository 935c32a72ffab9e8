#include "Diagnostics.h"

namespace tars2cpp {

std::string formatLocation(const SourceLocation& where) {
    std::string text = where.file ? *where.file : std::string("<input>");
    text += ':';
    text += std::to_string(where.line);
    text += ':';
    text += std::to_string(where.column);
    return text;
}

void Diagnostics::error(const SourceLocation& where, const std::string& what) {
    add(formatLocation(where) + ": error: " + what);
}

void Diagnostics::error(const std::string& what) { add("tars2cpp: error: " + what); }

void Diagnostics::add(std::string message) {
    ++_count;
    if (_count <= kMaxErrors)
        _messages.push_back(std::move(message));
    else if (_count == kMaxErrors + 1)
        _messages.push_back("tars2cpp: error: too many errors, stopping");
}

std::string Diagnostics::text() const {
    std::string all;
    for (const std::string& message : _messages) {
        all += message;
        all += '\n';
    }
    return all;
}

}  // namespace tars2cpp
