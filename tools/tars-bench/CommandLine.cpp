#include "CommandLine.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace tars::bench {

namespace {

[[noreturn]] void fail(const std::string& option, const std::string& text, const std::string& why) {
    throw UsageError("option " + option + ": '" + text + "' " + why);
}

}  // namespace

int64_t parseInteger(const std::string& option, const std::string& text, int64_t min, int64_t max) {
    if (text.empty()) fail(option, text, "is empty");
    errno = 0;
    char* end = nullptr;
    long long value = std::strtoll(text.c_str(), &end, 10);
    if (errno == ERANGE || end == text.c_str() || *end != '\0') fail(option, text, "is not a whole number");
    if (value < min || value > max) {
        fail(option, text, "is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    return value;
}

double parseNumber(const std::string& option, const std::string& text, double min, double max) {
    if (text.empty()) fail(option, text, "is empty");
    errno = 0;
    char* end = nullptr;
    double value = std::strtod(text.c_str(), &end);
    if (errno == ERANGE || end == text.c_str() || *end != '\0' || !std::isfinite(value)) {
        fail(option, text, "is not a number");
    }
    if (value < min || value > max) {
        fail(option, text, "is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    return value;
}

int64_t parseBytes(const std::string& option, const std::string& text, int64_t min, int64_t max) {
    std::string digits = text;
    int64_t scale = 1;
    if (!digits.empty()) {
        char last = digits.back();
        if (last == 'k' || last == 'K') scale = 1024;
        if (last == 'm' || last == 'M') scale = 1024 * 1024;
        if (scale != 1) digits.pop_back();
    }
    int64_t value = parseInteger(option, digits, 0, max / scale);
    value *= scale;
    if (value < min || value > max) {
        fail(option, text, "is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "] bytes");
    }
    return value;
}

}  // namespace tars::bench
