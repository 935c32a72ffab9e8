#include "Program.h"

#include "FileBuilder.h"
#include "LexState.h"

namespace tars2cpp {

Program::Program(const SourceLoader& loader, CompileOptions options) : _loader(loader), _options(options) {}

Program::~Program() = default;

const File* Program::parseInput(const std::string& path) {
    const Unit* unit = load(_loader.resolveInput(path), nullptr);
    if (unit == nullptr || unit->state != Unit::State::Parsed) return nullptr;
    return unit->file.get();
}

const Program::Unit* Program::include(const std::string& name, const File& includer, const SourceLocation& where) {
    const std::optional<SourceName> resolved = _loader.resolveInclude(name, includer.path);
    if (!resolved) {
        _diagnostics.error(where, "cannot find included file '" + name + "'");
        return nullptr;
    }
    const auto known = _units.find(resolved->identity);
    if (known != _units.end() && known->second->state == Unit::State::Parsing) {
        std::string chain;
        bool inCycle = false;
        for (const Unit* unit : _parsing) {
            inCycle = inCycle || unit == known->second.get();
            if (inCycle) chain += unit->file->path + " -> ";
        }
        chain += resolved->path;
        _diagnostics.error(where, "include cycle: " + chain);
        return nullptr;
    }
    if (_parsing.size() >= kMaxIncludeDepth) {
        _diagnostics.error(where,
                           "#include nested too deeply (more than " + std::to_string(kMaxIncludeDepth) + " files)");
        return nullptr;
    }
    const Unit* unit = load(*resolved, &where);
    if (unit == nullptr || unit->state != Unit::State::Parsed) return nullptr;
    return unit;
}

Program::Unit* Program::load(const SourceName& name, const SourceLocation* includedFrom) {
    const auto known = _units.find(name.identity);
    if (known != _units.end()) return known->second.get();

    std::string readError;
    std::optional<std::string> text = _loader.read(name, readError);
    if (!text) {
        if (includedFrom)
            _diagnostics.error(*includedFrom, "cannot read included file '" + name.path + "': " + readError);
        else
            _diagnostics.error("cannot read '" + name.path + "': " + readError);
        return nullptr;
    }

    // A UTF-8 byte order mark is not part of the IDL; blank it so columns still count bytes.
    std::string source = std::move(*text);
    if (source.compare(0, 3, "\xEF\xBB\xBF") == 0) source.replace(0, 3, "   ");

    auto owned = std::make_unique<Unit>();
    owned->file = std::make_unique<File>();
    owned->file->path = name.path;
    owned->file->identity = name.identity;
    Unit* unit = owned.get();
    _units.emplace(name.identity, std::move(owned));

    _parsing.push_back(unit);
    bool parsed = false;
    try {
        FileBuilder builder(*this, *unit);
        parsed = grammar::parseText(source, builder);
        if (parsed) builder.finish();
    } catch (const FileBuilder::TooManyErrors&) {
        parsed = false;
    }
    _parsing.pop_back();
    unit->state = parsed ? Unit::State::Parsed : Unit::State::Failed;
    return unit;
}

}  // namespace tars2cpp
