#include "InteropImp.h"

#include <cstdint>

#include "util/tc_logger.h"

namespace {

void logOneWay(const tars::TarsCurrentPtr& current, const std::string& argument) {
    if (current->isOneway()) {
        TLOGDEBUG("oneway " << current->getFuncName() << ": " << argument.substr(0, 200) << std::endl);
    }
}

}  // namespace

std::string InteropImp::echo(const std::string& s, tars::TarsCurrentPtr current) {
    logOneWay(current, s);
    TLOGDEBUG("echo " << s.substr(0, 200) << std::endl);  // the dyeing test looks for it
    return s;
}

tars::Int32 InteropImp::add(tars::Int32 a, tars::Int32 b, tars::TarsCurrentPtr current) {
    logOneWay(current, std::to_string(a));
    // Wrap-around instead of signed overflow (the tests stay inside the int range).
    return static_cast<tars::Int32>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

tars::Int32 InteropImp::roundTrip(const Test::AllTypes& req, Test::AllTypes& rsp, tars::TarsCurrentPtr current) {
    logOneWay(current, "AllTypes");
    rsp = req;
    return static_cast<tars::Int32>(req.bin.size() + req.vs.size() + req.msi.size());
}

std::string InteropImp::getContext(const std::string& key, tars::TarsCurrentPtr current) {
    logOneWay(current, key);
    const auto& context = current->getContext();
    current->setResponseContext(context);
    auto it = context.find(key);
    return it == context.end() ? std::string() : it->second;
}

tars::Int32 InteropImp::fail(tars::Int32 code, tars::TarsCurrentPtr current) {
    logOneWay(current, std::to_string(code));
    // Answer now with the requested framework code; the return value is then ignored.
    current->setResponse(false);
    current->sendResponse(code, {}, {}, "fail requested");
    return 0;
}
