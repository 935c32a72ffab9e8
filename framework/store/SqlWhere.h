// SqlWhere: a WHERE clause built from a filter, " WHERE a = ? AND b = ?", with the values
// of its placeholders; "" (and no values) when nothing is added. A plain value, used by
// one thread while a statement is built.
#pragma once

#include <cstdint>
#include <string>

#include "SqlConnection.h"

namespace tars {

struct SqlWhere {
    std::string sql;
    SqlParams params;

    // An empty text matches every value: no condition.
    void add(const char* column, const std::string& value) {
        if (!value.empty()) addCondition(column, value);
    }
    void add(const char* column, int64_t value) { addCondition(column, value); }

private:
    void addCondition(const char* column, SqlValue value) {
        sql += sql.empty() ? " WHERE " : " AND ";
        sql += column;
        sql += " = ?";
        params.push_back(std::move(value));
    }
};

}  // namespace tars
