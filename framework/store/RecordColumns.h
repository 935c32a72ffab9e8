// RecordColumns<Record>: the columns of one db_tars table and the member of Record (a
// struct of StoreRecords.h) each one holds. Each aggregate store writes its table once,
// as one of these; its SELECT list, its row reader, its INSERT and upsert column lists
// and the values it binds all come from that table, in its order. Adding a column is
// one line there (and the schema in sql/).
//
// A column's type says how its member is stored (StoreValues.h for times):
//   text     std::string, bound as text ("" stays "", never NULL)
//   integer  int or int64_t
//   real     double
//   time     int64_t seconds as UTC text; 0 is NULL
//   stamp    int64_t seconds as UTC text, never NULL: the row-change time that the store
//            itself sets to the "now" of each write (registry_timestamp)
// Reading, NULL gives "" / 0, as SqlRow does.
//
// Immutable once built: one static instance per table, shared by every thread.
// Errors: naming a column the table does not have (a typo in a write's list) throws
// std::logic_error, so the first use of the write fails in every test that reaches it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "SqlConnection.h"
#include "StoreValues.h"

namespace tars {

enum class ColumnType { Text, Integer, Real, Time, Stamp };

template <typename Record>
class Column {
public:
    static Column text(std::string_view name, std::string Record::*member) { return {name, member, ColumnType::Text}; }
    static Column integer(std::string_view name, int Record::*member) { return {name, member, ColumnType::Integer}; }
    static Column integer(std::string_view name, int64_t Record::*member) {
        return {name, member, ColumnType::Integer};
    }
    static Column real(std::string_view name, double Record::*member) { return {name, member, ColumnType::Real}; }
    static Column time(std::string_view name, int64_t Record::*member) { return {name, member, ColumnType::Time}; }
    static Column stamp(std::string_view name, int64_t Record::*member) { return {name, member, ColumnType::Stamp}; }

    std::string_view name() const { return _name; }
    ColumnType type() const { return _type; }

    // Sets the member from cell `index` of row.
    void read(const SqlRow& row, size_t index, Record& record) const {
        std::visit([&](auto member) { assign(record.*member, row, index); }, _member);
    }
    // The value bound for the member.
    SqlValue value(const Record& record) const {
        return std::visit([&](auto member) { return bind(record.*member); }, _member);
    }

private:
    using Member = std::variant<std::string Record::*, int Record::*, int64_t Record::*, double Record::*>;

    Column(std::string_view name, Member member, ColumnType type) : _name(name), _member(member), _type(type) {}

    void assign(std::string& out, const SqlRow& row, size_t i) const { out = row.text(i); }
    void assign(double& out, const SqlRow& row, size_t i) const { out = row.real(i); }
    void assign(int& out, const SqlRow& row, size_t i) const { out = static_cast<int>(row.integer(i)); }
    void assign(int64_t& out, const SqlRow& row, size_t i) const {
        out = _type == ColumnType::Integer ? row.integer(i) : parseStoreTime(row.text(i));
    }

    SqlValue bind(const std::string& value) const { return value; }
    SqlValue bind(double value) const { return value; }
    SqlValue bind(int value) const { return int64_t{value}; }
    SqlValue bind(int64_t value) const {
        if (_type == ColumnType::Time) return storeTimeValue(value);
        if (_type == ColumnType::Stamp) return formatStoreTime(value);
        return value;
    }

    std::string_view _name;
    Member _member;
    ColumnType _type;
};

template <typename Record>
class RecordColumns {
public:
    RecordColumns(std::string table, std::vector<Column<Record>> columns)
        : _table(std::move(table)), _columns(std::move(columns)) {
        _selectSql = "SELECT ";
        for (size_t i = 0; i < _columns.size(); ++i) {
            if (i > 0) _selectSql += ", ";
            _selectSql += _columns[i].name();
        }
        _selectSql += " FROM " + _table;
    }

    const std::string& table() const { return _table; }
    const std::vector<Column<Record>>& columns() const { return _columns; }

    // Every column, in the table's order.
    std::vector<std::string_view> names() const {
        std::vector<std::string_view> out;
        for (const auto& c : _columns) out.push_back(c.name());
        return out;
    }
    // Every column but the excluded ones, each of which must be a column.
    std::vector<std::string_view> namesExcept(std::initializer_list<std::string_view> excluded) const {
        for (std::string_view name : excluded) column(name);
        std::vector<std::string_view> out;
        for (const auto& c : _columns) {
            bool skip = false;
            for (std::string_view name : excluded) skip = skip || name == c.name();
            if (!skip) out.push_back(c.name());
        }
        return out;
    }

    // "SELECT <every column> FROM <table>": the rows read() takes; callers append WHERE
    // and ORDER BY.
    const std::string& selectSql() const { return _selectSql; }
    // "INSERT INTO <table> (<names>) VALUES (?, ...)".
    std::string insertSql(const std::vector<std::string_view>& names) const {
        std::string list;
        std::string marks;
        for (std::string_view name : names) {
            column(name);
            if (!list.empty()) {
                list += ", ";
                marks += ", ";
            }
            list += name;
            marks += "?";
        }
        return "INSERT INTO " + _table + " (" + list + ") VALUES (" + marks + ")";
    }

    // The record of one row of selectSql().
    Record read(const SqlRow& row) const {
        Record record;
        for (size_t i = 0; i < _columns.size(); ++i) _columns[i].read(row, i, record);
        return record;
    }
    // The values of the named columns of record, in the order of names.
    SqlParams values(const Record& record, const std::vector<std::string_view>& names) const {
        SqlParams out;
        out.reserve(names.size());
        for (std::string_view name : names) out.push_back(column(name).value(record));
        return out;
    }

private:
    const Column<Record>& column(std::string_view name) const {
        for (const auto& c : _columns) {
            if (c.name() == name) return c;
        }
        throw std::logic_error(_table + " has no column '" + std::string(name) + "'");
    }

    std::string _table;
    std::vector<Column<Record>> _columns;
    std::string _selectSql;
};

}  // namespace tars
