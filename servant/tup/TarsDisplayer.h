// Human-readable dumps of TARS values, behind generated display() and
// displaySimple(). display() prints one field per line, indented by nesting
// level; displaySimple() prints everything on one line with '|' between
// fields. For logs and debugging only: the format is not meant to be parsed.
//
// A displayer writes to the stream it is given and owns nothing.
#pragma once

#include "tup/TarsType.h"

#include <iomanip>
#include <map>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

namespace tars {

class TarsDisplayer {
public:
    explicit TarsDisplayer(std::ostream& os, int level = 0) : _os(os), _level(level) {}

    // One "name: value" line (containers and structs span several lines).
    template <typename T>
    TarsDisplayer& display(const T& value, const char* fieldName) {
        indent(fieldName);
        showValue(value);
        return *this;
    }

    // The value on the current line, followed by '|' when `withSeparator`.
    template <typename T>
    TarsDisplayer& displaySimple(const T& value, bool withSeparator) {
        showSimple(value);
        if (withSeparator) _os << '|';
        return *this;
    }

private:
    void indent(const char* fieldName) {
        _os << std::string(static_cast<std::size_t>(_level) * 4, ' ');
        if (fieldName != nullptr) _os << fieldName << ": ";
    }

    template <typename T>
    void scalar(const T& value) {
        if constexpr (std::is_same_v<T, Bool>)
            _os << (value ? "true" : "false");
        else if constexpr (std::is_same_v<T, Char> || std::is_same_v<T, UInt8>)
            _os << static_cast<int>(value);
        else if constexpr (std::is_enum_v<T>)
            _os << etos(value);  // found by ADL in the enum's namespace
        else
            _os << value;
    }

    static void hex(std::ostream& os, const std::vector<Char>& bytes) {
        static const char digits[] = "0123456789abcdef";
        for (Char c : bytes) {
            const auto byte = static_cast<std::uint8_t>(c);
            os << digits[byte >> 4] << digits[byte & 0x0F];
        }
    }

    template <typename T>
    void showValue(const T& value) {
        if constexpr (std::is_base_of_v<TarsStructBase, T>) {
            _os << "{\n";
            value.display(_os, _level + 1);
            indent(nullptr);
            _os << "}\n";
        } else {
            scalar(value);
            _os << '\n';
        }
    }

    void showValue(const std::string& value) { _os << value << '\n'; }

    void showValue(const std::vector<Char>& value) {
        _os << value.size() << ", ";
        hex(_os, value);
        _os << '\n';
    }

    template <typename T, typename Alloc>
    void showValue(const std::vector<T, Alloc>& value) {
        _os << value.size() << ", [\n";
        TarsDisplayer inner(_os, _level + 1);
        for (const auto& element : value) inner.display(static_cast<const T&>(element), nullptr);
        indent(nullptr);
        _os << "]\n";
    }

    template <typename K, typename V, typename Cmp, typename Alloc>
    void showValue(const std::map<K, V, Cmp, Alloc>& value) {
        _os << value.size() << ", {\n";
        TarsDisplayer inner(_os, _level + 1);
        for (const auto& [key, mapped] : value) {
            inner.indent(nullptr);
            _os << "(\n";
            TarsDisplayer entry(_os, _level + 2);
            entry.display(key, nullptr);
            entry.display(mapped, nullptr);
            inner.indent(nullptr);
            _os << ")\n";
        }
        indent(nullptr);
        _os << "}\n";
    }

    template <typename T>
    void showSimple(const T& value) {
        if constexpr (std::is_base_of_v<TarsStructBase, T>) {
            _os << '{';
            value.displaySimple(_os, _level + 1);
            _os << '}';
        } else {
            scalar(value);
        }
    }

    void showSimple(const std::string& value) { _os << value; }
    void showSimple(const std::vector<Char>& value) { hex(_os, value); }

    template <typename T, typename Alloc>
    void showSimple(const std::vector<T, Alloc>& value) {
        _os << value.size() << '{';
        bool first = true;
        for (const auto& element : value) {
            if (!first) _os << '|';
            first = false;
            showSimple(static_cast<const T&>(element));
        }
        _os << '}';
    }

    template <typename K, typename V, typename Cmp, typename Alloc>
    void showSimple(const std::map<K, V, Cmp, Alloc>& value) {
        _os << value.size() << '{';
        bool first = true;
        for (const auto& [key, mapped] : value) {
            if (!first) _os << '|';
            first = false;
            showSimple(key);
            _os << ':';
            showSimple(mapped);
        }
        _os << '}';
    }

    std::ostream& _os;
    int _level;
};

}  // namespace tars
