// Turns the checked syntax tree of one .tars file into the C++ header
// <basename>.h. Pure functions of the tree: no I/O, no state, safe to call
// from any thread. Call only for files the Program checked without errors.
#pragma once

#include "Ast.h"

#include <string>

namespace tars2cpp {

struct GenerateOptions {
    bool json = true;          // writeToJson/readFromJson and friends (off with --unjson)
    bool checkDefault = true;  // skip optional members equal to their default (--check-default=false: write all)
};

// The whole header for `file`.
std::string generateHeader(const File& file, const GenerateOptions& options);

}  // namespace tars2cpp
