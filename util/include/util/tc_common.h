// TC_Common: the string, number and time helpers the runtime and tools use.
//
// All functions are static, pure (no shared state) and thread-safe. Number parsing is
// strict: strto<T>() throws TC_Common_Exception naming the text and the type when the
// whole (trimmed) text is not a number in range, unlike TarsCpp's lenient strto which
// returned 0; tryStrto<T>() returns std::nullopt instead of throwing.
#pragma once

#include <charconv>
#include <cstdint>
#include <ctime>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "util/tc_ex.h"

namespace tars {

struct TC_Common_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

class TC_Common {
public:
    TC_Common() = delete;

    // Characters removed by trim: space, \t, \r, \n, \v, \f.
    static constexpr std::string_view kSpaces = " \t\r\n\v\f";

    static std::string trim(std::string_view s, std::string_view chars = kSpaces);
    static std::string trimleft(std::string_view s, std::string_view chars = kSpaces);
    static std::string trimright(std::string_view s, std::string_view chars = kSpaces);
    static std::string lower(std::string_view s);
    static std::string upper(std::string_view s);

    // Splits s at every character found in separators. withEmpty=false drops empty
    // pieces ("a,,b" -> {"a","b"}); withEmpty=true keeps them ({"a","","b"}).
    static std::vector<std::string> sepstr(std::string_view s, std::string_view separators, bool withEmpty = false);

    // Replaces every occurrence of from (non-empty) by to.
    static std::string replace(std::string_view s, std::string_view from, std::string_view to);

    static bool startsWith(std::string_view s, std::string_view prefix) { return s.starts_with(prefix); }
    static bool endsWith(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

    // Strict number parsing of the trimmed text (integers base 10, a leading '+' allowed;
    // floating point in any std::from_chars general form; bool: 0/1/true/false/yes/no/y/n).
    template <typename T>
    static std::optional<T> tryStrto(std::string_view text);

    template <typename T>
    static T strto(std::string_view text);

    template <typename T>
    static std::string tostr(const T& value) {
        if constexpr (std::is_same_v<T, std::string>) {
            return value;
        } else if constexpr (std::is_same_v<T, bool>) {
            return value ? "1" : "0";
        } else if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, char>) {
            return std::to_string(value);
        } else {
            std::ostringstream os;
            os << value;
            return os.str();
        }
    }

    // Lower-case hex of the bytes ("\x01\xab" -> "01ab").
    static std::string bin2str(std::string_view bytes);
    // Inverse of bin2str; accepts either case; throws TC_Common_Exception on odd length
    // or a non-hex character.
    static std::string str2bin(std::string_view hex);

    // strftime of a local time; default format "2024-05-01 13:45:10".
    static std::string tm2str(time_t t, const char* format = "%Y-%m-%d %H:%M:%S");
    // Local now with milliseconds: "2024-05-01 13:45:10.123".
    static std::string now2msstr();
    // Local date of t as YYYYMMDD.
    static std::string tm2date(time_t t) { return tm2str(t, "%Y%m%d"); }

    // "10M", "512K", "1G", "123" (bytes) -> number of bytes (TARS logsize style);
    // throws TC_Common_Exception on anything else.
    static uint64_t toSize(std::string_view text);

private:
    [[noreturn]] static void throwBadNumber(std::string_view text, const char* type);
    static std::optional<bool> parseBool(std::string_view text);
};

template <typename T>
std::optional<T> TC_Common::tryStrto(std::string_view text) {
    size_t b = text.find_first_not_of(kSpaces);
    if (b == std::string_view::npos) return std::nullopt;
    size_t e = text.find_last_not_of(kSpaces);
    std::string_view t = text.substr(b, e - b + 1);
    if constexpr (std::is_same_v<T, bool>) {
        return parseBool(t);
    } else if constexpr (std::is_arithmetic_v<T>) {
        if (t.size() > 1 && t[0] == '+' && t[1] != '-') t.remove_prefix(1);
        T value{};
        auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
        if (ec != std::errc() || ptr != t.data() + t.size()) return std::nullopt;
        return value;
    } else {
        static_assert(std::is_arithmetic_v<T>, "tryStrto supports arithmetic types");
    }
}

template <typename T>
T TC_Common::strto(std::string_view text) {
    if constexpr (std::is_same_v<T, std::string>) {
        return std::string(text);
    } else {
        auto v = tryStrto<T>(text);
        if (!v)
            throwBadNumber(text, std::is_same_v<T, bool>       ? "bool"
                                 : std::is_floating_point_v<T> ? "floating point number"
                                 : std::is_signed_v<T>         ? "signed integer"
                                                               : "unsigned integer");
        return *v;
    }
}

}  // namespace tars
