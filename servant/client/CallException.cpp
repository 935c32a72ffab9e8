#include "servant/CallException.h"

#include "BaseF.h"

namespace tars {

std::string callErrorName(int code) {
    switch (code) {
        case TARSSERVERSUCCESS: return "TARSSERVERSUCCESS";
        case TARSSERVERDECODEERR: return "TARSSERVERDECODEERR";
        case TARSSERVERENCODEERR: return "TARSSERVERENCODEERR";
        case TARSSERVERNOFUNCERR: return "TARSSERVERNOFUNCERR";
        case TARSSERVERNOSERVANTERR: return "TARSSERVERNOSERVANTERR";
        case TARSSERVERRESETGRID: return "TARSSERVERRESETGRID";
        case TARSSERVERQUEUETIMEOUT: return "TARSSERVERQUEUETIMEOUT";
        case TARSINVOKETIMEOUT: return "TARSINVOKETIMEOUT";
        case TARSPROXYCONNECTERR: return "TARSPROXYCONNECTERR";
        case TARSSERVEROVERLOAD: return "TARSSERVEROVERLOAD";
        case TARSADAPTERNULL: return "TARSADAPTERNULL";
        case TARSINVOKEBYINVALIDESET: return "TARSINVOKEBYINVALIDESET";
        case TARSCLIENTDECODEERR: return "TARSCLIENTDECODEERR";
        case TARSSENDREQUESTERR: return "TARSSENDREQUESTERR";
        case TARSSERVERUNKNOWNERR: return "TARSSERVERUNKNOWNERR";
        default: return "UNKNOWN(" + std::to_string(code) + ")";
    }
}

namespace {

template <typename E>
std::exception_ptr make(int code, const std::string& message) {
    return std::make_exception_ptr(E(code, message));
}

}  // namespace

std::exception_ptr makeCallException(int code, const std::string& funcName, const std::string& desc) {
    std::string message = "call " + funcName + " failed: " + callErrorName(code) + " (" + std::to_string(code) + ")";
    if (!desc.empty()) message += ": " + desc;
    switch (code) {
        case TARSSERVERDECODEERR: return make<TarsServerDecodeException>(code, message);
        case TARSSERVERENCODEERR: return make<TarsServerEncodeException>(code, message);
        case TARSSERVERNOFUNCERR: return make<TarsServerNoFuncException>(code, message);
        case TARSSERVERNOSERVANTERR: return make<TarsServerNoServantException>(code, message);
        case TARSSERVERQUEUETIMEOUT: return make<TarsServerQueueTimeoutException>(code, message);
        case TARSINVOKETIMEOUT: return make<TarsSyncCallTimeoutException>(code, message);
        case TARSPROXYCONNECTERR: return make<TarsServerConnectionException>(code, message);
        case TARSSERVEROVERLOAD: return make<TarsServerOverloadException>(code, message);
        case TARSADAPTERNULL: return make<TarsAdapterNullException>(code, message);
        case TARSCLIENTDECODEERR: return make<TarsClientDecodeException>(code, message);
        case TARSSENDREQUESTERR: return make<TarsSendRequestException>(code, message);
        default: return make<TarsServerUnknownException>(code, message);
    }
}

void throwCallException(int code, const std::string& funcName, const std::string& desc) {
    std::rethrow_exception(makeCallException(code, funcName, desc));
}

}  // namespace tars
