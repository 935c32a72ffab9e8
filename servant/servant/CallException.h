// CallException: how a client call reports failure to the caller.
//
// Every call ends exactly once; when it does not end with a response of iRet 0, a sync
// call throws one of these (a promise or coroutine call stores one in its future), with
// getErrCode() holding the TARS return code (servant/BaseF.tars numbers: -7 invoke
// timeout, -8 connect error, -10 no endpoint, -12 client decode error, -13 send error,
// and the server's own codes -1..-6, -9, -99). The subclasses let a caller catch one kind
// (TarsSyncCallTimeoutException for -7, ...); makeCallException() picks the right one.
// Values: copy them freely between threads.
#pragma once

#include <exception>
#include <string>

#include "tup/TarsType.h"

namespace tars {

class TarsCallException : public TarsException {
public:
    TarsCallException(int code, const std::string& message) : TarsException(message), _code(code) {}
    int getErrCode() const noexcept { return _code; }

private:
    int _code;
};

#define TARS_CALL_EXCEPTION_(Name)                  \
    struct Name : TarsCallException {               \
        using TarsCallException::TarsCallException; \
    }

TARS_CALL_EXCEPTION_(TarsServerDecodeException);        // -1
TARS_CALL_EXCEPTION_(TarsServerEncodeException);        // -2
TARS_CALL_EXCEPTION_(TarsServerNoFuncException);        // -3
TARS_CALL_EXCEPTION_(TarsServerNoServantException);     // -4
TARS_CALL_EXCEPTION_(TarsServerQueueTimeoutException);  // -6
TARS_CALL_EXCEPTION_(TarsSyncCallTimeoutException);     // -7
TARS_CALL_EXCEPTION_(TarsServerConnectionException);    // -8
TARS_CALL_EXCEPTION_(TarsServerOverloadException);      // -9
TARS_CALL_EXCEPTION_(TarsAdapterNullException);         // -10
TARS_CALL_EXCEPTION_(TarsClientDecodeException);        // -12
TARS_CALL_EXCEPTION_(TarsSendRequestException);         // -13
TARS_CALL_EXCEPTION_(TarsServerUnknownException);       // -99 and anything else

#undef TARS_CALL_EXCEPTION_

// The name of a return code ("TARSINVOKETIMEOUT"), or "UNKNOWN(<code>)".
std::string callErrorName(int code);

// The exception for code (non-zero), its message naming the code, the function and,
// when given, the server's result description.
std::exception_ptr makeCallException(int code, const std::string& funcName, const std::string& desc = "");
[[noreturn]] void throwCallException(int code, const std::string& funcName, const std::string& desc = "");

}  // namespace tars
