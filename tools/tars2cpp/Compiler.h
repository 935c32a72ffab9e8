// The whole compilation in memory: parse and check every input (and what it
// includes), then generate one header per input. Used by the command-line
// tool, the tests and the fuzzer; it touches no file except through the
// loader and writes nothing.
#pragma once

#include "Generator.h"
#include "Program.h"
#include "SourceLoader.h"

#include <string>
#include <utility>
#include <vector>

namespace tars2cpp {

struct CompileResult {
    // (file name "<basename>.h", content) per input, in input order. Empty
    // when there is any error: no partial output.
    std::vector<std::pair<std::string, std::string>> headers;
    // Every error, one `file:line:col: error: <what>` per line.
    std::string errors;

    bool ok() const { return errors.empty(); }
};

CompileResult compile(const SourceLoader& loader, const std::vector<std::string>& inputs,
                      const CompileOptions& compileOptions, const GenerateOptions& generateOptions);

}  // namespace tars2cpp
