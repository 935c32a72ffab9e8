#include "util/tc_ex.h"

#include <cstring>

namespace tars {

TC_Exception::TC_Exception(const std::string& message) : std::runtime_error(message) {}

TC_Exception::TC_Exception(const std::string& message, int err)
    : std::runtime_error(message + ": " + errnoText(err)), _code(err) {}

std::string errnoText(int err) {
    char buf[256];
    // GNU strerror_r returns a pointer that may or may not be buf.
    const char* text = ::strerror_r(err, buf, sizeof(buf));
    return text ? std::string(text) : "errno " + std::to_string(err);
}

}  // namespace tars
