// How IDL names, types and values are spelled in generated C++.
#pragma once

#include "Ast.h"

#include <string>

namespace tars2cpp
{

// A C++20 keyword or alternative operator token (`class`, `and`, `co_await`).
bool isCppKeyword(const std::string& name);
// A name C++ reserves for the implementation (`__x`, `_X`).
bool isReservedCppIdentifier(const std::string& name);

// The C++ type of an IDL type: tars::Int32, std::vector<std::string>, ::Mod::Item.
std::string cppType(const Type& type);
// A C++ string literal holding exactly `bytes`.
std::string cppStringLiteral(const std::string& bytes);
// The C++ expression of a checked value of `type`.
std::string cppValue(const Type& type, const Value& value);
// The C++ expression of the value a member of `type` has when the IDL gives no default.
std::string cppDefaultValue(const Type& type);

} // namespace tars2cpp
