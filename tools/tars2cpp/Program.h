// A Program parses and checks .tars files and owns their syntax trees.
//
// parseInput() parses a file and, through its #include lines, every file it
// includes, each file once however often it is included. Errors go to
// diagnostics(); a file with errors still yields its tree (for more
// messages), so callers generate code only when diagnostics() has none.
// A Program is used from one thread; separate Programs share nothing but
// their (immutable) loader.
#pragma once

#include "Ast.h"
#include "Diagnostics.h"
#include "SourceLoader.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tars2cpp {

struct CompileOptions {
    bool withTars = false;  // allow `module tars` (the framework's own files)
};

// A name declared at module scope, as other definitions see it.
struct Symbol {
    enum class Kind {
        Struct,
        Enum,
        Enumerator,
        Const,
        Interface,
    };

    Kind kind = Kind::Struct;
    SourceLocation location;
    const StructDecl* structDecl = nullptr;
    const EnumDecl* enumDecl = nullptr;  // Enum, and the enum of an Enumerator
};

// Visible names keyed by "Module::Name".
using SymbolTable = std::map<std::string, Symbol>;

class Program {
public:
    // Deepest chain of nested #includes.
    static constexpr std::size_t kMaxIncludeDepth = 64;

    Program(const SourceLoader& loader, CompileOptions options);
    ~Program();
    Program(const Program&) = delete;
    Program& operator=(const Program&) = delete;

    // Parses and checks `path` and what it includes. nullptr when the file
    // cannot be read or parsing stopped early (the errors say why).
    const File* parseInput(const std::string& path);

    const Diagnostics& diagnostics() const { return _diagnostics; }
    Diagnostics& diagnostics() { return _diagnostics; }
    const CompileOptions& options() const { return _options; }

    // One parsed file and the names it can see (its own and its includes').
    struct Unit {
        enum class State {
            Parsing,
            Parsed,
            Failed,  // stopped at a syntax error or could not be read
        };

        std::unique_ptr<File> file;
        SymbolTable visible;
        State state = State::Parsing;
    };

    // For FileBuilder: the unit of an `#include` written at `where`, parsed if
    // new. nullptr after reporting an error (unresolved, cycle, unreadable,
    // failed to parse).
    const Unit* include(const std::string& name, const File& includer, const SourceLocation& where);

private:
    Unit* load(const SourceName& name, const SourceLocation* includedFrom);

    const SourceLoader& _loader;
    CompileOptions _options;
    Diagnostics _diagnostics;
    std::map<std::string, std::unique_ptr<Unit>> _units;  // by identity
    std::vector<Unit*> _parsing;                          // the include chain being parsed
};

}  // namespace tars2cpp
