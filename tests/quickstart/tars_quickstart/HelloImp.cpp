#include "HelloImp.h"
#include "servant/Application.h"

using namespace std;

void HelloImp::initialize() {}

void HelloImp::destroy() {}

int HelloImp::testHello(const std::string& sReq, std::string& sRsp, tars::TarsCurrentPtr current) {
    TLOGDEBUG("HelloImp::testHello sReq:" << sReq << endl);
    sRsp = sReq;
    return 0;
}
