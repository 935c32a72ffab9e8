#ifndef _HelloImp_H_
#define _HelloImp_H_

#include "servant/Application.h"
#include "Hello.h"

class HelloImp : public TestApp::Hello {
public:
    virtual ~HelloImp() {}

    virtual void initialize();

    virtual void destroy();

    virtual int test(tars::TarsCurrentPtr current) { return 0; };

    virtual int testHello(const std::string& sReq, std::string& sRsp, tars::TarsCurrentPtr current);
};

#endif
