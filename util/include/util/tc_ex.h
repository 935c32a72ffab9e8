// TC_Exception: the base of every exception thrown by util.
//
// what() is a complete sentence for a log line: it names the failing operation and,
// when built with an errno value, ends with ": " and the system's text for it.
// getErrCode() returns that errno value (0 when there was none). Each component
// derives its own type (TC_Config_Exception, TC_Socket_Exception, ...) so callers
// can catch one family. Exceptions are values: copy them freely between threads.
#pragma once

#include <stdexcept>
#include <string>

namespace tars {

class TC_Exception : public std::runtime_error {
public:
    explicit TC_Exception(const std::string& message);
    // message + ": " + strerror(err); getErrCode() returns err.
    TC_Exception(const std::string& message, int err);

    int getErrCode() const noexcept { return _code; }

private:
    int _code = 0;
};

// Text of an errno value, thread-safe (strerror_r).
std::string errnoText(int err);

}  // namespace tars
