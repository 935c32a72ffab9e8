#include "util/tc_common.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace tars {

std::string TC_Common::trim(std::string_view s, std::string_view chars) {
    size_t b = s.find_first_not_of(chars);
    if (b == std::string_view::npos) return {};
    size_t e = s.find_last_not_of(chars);
    return std::string(s.substr(b, e - b + 1));
}

std::string TC_Common::trimleft(std::string_view s, std::string_view chars) {
    size_t b = s.find_first_not_of(chars);
    return b == std::string_view::npos ? std::string() : std::string(s.substr(b));
}

std::string TC_Common::trimright(std::string_view s, std::string_view chars) {
    size_t e = s.find_last_not_of(chars);
    return e == std::string_view::npos ? std::string() : std::string(s.substr(0, e + 1));
}

std::string TC_Common::lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string TC_Common::upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

std::vector<std::string> TC_Common::sepstr(std::string_view s, std::string_view separators, bool withEmpty) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
        size_t pos = s.find_first_of(separators, start);
        std::string_view piece = s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start);
        if (withEmpty || !piece.empty()) out.emplace_back(piece);
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return out;
}

std::string TC_Common::replace(std::string_view s, std::string_view from, std::string_view to) {
    if (from.empty()) return std::string(s);
    std::string out;
    out.reserve(s.size());
    size_t start = 0;
    while (true) {
        size_t pos = s.find(from, start);
        if (pos == std::string_view::npos) break;
        out.append(s.substr(start, pos - start));
        out.append(to);
        start = pos + from.size();
    }
    out.append(s.substr(start));
    return out;
}

std::optional<bool> TC_Common::parseBool(std::string_view text) {
    std::string t = lower(text);
    if (t == "1" || t == "true" || t == "yes" || t == "y") return true;
    if (t == "0" || t == "false" || t == "no" || t == "n") return false;
    return std::nullopt;
}

void TC_Common::throwBadNumber(std::string_view text, const char* type) {
    throw TC_Common_Exception("strto: '" + std::string(text) + "' is not a valid " + type + " (or is out of range)");
}

std::string TC_Common::bin2str(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(kDigits[c >> 4]);
        out.push_back(kDigits[c & 0x0f]);
    }
    return out;
}

namespace {
int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::string TC_Common::str2bin(std::string_view hex) {
    if (hex.size() % 2 != 0) {
        throw TC_Common_Exception("str2bin: odd number of hex digits (" + std::to_string(hex.size()) + ")");
    }
    std::string out;
    out.reserve(hex.size() / 2);
    for (size_t i = 0; i < hex.size(); i += 2) {
        int hi = hexValue(hex[i]);
        int lo = hexValue(hex[i + 1]);
        if (hi < 0 || lo < 0) {
            throw TC_Common_Exception("str2bin: not a hex digit at offset " + std::to_string(hi < 0 ? i : i + 1));
        }
        out.push_back(static_cast<char>((hi << 4) | lo));
    }
    return out;
}

std::string TC_Common::tm2str(time_t t, const char* format) {
    struct tm tmv;
    ::localtime_r(&t, &tmv);
    char buf[128];
    size_t n = ::strftime(buf, sizeof(buf), format, &tmv);
    return std::string(buf, n);
}

std::string TC_Common::now2msstr() {
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    time_t secs = static_cast<time_t>(ms / 1000);
    char tail[8];
    std::snprintf(tail, sizeof(tail), ".%03d", static_cast<int>(ms % 1000));
    return tm2str(secs) + tail;
}

uint64_t TC_Common::toSize(std::string_view text) {
    std::string t = trim(text);
    uint64_t mult = 1;
    if (!t.empty()) {
        switch (t.back()) {
            case 'K':
            case 'k': mult = 1024ULL; break;
            case 'M':
            case 'm': mult = 1024ULL * 1024; break;
            case 'G':
            case 'g': mult = 1024ULL * 1024 * 1024; break;
            case 'B':
            case 'b': mult = 1; break;
            default: mult = 0; break;
        }
        if (mult != 0)
            t.pop_back();
        else
            mult = 1;
    }
    auto v = tryStrto<uint64_t>(t);
    if (!v) throw TC_Common_Exception("toSize: '" + std::string(text) + "' is not a size like 10M, 512K, 1G or 4096");
    return *v * mult;
}

}  // namespace tars
