#include "HelloImp.h"

#include "util/tc_logger.h"

void HelloImp::initialize() {}

void HelloImp::destroy() {}

tars::Int32 HelloImp::testHello(const std::string& sReq, std::string& sRsp, tars::CurrentPtr current) {
    TLOGDEBUG("testHello from " << current->getIp() << ":" << current->getPort() << ": " << sReq << std::endl);
    sRsp = sReq;
    return 0;
}
