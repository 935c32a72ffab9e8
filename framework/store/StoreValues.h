// StoreValues: how the store writes the values that are not plain text or numbers, the
// same on every backend.
//
// Times are seconds since the epoch in C++ and UTC text "YYYY-MM-DD HH:MM:SS" in the
// database (SQLite has no time type; MySQL connections run in UTC); 0 stands for NULL.
// States are words of a closed set (the schema's ENUM / CHECK): the store refuses a
// word outside the set before it reaches the database, with an error naming the
// operation.
//
// Free functions of plain values: thread-safe.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "SqlConnection.h"

namespace tars {

// "YYYY-MM-DD HH:MM:SS" (UTC) for a time in seconds, and back (0 for "", NULL or
// text that is not such a time).
std::string formatStoreTime(int64_t seconds);
int64_t parseStoreTime(const std::string& text);

// The value bound for a nullable time column: NULL for 0 (or less), else the UTC text.
SqlValue storeTimeValue(int64_t seconds);

// Throws StoreError "<backend> store: <operation>: invalid state '<state>'" unless state
// is one of allowed.
void checkStoreState(const std::string& state, std::initializer_list<const char*> allowed, std::string_view backend,
                     std::string_view operation);

}  // namespace tars
