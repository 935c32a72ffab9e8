// HelloImp: the implementation of TestApp::Hello. One instance per handle thread, so its
// members need no locking.
#pragma once

#include "Hello.h"

class HelloImp : public TestApp::Hello {
public:
    void initialize() override;
    void destroy() override;

    tars::Int32 testHello(const std::string& sReq, std::string& sRsp, tars::CurrentPtr current) override;
};
