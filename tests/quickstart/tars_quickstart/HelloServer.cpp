#include "HelloServer.h"
#include "HelloImp.h"

using namespace std;

HelloServer g_app;

void HelloServer::initialize() {
    addServant<HelloImp>(ServerConfig::Application + "." + ServerConfig::ServerName + ".HelloObj");
}

void HelloServer::destroyApp() {}

int main(int argc, char* argv[]) {
    try {
        g_app.main(argc, argv);
        g_app.waitForShutdown();
    } catch (std::exception& e) {
        cerr << "std::exception:" << e.what() << std::endl;
    } catch (...) {
        cerr << "unknown exception." << std::endl;
    }
    return -1;
}
