// The tars2cpp command line: options, compilation, writing the headers.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace tars2cpp {

// Exit codes of the tool.
inline constexpr int kExitSuccess = 0;
inline constexpr int kExitCompileError = 1;  // errors in the input files, or output not written
inline constexpr int kExitUsageError = 2;    // bad command line

// Runs tars2cpp with `args` (argv without the program name). Help and version
// go to `out`, errors to `err`. Headers are written only when every input
// compiled without error.
int runTool(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tars2cpp
