// Collects the errors found while compiling .tars files.
//
// Every error is kept as `file:line:col: error: <what>`, in the order found.
// Owned by one Program; not thread-safe. After kMaxErrors errors further ones
// are dropped and tooManyErrors() turns true, so that hostile input cannot
// flood the output; the compilation still fails.
#pragma once

#include "Ast.h"

#include <string>
#include <vector>

namespace tars2cpp {

class Diagnostics {
public:
    static constexpr std::size_t kMaxErrors = 50;

    void error(const SourceLocation& where, const std::string& what);
    // An error that belongs to no position in a file (a file that cannot be read).
    void error(const std::string& what);

    bool hasErrors() const { return _count > 0; }
    bool tooManyErrors() const { return _count > kMaxErrors; }
    std::size_t count() const { return _count; }
    const std::vector<std::string>& messages() const { return _messages; }
    // All messages, one per line.
    std::string text() const;

private:
    void add(std::string message);

    std::vector<std::string> _messages;
    std::size_t _count = 0;
};

// "file:line:col", the prefix of a message about that position.
std::string formatLocation(const SourceLocation& where);

}  // namespace tars2cpp
