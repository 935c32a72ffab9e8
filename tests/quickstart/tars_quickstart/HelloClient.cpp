#include <iostream>

#include "servant/Communicator.h"
#include "Hello.h"

using namespace std;
using namespace TestApp;
using namespace tars;

// The one change from the quick start: the endpoint comes from the command line.
int main(int argc, char** argv) {
    Communicator comm;

    try {
        HelloPrx prx;
        comm.stringToProxy(string("TestApp.HelloServer.HelloObj@") + (argc > 1 ? argv[1] : "tcp -h 127.0.0.1 -p 20001"),
                           prx);

        try {
            string sReq("hello world");
            string sRsp("");

            int iRet = prx->testHello(sReq, sRsp);
            cout << "iRet:" << iRet << " sReq:" << sReq << " sRsp:" << sRsp << endl;
            return iRet == 0 && sRsp == sReq ? 0 : 1;
        } catch (exception& e) {
            cerr << "exception:" << e.what() << endl;
        } catch (...) {
            cerr << "unknown exception." << endl;
        }
    } catch (exception& e) {
        cerr << "exception:" << e.what() << endl;
    } catch (...) {
        cerr << "unknown exception." << endl;
    }

    return 1;
}
