// How IDL names, types and values are spelled in generated C++.
#pragma once

#include "Ast.h"

#include <set>
#include <string>

namespace tars2cpp {

// A C++20 keyword or alternative operator token (`class`, `and`, `co_await`).
bool isCppKeyword(const std::string& name);
// A name C++ reserves for the implementation (`__x`, `_X`).
bool isReservedCppIdentifier(const std::string& name);

// The C++ type of an IDL type: tars::Int32, std::vector<std::string>, ::Mod::Item.
std::string cppType(const Type& type);
// The type as TarsCpp's tars2cpp spells it for a struct's MD5(): tars::Int32, std::string,
// vector<...> and map<K, V> without std::, " >" closing a template whose last argument is
// itself a vector or map, structs and enums as Module::Name.
std::string tarsCppMd5Type(const Type& type);
// TarsCpp's MD5() value of a struct: lowercase hex md5 of "_" + tarsCppMd5Type(member)
// over the members in declaration order.
std::string tarsCppStructMd5(const StructDecl& decl);
// A C++ string literal holding exactly `bytes`.
std::string cppStringLiteral(const std::string& bytes);
// The C++ expression of a checked value of `type`.
std::string cppValue(const Type& type, const Value& value);
// The C++ expression of the value a member of `type` has when the IDL gives no default.
std::string cppDefaultValue(const Type& type);

// How a method passes a value it only reads: bool, integers, floating-point
// numbers and enums by value (tars::Int32), everything else by const
// reference (const std::string&). Servants and proxies spell parameters alike.
std::string cppInParameterType(const Type& type);
// How a method passes a value it fills in (an `out` parameter): T&.
std::string cppOutParameterType(const Type& type);
// A local variable of `type` holding its default (`tars::Int32 x = 0;`, `std::string s;`).
std::string cppLocalDeclaration(const Type& type, const std::string& name);

// `wanted`, or the first of `wanted`1, `wanted`2, ... that is not in `taken`:
// generated parameters and locals must not collide with IDL names.
std::string unusedName(const std::string& wanted, const std::set<std::string>& taken);

}  // namespace tars2cpp
