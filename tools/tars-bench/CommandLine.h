// CommandLine: strict parsing of option values for the load generators. Every function
// throws UsageError with a message naming the option and what was wrong; the tools print
// it and exit 2 (bad usage), never run with a value they half understood.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace tars::bench {

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A whole decimal number in [min, max] ("12", not "12x" or "-3" for an unsigned option).
int64_t parseInteger(const std::string& option, const std::string& text, int64_t min, int64_t max);
// A decimal number in [min, max] ("2.5", "1e5").
double parseNumber(const std::string& option, const std::string& text, double min, double max);
// A byte count with an optional K, M suffix (powers of 1024) in [min, max]: "64", "4K", "1M".
int64_t parseBytes(const std::string& option, const std::string& text, int64_t min, int64_t max);

}  // namespace tars::bench
